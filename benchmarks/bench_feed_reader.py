"""Rows/s of the feed readers alone (no scoring): CSV, JSONL, Parquet and XLSX, on a feed of
resampled real postings from labeled_posts (the same feed `bench_scan.py` builds).

    .venv/bin/python benchmarks/bench_feed_reader.py            # 20k rows, best of 3
    .venv/bin/python benchmarks/bench_feed_reader.py --rows 100000 --repeat 1
    # peak memory of each reader in a fresh process (no timing): flat whatever the rows
    .venv/bin/python benchmarks/bench_feed_reader.py --memory --formats csv,xlsx --rows 20000
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


MEMORY_SCRIPT = """
import sys
from pathlib import Path
from detector.feeds.readers import check_feed, read_feed

def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) // 1024
path = Path(sys.argv[1])
check_feed(path)
base = status('VmRSS')
with open('/proc/self/clear_refs', 'w') as handle:  # restart the high-water mark here
    handle.write('5')
rows = sum(len(chunk) for chunk in read_feed(path, int(sys.argv[2])))
print(rows, base, status('VmHWM'))
"""


def reader_memory(path: Path, chunk_size: int) -> tuple[int, int, int]:
    """(rows, RSS MB after imports and inspection, peak RSS MB while reading) of reading
    `path` in a fresh process (Linux: /proc/self/status, high-water mark reset before)."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(path), str(chunk_size)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def write_xlsx(frame: object, path: Path) -> None:
    """The feed as an Excel workbook (openpyxl's streaming writer, as the scan's)."""
    import openpyxl

    from detector.feeds.xlsx import _ILLEGAL

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("feed")
    sheet.append(list(frame.columns))  # type: ignore[attr-defined]
    for row in frame.itertuples(index=False):  # type: ignore[attr-defined]
        # Excel cannot hold control characters (a few real postings have them).
        sheet.append([_ILLEGAL.sub(" ", value) if value != "" else None for value in row])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--formats", default="csv,jsonl,parquet")
    parser.add_argument("--memory", action="store_true",
                        help="peak RSS of each reader in a fresh process instead of rows/s")
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
        if "xlsx" in args.formats:
            paths["xlsx"] = Path(tmp) / "feed.xlsx"
            write_xlsx(frame, paths["xlsx"])
        size_mb = csv_path.stat().st_size / 1e6
        print(f"feed: {args.rows:,} resampled real postings, CSV {size_mb:.1f} MB")
        if args.memory:
            for fmt in args.formats.split(","):
                rows, base, peak = reader_memory(paths[fmt], args.chunk_size)
                size = paths[fmt].stat().st_size / 1e6
                print(f"{fmt:8s} {rows:,} rows  file {size:.1f} MB  RSS after imports "
                      f"{base} MB, peak while reading {peak} MB (+{peak - base} MB)")
            return
        for fmt in args.formats.split(","):
            best = min(time_reader(paths[fmt], args.chunk_size)[1] for _ in range(args.repeat))
            rows, _ = time_reader(paths[fmt], args.chunk_size)
            print(f"{fmt:8s} {rows:,} rows  best {best:.2f}s  {rows / best:,.0f} rows/s")


if __name__ == "__main__":
    main()
