"""Benchmark red-flag detection alone: milliseconds per posting on real labelled postings.

Draws `--rows` postings from labeled_posts (fixed seed, mixed en/zh, as they come), parses
them once, warms the engine up (regex compilation, normalisation tables), then times
`detect_flags` over all of them `--repeat` times and prints the best and median run, as wall
time and as process CPU time (the steadier figure when other jobs share the CPUs).

    .venv/bin/python benchmarks/bench_flags.py               # 2000 rows, 5 repeats
    .venv/bin/python benchmarks/bench_flags.py --rows 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "labeled_posts" / "posts.csv.gz"


def _clear_caches() -> None:
    """Forget the short-field caches (normalisation, keyword hits) between passes, so that a
    pass over the same rows does not reuse the previous pass's work."""
    from detector.flags import context, engine

    cached = getattr(context, "_normalize_short", None)
    if cached is not None:
        cached.cache_clear()
    getattr(engine, "_SHORT_HITS", {}).clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="postings to draw")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the rows")
    parser.add_argument("--seed", type=int, default=11, help="sampling seed")
    args = parser.parse_args()

    from detector.flags import detect_flags
    from detector.schema import ALL_FIELDS, InvalidPosting, parse_posting

    frame = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    sample = frame.sample(min(args.rows, len(frame)), random_state=args.seed)
    postings = []
    for record in sample[[c for c in ALL_FIELDS if c in sample.columns]].to_dict("records"):
        try:
            postings.append(parse_posting({k: v for k, v in record.items() if v.strip()}))
        except InvalidPosting:
            continue
    for posting in postings[:50]:  # warm-up: compile regexes, build tables
        detect_flags(posting)
    runs, cpu = [], []
    for _ in range(args.repeat):
        _clear_caches()  # each pass starts cold, as a new feed would
        start, start_cpu = time.perf_counter(), time.process_time()
        for posting in postings:
            detect_flags(posting)
        runs.append((time.perf_counter() - start) / len(postings) * 1000)
        cpu.append((time.process_time() - start_cpu) / len(postings) * 1000)
    zh = int((sample["language"] == "zh").sum())
    print(f"postings: {len(postings)} ({zh} zh, {len(sample) - zh} en), seed {args.seed}")
    print(f"flag detection ms/posting: best {min(runs):.3f}, median {statistics.median(runs):.3f}"
          f" over {args.repeat} runs (wall); CPU best {min(cpu):.3f}, median "
          f"{statistics.median(cpu):.3f} (process time: steadier on a shared machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
