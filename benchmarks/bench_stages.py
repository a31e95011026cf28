"""CPU per posting, stage by stage, on real test postings (75% EMSCAD, 25% 58.com).

Three tables (issue 28's profile): the pipeline's steps (`detector.core.PIPELINE`, each
timed on the same batches of 100); one scanned posting end to end in one process (reading
the feed file, parsing and validating, each pipeline step on the scan's chunks of 2,000,
the output records, the part file, assembling OUTPUT), on the feed `bench_scan.py` builds;
and the memory one scanning process holds after each stage of its start (RSS, USS).

Then the older figures ("stages"): language detection, red flags (with the reading),
campaign memory, each language model's feature steps and classifier, the whole `score_many`
in batches of 100 (model evidence off: medium and high verdicts still carry theirs; and on:
`explain=True`, every verdict), and the plain TF-IDF + LR baseline on the same postings in
the same process (the ratio the issue asks for); the whole `score_many` (evidence off and
on) and the baseline run in turns. Process CPU time, median of --repeats runs. `--pasted`
scores the same postings pasted as one text (the message models' route).

    .venv/bin/python benchmarks/bench_stages.py [--n 2000] [--repeats 3]
    .venv/bin/python benchmarks/bench_stages.py --only steps,scan,memory --feed-rows 4000
    .venv/bin/python benchmarks/bench_stages.py --code before=/tmp/old --code after=. --rounds 3

`--code NAME=DIR` (repeat it) measures the steps and the scan path with the package of each
checkout DIR (e.g. `git archive COMMIT | tar -x -C DIR`), each in a fresh process, in turns
(A B A B ...) for `--rounds` rounds, and prints each figure's median per checkout and the
ratio of the last to the first: before/after in one sitting.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: `--code` runs this script with another checkout's package (BENCH_CODE is its directory).
CODE = Path(os.environ.get("BENCH_CODE") or ROOT)
sys.path.insert(0, str(CODE))


def print_with_total(figures: dict[str, float]) -> None:
    """One line per figure (CPU ms per posting), then their sum."""
    for name, value in figures.items():
        print(f"  {name:53s} {value:7.3f}")
    print(f"  {'total':53s} {sum(figures.values()):7.3f}")


def cpu_ms(fn, n: int, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) / n * 1e3


def interleaved(fns: dict, n: int, repeats: int) -> dict[str, float]:  # type: ignore[type-arg]
    """CPU ms per posting of each function, run in turns (one of each per round), so that a
    shared machine's drift in speed hits them all alike; median of the rounds."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(t) / n * 1e3 for name, t in times.items()}


def readings_of(postings: list) -> list:  # type: ignore[type-arg]
    """The postings as the pipeline reads them once (issue 23); on an older checkout (a
    "before" run) the red flags' scan, whose normalisation the fingerprints reused."""
    try:
        from detector.textnorm.reading import read
    except ImportError:
        flags_of(postings)
        return postings
    return [read(p) for p in postings]


def flags_of(postings: list) -> list:  # type: ignore[type-arg]
    from detector.flags import detect_flags

    return [detect_flags(p) for p in postings]


def campaign_ms(postings: list, repeats: int) -> float:  # type: ignore[type-arg]
    """CPU per posting of the campaign memory's lookup as `score_many` runs it: on the
    batch of 100 as read once for the flags and the fingerprints."""
    from detector.campaigns.memory import default_memory

    memory = default_memory()
    times = []
    for _ in range(repeats):
        spent = 0.0
        for i in range(0, len(postings), 100):
            batch = readings_of(postings[i:i + 100])
            start = time.process_time()
            memory.lookup(batch)
            spent += time.process_time() - start
        times.append(spent)
    return statistics.median(times) / len(postings) * 1e3


