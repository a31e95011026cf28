"""Start-up of the CLI as a person meets it (issue 19): wall and CPU time, medians.

    .venv/bin/python benchmarks/bench_startup.py            # 5 runs each
    .venv/bin/python benchmarks/bench_startup.py --repeat 9 --skip-help

Every figure is a fresh subprocess (`python -m detector ...`), as a shell user runs it; CPU
is the child's user + system time (from wait4), so a busy machine shows as wall >> CPU.
Beside each "now" figure, the baseline is measured in the same run: the same commands
against a copy of the model directory in the old artifact format (`detector.joblib`) with
jieba's whole dictionary (an unwritable cache directory, which is how it loaded before);
the scan baseline also uses a chunk size that splits 200 rows into two chunks, so the old
pool of workers (each loading the model) is started as before.

Then where the load time goes, each step measured on its own in a fresh process:
imports, reading + sha256 + decompress + unpickle of the artifact (both formats), jieba's
dictionary (whole vs sliced), the first red-flag scan (regex compilation), and Ctrl-C on a
running scan (time from SIGINT to exit).

Floors (issue 19, idle 2-core machine): score <= 1.5 s, 200-row scan <= 3 s, every --help
<= 0.5 s, Ctrl-C exit <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "labeled_posts" / "posts.csv.gz"
PYTHON = sys.executable
#: Hand-written demo postings (not data).
EN_POSTING = ("Data entry clerk (home based). Pay a $50 starter kit fee, then earn $900 a "
              "week. Message our recruiter on Telegram to start today.")
ZH_POSTING = "招聘数据标注员，在家用手机就能做，日结300-500元。入职前需缴纳培训费2580元，加V详聊。"
HELP = [[], ["score"], ["scan"], ["train"], ["evaluate"], ["corpus"], ["corpus", "build"],
        ["rules"], ["rules", "report"], ["rules", "list"], ["rules", "uncaught"], ["serve"],
        ["labels"], ["labels", "list"], ["labels", "import"], ["models"], ["models", "list"],
        ["models", "compare"]]


def timed(cmd: list[str], env: dict[str, str] | None = None,
          stdin: bytes | None = None) -> tuple[float, float, int]:
    """(wall s, CPU s of the child, exit code) of one subprocess run."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def medians(cmd: list[str], repeat: int, env: dict[str, str] | None = None,
            stdin: bytes | None = None) -> tuple[float, float]:
    runs = [timed(cmd, env, stdin) for _ in range(repeat)]
    bad = [code for *_, code in runs if code != 0]
    if bad:
        raise SystemExit(f"{' '.join(cmd)} exited {bad[0]}")
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def legacy_model_dir(tmp: Path) -> Path:
    """The shipped model as it was stored before issue 19: joblib, zlib level 6."""
    import hashlib

    import joblib

    from detector.model.artifact import CARD_JSON, LEGACY_ARTIFACT_NAME, load_bundle
    from detector.settings import DEFAULT_MODEL_DIR

    out = tmp / "legacy-model"
    out.mkdir()
    bundle, card = load_bundle(DEFAULT_MODEL_DIR)
    joblib.dump(bundle, out / LEGACY_ARTIFACT_NAME, compress=("zlib", 6))
    sha = hashlib.sha256((out / LEGACY_ARTIFACT_NAME).read_bytes()).hexdigest()
    card["artifact"] = {"file": LEGACY_ARTIFACT_NAME, "sha256": sha}
    (out / CARD_JSON).write_text(json.dumps(card), encoding="utf-8")
    return out


def feed_200(tmp: Path) -> Path:
    import pandas as pd

    from detector.schema import ALL_FIELDS

    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    test = corpus[corpus["split"] == "test"]
    rows = pd.concat([test[test["language"] == lang].sample(100, random_state=1)
                      for lang in ("en", "zh")]).sample(frac=1, random_state=2)
    path = tmp / "feed200.csv"
    rows[[c for c in ALL_FIELDS if c in rows]].to_csv(path, index=False)
    return path


def feed_big(tmp: Path, rows: int = 6000) -> Path:
    import pandas as pd

    from detector.schema import ALL_FIELDS

    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    sample = corpus.sample(rows, replace=True, random_state=3)
    path = tmp / "feed_big.csv"
    sample[[c for c in ALL_FIELDS if c in sample]].to_csv(path, index=False)
    return path


