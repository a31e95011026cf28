"""Writes `claim_words.py`, what spreading knows of Chinese words, from jieba's dictionary:
`python -m detector.flags.claim_table` after changing a rule (a test checks the table is
current). Only this generator loads jieba; scoring reads the table."""

from __future__ import annotations

import re
from pathlib import Path

from detector.flags.claims import Lexicon, RecordingLexicon, pieces, spread

TABLE = Path(__file__).with_name("claim_words.py")


#: Three-character words guard a window only from this dictionary frequency on (the rare
#: ones would only swell the table).
MIN_FREQ_3 = 20
#: Chinese numerals, left out of FOLLOW and PRECEDE.
NUMERALS = frozenset("一二两三四五六七八九十百千万几半")


def _jieba():  # type: ignore[no-untyped-def]
    import logging

    try:
        import jieba_fast as jieba
    except ImportError:  # jieba_fast is jieba in C; it segments the same
        import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def jieba_lexicon() -> Lexicon:
    """The lexicon straight from jieba (loads its dictionary: seconds)."""
    jieba = _jieba()
    follow: dict[str, set[str]] = {}
    precede: dict[str, set[str]] = {}
    for word, freq in jieba.dt.FREQ.items():
        # A numeral opens a quantity (每单|一笔|佣金, 刷|一|单): it never blocks a window.
        if not freq or NUMERALS.intersection(word):
            continue
        if len(word) == 2 or (len(word) == 3 and freq >= MIN_FREQ_3):
            follow.setdefault(word[0], set()).add(word[1:])
            precede.setdefault(word[-1], set()).add(word[:-1])

    def cuts(text: str) -> tuple[int, ...]:
        return tuple(start for _w, start, _e in jieba.tokenize(text, HMM=False) if start)

    def joined(table: dict[str, set[str]], c: str, size: int) -> str:
        return "".join(sorted(w for w in table.get(c, ()) if len(w) == size))

    return Lexicon(cuts, lambda c: joined(follow, c, 1), lambda c: joined(precede, c, 1),
                   lambda c: joined(follow, c, 2), lambda c: joined(precede, c, 2))


def spread_rules() -> list[tuple[tuple[str, ...], tuple[str, ...], int]]:
    """(patterns, keywords, min_part) of every spread rule of the catalogue."""
    from detector.flags.catalogue import CATALOGUE

    return [(rule.patterns, rule.keywords, rule.min_part)
            for flag in CATALOGUE for rule in flag.rules if rule.spread]


def current() -> tuple[dict[str, tuple[int, ...]], dict[str, str], dict[str, str],
                       dict[str, str], dict[str, str]]:
    """The tables as the catalogue's spread rules need them now (loads jieba)."""
    source = jieba_lexicon()
    recorder = RecordingLexicon(source)
    lexicon = recorder.lexicon()
    for patterns, keywords, min_part in spread_rules():
        for pattern in patterns:
            spread(pattern, min_part, lexicon)
        for word in keywords:
            pieces(word, min_part, lexicon)
    cuts = {t: c for t in sorted(recorder.cut) if (c := source.cuts(t))}
    follow = {c: f for c in sorted(recorder.followed) if (f := source.follow(c))}
    precede = {c: p for c in sorted(recorder.preceded) if (p := source.precede(c))}
    follow2 = {c: f for c in sorted(recorder.followed) if (f := source.follow2(c))}
    precede2 = {c: p for c in sorted(recorder.preceded) if (p := source.precede2(c))}
    return cuts, follow, precede, follow2, precede2


def _width(text: str) -> int:
    """Columns `text` takes (a wide character takes two), as the line-length check counts."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _block(name: str, kind: str, table: dict) -> str:  # type: ignore[type-arg]
    """`name: kind = {...}` with one entry a line, long strings cut over several lines."""
    lines = [f"{name}: {kind} = {{"]
    for key, value in sorted(table.items()):
        line = f"    {key!r}: {value!r},"
        if _width(line) <= 100 or not isinstance(value, str):
            lines.append(line)
            continue
        lines.append(f"    {key!r}: (")
        chunk = ""
        for ch in value:
            if _width(repr(chunk + ch)) > 90:
                lines.append(f"        {chunk!r}")
                chunk = ""
            chunk += ch
        lines += [f"        {chunk!r}", "    ),"]
    return "\n".join(lines) + "\n}\n"


def render() -> str:
    """`claim_words.py` as it should be."""
    cuts, follow, precede, follow2, precede2 = current()
    body = (_block("CUTS", "dict[str, tuple[int, ...]]", cuts)
            + _block("FOLLOW", "dict[str, str]", follow)
            + _block("PRECEDE", "dict[str, str]", precede)
            + _block("FOLLOW2", "dict[str, str]", follow2)
            + _block("PRECEDE2", "dict[str, str]", precede2))
    source = TABLE.read_text(encoding="utf-8")
    return re.sub(r"(# fmt: off\n).*?(# fmt: on\n)", lambda m: m.group(1) + body + m.group(2),
                  source, count=1, flags=re.S)


def main() -> None:
    TABLE.write_text(render(), encoding="utf-8")
    print(f"{TABLE}: rewritten")


if __name__ == "__main__":
    main()
