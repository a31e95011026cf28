"""Real scam messages rated medium or high, out of fold, and how that grows with the number
of scam messages the message model learns from (issue 16's curve).

Reads the fits `detector train --fit-cache DIR` kept (grouped 5-fold out-of-fold scores of
the pasted-text/message model on train+valid: no message is scored by a model that saw its
group), passes them through the shipped calibration, short-text rule and flag combiner as
in use, and prints, per language, the share of scam messages (per the source's confidence
grade) and of legit messages and legit pasted excerpts rated medium or high. The shipped
combiner's flag weights were fitted on these rows too, so the combined figures lean a little
optimistic; the model-only column has no such lean.

`--fractions` refits the Chinese message model's folds with only that share of the scam
message groups in training (the others get weight 0 but are still scored out of fold): the
curve of recall against scam messages learned.

`--shared` also scores the real scam texts of the shared data folder through the shipped
detector, originals beside their traditional-script and lookalike copies, per half
(`detector/flags/halves.py`): the police/news reports of 兼职刷单 scams were never trained on
(their develop half set flag weights), the Chinese SMS were (train+valid rows), so for
those the copies' gap to the originals is the figure, not the level.

    .venv/bin/detector train --fit-cache /tmp/fits        # once (about 20 min on 2 cores)
    .venv/bin/python scripts/message_recall.py /tmp/fits [--fractions 0.25 0.5 0.75] [--shared]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from detector.corpus.build import load_corpus
    from detector.model.artifact import load_bundle
    from detector.model.train import load_fits
    from detector.settings import DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fits", type=Path, help="the --fit-cache folder of `detector train`")
    parser.add_argument("--fractions", type=float, nargs="*", default=[],
                        help="shares of the Chinese scam message groups to train on")
    parser.add_argument("--shared", nargs="?", type=Path, const=ROOT.parent / "shared" / "data",
                        help="also score the shared folder's real scam texts (default folder: "
                        "../shared/data beside the clone)")
    args = parser.parse_args()

    corpus = load_corpus(DEFAULT_DATA_DIR)
    fits = load_fits(args.fits, corpus)
    if fits is None:
        sys.exit(f"{args.fits} holds no fits of this corpus: run detector train --fit-cache")
    bundle, _ = load_bundle(DEFAULT_MODEL_DIR)
    grade_of = dict(zip(corpus["id"], corpus["grade"].fillna(""), strict=True))

    for lang, fit in fits.items():
        if fit.pasted is not None:
            report(lang, fit, bundle, grade_of, args.fractions)
    if args.shared is not None:
        shared_sources(args.shared)


def shared_sources(shared: Path) -> None:
    """Real scam texts of the shared folder through the shipped detector (module docstring)."""
    import pandas as pd

    from detector.core import get_detector
    from detector.flags import robustness
    from detector.flags.halves import halves
    from detector.flags.sources import REAL_SCAM_SOURCES
    from detector.schema import posting_from_text
    from detector.verdict import MEDIUM_AT

    detector = get_detector()
    makers = {"original": None, **robustness.copy_makers()}
    print("\n[shared] real scam texts through the shipped detector: medium or high")
    print("| source | half | grade | n | " + " | ".join(makers) + " |")
    print("|---|---|---|---:|" + "---:|" * len(makers))
    for source in REAL_SCAM_SOURCES:
        if source.name not in ("sms_job_zh", "news_job_zh", "sms_en"):
            continue
        path = shared / source.relative
        if not path.exists():
            print(f"| {source.name} | skipped: {path} not found |")
            continue
        frame = pd.read_csv(path, dtype=str)
        rows = frame.loc[source.rows(frame).to_numpy()]
        texts = rows["text"].fillna("").tolist()
        ids = rows["id"].astype(str).tolist()
        also = rows[source.campaign].tolist() if source.campaign in rows else None
        half = np.array(halves(ids, texts, also))
        grade = np.array(source.grade(rows).tolist() if source.grade else [""] * len(rows))
        rated: dict[str, np.ndarray] = {}
        for variant, make in makers.items():
            if isinstance(make, str) or (make is not None and source.language != "zh"):
                continue
            copy = texts if make is None else make(texts)
            verdicts = detector.score_many([posting_from_text(t) for t in copy])
            rated[variant] = np.array([v.fraud_probability >= MEDIUM_AT for v in verdicts])
        parts = [(h, g) for h in sorted(set(half)) for g in ["", *sorted(set(grade) - {""})]]
        for h, g in parts:
            mask = (half == h) & ((grade == g) if g else True)
            n = int(mask.sum())
            if n == 0:
                continue
            cells = [f"{rated[v][mask].mean():.1%}" if v in rated else "–" for v in makers]
            print(f"| {source.name} | {h} | {g or 'all'} | {n} | " + " | ".join(cells) + " |")


def report(lang, fit, bundle, grade_of, fractions) -> None:  # type: ignore[no-untyped-def]
    """The tables of one language (module docstring)."""
    from joblib import parallel_config

    from detector.flags import detect_flags
    from detector.model.combiner import has_signal
    from detector.model.fitting import RECIPES, SEED, fit_platt, make_recipe, prevalence_weights
    from detector.model.selection import grouped_oof
    from detector.verdict import HIGH_AT, MEDIUM_AT, PREVALENCE

    p = fit.pasted
    model = bundle.languages[lang]
    hits = [detect_flags(posting) for posting in p.postings]
    kept = np.where([has_signal(h, bundle.combiner) for h in hits], 1.0,
                    model.shares(p.postings))
    grades = np.array([grade_of.get(posting.id, "") for posting in p.postings])
    parts = {"scam messages, all": p.kind == "sms_scam"}
    for grade in sorted(set(grades[p.kind == "sms_scam"]) - {""}):
        parts[f"scam messages, grade {grade}"] = (p.kind == "sms_scam") & (grades == grade)
    parts["legit messages"] = p.kind == "msg_legit"
    parts["legit pasted excerpts (core)"] = (p.kind == "core_excerpt") & (p.labels == 0)
    parts["legit pastes of other sites (train split)"] = (
        (p.kind == "other_legit") & (p.labels == 0))

    def verdicts(raw: np.ndarray, calibration) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
        alone = model.pull(calibration(raw), kept)
        final = (bundle.combiner.combine_many(alone, hits) if bundle.combiner is not None
                 else alone)
        return alone, np.asarray(final)

    def table(title: str, alone: np.ndarray, final: np.ndarray) -> None:
        print(f"\n[{lang}] {title}")
        print("| rows | n | model alone: medium+ | verdict: medium+ | verdict: high |")
        print("|---|---:|---:|---:|---:|")
        for name, mask in parts.items():
            n = int(mask.sum())
            if n == 0:
                continue
            print(f"| {name} | {n} | {(alone[mask] >= MEDIUM_AT).mean():.1%} | "
                  f"{(final[mask] >= MEDIUM_AT).mean():.1%} | "
                  f"{(final[mask] >= HIGH_AT).mean():.1%} |")

    alone, final = verdicts(p.oof, p.scorer.calibration)
    table("grouped 5-fold out-of-fold, every scam message group in training", alone, final)
    base_alone, base_final = verdicts(p.baseline_oof, p.baseline.calibration) if (
        p.baseline_oof is not None and p.baseline is not None) else (None, None)
    if base_alone is not None and base_final is not None:
        table("plain TF-IDF + LR baseline, same folds", base_alone, base_final)

    if lang != "zh" or not fractions:
        return
    scam_groups = np.unique(p.groups[p.kind == "sms_scam"])
    rng = np.random.default_rng(SEED)
    order = rng.permutation(scam_groups)
    core_w = fit.rows.weights()
    scale = core_w[fit.rows.labels == 1].mean()
    n_core = len(fit.rows.labels)
    base_w = np.concatenate([core_w, core_w, np.where(p.labels[2 * n_core:] == 1,
                                                      scale, 1.0)])
    trusted = model.short_messages_trusted
    for fraction in sorted(fractions):
        dropped = set(order[round(fraction * len(order)):])
        weights = np.where((p.kind == "sms_scam") & np.isin(p.groups, list(dropped)),
                           0.0, base_w)
        with parallel_config(n_jobs=2):
            oof = grouped_oof(make_recipe(RECIPES[lang]["pasted"]), p.postings, p.labels,
                              p.groups, weights, folds=5, seed=SEED)
        rows = (np.ones(len(p.labels), bool) if trusted
                else np.isin(p.kind, ["core_pasted", "core_excerpt"]))
        rows &= weights > 0
        calibration = fit_platt(oof[rows], p.labels[rows],
                                prevalence_weights(p.labels[rows], PREVALENCE[lang]))
        alone, final = verdicts(oof, calibration)
        learned = len(order) - len(dropped)
        table(f"{learned} of {len(order)} scam message groups in training "
              f"({fraction:.0%}); every scam message scored out of fold", alone, final)


if __name__ == "__main__":
    main()
