"""`Detector.score_many` CPU per posting, checkouts in turns: "no slower" before/after.

Works on any checkout since the model 3.0 layout (before and after the pipeline of issue
23, whose `bench_stages.py --code` needs `detector.core.PIPELINE`). Each round runs each
checkout in a fresh process (its own package and its own `models/`) on the same 1,000 real
test-split postings (75% EMSCAD, 25% 58.com, seeded), in batches of 100, and reports the
median of 3 passes; the table gives each checkout's median over rounds and the ratio of the
last to the first.

    .venv/bin/python benchmarks/bench_score_many.py --code before=/tmp/b23/before \
        --code after=. --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, time
import pandas as pd
try:
    from detector.model.fitting import to_postings
except ImportError:
    from detector.model.train import to_postings
from detector.core import get_detector
from detector.corpus.build import load_corpus
from detector.settings import Settings
s = Settings.from_env()
c = load_corpus(s.data_dir); t = c[c["split"] == "test"]
en = t[t["source"] == "emscad"].sample(750, replace=True, random_state=0)
zh = t[t["source"] == "orfd_58"].sample(250, replace=True, random_state=0)
ps = to_postings(pd.concat([en, zh]).sample(frac=1.0, random_state=1))
d = get_detector(s.model_dir)
d.score_many(ps[:100])
runs = []
for _ in range(3):
    t0 = time.process_time()
    for i in range(0, len(ps), 100):
        d.score_many(ps[i:i + 100])
    runs.append((time.process_time() - t0) / len(ps) * 1000)
print(json.dumps(sorted(runs)[1]))
"""


def run(directory: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(directory),
           "DETECTOR_MODEL_DIR": str(directory / "models"),
           "DETECTOR_DATA_DIR": str(directory / "labeled_posts")}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=directory, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", required=True, metavar="NAME=DIR")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    codes = [(name, Path(d).resolve()) for name, d in (c.split("=", 1) for c in args.code)]
    figures: dict[str, list[float]] = {name: [] for name, _ in codes}
    for r in range(args.rounds):
        for name, directory in codes:
            figures[name].append(run(directory))
        print(f"round {r + 1}: " + ", ".join(f"{n} {v[-1]:.3f}" for n, v in figures.items()),
              flush=True)
    first = statistics.median(figures[codes[0][0]])
    print("\nscore_many, CPU ms per posting (median of rounds; spread min-max)")
    for name, values in figures.items():
        med = statistics.median(values)
        print(f"  {name:10s} {med:.3f}  [{min(values):.3f}-{max(values):.3f}]  "
              f"x{med / first:.2f}")
    print(json.dumps({n: statistics.median(v) for n, v in figures.items()}))


if __name__ == "__main__":
    main()
