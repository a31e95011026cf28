"""Every verdict on the whole labelled corpus, written down so two versions of the code can be
compared: a refactor that claims "verdicts unchanged" proves it with this.

    python scripts/verdict_snapshot.py OUT.jsonl.gz            # score and write (explain on)
    python scripts/verdict_snapshot.py --compare A.jsonl.gz B.jsonl.gz

Each line: the posting's id and split, `fraud_probability` (4 decimals), risk, the flags with
their severity and evidence spans, and the model evidence spans with weights (4 decimals).
`--compare` prints how many rows differ in each part (probability, flags, flag evidence, model
evidence), the first few differences, and exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path


def snapshot(out: Path, limit: int | None) -> None:
    from detector.core import get_detector
    from detector.corpus.build import load_corpus
    from detector.model.fitting import to_postings
    from detector.settings import DEFAULT_DATA_DIR

    corpus = load_corpus(DEFAULT_DATA_DIR)
    if limit:
        corpus = corpus.iloc[:limit]
    postings = to_postings(corpus)
    splits = corpus["split"].tolist()
    detector = get_detector()
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for start in range(0, len(postings), 1000):
            batch = postings[start:start + 1000]
            verdicts = detector.score_many(batch, explain=True)
            for k, verdict in enumerate(verdicts):
                row = {
                    "id": verdict.id,
                    "split": splits[start + k],
                    "p": round(verdict.fraud_probability, 4),
                    "risk": verdict.risk,
                    "flags": [[h.id, h.severity] for h in verdict.flags],
                    "flag_evidence": [[h.id, e.field, e.start, e.end] for h in verdict.flags
                                      for e in h.evidence],
                    "model_evidence": [[t.field, t.start, t.end, round(t.weight, 4)]
                                       for t in verdict.model_evidence],
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{start + len(batch)}/{len(postings)}", file=sys.stderr, flush=True)


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def compare(a: Path, b: Path) -> int:
    rows_a, rows_b = _read(a), _read(b)
    if len(rows_a) != len(rows_b):
        print(f"row counts differ: {len(rows_a)} vs {len(rows_b)}")
        return 1
    parts = ("p", "risk", "flags", "flag_evidence", "model_evidence")
    differ = {part: 0 for part in parts}
    shown = 0
    for x, y in zip(rows_a, rows_b, strict=True):
        for part in parts:
            if x[part] != y[part]:
                differ[part] += 1
                if shown < 10:
                    shown += 1
                    print(f"{x['id']} [{x['split']}] {part}: {x[part]} -> {y[part]}")
    test = sum(r["split"] == "test" for r in rows_a)
    print(f"rows {len(rows_a)} (test split {test}); rows differing per part: "
          + ", ".join(f"{k} {v}" for k, v in differ.items()))
    return 1 if any(differ.values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.paths)
    snapshot(args.paths[0], args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
