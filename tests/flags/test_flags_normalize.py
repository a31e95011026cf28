"""Normalisation folds obfuscation, and every span maps back to an exact original slice."""

from __future__ import annotations

import random

import pytest

from detector.textnorm.normalize import normalize

ALPHABET = (
    "abcxyzWECHATwhatsapp0123456789 .-_*·|/~+'\n,，。：:！!？?（）()"
    "微信薇威刷单押金培训费不收取任何费用加扣企鹅飞机电报"
    "ＷＥＣＨＡＴｖｘ１２３５０"  # full-width
    "\u200b\u200c\u200d\ufeff\u2060\u00ad"  # zero-width / soft hyphen
    "😊❤★☆✓®™…㎏ﬁ①İ\u0301\u00a0\u3000"  # emoji, symbols, expansions, combining mark
    "oOlI"
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Add me on ＷＥＣＨＡＴ: ｖｘ１２３", "add me on wechat: vx123"),
        ("T e l e g r a m", "telegram"),
        ("W.h.a.t.s.A.p.p", "whatsapp"),
        ("W-h-a-t-s-a-p-p", "whatsapp"),
        ("W😊e😊C😊h😊a😊t", "wechat"),
        ("微❤信", "微信"),
        ("刷★单", "刷单"),
        ("微 信", "微信"),
        ("ze\u200bro wi\u200cdth\ufeff", "zero width"),
        ("earn $5OO per day", "earn $500 per day"),
        ("1O00 and l00", "1000 and 100"),
    ],
)
def test_folds(raw: str, folded: str) -> None:
    assert normalize(raw).text == folded


def test_words_with_digits_are_left_alone() -> None:
    assert normalize("10lbs h2o covid19").text == "10lbs h2o covid19"


def _check_all_spans(text: str) -> None:
    norm = normalize(text)
    n = len(norm.text)
    for start in range(n):
        for end in range(start + 1, min(n, start + 12) + 1):
            s, e = norm.span(start, end)
            assert 0 <= s < e <= len(text), (text, start, end, s, e)
    if n:
        s, e = norm.span(0, n)
        assert 0 <= s < e <= len(text)


def test_round_trip_random_strings() -> None:
    """Property test (fixed seed): any normalised span maps to a valid original slice, and
    spans are monotone (a later normalised char never maps before an earlier one)."""
    rng = random.Random(20241123)
    for _ in range(400):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
        _check_all_spans(text)
        norm = normalize(text)
        starts = [norm.span(i, i + 1)[0] for i in range(len(norm.text))]
        assert starts == sorted(starts)


def test_round_trip_regex_matches() -> None:
    """A keyword found in the normalised text maps back to the disguised original."""
    rng = random.Random(7)
    seps = ["", " ", ".", "-", "😊", "★", "\u200b", "❤"]
    for _ in range(200):
        word = rng.choice(["wechat", "whatsapp", "telegram"])
        sep = rng.choice(seps[1:])
        disguised = sep.join(rng.choice([c, c.upper()]) for c in word)
        prefix = "".join(rng.choice("abc 。，") for _ in range(rng.randint(0, 8)))
        text = f"{prefix} {disguised} 123"
        norm = normalize(text)
        at = norm.text.find(word)
        assert at >= 0, (text, norm.text)
        s, e = norm.span(at, at + len(word))
        assert text[s:e] == disguised


def test_identity_fast_path() -> None:
    text = "Plain ASCII posting, nothing to fold."
    norm = normalize(text)
    assert norm.maps == ()
    assert norm.span(6, 11) == (6, 11)


def test_empty() -> None:
    assert normalize("").text == ""
