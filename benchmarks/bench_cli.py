"""`detector score` of one posting, as a person runs it: wall and CPU, median of 5 (issue 28).

    .venv/bin/python benchmarks/bench_cli.py                     # this checkout
    .venv/bin/python benchmarks/bench_cli.py --code before=/tmp/old --code after=.   # in turns

Every run is a fresh `python -m detector score FILE` (what `.venv/bin/detector score` runs)
with campaign memory on (the corpus seeds) and one of two label stores:

- `empty`: a label store with its tables and no decision;
- `10k`: a label store holding 10,000 moderators' decisions on real postings of the corpus
  (scam and legit as the corpus labels them; every one fingerprinted, as `detector labels
  import` and `/v1/feedback` record them), made once with the label store's own API and
  kept in `--work-dir`.

The posting is a hand-written English scam (not data); `--zh` scores a Chinese one too.
CPU is the child's user + system time (wait4): on a busy machine wall >> CPU. With several
`--code` checkouts the runs go in turns (A B A B ...), so the before/after ratio holds on a
machine whose load drifts. Then which heavy modules `detector score` imported (`python -X
importtime`): pandas, scipy.stats, matplotlib, sklearn.metrics should not be among them.

Floor (issue 28, idle machine): <= 1.0 s wall, median of 5, both stores. Aim: 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: Hand-written demo postings (not data).
EN_POSTING = ("Data entry clerk (home based). Pay a $50 starter kit fee, then earn $900 a "
              "week. Message our recruiter on Telegram to start today.")
ZH_POSTING = "招聘数据标注员，在家用手机就能做，日结300-500元。入职前需缴纳培训费2580元，加V详聊。"
HEAVY = ("pandas", "scipy.stats", "matplotlib", "sklearn.metrics", "sqlalchemy", "pyarrow",
         "jieba_fast", "jieba")
FLOOR_S = 1.0


def make_store(path: Path, decisions: int) -> None:
    """A label store with `decisions` moderators' decisions on real corpus postings."""
    from detector.campaigns import open_label_store
    from detector.corpus.build import load_corpus
    from detector.labels.decisions import Decision
    from detector.model.fitting import to_postings
    from detector.settings import DEFAULT_DATA_DIR

    store = open_label_store(str(path))
    store.counts()  # creates the tables
    if not decisions:
        store.close()
        return
    corpus = load_corpus(DEFAULT_DATA_DIR)
    rows = corpus.sample(decisions, random_state=0, replace=decisions > len(corpus))
    postings = to_postings(rows)
    labels = rows["label"].astype(int).tolist()
    started = time.perf_counter()
    for start in range(0, len(postings), 500):
        batch = [Decision(posting=p, label="scam" if y else "legit", source="moderator",
                          reviewer="bench")
                 for p, y in zip(postings[start:start + 500], labels[start:start + 500],
                                 strict=True)]
        store.record(batch)
        print(f"  recorded {start + len(batch):,} decisions "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    print(f"  store: {store.counts()}", file=sys.stderr)
    store.close()


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}"
                         if proc.stderr else f"{cmd} failed")
    return wall, usage.ru_utime + usage.ru_stime


def environment(code: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DETECTOR_")}
    env.update(PYTHONPATH=str(code), DETECTOR_LABEL_DB=str(store))
    return env


def heavy_imports(code: Path, store: Path, posting: Path) -> list[str]:
    """Which of HEAVY one `detector score` imported (python -X importtime)."""
    found = subprocess.run([sys.executable, "-X", "importtime", "-m", "detector", "score",
                            str(posting)], cwd=code, env=environment(code, store),
                           capture_output=True, text=True, check=True).stderr
    names = {line.split("|")[-1].strip() for line in found.splitlines()
             if line.startswith("import time:")}
    return [name for name in HEAVY if name in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--code", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--zh", action="store_true", help="also a Chinese posting (stdin)")
    parser.add_argument("--work-dir", type=Path, help="keep the label stores here")
    args = parser.parse_args()
    codes = {"this": ROOT}
    if args.code:
        codes = {}
        for value in args.code:
            name, _, path = value.partition("=")
            codes[name] = Path(path).resolve()
    tmp = tempfile.TemporaryDirectory(prefix="bench_cli_")
    work = args.work_dir or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    stores = {"empty": work / "empty.sqlite", f"{args.decisions // 1000}k":
              work / f"decisions-{args.decisions}.sqlite"}
    for name, path in stores.items():
        if not path.exists():
            print(f"making the {name} label store ...", file=sys.stderr)
            make_store(path, 0 if name == "empty" else args.decisions)
    en = work / "en.txt"
    en.write_text(EN_POSTING, encoding="utf-8")
    postings = {"English posting (file)": en}
    if args.zh:
        zh = work / "zh.txt"
        zh.write_text(ZH_POSTING, encoding="utf-8")
        postings["Chinese posting (file)"] = zh
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"medians of {args.repeat} runs, checkouts in turns; campaign memory on")
    results: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for _ in range(args.repeat):
        for label, posting in postings.items():
            for store_name, store in stores.items():
                for code_name, code in codes.items():
                    cmd = [sys.executable, "-m", "detector", "score", str(posting)]
                    results.setdefault((label, store_name, code_name), []).append(
                        timed(cmd, environment(code, store), code))
    print("\n| posting | label store | checkout | wall (median) | CPU (median) |")
    print("|---|---|---|---:|---:|")
    for (label, store_name, code_name), runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"| {label} | {store_name} | {code_name} | {wall:.2f} s | {cpu:.2f} s |")
    if len(codes) >= 2:
        names = list(codes)
        first, last = names[0], names[-1]
        for label in postings:
            for store_name in stores:
                a = statistics.median(r[0] for r in results[(label, store_name, first)])
                b = statistics.median(r[0] for r in results[(label, store_name, last)])
                ca = statistics.median(r[1] for r in results[(label, store_name, first)])
                cb = statistics.median(r[1] for r in results[(label, store_name, last)])
                print(f"{label}, {store_name} store: {last}/{first} wall {b / a:.2f}, "
                      f"CPU {cb / ca:.2f}")
    for code_name, code in codes.items():
        for store_name, store in stores.items():
            heavy = heavy_imports(code, store, en)
            print(f"{code_name}, {store_name} store: heavy modules imported: "
                  f"{', '.join(heavy) or 'none'}")
    print(f"floor: <= {FLOOR_S:.1f} s wall (median of 5) with either store, on an idle "
          "machine")
    if args.work_dir is None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
