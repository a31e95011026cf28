"""`detector train`: fit, calibrate and check one model per language from `labeled_posts/`.

Which rows train what (see the data card, and issue #9 for the measurements behind it):
- the `core` rows (EMSCAD, 58.com) of the train and valid splits train the models; the test
  split is read only by `detector evaluate`;
- English has two scorers: a field model for structured postings, and a text model for
  pasted text, trained on pasted and excerpt copies of the same core postings plus the
  reported scam SMS (a job seeker pastes a title and a paragraph, not EMSCAD's fields);
- Chinese has one: character n-grams of the whole text, on 58.com rows alone (other sites'
  rows are kept for measuring false alarms only: mixing them in lowered unseen-company
  figures);
- calibration is Platt scaling of group-disjoint out-of-fold scores at real-world
  prevalence, so no split is spent on it;
- every language model is trained beside the plain baseline (word TF-IDF + LR), and
  grouped CV decides whether it may ship (`check_against_baseline`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from detector.model import recipes
from detector.model.bundle import (
    PREVALENCE,
    LanguageModel,
    ModelBundle,
    PlattCalibration,
    Scorer,
    logit,
)
from detector.model.selection import group_bootstrap, grouped_oof
from detector.schema import Posting, parse_posting

SEED = 13
#: Weight of a pasted-text or excerpt copy relative to its original.
COPY_WEIGHT = 0.5
#: Excerpt lengths (characters), drawn per posting from a seeded hash.
EXCERPT_CHARS = (60, 700)
#: The shipped recipes, chosen by grouped CV (`detector evaluate --cv` prints the figures).
RECIPES: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {
    "en": {"structured": ("en_fields_fast", {"bigrams": True, "C": 30.0}),
           "pasted": ("en_text", {"char": False, "C": 30.0})},
    "zh": {"structured": ("zh_chars", {"C": 3.0, "hashed": True})},
}
#: The plain baseline, at the C that grouped CV liked best for it in each language.
BASELINE: dict[str, tuple[str, dict[str, Any]]] = {
    "en": ("baseline", {"C": 30.0}), "zh": ("baseline", {"C": 10.0}),
}
#: Other-site legit postings (train split) pasted into the pasted-text model's training.
OTHER_LEGIT_PASTES = 2000
#: Texts with fewer words than this are pulled towards the base rate (see LanguageModel).
MIN_WORDS = {"en": 60, "zh": 60}


def to_postings(rows: pd.DataFrame) -> list[Posting]:
    return [
        parse_posting(record, default_id=str(record.get("id")))
        for record in rows.to_dict("records")
    ]


def pasted(posting: Posting) -> Posting:
    """The same posting as a job seeker would paste it: one `text`, no metadata."""
    return Posting(fields={"text": posting.full_text()}, id=posting.id)


def excerpt(posting: Posting) -> Posting:
    """A short real excerpt of the posting (title and the start of its body), as a person may
    paste only the part that worried them."""
    text = posting.full_text()
    digest = hashlib.sha256(f"{SEED}:{posting.id}".encode()).digest()
    length = EXCERPT_CHARS[0] + digest[0] * (EXCERPT_CHARS[1] - EXCERPT_CHARS[0]) // 255
    if len(text) > length:
        cut = text.rfind(" ", 0, length)
        text = text[: cut if cut > length // 2 else length]
    return Posting(fields={"text": text}, id=posting.id)


@dataclass
class Rows:
    """Postings of one language with labels, groups and training weights."""

    postings: list[Posting]
    labels: np.ndarray
    groups: np.ndarray
    frame: pd.DataFrame

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        frame = frame.reset_index(drop=True)
        return cls(to_postings(frame), frame["label"].to_numpy(int),
                   frame["group"].to_numpy(), frame)

    def weights(self) -> np.ndarray:
        """Balanced classes: the corpora over-represent scams (EMSCAD) or under (58.com)."""
        n_scam = max(int(self.labels.sum()), 1)
        n_legit = max(int((self.labels == 0).sum()), 1)
        return np.where(self.labels == 1, n_legit / n_scam, 1.0)


def fit_rows(corpus: pd.DataFrame, lang: str) -> Rows:
    """The rows a language model learns from: core rows of train + valid."""
    keep = ((corpus["language"] == lang) & (corpus["role"] == "core")
            & corpus["split"].isin(["train", "valid"]))
    return Rows.of(corpus[keep])


def prevalence_weights(labels: np.ndarray, prevalence: float) -> np.ndarray:
    """Weights that make the scam share equal `prevalence` (for calibration and figures)."""
    labels = np.asarray(labels)
    n_scam, n_legit = max((labels == 1).sum(), 1), max((labels == 0).sum(), 1)
    return np.where(labels == 1, prevalence / n_scam, (1 - prevalence) / n_legit) * len(labels)


def fit_platt(raw: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> PlattCalibration:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e4, max_iter=1000)
    model.fit(logit(raw)[:, None], labels, sample_weight=weights)
    return PlattCalibration(a=float(model.coef_[0, 0]), b=float(model.intercept_[0]))


def make_recipe(spec: tuple[str, dict[str, Any]]) -> Callable[[], Any]:
    name, kwargs = spec
    return lambda: recipes.RECIPES[name](**kwargs)


@dataclass
class Fitted:
    """A fitted scorer with the out-of-fold scores its calibration came from."""

    scorer: Scorer
    oof: np.ndarray


def fit_scorer(
    spec: tuple[str, dict[str, Any]],
    rows: Rows,
    lang: str,
    copies: Sequence[Callable[[Posting], Posting]] = (),
    shapes: Sequence[Callable[[Posting], Posting] | None] = (None,),
    extra: Rows | None = None,
    folds: int = 5,
) -> Fitted:
    """Fit a recipe on `rows` (+ reshaped copies, + `extra` rows in training only) and
    calibrate it on out-of-fold scores of `rows` in each of `shapes`."""
    make = make_recipe(spec)
    weights = rows.weights()
    extra_train = None
    if extra is not None and len(extra.labels):
        scale = weights[rows.labels == 1].mean()
        extra_train = (extra.postings, extra.labels,
                       np.where(extra.labels == 1, scale, 1.0))
    oofs, labels = [], []
    for shape in shapes:
        reshape = None if shape is None else (lambda ps, f=shape: [f(p) for p in ps])
        oofs.append(grouped_oof(make, rows.postings, rows.labels, rows.groups, weights,
                                folds=folds, seed=SEED, shape=reshape,
                                extra_train=extra_train, copies=copies,
                                copy_weight=COPY_WEIGHT))
        labels.append(rows.labels)
    oof, y = np.concatenate(oofs), np.concatenate(labels)
    calibration = fit_platt(oof, y, prevalence_weights(y, PREVALENCE[lang]))
    x, y_fit, w_fit = list(rows.postings), rows.labels, weights
    for make_copy in copies:
        x += [make_copy(p) for p in rows.postings]
        y_fit = np.concatenate([y_fit, rows.labels])
        w_fit = np.concatenate([w_fit, weights * COPY_WEIGHT])
    if extra_train is not None:
        x += extra_train[0]
        y_fit = np.concatenate([y_fit, extra_train[1]])
        w_fit = np.concatenate([w_fit, extra_train[2]])
    pipeline = make().fit(x, y_fit, lr__sample_weight=w_fit)
    return Fitted(Scorer(pipeline, calibration), oofs[0])


def fit_baseline(corpus: pd.DataFrame, lang: str, folds: int = 5) -> LanguageModel:
    """The plain word TF-IDF + LR on the same rows, calibrated the same way."""
    fitted = fit_scorer(BASELINE[lang], fit_rows(corpus, lang), lang, folds=folds)
    return LanguageModel(fitted.scorer, PREVALENCE[lang], recipe={"structured": "baseline"})


def pasted_extra(corpus: pd.DataFrame, lang: str) -> Rows:
    """Extra training rows of the pasted-text model: reported scam SMS (train + valid) and
    pasted copies and excerpts of other sites' legit postings from the *train* split only
    (their valid and test splits measure false alarms on pastes). Without the latter the
    model knew only EMSCAD's legit style, and rated 1 in 10 NHS/LinkedIn excerpts medium."""
    of_lang = corpus[corpus["language"] == lang]
    sms = of_lang[(of_lang["role"] == "sms_scam") & of_lang["split"].isin(["train", "valid"])]
    other = of_lang[(of_lang["role"] == "other_legit") & (of_lang["split"] == "train")]
    other = other.sample(min(len(other), OTHER_LEGIT_PASTES), random_state=SEED)
    rows = Rows.of(pd.concat([sms, other]))
    half = len(sms) + len(other) // 2
    shaped = [p if i < len(sms) else (excerpt(p) if i < half else pasted(p))
              for i, p in enumerate(rows.postings)]
    return Rows(shaped, rows.labels, rows.groups, rows.frame)


