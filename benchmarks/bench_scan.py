"""Benchmark `detector scan` file to file, beside a plain TF-IDF + LR scorer of the same feed.

    .venv/bin/python benchmarks/bench_scan.py                       # 20k rows, jobs 2, 1 round
    .venv/bin/python benchmarks/bench_scan.py --rounds 3            # scan/plain in turns, x3
    .venv/bin/python benchmarks/bench_scan.py --code before=/tmp/old --code after=.  # A B A B

Built not to flatter (issue 28):

- **The feed** is real postings, every text distinct: 75% English from EMSCAD with its yes/no
  columns (`telecommuting` and `has_company_logo` written `1.0`/`0.0`, as pandas writes a
  column with gaps; `has_questions` `1`/`0`), 25% Chinese from 58.com (no yes/no cells).
  The corpus holds fewer distinct EMSCAD texts than a 20k feed needs, so a posting used
  again gets its own reference line at the end of its description ("Reference:
  BENCH-0012345"): no text is repeated, which a cache of verdicts or of readings cannot
  serve. The script prints the unique share and how many rows are such reuses.
- **Every row is checked**: the output must hold each input id exactly once, each with a
  probability and no error, and the summary no rejected row and no yes/no cell left out;
  otherwise the script says which and exits 1. A rate is only ever of rows actually scored.
- **Memory** is the process tree's PSS (pages shared between the scan and its workers
  counted once, split between them), with USS and the RSS sum beside it, sampled every
  0.25 s (psutil `memory_full_info`, which reads /proc/PID/smaps_rollup); the peak of each
  sum, and each process's share at the moment of the PSS peak.
- **The plain scorer** (pinned below: word TF-IDF + LogisticRegression trained on the core
  train split, then transform + predict in one process, reading the same feed file in
  chunks and writing a CSV) runs in the same sitting, in turns with the scan, and the ratio
  scan / plain is printed per round. Its rate excludes its training; the scan's rate is
  end to end (process start, model load, reading, scoring, writing, assembling).

Rates depend on what else the machine runs: compare within one run (`--rounds`, `--code`),
never across runs. `--code NAME=DIR` scans with the package in DIR (a checkout of another
commit, e.g. `git archive COMMIT | tar -x -C DIR`), in turns with the others.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import statistics
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
if not os.environ.get("BENCH_CODE"):  # bench_stages.py --code: that checkout's package
    sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "labeled_posts" / "posts.csv.gz"
FLOOR_RATE, FLOOR_PSS_MIB, FLOOR_RATIO = 2000, 954, 0.7
EN_SHARE = 0.75
#: Yes/no columns and how each is written (pandas writes a float column with gaps as 1.0/0.0).
YES_NO_STYLE = {"telecommuting": ("1.0", "0.0"), "has_company_logo": ("1.0", "0.0"),
                "has_questions": ("1", "0")}
SAMPLE_EVERY = 0.25


def feed_columns() -> list[str]:
    from detector.schema import ALL_FIELDS

    return list(ALL_FIELDS)


def _distinct(frame: pd.DataFrame) -> pd.DataFrame:
    from detector.schema import TEXT_FIELDS

    text = frame[list(TEXT_FIELDS)].agg("\n".join, axis=1)
    return frame.loc[~text.duplicated()]


def make_feed(path: Path, rows: int, seed: int = 0) -> dict[str, int]:
    """Write the feed (see module docstring); returns counts for the caption."""
    from detector.schema import TEXT_FIELDS

    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    pools = {"en": _distinct(corpus[corpus["source"] == "emscad"]),
             "zh": _distinct(corpus[corpus["source"] == "orfd_58"])}
    want = {"en": round(rows * EN_SHARE)}
    want["zh"] = rows - want["en"]
    picked = []
    for lang, pool in pools.items():
        pool = pool.sample(frac=1.0, random_state=seed)
        reps = -(-want[lang] // len(pool))
        part = pd.concat([pool] * reps).iloc[:want[lang]].copy()
        part["_use"] = [k // len(pool) for k in range(len(part))]
        part["_lang"] = lang
        picked.append(part)
    feed = pd.concat(picked).sample(frac=1.0, random_state=seed + 1).reset_index(drop=True)
    columns = feed_columns()
    seen: set[str] = set()
    reused = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i, record in enumerate(feed.to_dict("records")):
            record["id"] = f"bench-{i:07d}"
            if record["_use"]:
                reused += 1
                where = "description" if record["description"] else "text"
                record[where] = (record[where] + f"\n\nReference: BENCH-{i:07d}").lstrip()
            for name, (yes, no) in YES_NO_STYLE.items():
                value = record.get(name, "")
                if record["_lang"] == "zh" or value == "":
                    record[name] = ""
                else:
                    record[name] = yes if value.lower() in ("true", "1", "1.0") else no
            seen.add("\n".join(record[name] for name in TEXT_FIELDS))
            writer.writerow([record.get(name, "") for name in columns])
    return {"rows": rows, "distinct": len(seen), "reused": reused,
            "en": want["en"], "zh": want["zh"], "en_pool": len(pools["en"]),
            "zh_pool": len(pools["zh"])}


def feed_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


class TreeSampler:
    """Peak RSS, PSS and USS sums of a process tree, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = {"rss": 0, "pss": 0, "uss": 0}
        self.at_peak: list[dict[str, Any]] = []
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            seen = []
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    seen.append({"pid": proc.pid, "role": "scan" if proc.pid == self.pid
                                 else " ".join(proc.cmdline()[1:3])[:40],
                                 "rss": info.rss, "pss": info.pss, "uss": info.uss,
                                 "shared": info.shared})
            if seen:
                self.samples += 1
                sums = {k: sum(p[k] for p in seen) for k in ("rss", "pss", "uss")}
                if sums["pss"] > self.peak["pss"]:
                    self.at_peak = seen
                for key, value in sums.items():
                    self.peak[key] = max(self.peak[key], value)
            self._stop.wait(SAMPLE_EVERY)


