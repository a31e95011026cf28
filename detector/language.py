"""Which language a posting is written in: Chinese if enough of its letters are Han characters."""

from __future__ import annotations

from functools import cache

import numpy as np

SUPPORTED = ("en", "zh")
_LATIN, _HAN = 1, 2


@cache
def _classes() -> np.ndarray:
    """Per BMP code point: 1 for a Latin letter (A-Z, a-z), 2 for a Han character (CJK
    unified ideographs, extension A, compatibility ideographs), 0 otherwise."""
    table = np.zeros(0x10000, dtype=np.uint8)
    table[ord("A"):ord("Z") + 1] = _LATIN
    table[ord("a"):ord("z") + 1] = _LATIN
    table[0x3400:0x4DC0] = _HAN
    table[0x4E00:0xA000] = _HAN
    table[0xF900:0xFB00] = _HAN
    table[0xFFFF] = 0  # where every code point beyond the BMP is looked up
    return table


def letter_counts(text: str) -> tuple[int, int]:
    """(Han characters, Latin letters) in `text`: one table lookup per code point in numpy
    (a regex `findall` per class made a list of every letter: ~8x slower)."""
    if text.isascii():  # O(1) in CPython: no Han character, and Latin only matters with one
        return 0, _ascii_letters(text)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.bincount(_classes()[np.minimum(codes, 0xFFFF)], minlength=3)
    return int(counts[_HAN]), int(counts[_LATIN])


_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))


def _ascii_letters(text: str) -> int:
    return len(text) - len(text.encode("ascii").translate(None, _ASCII_LETTERS))


def detect_language(text: str, sample: int = 4000) -> str:
    """'zh' or 'en'. Han characters carry more content than Latin letters, so they weigh 3x."""
    head = text[:sample]
    if head.isascii():
        return "en"
    han, latin = letter_counts(head)
    if han == 0:
        return "en"
    return "zh" if han * 3 >= latin else "en"
