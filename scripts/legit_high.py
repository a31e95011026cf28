"""Legit postings rated high, per site, in two verdict snapshots (`verdict_snapshot.py`):
how many were high before and after, and how many are newly high (all rows, and the test
split alone). Issue 26's floor on the real legit corpora is read from this table.

    .venv/bin/python scripts/legit_high.py BEFORE.jsonl.gz AFTER.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path

from detector.corpus.build import load_corpus
from detector.settings import Settings


def load(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    corpus = load_corpus(Settings.from_env().data_dir).set_index("id")
    before, after = load(args.before), load(args.after)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for ident in before.keys() & after.keys():
        row = corpus.loc[ident]
        if row["label"] != 0:
            continue
        site = row["platform"] if row["source"] == "boss_liepin" else row["source"]
        was, now = before[ident]["risk"] == "high", after[ident]["risk"] == "high"
        for key in (site, "pooled"):
            c = counts[key]
            c[0] += 1
            c[1] += was
            c[2] += now
            c[3] += now and not was
            c[4] += now and not was and row["split"] == "test"
    print("| site | legit rows | high before | high after | newly high | newly high, test split |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, (n, was, now, new, new_test) in sorted(counts.items(),
                                                    key=lambda kv: kv[0] == "pooled"):
        print(f"| {key} | {n:,} | {was} ({was / n:.2%}) | {now} ({now / n:.2%}) | {new} | "
              f"{new_test} |")


if __name__ == "__main__":
    main()
