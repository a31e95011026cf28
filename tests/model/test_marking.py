"""What faces may mark (`detector.model.marking`): whole words (jieba's for Chinese), and never a
phrase that says there is no fee.

The hand-written strings are rule tests; the corpus tests walk the real legit postings of
labeled_posts/ (both languages) with the real shipped model."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest

from api.highlight import highlight
from detector.model.marking import WordEdges, marks, negated_fees, segment
from detector.schema import ALL_FIELDS, BOOL_FIELDS, parse_posting
from tests.api.conftest import needs_model
from tests.conftest import ROOT


@pytest.mark.parametrize(("text", "span", "word"), [
    ("本科及以上 五险一金，双休", "金", "五险一金"),      # never a lone 金
    ("日入500元轻松", "入", "日入"),                      # never a lone 入
    ("收入8000元以上", "元", "8000元"),                   # never a lone 元
    ("工资日结200-500，在家可做", "结2", "日结200-500"),
    ("Salary £24,907 - £30,615 per annum", "24,907 - £30", "£24,907 - £30,615"),
    ("Apply on our careers page", "aree", "careers"),   # never half a word
    ("Starts at nine o'clock", "o", "o'clock"),
    ("期待你的加入", "的加", "的加入"),
])
def test_spans_widen_to_whole_words(text: str, span: str, word: str) -> None:
    start = text.index(span)
    got = WordEdges(text).snap(start, start + len(span))
    assert got is not None and text[got[0]:got[1]] == word


def test_edge_punctuation_and_space_are_not_marked() -> None:
    text = "加入我们，期待你的加入"
    start = text.index("，期待")
    got = WordEdges(text).snap(start, start + 3)
    assert got is not None and text[got[0]:got[1]] == "期待"
    assert WordEdges("a , b").snap(1, 5) == (4, 5)
    assert WordEdges("a , b").snap(1, 4) is None
    assert WordEdges("，。").snap(0, 2) is None


@pytest.mark.parametrize(("text", "phrase"), [
    ("We charge no fees of any kind.", "no fees of any kind"),
    ("本公司不收取任何费用，月薪5000", "不收取任何费用"),
    ("押金全免，包吃住", "押金全免"),
    ("The DBS certificate will not incur a charge", "not incur a charge"),
    ("Training is free of charge.", "free of charge"),
])
def test_phrases_that_deny_a_fee(text: str, phrase: str) -> None:
    assert [text[s:e] for s, e in negated_fees(text)] == [phrase]


@pytest.mark.parametrize("text", ["Pay a $50 fee to start", "需交押金200元，培训费另付"])
def test_a_fee_that_is_asked_is_not_a_denial(text: str) -> None:
    assert negated_fees(text) == []


def test_model_words_only_on_request_only_raising_and_never_in_a_denial() -> None:
    text = "No fees of any kind. Earn cash daily."
    fields = {"text": text}
    fee = (text.index("fees"), text.index("fees") + 4)
    cash = (text.index("cash"), text.index("cash") + 4)
    terms = [("text", *fee, 0.8), ("text", *cash, 0.5), ("text", 0, 2, -0.4)]
    shown = marks(fields, [], terms, show_model=True)["text"]
    assert [(text[m.start:m.end], m.kind) for m in shown] == [("cash", "model")]
    assert marks(fields, [], terms, show_model=False) == {}


# --- the real legit postings ---------------------------------------------------------
#: How the corpus says "no fee" (collected independently of `detector.model.marking`'s lexicon):
#: a negation, then within a few characters of the same clause a fee word.
COLLECT = {
    "zh": re.compile(r"(?:不|无|免|没有|绝不|从不|从未|拒绝)(?:收取?|交|缴纳?|需要?|用|要求|产生|"
                     r"涉及)?(?:任何|所谓|一切)?[^，。；！？、,.;!?\n\d]{0,3}?"
                     r"(?:费用|押金|保证金|收费|费)"),
    "en": re.compile(r"(?i)\b(?:no|never|not|free of|without|zero)\b[^.;!?\n]{0,30}?"
                     r"\b(?:fees?|charges?|deposits?|payments?)\b"),
}
#: Flags about money asked for: their marks would read "a fee".
FEE_FLAGS = {"upfront_fee", "payment_scheme"}
PER_LANGUAGE = 120


@cache
def legit_negations() -> list[tuple[str, dict[str, str], str, int, int]]:
    """(language, posting, field, start, end of the denial) for the distinct denials real
    legit postings use, the most frequent first, up to PER_LANGUAGE per language."""
    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False)
    legit = corpus[corpus["label"] == "0"]
    text_fields = [f for f in ALL_FIELDS if f not in BOOL_FIELDS and f != "id"]
    found: dict[tuple[str, str], tuple[str, dict[str, str], str, int, int]] = {}
    counts: dict[tuple[str, str], int] = {}
    for row in legit.itertuples(index=False):
        lang = row.language
        for name in text_fields:
            value = getattr(row, name)
            if not value:
                continue
            for m in COLLECT[lang].finditer(value):
                key = (lang, m.group().lower())
                counts[key] = counts.get(key, 0) + 1
                if key not in found:
                    posting = {f: getattr(row, f) for f in text_fields if getattr(row, f)}
                    found[key] = (lang, posting, name, m.start(), m.end())
    out = []
    for lang in ("en", "zh"):
        keys = sorted((k for k in found if k[0] == lang), key=lambda k: -counts[k])
        out.extend(found[k] for k in keys[:PER_LANGUAGE])
    return out


def test_the_corpus_has_denials_in_both_languages() -> None:
    from collections import Counter

    langs = Counter(lang for lang, *_ in legit_negations())
    assert langs["en"] >= 5 and langs["zh"] >= 30, langs  # 9 and 75 distinct at writing


@needs_model
def test_real_denials_are_never_marked_as_a_fee_and_marks_sit_on_jieba_words(
        detector) -> None:  # type: ignore[no-untyped-def]
    """Floor: the negations real legit postings use are never marked as fees (by a fee
    flag or as a word the model weighed, even with the model's words shown as on a medium
    verdict), and no mark starts or ends inside a jieba word."""
    failures = []
    for _lang, raw, name, start, end in legit_negations():
        posting = parse_posting(raw, strict=False)
        verdict = detector.score(posting, explain=True)
        text = posting.fields[name]
        for view in highlight(posting, verdict, show_model=True):
            at, jieba_edges = 0, _jieba_edges(posting.fields[view.name])
            for seg in view.segments:
                s, e = at, at + len(seg.text)
                at = e
                if not seg.flag:
                    continue
                if s not in jieba_edges or e not in jieba_edges:
                    failures.append(("inside a jieba word", view.name, seg.text))
                fee_mark = seg.flag == "model" or seg.flag in FEE_FLAGS
                if view.name == name and fee_mark and s < end and start < e:
                    failures.append(("denial marked", text[start:end], seg.flag, seg.text))
    assert not failures, failures[:20]


def _jieba_edges(text: str) -> set[int]:
    edges, at = {0}, 0
    for word in segment(text):
        at += len(word)
        edges.add(at)
    return edges