def step_ms(detector, postings: list, repeats: int, batch: int = 100  # type: ignore[no-untyped-def]
            ) -> dict[str, float]:
    """CPU ms per posting of each step of `PIPELINE`, run on `postings` in batches as
    `score_many` runs them; median of `repeats` passes. Older checkouts (no PIPELINE): {}."""
    try:
        from detector.core import PIPELINE, Batch
    except ImportError:
        return {}
    runs: dict[str, list[float]] = {step.__name__: [] for step in PIPELINE}
    for _ in range(repeats):
        spent = dict.fromkeys(runs, 0.0)
        for i in range(0, len(postings), batch):
            work = Batch(detector, list(postings[i:i + batch]))
            for step in PIPELINE:
                start = time.process_time()
                step(work)
                spent[step.__name__] += time.process_time() - start
        for name, value in spent.items():
            runs[name].append(value)
    return {name: statistics.median(v) / len(postings) * 1e3 for name, v in runs.items()}


def scan_path_ms(feed: Path, repeats: int, chunk_size: int = 2000) -> tuple[int, dict[str, float]]:
    """One scanned posting end to end, in this one process, as a scan worker and the scan
    process run it (`detector.scan`): CPU ms per posting of each stage; median of repeats."""
    import tempfile

    from detector.core import PIPELINE, Batch, get_detector
    from detector.feeds.readers import inspect_feed, read_feed
    from detector.scan.chunks import ScanOptions, fill_records, parse_rows, write_part
    from detector.scan.merge import in_order
    from detector.scan.report import TopRecords
    from detector.scan.summary import Summary
    from detector.scan.writers import open_writer
    from detector.settings import Settings

    detector = get_detector(Settings.from_env().model_dir)
    options = ScanOptions(model_dir=str(Settings.from_env().model_dir))
    layout = inspect_feed(feed)
    # Warm up as a worker is before its first chunk (model, regexes, campaign memory's
    # seeds): what a process pays once is the start-up figure (bench_startup.py).
    first = next(read_feed(feed, 50, layout=layout))
    detector.score_many(parse_rows(first, options, detector.model_version).postings)
    runs: dict[str, list[float]] = {}
    rows_total = 0
    for _ in range(repeats):
        spent: dict[str, float] = {}

        def clock(name: str, start: float, spent: dict[str, float] = spent) -> float:
            now = time.process_time()
            spent[name] = spent.get(name, 0.0) + now - start
            return now

        with tempfile.TemporaryDirectory() as tmp:
            parts = []
            t = time.process_time()
            chunks = read_feed(feed, chunk_size, layout=layout)
            rows_total = 0
            while True:
                chunk = next(chunks, None)
                t = clock("read the feed file (CSV reader, raw rows)", t)
                if chunk is None:
                    break
                rows_total += len(chunk)
                parsed = parse_rows(chunk, options, detector.model_version)
                t = clock("parse + validate (parse_posting, yes/no cells)", t)
                batch = Batch(detector, parsed.postings)
                for step in PIPELINE:
                    step(batch)
                    t = clock(f"step {step.__name__}", t)
                records = fill_records(chunk, parsed, batch.verdicts, options)
                t = clock("output records (verdict_dict)", t)
                part = Path(tmp) / f"part-{len(parts):06d}.jsonl"
                write_part(part, records)
                parts.append(part)
                t = clock("write the part file (worker)", t)
            summary, top = Summary(), TopRecords()
            with open_writer(Path(tmp) / "out.jsonl") as writer:
                for record in in_order(parts):
                    summary.add(record)
                    top.add(record)
                    writer.write(record)
            clock("assemble OUTPUT (read parts, summary, write JSONL)", t)
        for name, value in spent.items():
            runs.setdefault(name, []).append(value)
    return rows_total, {name: statistics.median(v) / rows_total * 1e3
                        for name, v in runs.items()}


def memory_stages() -> list[tuple[str, float, float]]:
    """(stage, RSS MiB, USS MiB) of this process after each stage of a scan worker's start;
    run first, in a fresh process."""
    import psutil

    from detector.settings import Settings

    me = psutil.Process()
    out = []

    def mark(name: str) -> None:
        info = me.memory_full_info()
        out.append((name, info.rss / 2**20, info.uss / 2**20))

    mark("interpreter + benchmark imports")
    import detector.core
    mark("import detector.core (numpy, scipy, scikit-learn)")
    from detector.core import get_detector

    detector = get_detector(Settings.from_env().model_dir)
    mark("model loaded (load_bundle)")
    from detector.schema import posting_from_text

    detector.using(_off_memory()).score_many([posting_from_text(
        "Data entry clerk, pay a $50 starter kit fee first. 招聘数据标注员，入职前需缴纳培训费。")])
    mark("first posting scored, campaign memory off (regexes, tables)")
    from detector.campaigns.memory import default_memory

    default_memory().lookup([posting_from_text("warm up the campaign memory " * 5)])
    mark("campaign memory started (corpus seeds)")
    return out


