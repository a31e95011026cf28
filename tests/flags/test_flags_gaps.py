"""The claim gaps of `detector/flags/lexicon.py`: bounded, within a clause, and never over a
word that reverses the claim (issue 26 item 3). Patterns run over normalised text."""

from __future__ import annotations

import re

import pytest

from detector.flags.lexicon import gap_en, gap_zh


@pytest.mark.parametrize("blocked", ["no", "free", "reimbursed", "paid", "per"])
def test_an_english_gap_never_swallows_a_reversing_word(blocked: str) -> None:
    rx = re.compile(rf"pay{gap_en(5)}fee")
    assert rx.search("pay a one-time fee")
    assert not rx.search(f"pay a {blocked} fee")


def test_a_chinese_gap_stops_at_a_clause_end_or_a_negation() -> None:
    rx = re.compile(rf"缴纳{gap_zh(14)}费用")  # over normalised text: "，" is read as ","
    assert rx.search("缴纳一笔300元的岗前统一培训费用")
    assert not rx.search("缴纳社保,费用")
    assert not rx.search("缴纳免费培训费用")
    assert rx.search("缴纳公司统一的工装费用")
    assert not rx.search("缴纳公司承担的费用")
