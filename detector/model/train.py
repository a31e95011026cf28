"""`detector train`: fit, calibrate and check one model per language from `labeled_posts/`
(`detector.model.fitting`), then the combiner of model odds and red flags
(`detector.model.combine_fit`), into one bundle; grouped CV decides whether it may ship
(`check_against_baseline`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from detector.hashing import sha256_file
from detector.model.bundle import LanguageModel, ModelBundle
from detector.model.combine_fit import Matcher, fit_combiner
from detector.model.combiner import Combiner
from detector.model.fitting import SEED, LanguageFit, calibrate_pasted, fit_language


class LosesToBaseline(RuntimeError):
    """The model is worse than the plain baseline on grouped CV beyond the interval."""


def check_against_baseline(lang: str, cv: dict[str, Any]) -> None:
    for metric in ("roc_auc", "pr_auc"):
        entry = cv["model"][metric]
        if entry["diff_ci"][1] < 0:
            raise LosesToBaseline(
                f"[{lang}] the model loses to the plain TF-IDF + LR baseline on grouped CV: "
                f"{metric} {entry['value']:.3f} vs {cv['baseline'][metric]['value']:.3f}, "
                f"difference interval {entry['diff_ci']} is below zero. Not writing it; "
                "use --force to write it anyway (experiments only)."
            )


def train_bundle(corpus: pd.DataFrame, version: str, log: Callable[[str], None] = print,
                 force: bool = False, folds: int = 5,
                 baselines: dict[str, LanguageModel] | None = None,
                 shared_data: Path | None = None, fit_cache: Path | None = None,
                 reposts: Matcher | None = None,
                 baseline: bool = True, combiner: Combiner | None = None) -> ModelBundle:
    """Train every language; refuse (LosesToBaseline) a model that loses to its baseline.

    The fitted baselines are put into `baselines` when given (evaluation reuses them).
    `shared_data`: the shared data folder, whose extra real scam texts also count for the
    flags' weights (`combine_fit.rate_rows`). `fit_cache`: a directory where the language
    fits of this very corpus are kept (checked by sha256 before they are loaded), so the
    combiner can be refitted without refitting the text models. `baseline=False`: no
    baseline and no CV comparison (see `fit_language`). `combiner`: keep this one (a
    retrain of the recipe already chosen keeps the served model's flag weights) instead of
    choosing and fitting one by grouped CV."""
    languages, cv, fits = {}, {}, {}
    cached = load_fits(fit_cache, corpus) if fit_cache is not None else None
    for lang in ("en", "zh"):
        if cached is not None:
            fit = fits[lang] = cached[lang]
            if fit.pasted is not None:  # calibration is a function of the kept scores
                fit.model.short_messages_trusted = calibrate_pasted(fit.pasted, lang)
            log(f"[{lang}] text models from the fit cache {fit_cache}")
        else:
            fit = fits[lang] = fit_language(corpus, lang, log, folds, baseline)
        languages[lang], cv[lang] = fit.model, fit.cv
        if not baseline:
            continue
        if baselines is not None and fit.baseline is not None:
            baselines[lang] = fit.baseline
        log(f"[{lang}] grouped CV (each group counted once): " + ", ".join(
            f"{m} model {cv[lang]['model'][m]['value']:.3f} vs baseline "
            f"{cv[lang]['baseline'][m]['value']:.3f}" for m in ("roc_auc", "pr_auc")))
        if not force:
            check_against_baseline(lang, cv[lang])
    if fit_cache is not None and cached is None:
        save_fits(fit_cache, corpus, fits)
    if combiner is None:
        combiner = fit_combiner(corpus, fits, log=log, shared_data=shared_data,
                                reposts=reposts)
    return ModelBundle(version=version, languages=languages,
                       meta={"seed": SEED, "grouped_cv": {k: v for k, v in cv.items() if v}},
                       combiner=combiner)


def _corpus_digest(corpus: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(corpus, index=False).values.tobytes()
                          ).hexdigest()


def save_fits(folder: Path, corpus: pd.DataFrame, fits: dict[str, LanguageFit]) -> None:
    """Keep the language fits of `corpus` (for refitting the combiner alone)."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fits.joblib"
    joblib.dump({"corpus": _corpus_digest(corpus), "fits": fits}, path, compress=3)
    (folder / "fits.sha256").write_text(sha256_file(path), encoding="utf-8")


def load_fits(folder: Path, corpus: pd.DataFrame) -> dict[str, LanguageFit] | None:
    """The kept fits, if `folder` holds them for this corpus and they are the file this
    project wrote (sha256 checked before unpickling); else None."""
    import joblib

    path, digest = folder / "fits.joblib", folder / "fits.sha256"
    if not path.exists() or not digest.exists():
        return None
    if sha256_file(path) != digest.read_text(encoding="utf-8").strip():
        raise RuntimeError(f"refusing to load {path}: its sha256 does not match {digest}")
    kept = joblib.load(path)
    return kept["fits"] if kept["corpus"] == _corpus_digest(corpus) else None
