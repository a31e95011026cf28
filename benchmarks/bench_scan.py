"""Benchmark `detector scan` file to file, against a plain TF-IDF + LogisticRegression baseline.

The feed is *resampled real postings*: rows drawn with replacement from labeled_posts (mixed
en/zh, schema columns + a unique id; labels dropped), so throughput reflects real text.
Every scan runs as a subprocess; peak RSS is sampled (psutil, every 0.5 s) over the whole
process tree (scan process + its workers): `rss_sum` = tree total, `rss_max` = largest one.

    .venv/bin/python benchmarks/bench_scan.py                  # 20k rows, jobs 1 and 2, dask
    .venv/bin/python benchmarks/bench_scan.py --rows 1000000 --jobs 2 --no-dask --no-baseline
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "labeled_posts" / "posts.csv.gz"
FLOOR_RATE, FLOOR_RSS_MB = 2000, 1024


def feed_columns() -> list[str]:
    from detector.schema import ALL_FIELDS

    return list(ALL_FIELDS)


def make_feed(path: Path, rows: int, seed: int = 0) -> None:
    """Resample the corpus (with replacement) into a feed of `rows`, written in batches."""
    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)[feed_columns()]
    batch = 20_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        for n, start in enumerate(range(0, rows, batch)):
            size = min(batch, rows - start)
            part = corpus.sample(size, replace=True, random_state=seed + n).copy()
            part["id"] = [f"{i}#{start + k}" for k, i in enumerate(part["id"])]
            part.to_csv(handle, index=False, header=n == 0)


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd`; wall time and peak RSS (tree sum and largest process), sampled at 2 Hz."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"sum": 0, "max": 0}

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                procs = [root, *root.children(recursive=True)]
                rss = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss.append(p.memory_info().rss)
                peak["sum"] = max(peak["sum"], sum(rss))
                peak["max"] = max(peak["max"], max(rss, default=0))
            except psutil.Error:
                pass
            time.sleep(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    thread.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return {"wall_s": time.perf_counter() - started, "rss_sum_mb": peak["sum"] / 2**20,
            "rss_max_mb": peak["max"] / 2**20, "stdout": out}


def bench_scan(feed: Path, rows: int, jobs: int, engine: str, work: Path) -> dict[str, Any]:
    out = work / f"out-{engine}-{jobs}.jsonl"
    summary = work / f"summary-{engine}-{jobs}.json"
    cmd = [sys.executable, "-m", "detector.scan", str(feed), "-o", str(out), "--jobs",
           str(jobs), "--engine", engine, "-q", "--summary-json", str(summary)]
    result = run_measured(cmd)
    data = json.loads(summary.read_text())
    out.unlink()
    return {"name": f"scan {engine} jobs={jobs}", "rows": rows,
            "rate": rows / result["wall_s"], "scan_rate": data["rows_per_s"], **result}


def bench_baseline(feed: Path, rows: int, work: Path) -> dict[str, Any]:
    out = work / "baseline.csv"
    result = run_measured([sys.executable, __file__, "--baseline-worker", str(feed), str(out)])
    inner = json.loads(result["stdout"].strip().splitlines()[-1])
    out.unlink()
    return {"name": "baseline tfidf+LR (1 proc)", "rows": rows, "rate": inner["rate"],
            "scan_rate": inner["rate"], "train_s": inner["train_s"], **result}


def baseline_worker(feed: Path, out: Path) -> None:
    """Train word TF-IDF + LR on the core train split, then score `feed` file to file."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from detector.schema import TEXT_FIELDS

    def texts(frame: pd.DataFrame) -> pd.Series:
        cols = [c for c in TEXT_FIELDS if c in frame.columns]
        return frame[cols].fillna("").astype(str).agg("\n".join, axis=1)

    started = time.perf_counter()
    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    train = corpus[(corpus["role"] == "core") & (corpus["split"] == "train")]
    model = make_pipeline(TfidfVectorizer(max_features=200_000, sublinear_tf=True),
                          LogisticRegression(max_iter=1000))
    model.fit(texts(train), train["label"].astype(int))
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    rows = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write("id,fraud_probability\n")
        for chunk in pd.read_csv(feed, dtype=object, keep_default_na=False, chunksize=2000):
            probs = model.predict_proba(texts(chunk))[:, 1]
            for pid, prob in zip(chunk["id"], probs, strict=True):
                handle.write(f"{pid},{prob:.4f}\n")
            rows += len(chunk)
    elapsed = time.perf_counter() - started
    print(json.dumps({"rate": rows / elapsed, "train_s": train_s}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--work-dir", type=Path, help="keep feeds here (default: a temp dir)")
    parser.add_argument("--baseline-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        baseline_worker(*args.baseline_worker)
        return 0
    tmp = tempfile.TemporaryDirectory(prefix="bench_scan_")
    work = args.work_dir or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    print(f"feeds: resampled real postings from {CORPUS.relative_to(ROOT)} (mixed en/zh); "
          f"cores: {os.cpu_count()}")
    results = []
    for rows in args.rows:
        feed = work / f"feed-{rows}.csv"
        if not feed.exists():
            started = time.perf_counter()
            make_feed(feed, rows)
            print(f"generated {feed.name}: {rows:,} rows, {feed.stat().st_size / 2**20:,.0f} MB "
                  f"in {time.perf_counter() - started:.0f}s")
        runs = [bench_scan(feed, rows, jobs, "local", work) for jobs in args.jobs]
        if not args.no_dask:
            runs.append(bench_scan(feed, rows, max(args.jobs), "dask", work))
        if not args.no_baseline:
            runs.append(bench_baseline(feed, rows, work))
        for run in runs:
            print(f"{rows:>9,} rows  {run['name']:<28} {run['rate']:8,.0f} postings/s end-to-end"
                  f"  ({run['scan_rate']:,.0f}/s in-scan)  wall {run['wall_s']:7.1f}s  "
                  f"peak RSS tree {run['rss_sum_mb']:6.0f} MB  largest proc "
                  f"{run['rss_max_mb']:5.0f} MB")
        by_name = {r["name"]: r for r in runs}
        local = by_name.get(f"scan local jobs={max(args.jobs)}")
        if local and f"scan dask jobs={max(args.jobs)}" in by_name:
            dask = by_name[f"scan dask jobs={max(args.jobs)}"]
            print(f"  dask overhead vs local (jobs={max(args.jobs)}): "
                  f"{dask['wall_s'] / local['wall_s']:.2f}x wall time "
                  f"(+{dask['wall_s'] - local['wall_s']:.1f}s)")
        if local and "baseline tfidf+LR (1 proc)" in by_name:
            base = by_name["baseline tfidf+LR (1 proc)"]
            print(f"  baseline is {base['rate'] / local['rate']:.1f}x the detector's "
                  f"end-to-end rate (baseline trained in {base['train_s']:.0f}s, not timed)")
        if local:
            ok_rate = local["rate"] >= FLOOR_RATE
            ok_rss = max(r["rss_sum_mb"] for r in runs) <= FLOOR_RSS_MB
            print(f"  floors: >= {FLOOR_RATE}/s with jobs={max(args.jobs)}: "
                  f"{'PASS' if ok_rate else 'FAIL'}; peak RSS <= {FLOOR_RSS_MB} MB: "
                  f"{'PASS' if ok_rss else 'FAIL'}")
        results.append({"rows": rows, "runs": [{k: v for k, v in r.items() if k != "stdout"}
                                                for r in runs]})
    if len(results) > 1:
        first, last = results[0]["runs"][0], results[-1]["runs"][0]
        growth = last["rss_sum_mb"] / first["rss_sum_mb"] - 1
        print(f"RSS {results[-1]['rows']:,} vs {results[0]['rows']:,} rows "
              f"({first['name']}): {growth:+.0%} ({'PASS' if growth <= 0.2 else 'FAIL'} "
              "<= +20%)")
    (work / "bench_results.json").write_text(json.dumps(results, indent=2))
    tmp.cleanup() if args.work_dir is None else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