def fit_language(
    corpus: pd.DataFrame, lang: str, log: Callable[[str], None] = print, folds: int = 5,
    baseline: bool = True,
) -> tuple[LanguageModel, LanguageModel | None, dict[str, Any]]:
    """The shipped model and the plain baseline of one language, and their grouped CV.
    Without `baseline` (a retrain of the recipe already chosen, whose gate is `detector
    models promote` against the served model) neither the baseline nor the CV comparison."""
    rows = fit_rows(corpus, lang)
    log(f"[{lang}] {len(rows.labels):,} core rows ({int(rows.labels.sum())} scams, "
        f"{len(set(rows.groups)):,} groups) from train+valid")
    spec = RECIPES[lang]
    structured = fit_scorer(spec["structured"], rows, lang, folds=folds)
    log(f"[{lang}] fitted {spec['structured'][0]}")
    pasted_scorer = None
    if "pasted" in spec:
        extra = pasted_extra(corpus, lang)
        pasted_fit = fit_scorer(spec["pasted"], rows, lang, copies=(pasted, excerpt),
                                shapes=(pasted, excerpt), extra=extra, folds=folds)
        pasted_scorer = pasted_fit.scorer
        log(f"[{lang}] fitted {spec['pasted'][0]} for pasted text (+{int(extra.labels.sum())} "
            f"scam SMS, +{int((extra.labels == 0).sum())} other-site legit pastes)")
    model = LanguageModel(structured.scorer, PREVALENCE[lang], pasted=pasted_scorer,
                          min_words=MIN_WORDS[lang],
                          recipe={k: v[0] for k, v in spec.items()})
    if not baseline:
        return model, None, {}
    base = fit_scorer(BASELINE[lang], rows, lang, folds=folds)
    log(f"[{lang}] fitted the baseline")
    plain = LanguageModel(base.scorer, PREVALENCE[lang], recipe={"structured": "baseline"})
    cv = group_bootstrap(rows.labels, {"baseline": base.oof, "model": structured.oof},
                         rows.groups, weights=group_weights(rows.groups))
    cv["n"], cv["n_scam"], cv["n_groups"] = (len(rows.labels), int(rows.labels.sum()),
                                             len(set(rows.groups)))
    return model, plain, cv