def clean_env(code: Path) -> dict[str, str]:
    """The environment without DETECTOR_ settings (the defaults of the checkout in `code`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DETECTOR_")}
    env["PYTHONPATH"] = str(code)
    return env


def run_measured(cmd: list[str], code: Path) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, env=clean_env(code), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    mib = 2**20
    return {"wall_s": wall, "rss_mib": sampler.peak["rss"] / mib,
            "pss_mib": sampler.peak["pss"] / mib, "uss_mib": sampler.peak["uss"] / mib,
            "per_process": sampler.at_peak, "samples": sampler.samples, "stdout": out}


def check_output(out: Path, summary: dict[str, Any], ids: list[str]) -> list[str]:
    """Why this run does not count (empty: every row was scored exactly once)."""
    problems = []
    counts: dict[str, int] = {}
    unscored = 0
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            counts[record["id"]] = counts.get(record["id"], 0) + 1
            if record.get("error") is not None or record.get("fraud_probability") is None:
                unscored += 1
    missing = [i for i in ids if i not in counts]
    doubled = [i for i, n in counts.items() if n > 1]
    extra = [i for i in counts if i not in set(ids)]
    if missing:
        problems.append(f"{len(missing)} rows missing from the output (e.g. {missing[:3]})")
    if doubled:
        problems.append(f"{len(doubled)} ids written more than once (e.g. {doubled[:3]})")
    if extra:
        problems.append(f"{len(extra)} ids that are not in the feed (e.g. {extra[:3]})")
    if unscored:
        problems.append(f"{unscored} rows without a probability or with an error")
    if summary.get("rejected"):
        problems.append(f"summary: {summary['rejected']} rejected rows: "
                        f"{list(summary.get('rejections', {}))[:3]}")
    if summary.get("rows_with_warnings"):
        problems.append(f"summary: {summary['rows_with_warnings']} rows with a cell left out: "
                        f"{list(summary.get('warnings', {}))[:3]}")
    if summary.get("scored") != len(ids):
        problems.append(f"summary: {summary.get('scored')} scored of {len(ids)} rows")
    return problems


def bench_scan(feed: Path, ids: list[str], jobs: int, work: Path, code: Path, name: str,
               extra: list[str]) -> dict[str, Any]:
    out = work / f"out-{name}-{jobs}.jsonl"
    summary_path = work / f"summary-{name}-{jobs}.json"
    cmd = [sys.executable, "-m", "detector.scan", str(feed), "-o", str(out), "--jobs",
           str(jobs), "-q", "--summary-json", str(summary_path), *extra]
    result = run_measured(cmd, code)
    summary = json.loads(summary_path.read_text())
    problems = check_output(out, summary, ids)
    out.unlink()
    return {"name": f"scan {name} jobs={jobs}", "rows": len(ids),
            "rate": len(ids) / result["wall_s"], "in_scan_rate": summary["rows_per_s"],
            "problems": problems, **result}


def bench_plain(feed: Path, rows: int, work: Path) -> dict[str, Any]:
    out = work / "plain.csv"
    result = run_measured([sys.executable, str(Path(__file__).resolve()), "--plain-worker",
                           str(feed), str(out)], ROOT)
    inner = json.loads(result["stdout"].strip().splitlines()[-1])
    written = sum(1 for _ in out.open(encoding="utf-8")) - 1
    out.unlink()
    problems = [] if written == rows else [f"plain scorer wrote {written} of {rows} rows"]
    return {"name": "plain tfidf+LR (1 proc)", "rows": rows, "rate": inner["rate"],
            "train_s": inner["train_s"], "problems": problems, **result}


def plain_worker(feed: Path, out: Path) -> None:
    """The plain scorer (pinned; do not tune): word TF-IDF + LR on the core train split,
    then the feed file to a CSV file, transform + predict in this one process."""
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


def describe(run: dict[str, Any]) -> str:
    line = (f"  {run['name']:<26} {run['rate']:7,.0f} postings/s  wall {run['wall_s']:6.1f} s  "
            f"peak PSS {run['pss_mib']:5,.0f} MiB  USS {run['uss_mib']:5,.0f}  "
            f"RSS sum {run['rss_mib']:5,.0f}")
    if "in_scan_rate" in run:
        line += f"  (summary: {run['in_scan_rate']:,.0f}/s after start-up)"
    return line


def per_process(run: dict[str, Any]) -> list[str]:
    lines = []
    for p in run["per_process"]:
        lines.append(f"      pid {p['pid']:>7} {p['role']:<40} PSS {p['pss'] / 2**20:6.0f}  "
                     f"USS {p['uss'] / 2**20:6.0f}  RSS {p['rss'] / 2**20:6.0f}  "
                     f"shared {p['shared'] / 2**20:6.0f} MiB")
    return lines


def parse_code(values: list[str]) -> dict[str, Path]:
    if not values:
        return {"this": ROOT}
    out = {}
    for value in values:
        name, _, path = value.partition("=")
        if not path:
            raise SystemExit(f"--code wants NAME=DIR, got {value!r}")
        out[name] = Path(path).resolve()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="scan(s) and plain, in turns")
    parser.add_argument("--code", action="append", default=[], metavar="NAME=DIR",
                        help="scan with the package of this checkout (repeat: in turns)")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain scorer")
    parser.add_argument("--scan-args", default="", help="more `detector scan` options")
    parser.add_argument("--work-dir", type=Path, help="keep the feed here (default: temp)")
    parser.add_argument("--plain-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_worker:
        plain_worker(*args.plain_worker)
        return 0
    codes = parse_code(args.code)
    tmp = tempfile.TemporaryDirectory(prefix="bench_scan_")
    work = args.work_dir or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    feed = work / f"feed-{args.rows}.csv"
    started = time.perf_counter()
    info = make_feed(feed, args.rows)
    ids = feed_ids(feed)
    load = os.getloadavg()
    print(f"feed: {info['rows']:,} rows, {feed.stat().st_size / 2**20:,.0f} MiB: "
          f"{info['en']:,} EMSCAD English (yes/no cells 1.0/0.0 and 1/0; "
          f"{info['en_pool']:,} distinct texts in the corpus), {info['zh']:,} 58.com Chinese "
          f"({info['zh_pool']:,} distinct); unique texts {info['distinct'] / info['rows']:.1%}"
          f" ({info['reused']:,} rows are corpus texts used again with their own reference "
          f"line); built in {time.perf_counter() - started:.0f} s")
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} at "
          f"start; jobs {args.jobs}; DETECTOR_* unset (each checkout's defaults: campaign "
          f"memory on with the corpus seeds, no label store)")
    if info["distinct"] != info["rows"]:
        print("FAIL: the feed repeats a text")
        return 1
    extra = args.scan_args.split()
    rounds: list[dict[str, dict[str, Any]]] = []
    failed = False
    for r in range(args.rounds):
        runs: dict[str, dict[str, Any]] = {}
        for name, code in codes.items():
            runs[name] = bench_scan(feed, ids, args.jobs, work, code, name, extra)
        if not args.no_plain:
            runs["plain"] = bench_plain(feed, args.rows, work)
        print(f"round {r + 1} (load average {os.getloadavg()[0]:.2f}):")
        for run in runs.values():
            print(describe(run))
            for problem in run["problems"]:
                failed = True
                print(f"    FAIL: {problem}")
        if "plain" in runs:
            for name in codes:
                print(f"    ratio scan {name} / plain, this round: "
                      f"{runs[name]['rate'] / runs['plain']['rate']:.2f}")
        rounds.append(runs)
    print("memory per process at the PSS peak (last round):")
    for name in codes:
        print(f"    scan {name}:")
        for line in per_process(rounds[-1][name]):
            print(line)
    for name in codes:
        rates = [r[name]["rate"] for r in rounds]
        pss = max(r[name]["pss_mib"] for r in rounds)
        line = (f"scan {name}: median {statistics.median(rates):,.0f} postings/s, "
                f"peak PSS {pss:,.0f} MiB")
        if not args.no_plain:
            ratios = [r[name]["rate"] / r["plain"]["rate"] for r in rounds]
            line += f", scan / plain median {statistics.median(ratios):.2f}"
            ok = (statistics.median(rates) >= FLOOR_RATE and pss <= FLOOR_PSS_MIB
                  and statistics.median(ratios) >= FLOOR_RATIO)
            line += (f"  (floors >= {FLOOR_RATE:,}/s, PSS <= {FLOOR_PSS_MIB} MiB, >= "
                     f"{FLOOR_RATIO}x plain, on an idle machine: "
                     f"{'met here' if ok else 'not met here'})")
        print(line)
    if len(codes) == 2:
        a, b = list(codes)
        ratios = [r[b]["rate"] / r[a]["rate"] for r in rounds]
        print(f"{b} / {a} rate, per round: " + ", ".join(f"{x:.2f}" for x in ratios)
              + "; PSS " + ", ".join(f"{r[a]['pss_mib']:,.0f} -> {r[b]['pss_mib']:,.0f}"
                                     for r in rounds) + " MiB")
    (work / "bench_results.json").write_text(json.dumps(
        [{k: {kk: vv for kk, vv in v.items() if kk != "stdout"} for k, v in r.items()}
         for r in rounds], indent=2))
    if args.work_dir is None:
        tmp.cleanup()
    if failed:
        print("FAIL: rows rejected, missing or unscored (see above): these rates do not count")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
