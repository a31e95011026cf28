"""Robustness copies of Chinese scam texts, made independently of the shipped folding.

Scammers write 單 for 单 and swap in lookalike or same-sounding characters to dodge filters.
The detector folds those back (`detector.textnorm`), and the rule QA checks that it works by
scanning copies of the real scam texts that the folding was *not* built from:

- traditional script through OpenCC configurations other than the one the folding uses:
  `s2tw` (Taiwan characters), `s2hk` (Hong Kong characters), `s2twp` (Taiwan with phrases);
- lookalikes from the *held-out* half of the hand list of observed substitutions
  (`detector.textnorm.lookalikes.held_out_substitutions()`), which the shipped folding does
  not use. Building copies from the half the folding knows would make the check circular.
  As scammers do, the substitutions go into the key terms (刷单, 简历, 日结 ...: the folding's
  `KEY_TERMS`), not into every ordinary word: 日 written 曰 inside 日结 is a lure, 曰期 for
  日期 is not something anyone sends.

Recall on the copies should stay close to the originals.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import cache

TRADITIONAL_CONFIGS: tuple[str, ...] = ("s2tw", "s2hk", "s2twp")
LOOKALIKES = "lookalikes"

#: A copy maker: texts in, copies out (same order).
Maker = Callable[[Sequence[str]], list[str]]


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def traditional(config: str) -> Maker:
    def convert(texts: Sequence[str]) -> list[str]:
        converter = _opencc(config)
        return [converter.convert(t) for t in texts]

    return convert


def with_lookalikes(text: str, table: Mapping[str, Sequence[str]],
                    terms: re.Pattern[str] | None = None) -> str:
    """Every character of `text` that `table` knows, replaced by one of its lookalikes (the
    choice is a hash of the text and the position, so a copy is the same on every run); with
    `terms`, only characters inside a match of `terms` are replaced."""
    if not table:
        return text
    salt = zlib.crc32(text.encode("utf-8"))
    inside = None
    if terms is not None:
        inside = bytearray(len(text))
        for m in terms.finditer(text):
            inside[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out = []
    for i, ch in enumerate(text):
        options = table.get(ch)
        if options and (inside is None or inside[i]):
            out.append(options[(salt + i) % len(options)])
        else:
            out.append(ch)
    return "".join(out)


def key_terms() -> re.Pattern[str] | None:
    """The folding's key terms as one regex (longest first), or None without them."""
    try:
        from detector.textnorm.lookalikes import KEY_TERMS
    except ImportError:
        return None
    terms = sorted(set(KEY_TERMS), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms))) if terms else None


def lookalike_table() -> dict[str, list[str]] | str:
    """The held-out substitution table, or why it is unavailable."""
    try:
        from detector.textnorm.lookalikes import held_out_substitutions
    except ImportError:
        return ("needs detector.textnorm.lookalikes.held_out_substitutions() (the held-out half "
                "of the lookalike table), which this build does not have")
    table = {k: list(v) for k, v in held_out_substitutions().items() if v}
    return table or "the held-out lookalike table is empty"


def copy_makers() -> dict[str, Maker | str]:
    """Variant name -> copy maker, or the reason that copy cannot be made."""
    makers: dict[str, Maker | str] = {}
    try:
        import opencc  # noqa: F401
    except ImportError:
        reason = "needs the `opencc` package (pip install opencc)"
        makers.update({config: reason for config in TRADITIONAL_CONFIGS})
    else:
        makers.update({config: traditional(config) for config in TRADITIONAL_CONFIGS})
    table = lookalike_table()
    if isinstance(table, str):
        makers[LOOKALIKES] = table
    else:
        terms = key_terms()
        makers[LOOKALIKES] = lambda texts: [with_lookalikes(t, table, terms) for t in texts]
    return makers