def steps(model: Path, legacy: Path) -> dict[str, float]:
    """Each load step on its own, in this (fresh) process; run by `--steps`."""
    import contextlib
    import gzip
    import hashlib
    import io
    import pickle

    out: dict[str, float] = {}

    @contextlib.contextmanager
    def clock(name: str):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        yield
        out[name] = time.perf_counter() - started

    with clock("import numpy + scipy.sparse"):
        import numpy  # noqa: F401
        import scipy.sparse  # noqa: F401
    with clock("import pandas (scikit-learn imports it)"):
        import pandas  # noqa: F401
    with clock("import scikit-learn (+ scipy.stats)"):
        import sklearn.feature_extraction.text
        import sklearn.linear_model
        import sklearn.pipeline  # noqa: F401
    with clock("import detector.core"):
        import detector.core  # noqa: F401
    with clock("read artifact (detector.pkl.gz)"):
        data = (model / "detector.pkl.gz").read_bytes()
    with clock("sha256 (detector.pkl.gz)"):
        hashlib.sha256(data).hexdigest()
    with clock("gzip decompress"):
        raw = gzip.decompress(data)
    with clock("unpickle (C unpickler)"):
        pickle.loads(raw)
    import joblib

    old = (legacy / "detector.joblib").read_bytes()
    with clock("sha256 (detector.joblib, before)"):
        hashlib.sha256(old).hexdigest()
    with clock("joblib.load: zlib + pure-Python unpickler (before)"):
        joblib.load(io.BytesIO(old))
    import jieba_fast

    from detector.model.jieba_dict import Segmenter

    whole = jieba_fast.Tokenizer()
    with clock("jieba, whole dictionary (before)"):
        whole.initialize()
    Segmenter(jieba_fast)  # the slice file exists from here on
    with clock("jieba, dictionary slices for one posting"):
        Segmenter(jieba_fast).lcut(ZH_POSTING)
    from detector.flags import detect_flags
    from detector.schema import posting_from_text

    with clock("first red-flag scan (regular expressions compiled)"):
        detect_flags(posting_from_text(EN_POSTING + ZH_POSTING))
    with clock("second red-flag scan"):
        detect_flags(posting_from_text(EN_POSTING + ZH_POSTING))
    return out


def load_steps(legacy: Path, repeat: int) -> dict[str, float]:
    from detector.settings import DEFAULT_MODEL_DIR

    runs = []
    for _ in range(repeat):
        result = subprocess.run([PYTHON, __file__, "--steps", str(DEFAULT_MODEL_DIR),
                                 str(legacy)], cwd=ROOT, capture_output=True, text=True,
                                check=True)
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def ctrl_c(feed: Path, tmp: Path, repeat: int) -> list[float]:
    """Seconds from SIGINT (to the process group, as a terminal sends it) to exit, on a
    scan with two workers that has finished at least one chunk."""
    times = []
    for i in range(repeat):
        out = tmp / f"ctrl_c_{i}.jsonl"
        work = out.with_name(out.name + ".partial")
        proc = subprocess.Popen([PYTHON, "-m", "detector", "scan", str(feed), "-o", str(out),
                                 "--chunk-size", "300", "-j", "2", "-q"], cwd=ROOT,
                                stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not list(work.glob("part-*.jsonl")):
            time.sleep(0.05)
        started = time.perf_counter()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=120)
        times.append(time.perf_counter() - started)
        shutil.rmtree(work, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--skip-help", action="store_true", help="skip the --help timings")
    parser.add_argument("--steps", nargs=2, type=Path, metavar=("MODEL", "LEGACY"),
                        help=argparse.SUPPRESS)  # internal: one fresh process of load steps
    args = parser.parse_args()
    if args.steps:
        print(json.dumps(steps(*args.steps)))
        return
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"medians of {args.repeat} runs")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        legacy = legacy_model_dir(tmp)
        blocked = tmp / "not-a-dir"
        blocked.write_text("")
        before = {"DETECTOR_MODEL_DIR": str(legacy), "XDG_CACHE_HOME": str(blocked)}
        en, zh = tmp / "en.txt", tmp / "zh.txt"
        en.write_text(EN_POSTING, encoding="utf-8")
        zh.write_text(ZH_POSTING, encoding="utf-8")
        feed = feed_200(tmp)
        score = [PYTHON, "-m", "detector", "score"]
        scan = [PYTHON, "-m", "detector", "scan", str(feed), "-o", str(tmp / "out.jsonl"),
                "-q"]
        rows = [
            ("score, English posting (file)", [*score, str(en)], [*score, str(en)], None),
            ("score, Chinese posting (stdin)", score, score, ZH_POSTING.encode()),
            ("scan, 200 rows (en + zh), default --jobs", scan,
             [*scan, "--chunk-size", "100"], None),
        ]
        print("\n| command | now: wall | now: CPU | before: wall | before: CPU | floor |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, now_cmd, old_cmd, stdin in rows:
            wall, cpu = medians(now_cmd, args.repeat, stdin=stdin)
            old_wall, old_cpu = medians(old_cmd, args.repeat, env=before, stdin=stdin)
            floor = "3.0 s" if "scan" in label else "1.5 s"
            print(f"| {label} | {wall:.2f} s | {cpu:.2f} s | {old_wall:.2f} s | "
                  f"{old_cpu:.2f} s | {floor} |")
        if not args.skip_help:
            print("\n| --help of | wall | CPU |")
            print("|---|---:|---:|")
            worst = 0.0
            for words in HELP:
                wall, cpu = medians([PYTHON, "-m", "detector", *words, "--help"],
                                    args.repeat)
                worst = max(worst, wall)
                print(f"| detector {' '.join(words)} | {wall:.2f} s | {cpu:.2f} s |")
            print(f"slowest --help: {worst:.2f} s (floor 0.5 s)")
        print("\nWhere load time goes (each step in a fresh process, median):\n")
        print("| step | seconds |")
        print("|---|---:|")
        for step, seconds in load_steps(legacy, args.repeat).items():
            print(f"| {step} | {seconds:.3f} |")
        times = ctrl_c(feed_big(tmp), tmp, max(3, args.repeat // 2))
        print(f"\nCtrl-C on a running 2-worker scan: exit after "
              f"{statistics.median(times):.2f} s (median of {len(times)}; max "
              f"{max(times):.2f} s; floor 3 s)")


if __name__ == "__main__":
    main()
