"""Issue 27: the evidence of a pay mismatch covers its claim, the pay, not the job title it
matched on (兼职打字, 手工活外发). Hand-written rule tests, not data."""

from __future__ import annotations

import pytest

from tests.flags.flag_helpers import assert_exact_evidence, hits_of, posting_of


@pytest.mark.parametrize(("text", "claim", "not_shown"), [
    ("兼职打字员，日结200-500，在家可做", "日结200-500", "兼职打字"),
    ("手工活外发，日结150元，在家就能做", "日结150元", "手工活外发"),
    ("手工活外发，日结，在家就能做", "日结", "手工活外发"),
    ("手工活外发，串珠子，计件工资，多劳多得，在家就能做。", "计件工资", "手工活外发"),
    ("Data entry from home, no experience needed, earn $45 per hour.", "earn $45 per hour",
     None),
    ("手机打字员，零基础，月入2万，在家就能做。", "月入2万", None),
])
def test_pay_mismatch_evidence_is_the_pay_claim(text: str, claim: str,
                                                not_shown: str | None) -> None:
    hit = hits_of(text)["unrealistic_pay"]
    shown = [ev.text for ev in hit.evidence]
    assert claim in shown, shown
    if not_shown is not None:
        assert not any(not_shown in piece for piece in shown), shown
    assert_exact_evidence(posting_of(text), hit)


def test_a_work_phrase_without_pay_nearby_keeps_its_own_span() -> None:
    """No amount and no pay hype within reach: the match itself is what there is to show."""
    from detector.flags.context import PostingText
    from detector.flags.pay import pay_claim

    pt = PostingText.of(posting_of("兼职打字，联系我们了解详情"))
    text = pt.fields["text"].text
    start = text.index("兼职打字")
    assert pay_claim(pt, "zh_online_part_time_pay", "text", start, start + 4) == (
        start, start + 4)
    assert pay_claim(pt, "zh_pay_hype", "text", 0, 2) == (0, 2)  # not a work rule
