"""English words and how common they are, for reading disguised text.

A disguise breaks a word into pieces (`r.e.g.i.s.t.r.a.t.i.o.n`, `regis💰tration`) or swaps
its letters for digits (`r3gistr4tion`) or lookalikes (`уоυ`). The reading puts a word back
together only where the result is a real word: one of the red flags' `LEXICON`, or a word of
this vocabulary, counted in the English postings and messages of the labelled corpus's train
and valid splits (labels are not used; the test split is not read). A run of spaced-out
letters is split into its most likely words (`splitwords`: the fewest, commonest words).

    python -m detector.textnorm.vocabulary          # rewrite vocab_en.txt
    python -m detector.textnorm.vocabulary --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

OUT = Path(__file__).with_name("vocab_en.txt")
CORPUS = Path(__file__).resolve().parents[2] / "labeled_posts" / "posts.csv.gz"
#: A word must occur this often to count (typos and names are rarer).
MIN_COUNT = 3
#: Longest word looked for when splitting a run of letters.
MAX_WORD = 20
_WORD = re.compile(r"[a-z]{2,20}")
_TEXT_COLUMNS = ("title", "company_profile", "description", "requirements", "benefits", "text")


def count_words(corpus: Path = CORPUS) -> Counter[str]:
    import pandas as pd

    frame = pd.read_csv(corpus, dtype=str, usecols=["language", "split", *_TEXT_COLUMNS])
    frame = frame[(frame["language"] == "en") & frame["split"].isin(["train", "valid"])]
    counts: Counter[str] = Counter()
    for column in _TEXT_COLUMNS:
        for text in frame[column].dropna():
            counts.update(_WORD.findall(text.lower()))
    return counts


def render(counts: Counter[str]) -> str:
    kept = sorted(((w, n) for w, n in counts.items() if n >= MIN_COUNT),
                  key=lambda item: (-item[1], item[0]))
    header = (f"# English words of the labelled corpus (train + valid), at least {MIN_COUNT} "
              "times; built by `python -m detector.textnorm.vocabulary`\n")
    return header + "".join(f"{w} {n}\n" for w, n in kept)


@cache
def vocabulary() -> dict[str, float]:
    """Word -> its cost when splitting (minus log of its share); read once, lazily."""
    counts: dict[str, int] = {}
    with OUT.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            word, count = line.split()
            counts[word] = int(count)
    total = sum(counts.values())
    return {w: math.log(total / n) for w, n in counts.items()}


def is_word(token: str) -> bool:
    return token in vocabulary()


#: The cost of a letter that is no word (the stray `c` of `c w❤e❤c❤h❤a❤t`): dearer than
#: any word, so it is only used where no split into words exists.
STRAY_LETTER_COST = 18.0
#: The cost of a word of `extra` (the red flags' lexicon): about a common word's.
EXTRA_COST = 6.0


def splitwords(letters: str, extra: frozenset[str] = frozenset()) -> list[str] | None:
    """`letters` as the cheapest sequence of vocabulary words (each of two letters or more,
    or the words `a`/`i`) and words of `extra`, or None when no such split exists."""
    costs = vocabulary()
    n = len(letters)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_WORD), end):
            piece = letters[start:end]
            cost = costs.get(piece)
            if piece in extra:
                cost = min(cost or EXTRA_COST, EXTRA_COST)
            if cost is None:
                if len(piece) != 1:
                    continue
                cost = 12.0 if piece in ("a", "i") else STRAY_LETTER_COST
            total = best[start][0] + cost
            if total < best[end][0]:
                best[end] = (total, start)
    if best[n][0] == math.inf:
        return None
    words: list[str] = []
    end = n
    while end > 0:
        start = best[end][1]
        words.append(letters[start:end])
        end = start
    return words[::-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render(count_words())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: run python -m detector.textnorm.vocabulary", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1:,} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