def group_weights(groups: np.ndarray) -> np.ndarray:
    """Each group counts once: one reposted template must not outvote a hundred campaigns."""
    series = pd.Series(np.asarray(groups))
    return (1.0 / series.map(series.value_counts())).to_numpy(float)


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
                 baseline: bool = True) -> ModelBundle:
    """Train every language; refuse (LosesToBaseline) a model that loses to its baseline.

    The fitted baselines are put into `baselines` when given (evaluation reuses them).
    `baseline=False`: no baseline and no CV comparison (see `fit_language`)."""
    languages, cv = {}, {}
    for lang in ("en", "zh"):
        languages[lang], base, cv[lang] = fit_language(corpus, lang, log, folds, baseline)
        if not baseline:
            continue
        if baselines is not None and base is not None:
            baselines[lang] = base
        log(f"[{lang}] grouped CV (each group counted once): " + ", ".join(
            f"{m} model {cv[lang]['model'][m]['value']:.3f} vs baseline "
            f"{cv[lang]['baseline'][m]['value']:.3f}" for m in ("roc_auc", "pr_auc")))
        if not force:
            check_against_baseline(lang, cv[lang])
    return ModelBundle(version=version, languages=languages,
                       meta={"seed": SEED, "grouped_cv": {k: v for k, v in cv.items() if v}})
