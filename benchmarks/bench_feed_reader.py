"""Rows/s of the feed readers alone (no scoring): CSV, JSONL and Parquet, on a feed of
resampled real postings from labeled_posts (the same feed `bench_scan.py` builds).

    .venv/bin/python benchmarks/bench_feed_reader.py            # 20k rows, best of 3
    .venv/bin/python benchmarks/bench_feed_reader.py --rows 100000 --repeat 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_scan import make_feed  # noqa: E402
from detector.feeds.readers import check_feed, read_feed  # noqa: E402


def time_reader(path: Path, chunk_size: int) -> tuple[int, float]:
    started = time.perf_counter()
    check_feed(path)
    rows = sum(len(chunk) for chunk in read_feed(path, chunk_size))
    return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--formats", default="csv,jsonl,parquet")
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "feed.csv"
        make_feed(csv_path, args.rows)
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        paths = {"csv": csv_path}
        if "jsonl" in args.formats:
            paths["jsonl"] = Path(tmp) / "feed.jsonl"
            frame.to_json(paths["jsonl"], orient="records", lines=True, force_ascii=False)
        if "parquet" in args.formats:
            paths["parquet"] = Path(tmp) / "feed.parquet"
            frame.to_parquet(paths["parquet"], index=False)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"feed: {args.rows:,} resampled real postings, CSV {size_mb:.1f} MB")
        for fmt in args.formats.split(","):
            best = min(time_reader(paths[fmt], args.chunk_size)[1] for _ in range(args.repeat))
            rows, _ = time_reader(paths[fmt], args.chunk_size)
            print(f"{fmt:8s} {rows:,} rows  best {best:.2f}s  {rows / best:,.0f} rows/s")


if __name__ == "__main__":
    main()
