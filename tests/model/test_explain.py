"""The words the model weighed (`detector.model.explain`), on the shipped model: spans that
slice the posting's own text, weights in log-odds with the right sign, and an alarm that
always shows something. Postings here are hand-written demos, not evaluation data."""

from __future__ import annotations

from detector.core import get_detector
from detector.model.explain import MIN_WEIGHT, Term, _merge, _worth_showing
from detector.schema import posting_from_text
from tests.api.conftest import needs_model

ZH_SCAM = "招聘数据标注员，无需学历，月入七八千轻松。新人需缴纳2580元培训费，加V：bz2580"
EN_SCAM = ("Work from home data entry, earn $500 a day, no experience needed. "
           "Pay a $99 registration fee to start, contact us on Telegram.")


@needs_model
def test_spans_slice_the_pasted_text_and_raise_the_estimate() -> None:
    detector = get_detector()
    for text in (ZH_SCAM, EN_SCAM):
        posting = posting_from_text(text)
        verdict = detector.score(posting, explain=True)
        assert verdict.model_evidence, text
        for term in verdict.model_evidence:
            assert posting.fields[term.field][term.start:term.end] == term.text
        assert max(t.weight for t in verdict.model_evidence) > 0


def test_merge_joins_touching_spans_of_one_sign_only() -> None:
    terms = [Term("description", 0, 2, "刷单", 0.3), Term("description", 1, 3, "单返", 0.2),
             Term("description", 3, 5, "利润", -0.4)]
    merged = _merge(terms)
    assert [(t.start, t.end, round(t.weight, 2)) for t in merged] == [(0, 3, 0.5), (3, 5, -0.4)]


def test_small_shares_are_shown_only_when_nothing_larger_raises_the_score() -> None:
    small = Term("description", 0, 2, "学徒", MIN_WEIGHT / 2)
    large = Term("description", 5, 7, "押金", 0.8)
    lowering = Term("description", 9, 11, "五险", -0.3)
    assert _worth_showing([small, large, lowering]) == [large, lowering]
    # A score that rose on many small n-grams still shows the strongest of them.
    assert _worth_showing([small, lowering]) == [lowering, small]
