"""CPU per posting, stage by stage, on real test postings (75% EMSCAD, 25% 58.com).

Stages: language detection, red flags, each language model's feature steps and classifier,
the whole `score_many` in batches of 100 (model evidence off: medium and high verdicts still
carry theirs; and on: `explain=True`, every verdict), and the plain TF-IDF + LR baseline on
the same postings in the same process (the ratio the issue asks for); the whole
`score_many` (evidence off and on) and the baseline run in turns. Process CPU time,
median of --repeats runs. `--pasted` scores the same postings pasted as one text (the
message models' route).

    .venv/bin/python benchmarks/bench_stages.py [--n 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="postings to score")
    parser.add_argument("--repeats", type=int, default=3, help="runs per stage (median)")
    parser.add_argument("--pasted", action="store_true",
                        help="score the postings pasted as one text (pasted-text models)")
    args = parser.parse_args()

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