def _off_memory():  # type: ignore[no-untyped-def]
    from detector.campaigns.memory import OFF

    return OFF


def compare_codes(args: argparse.Namespace) -> None:
    """Each checkout's steps and scan path in a fresh process, in turns; medians, ratios."""
    import tempfile

    from bench_scan import make_feed

    codes = {}
    for value in args.code:
        name, _, path = value.partition("=")
        codes[name] = Path(path).resolve()
    sections = [s for s in args.only.split(",") if s in ("steps", "scan")] or ["steps"]
    feed = args.feed
    if feed is None and "scan" in sections:
        feed = Path(tempfile.mkdtemp(prefix="bench_stages_")) / "feed.csv"
        make_feed(feed, args.feed_rows)
    runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in codes}
    for r in range(args.rounds):
        for name, code in codes.items():
            cmd = [sys.executable, str(Path(__file__).resolve()), "--only", ",".join(sections),
                   "--n", str(args.n), "--repeats", str(args.repeats), "--json"]
            if feed is not None:
                cmd += ["--feed", str(feed)]
            env = {k: v for k, v in os.environ.items() if not k.startswith("DETECTOR_")}
            env.update(BENCH_CODE=str(code), PYTHONPATH=str(code))
            out = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True,
                                 check=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {r + 1}: {name} done (load average {os.getloadavg()[0]:.2f})",
                  flush=True)
    names = list(codes)
    first, last = names[0], names[-1]
    for section in sections:
        print(f"\n{section}: CPU ms per posting, median of {args.rounds} rounds in turns "
              f"({', '.join(f'{n}={c}' for n, c in codes.items())})")
        print(f"  {'':50s} " + " ".join(f"{n:>9s}" for n in names) + f"  {last}/{first}")
        keys = list(runs[first][0].get(section, {}))
        for key in [*keys, "total"]:
            values = []
            for name in names:
                per = [sum(run[section].values()) if key == "total" else
                       run[section].get(key, float("nan")) for run in runs[name]]
                values.append(statistics.median(per))
            ratio = values[-1] / values[0] if values[0] else float("nan")
            print(f"  {key:50s} " + " ".join(f"{v:9.3f}" for v in values) + f"  {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="postings to score")
    parser.add_argument("--repeats", type=int, default=3, help="runs per stage (median)")
    parser.add_argument("--pasted", action="store_true",
                        help="score the postings pasted as one text (pasted-text models)")
    parser.add_argument("--only", default="memory,steps,scan,stages",
                        help="sections, comma-separated: memory, steps, scan, stages")
    parser.add_argument("--feed", type=Path, help="the scan path's feed (default: built by "
                        "bench_scan.py's make_feed, --feed-rows rows)")
    parser.add_argument("--feed-rows", type=int, default=4000)
    parser.add_argument("--memory-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", action="append", default=[], metavar="NAME=DIR",
                        help="measure this checkout's package too, in turns (see above)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --code (A B A B)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_worker:
        print(json.dumps(memory_stages()))
        return
    if args.code:
        compare_codes(args)
        return
    sections = set(args.only.split(","))
    found_json: dict[str, dict[str, float]] = {}
    if "memory" in sections:
        found = subprocess.run([sys.executable, __file__, "--memory-worker"], check=True,
                               capture_output=True, text=True).stdout
        print("memory of one scanning process, after each stage of its start (fresh process)")
        print(f"{'':55s} {'RSS MiB':>8s} {'USS MiB':>8s}")
        for name, rss, uss in json.loads(found.strip().splitlines()[-1]):
            print(f"  {name:53s} {rss:8.0f} {uss:8.0f}")
    if "scan" in sections:
        feed = args.feed
        if feed is None:
            import tempfile

            from bench_scan import make_feed

            feed = Path(tempfile.mkdtemp(prefix="bench_stages_")) / "feed.csv"
            make_feed(feed, args.feed_rows)
        rows, stages = scan_path_ms(feed, args.repeats)
        found_json["scan"] = stages
        print(f"one scanned posting end to end, one process ({rows:,}-row bench_scan feed, "
              f"chunks of 2,000; CPU ms per posting, median of {args.repeats})")
        print_with_total(stages)
    if not sections & {"steps", "stages"}:
        if args.json:
            print(json.dumps(found_json))
        return

    import pandas as pd

    from detector.core import get_detector
    from detector.corpus.build import load_corpus
    from detector.model.fitting import fit_baseline, pasted, to_postings
    from detector.settings import Settings

    settings = Settings.from_env()
    corpus = load_corpus(settings.data_dir)
    test = corpus[corpus["split"] == "test"]
    en = test[test["source"] == "emscad"].sample(int(args.n * 0.75), replace=True, random_state=0)
    zh = test[test["source"] == "orfd_58"].sample(args.n - len(en), replace=True, random_state=0)
    postings = to_postings(pd.concat([en, zh]).sample(frac=1.0, random_state=1))
    if args.pasted:
        postings = [pasted(p) for p in postings]
    detector = get_detector(settings.model_dir)
    detector.score_many(postings[:50])  # warm caches (jieba, regexes)
    n, reps = len(postings), args.repeats
    if "steps" in sections:
        steps = step_ms(detector, postings, reps)
        found_json["steps"] = steps
        print(f"{n} test postings in batches of 100: CPU ms per posting of each step of "
              f"PIPELINE (median of {reps})")
        print_with_total(steps)
    if "stages" not in sections:
        if args.json:
            print(json.dumps(found_json))
        return
    bundle = detector.bundle
    langs = [bundle.language_of(p) for p in postings]
    baselines = {lang: fit_baseline(corpus, lang, folds=2) for lang in ("en", "zh")}

    def plain() -> None:
        for lang in ("en", "zh"):
            sub = [p for p, code in zip(postings, langs, strict=True) if code == lang]
            baselines[lang].structured(sub)

    headline = {
        "score_many, batches of 100": lambda: [detector.score_many(postings[i:i + 100])
                                               for i in range(0, n, 100)],
        "plain TF-IDF + LR baseline, same postings": plain,
    }
    # Older checkouts (a "before" run) have no model evidence or campaign memory.
    has_explain = "explain" in inspect.signature(detector.score_many).parameters
    if has_explain:
        headline["score_many, model evidence on (explain=True)"] = lambda: [
            detector.score_many(postings[i:i + 100], explain=True) for i in range(0, n, 100)]
    top = interleaved(headline, n, reps)
    rows = {
        "  language detection": cpu_ms(lambda: [bundle.language_of(p) for p in postings], n, reps),
        "  red flags": cpu_ms(lambda: flags_of(postings), n, reps),
    }
    if importlib.util.find_spec("detector.campaigns") is not None:
        rows["  campaign memory (corpus seeds), after the flags"] = campaign_ms(postings, reps)
    for lang in ("en", "zh"):
        sub = [p for p, code in zip(postings, langs, strict=True) if code == lang]
        model = bundle.languages[lang]
        rows[f"  {lang} model ({len(sub)} postings, per posting of all)"] = cpu_ms(
            lambda model=model, sub=sub: model.predict(sub), n, reps)
        pipeline = (model.pasted if args.pasted and model.pasted else model.structured).pipeline
        data = sub
        for name, step in pipeline.steps[:-1]:
            out = step.transform(data)
            rows[f"    {lang} {name}"] = cpu_ms(lambda step=step, data=data: step.transform(data),
                                                n, reps)
            data = out
    print(f"{n} postings; CPU ms per posting (median of {reps}; the first lines run in turns)")
    for name, value in top.items():
        print(f"{name:55s} {value:7.3f}")
    for name, value in rows.items():
        print(f"{name:55s} {value:7.3f}")
    ours = top["score_many, batches of 100"]
    base = top["plain TF-IDF + LR baseline, same postings"]
    print(f"ratio detector / baseline CPU: {ours / base:.2f}x")
    if has_explain:
        extra = top["score_many, model evidence on (explain=True)"] - ours
        print(f"model evidence on: +{extra:.3f} ms per posting")

if __name__ == "__main__":
    main()
