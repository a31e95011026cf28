"""Fold traditional script and lookalike spellings of key terms to simplified Chinese.

Every rewrite is one character for one character, so a span of the folded text is the same
span of the original (evidence offsets stay exact). The tables are data (`zh_fold.json`,
made by `build.py`); a `ZhFold` holds them, so a trained model can keep the folding it was
trained with (it pickles its own `ZhFold`), while the red flags use the current one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

TABLES = Path(__file__).with_name("zh_fold.json")


def _char_class(chars: str) -> str:
    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = chr(codes[i]), chr(codes[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


@dataclass
class ZhFold:
    """The folding tables and the compiled helpers derived from them (see module docstring).

    `variants` maps a lookalike spelling to its key term (same length); `block_left` /
    `block_right` name, per edge character, the outside neighbours that make a spelling
    straddle a word boundary (携手共进), so it is left as it is.
    """

    version: int
    t2s: dict[str, str]
    variants: dict[str, str]
    block_left: dict[str, str] = field(default_factory=dict)
    block_right: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._compile()

    def _compile(self) -> None:
        self._table = {ord(a): b for a, b in self.t2s.items()}
        self._trad = re.compile(_char_class("".join(self.t2s))) if self.t2s else None
        # For each lookalike character: the (offset in the spelling, spelling length) pairs
        # where it is the replaced character.
        where: dict[str, set[tuple[int, int]]] = defaultdict(set)
        # The characters that can follow / precede each lookalike in some spelling: most
        # lookalike characters in a text are ordinary words, and one set lookup tells.
        after: dict[str, set[str]] = defaultdict(set)
        before: dict[str, set[str]] = defaultdict(set)
        for spelled, term in self.variants.items():
            for i, (a, b) in enumerate(zip(spelled, term, strict=True)):
                if a != b:
                    where[a].add((i, len(spelled)))
                    if i + 1 < len(spelled):
                        after[a].add(spelled[i + 1])
                    if i > 0:
                        before[a].add(spelled[i - 1])
        self._where = {ch: tuple(sorted(v)) for ch, v in where.items()}
        self._after = {ch: frozenset(v) for ch, v in after.items()}
        self._before = {ch: frozenset(v) for ch, v in before.items()}
        self._look = re.compile(_char_class("".join(where))) if where else None

    def __getstate__(self) -> dict[str, Any]:
        return {"version": self.version, "t2s": self.t2s, "variants": self.variants,
                "block_left": self.block_left, "block_right": self.block_right}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._compile()

    def __call__(self, text: str) -> str:
        """`text` folded; the same length as `text`, character for character."""
        if text.isascii():
            return text
        if self._trad is not None and self._trad.search(text) is not None:
            text = text.translate(self._table)
        if self._look is None or self._look.search(text) is None:
            return text
        return self._fold_lookalikes(text)

    def _fold_lookalikes(self, text: str) -> str:
        pieces: list[str] = []
        done = 0  # text[:done] is settled
        size = len(text)
        empty: frozenset[str] = frozenset()
        for m in self._look.finditer(text):  # type: ignore[union-attr]
            p = m.start()
            ch = m.group()
            if p < done or not (
                (p + 1 < size and text[p + 1] in self._after.get(ch, empty))
                or (p > 0 and text[p - 1] in self._before.get(ch, empty))
            ):
                continue
            for i, length in self._where[ch]:
                start = p - i
                if start < done or start + length > size:
                    continue
                term = self.variants.get(text[start:start + length])
                if term is None or self._blocked(text, start, start + length):
                    continue
                pieces.append(text[done:start])
                pieces.append(term)
                done = start + length
                break
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    def _blocked(self, text: str, start: int, end: int) -> bool:
        """The spelling straddles a word boundary: its first or last character forms a common
        word with the character outside it (携手共进 holds 手共, but 携手 is a word)."""
        if start > 0 and text[start - 1] in self.block_left.get(text[start], ""):
            return True
        return end < len(text) and text[end] in self.block_right.get(text[end - 1], "")


@cache
def load_zh_fold() -> ZhFold:
    """The current tables, read once per process on first use."""
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    return ZhFold(version=int(data["version"]), t2s=data["t2s"], variants=data["variants"],
                  block_left=data.get("block_left", {}), block_right=data.get("block_right", {}))


def fold_zh(text: str) -> str:
    """`text` with traditional characters and lookalike key terms folded (same length)."""
    return load_zh_fold()(text)
