"""Time and peak memory of a retrain with moderator labels: `detector train --with-labels
--out DIR` in a subprocess (the default quick refit of the chosen recipe, and/or `--full`,
the whole training run), with a fresh label store holding --labels real postings
(test-split core rows by group, their corpus labels as the moderators' decisions).

    .venv/bin/python benchmarks/bench_retrain.py                  # quick, then full (minutes)
    .venv/bin/python benchmarks/bench_retrain.py --kind quick     # the default retrain only
    .venv/bin/python benchmarks/bench_retrain.py --sample 1500    # the tests' slice

Prints, per kind, wall time, CPU time (user + system of the training process: the machine
is shared, CPU time is what it cost) and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detector.model.artifact import ARTIFACT_NAME  # noqa: E402


def fill_store(db: str, n: int) -> int:
    from detector.corpus.build import load_corpus
    from detector.labels.decisions import parse_decision
    from detector.labels.store import LabelStore
    from detector.schema import TEXT_FIELDS
    from detector.settings import Settings

    corpus = load_corpus(Settings().data_dir)
    test = corpus[(corpus["split"] == "test") & (corpus["role"] == "core")]
    rows = test.sort_values(["group", "id"]).head(n).to_dict("records")
    decisions = [parse_decision({"posting": {k: r[k] for k in TEXT_FIELDS
                                             if isinstance(r[k], str)},
                                 "label": "scam" if r["label"] == 1 else "legit"}, "moderator")
                 for r in rows]
    LabelStore(db).record(decisions)
    return len(decisions)


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Run `command`; CPU seconds of it and every process it started (joblib's fold workers
    included, which plain rusage can miss), the largest RSS of one process and the largest
    sum over the process tree at one moment (what the machine must hold), polled every
    0.2 s."""
    import psutil

    process = subprocess.Popen(command, cwd=ROOT, env=env)
    root = psutil.Process(process.pid)
    cpu: dict[int, float] = {}
    rss = tree_rss = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        now = 0
        for proc in tree:
            try:
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
                one = proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            rss, now = max(rss, one), now + one
        tree_rss = max(tree_rss, now)
        time.sleep(0.2)
    if process.wait() != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return sum(cpu.values()), rss, tree_rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=100, help="labels in the store")
    parser.add_argument("--sample", type=int, default=0, help="corpus rows (0: all)")
    parser.add_argument("--kind", choices=("quick", "full", "both"), default="both")
    args = parser.parse_args()
    kinds = ["quick", "full"] if args.kind == "both" else [args.kind]
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-retrain-") as tmp:
        db = str(Path(tmp) / "labels.sqlite")
        n = fill_store(db, args.labels)
        env = {**os.environ, "DETECTOR_LABEL_DB": db, "DETECTOR_MODELS_HOME": tmp}
        for kind in kinds:
            out = Path(tmp) / f"model-{kind}"
            command = [sys.executable, "-m", "detector", "train", "--with-labels",
                       "--out", str(out)] + (["--full"] if kind == "full" else [])
            if args.sample:
                command += ["--sample", str(args.sample)]
            load = os.getloadavg()[0]
            started = time.perf_counter()
            cpu, rss, tree_rss = run_measured(command, env)
            wall = time.perf_counter() - started
            size = (out / ARTIFACT_NAME).stat().st_size
            lines.append(f"{kind:5s}: wall {wall:6.1f} s, CPU {cpu:6.1f} s (training process "
                         f"and its fold workers), peak RSS {rss / 2**20:.0f} MB (largest "
                         f"process), {tree_rss / 2**20:.0f} MB (the process tree at once), "
                         f"artifact {size / 1e6:.1f} MB, load average at start {load:.1f}")
    print(f"\nretrain with {n} moderator labels, corpus "
          f"{'sample ' + str(args.sample) if args.sample else 'whole'}:")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
