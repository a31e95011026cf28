"""Pay extraction: amounts, ranges, Chinese numerals and periods."""

from __future__ import annotations

import pytest

from detector.flags.money import extract_money, parse_zh_number
from detector.textnorm.normalize import normalize


def money(text: str, currency: str | None = None):
    return [(m.low, m.high, m.currency, m.period) for m in extract_money(normalize(text).text,
                                                                          currency)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000-8000元/月", [(5000, 8000, "CNY", "month")]),
        ("月薪7-8K", [(7000, 8000, None, "month")]),
        ("月入七八千", [(7000, 8000, None, "month")]),
        ("月入一两万", [(10000, 20000, None, "month")]),
        ("月薪三千五", [(3500, 3500, None, "month")]),
        ("年薪20万", [(200000, 200000, None, "year")]),
        ("日结200元", [(200, 200, "CNY", "day")]),
        ("一个框5毛", [(0.5, 0.5, "CNY", "task")]),
        ("5元一单", [(5, 5, "CNY", "task")]),
        ("每千字30元", [(30, 30, "CNY", "task")]),
        ("$45/hr", [(45, 45, "USD", "hour")]),
        ("earn $1,000 per week", [(1000, 1000, "USD", "week")]),
        ("$120–180 an hour", [(120, 180, "USD", "hour")]),
        ("3000-7000Peso daily", [(3000, 7000, "PESO", "day")]),
        ("Rs.20,000/Day", [(20000, 20000, "RS", "day")]),
        ("$300 per task", [(300, 300, "USD", "task")]),
        ("salary 1.5k per month", [(1500, 1500, None, "month")]),
    ],
)
def test_amounts(text: str, expected) -> None:
    assert money(text) == expected


@pytest.mark.parametrize(
    "text", ["18-45岁", "8:00-17:00", "2019年成立", "for 500 people", "电话13800000000",
    "1、2、3、"]
)
def test_not_pay(text: str) -> None:
    assert money(text) == []


def test_default_currency() -> None:
    assert money("月薪8000", "CNY") == [(8000, 8000, "CNY", "month")]


def test_span_is_exact() -> None:
    text = "Pay: $45/hr, weekly."
    norm = normalize(text)
    (m,) = extract_money(norm.text)
    s, e = norm.span(m.start, m.end)
    assert text[s:e] == "$45/hr"


@pytest.mark.parametrize(
    ("zh", "value"),
    [("五千", (5000, 5000)), ("两万", (20000, 20000)), ("三千五", (3500, 3500)),
     ("十二万", (120000, 120000)), ("七八千", (7000, 8000)), ("一两万", (10000, 20000))],
)
def test_zh_numbers(zh: str, value) -> None:
    assert parse_zh_number(zh) == value


def test_monthly_normalisation() -> None:
    (m,) = extract_money("$40/hr")
    assert m.monthly_low == pytest.approx(40 * 173)
