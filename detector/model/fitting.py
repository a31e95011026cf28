"""Fitting one language's models: the rows each model learns from, the scorers, their
calibration and their grouped cross-validation beside the plain baseline.

Which rows train what (see the data card, and issue #9 for the measurements behind it):
- the `core` rows (EMSCAD, 58.com) of the train and valid splits train the models; the test
  split is read only by `detector evaluate`;
- English has two scorers: a field model for structured postings, and a text model for
  pasted text, trained on pasted and excerpt copies of the same core postings plus the
  reported scam SMS (a job seeker pastes a title and a paragraph, not EMSCAD's fields);
- Chinese: character n-grams of the whole text (structured), and a message model;
- calibration is Platt scaling of group-disjoint out-of-fold scores at real-world
  prevalence, so no split is spent on it;
- every language model is trained beside the plain baseline (word TF-IDF + LR).

`detector.model.train` puts the languages and the combiner together into one bundle.
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
    LanguageModel,
    PlattCalibration,
    Scorer,
    evidence_words,
    logit,
)
from detector.model.selection import group_bootstrap, grouped_oof
from detector.schema import Posting, parse_posting
from detector.textnorm.reading import read
from detector.verdict import PREVALENCE

SEED = 13
#: Weight of a pasted-text or excerpt copy relative to its original.
COPY_WEIGHT = 0.5
#: Excerpt lengths (characters), drawn per posting from a seeded hash.
EXCERPT_CHARS = (60, 700)
#: The shipped recipes, chosen by grouped CV (`detector evaluate --cv` prints the figures).
RECIPES: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {
    "en": {"structured": ("en_fields_fast", {"bigrams": True, "C": 30.0}),
           "pasted": ("en_text", {"char": False, "C": 30.0})},
    "zh": {"structured": ("zh_chars", {"C": 3.0, "hashed": True, "fold": True}),
           "pasted": ("zh_chars", {"C": 3.0, "hashed": True, "fold": True})},
}
#: A site kept out of every model's training, so false alarms on it measure a site the
#: models never saw (its rows stay in the corpus for evaluation only).
HELD_OUT_PLATFORM = "猎聘"
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
        """The rows of `frame`, each posting as the models read it in use: the reading's
        `plain` posting (disguises undone; an undisguised posting as written)."""
        frame = frame.reset_index(drop=True)
        return cls([read(p).plain for p in to_postings(frame)], frame["label"].to_numpy(int),
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


#: Other sites' legit postings (train split) the structured model also learns from, per
#: language. English: EMSCAD's surviving legit ads are few, and its frauds are mostly data
#: entry and admin jobs, so an EMSCAD-only model read "typist" or "data entry" as a scam
#: sign (21% of 104 real typist, data-entry and annotation postings at medium or high).
#: Chinese: none (BOSS直聘 rows lowered the unseen-company figures of 58.com).
STRUCTURED_OTHER_LEGIT = {"en": 2000, "zh": 0}


def structured_extra(corpus: pd.DataFrame, lang: str) -> Rows | None:
    """Legit postings of other sites (train split only, `HELD_OUT_PLATFORM` never) that
    join every fold's training of the structured model, never its calibration."""
    n = STRUCTURED_OTHER_LEGIT.get(lang, 0)
    if not n:
        return None
    other = corpus[(corpus["language"] == lang) & (corpus["role"] == "other_legit")
                   & (corpus["split"] == "train")
                   & (corpus["platform"].fillna("") != HELD_OUT_PLATFORM)]
    return Rows.of(other.sample(min(len(other), n), random_state=SEED))


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
    """Extra rows of the pasted-text (message) model: reported scam messages and legit
    messages of the same shapes (recruiting SMS ads, web posts) from train + valid, and
    pasted copies and excerpts of other sites' legit postings from the *train* split only
    (their valid and test splits measure false alarms on pastes). Without the latter the
    model knew only EMSCAD's legit style, and rated 1 in 10 NHS/LinkedIn excerpts medium.
    `HELD_OUT_PLATFORM` is never used."""
    of_lang = corpus[corpus["language"] == lang]
    of_lang = of_lang[of_lang["platform"].fillna("") != HELD_OUT_PLATFORM]
    messages = of_lang[of_lang["role"].isin(["sms_scam", "msg_legit"])
                       & of_lang["split"].isin(["train", "valid"])]
    other = of_lang[(of_lang["role"] == "other_legit") & (of_lang["split"] == "train")]
    other = other.sample(min(len(other), OTHER_LEGIT_PASTES), random_state=SEED)
    rows = Rows.of(pd.concat([messages, other]))
    half = len(messages) + len(other) // 2
    shaped = [p if i < len(messages) else (excerpt(p) if i < half else pasted(p))
              for i, p in enumerate(rows.postings)]
    return Rows(shaped, rows.labels, rows.groups, rows.frame)


@dataclass
class PastedFit:
    """The pasted-text scorer, its baseline, and out-of-fold scores of every row it saw:
    the core postings pasted and as excerpts, and the messages (for the combiner and the
    message figures)."""

    scorer: Scorer
    baseline: Scorer | None
    postings: list[Posting]
    labels: np.ndarray
    groups: np.ndarray
    kind: np.ndarray
    oof: np.ndarray
    baseline_oof: np.ndarray | None


def fit_pasted(spec: tuple[str, dict[str, Any]], rows: Rows, extra: Rows, lang: str,
               folds: int = 5, baseline: bool = True) -> PastedFit:
    """Grouped CV over the core postings pasted and as excerpts plus the extra messages (a
    copy keeps its original's group); the same for the baseline on the same rows (unless
    `baseline` is False). Both are calibrated by `calibrate_pasted`."""
    x = [pasted(p) for p in rows.postings] + [excerpt(p) for p in rows.postings]
    x += list(extra.postings)
    labels = np.concatenate([rows.labels, rows.labels, extra.labels])
    groups = np.concatenate([rows.groups, rows.groups, extra.groups])
    kind = np.array(["core_pasted"] * len(rows.labels) + ["core_excerpt"] * len(rows.labels)
                    + list(extra.frame["role"]), dtype=object)
    core_w = rows.weights()
    scale = core_w[rows.labels == 1].mean() if rows.labels.any() else 1.0
    weights = np.concatenate([core_w, core_w, np.where(extra.labels == 1, scale, 1.0)])
    fitted: dict[str, tuple[Scorer, np.ndarray] | None] = {"baseline": None}
    recipes_to_fit = [("model", spec)] + ([("baseline", BASELINE[lang])] if baseline else [])
    for name, recipe in recipes_to_fit:
        make = make_recipe(recipe)
        oof = grouped_oof(make, x, labels, groups, weights, folds=folds, seed=SEED)
        pipeline = make().fit(x, labels, lr__sample_weight=weights)
        fitted[name] = (Scorer(pipeline, PlattCalibration()), oof)
    model_fit, base_fit = fitted["model"], fitted["baseline"]
    assert model_fit is not None
    fit = PastedFit(model_fit[0], base_fit[0] if base_fit else None, x, labels, groups, kind,
                    model_fit[1], base_fit[1] if base_fit else None)
    calibrate_pasted(fit, lang)
    return fit


#: Short legit messages a pasted-text model must have learned from before its scores of
#: short texts are trusted as they are (see `learned_short_legit`).
SHORT_LEGIT_MESSAGES = 1000


def learned_short_legit(fit: PastedFit, lang: str) -> bool:
    """Did the pasted-text model learn short legit messages as well as short scams? Only
    then are short messages in its calibration and its short-text scores left unpulled.
    Chinese: 5,944 legit messages (recruiting SMS ads, web posts); English: none, so a short
    English text is judged as an excerpt of a posting is (calibrated on the core pastes,
    pulled towards the base rate unless a flag fires). Measured on grouped CV: calibrated on
    the core pastes alone, 3% of the Chinese scam messages came out medium or higher against
    29% with the messages; the English ones 93% against 96%, but with 1.5% against 3.2% of
    the legit EMSCAD excerpts."""
    words = np.array([evidence_words(p) for p in fit.postings])
    short_legit = (fit.labels == 0) & (fit.kind == "msg_legit") & (words < MIN_WORDS[lang])
    return int(short_legit.sum()) >= SHORT_LEGIT_MESSAGES


def calibrate_pasted(fit: PastedFit, lang: str) -> bool:
    """Platt scaling of the pasted-text scorers at prevalence: on every shape they meet
    (core pastes, excerpts and messages) where the model learned short legit messages, else
    on the core pastes and excerpts. Returns whether short texts keep their scores."""
    trusted = learned_short_legit(fit, lang)
    rows = (np.ones(len(fit.labels), dtype=bool) if trusted
            else np.isin(fit.kind, ["core_pasted", "core_excerpt"]))
    weights = prevalence_weights(fit.labels[rows], PREVALENCE[lang])
    fit.scorer.calibration = fit_platt(fit.oof[rows], fit.labels[rows], weights)
    if fit.baseline is not None and fit.baseline_oof is not None:
        fit.baseline.calibration = fit_platt(fit.baseline_oof[rows], fit.labels[rows], weights)
    return trusted


@dataclass
class LanguageFit:
    """One language's shipped model, its baseline (None in a retrain of the recipe already
    chosen), grouped CV, and the out-of-fold scores the combiner is fitted on."""

    model: LanguageModel
    baseline: LanguageModel | None
    cv: dict[str, Any]
    rows: Rows
    structured_oof: np.ndarray
    pasted: PastedFit | None


def fit_language(
    corpus: pd.DataFrame, lang: str, log: Callable[[str], None] = print, folds: int = 5,
    baseline: bool = True,
) -> LanguageFit:
    """The shipped model and the plain baseline of one language, and their grouped CV.
    Without `baseline` (a retrain of the recipe already chosen, whose gate is `detector
    models promote` against the served model) neither the baseline nor the CV comparison."""
    rows = fit_rows(corpus, lang)
    log(f"[{lang}] {len(rows.labels):,} core rows ({int(rows.labels.sum())} scams, "
        f"{len(set(rows.groups)):,} groups) from train+valid")
    spec = RECIPES[lang]
    structured = fit_scorer(spec["structured"], rows, lang, folds=folds,
                            extra=structured_extra(corpus, lang))
    log(f"[{lang}] fitted {spec['structured'][0]}")
    pasted_fit = None
    if "pasted" in spec:
        extra = pasted_extra(corpus, lang)
        pasted_fit = fit_pasted(spec["pasted"], rows, extra, lang, folds=folds,
                                baseline=baseline)
        log(f"[{lang}] fitted {spec['pasted'][0]} for pasted text and messages "
            f"(+{int(extra.labels.sum())} scam messages, +{int((extra.labels == 0).sum())} "
            "legit messages and other-site pastes)")
    model = LanguageModel(structured.scorer, PREVALENCE[lang],
                          pasted=pasted_fit.scorer if pasted_fit else None,
                          min_words=MIN_WORDS[lang],
                          recipe={k: v[0] for k, v in spec.items()},
                          short_messages_trusted=bool(pasted_fit)
                          and learned_short_legit(pasted_fit, lang))
    if not baseline:
        return LanguageFit(model, None, {}, rows, structured.oof, pasted_fit)
    base = fit_scorer(BASELINE[lang], rows, lang, folds=folds)
    log(f"[{lang}] fitted the baseline")
    plain = LanguageModel(base.scorer, PREVALENCE[lang],
                          pasted=pasted_fit.baseline if pasted_fit else None,
                          recipe={"structured": "baseline"})
    cv = group_bootstrap(rows.labels, {"baseline": base.oof, "model": structured.oof},
                         rows.groups, weights=group_weights(rows.groups))
    cv["n"], cv["n_scam"], cv["n_groups"] = (len(rows.labels), int(rows.labels.sum()),
                                             len(set(rows.groups)))
    if pasted_fit is not None:
        cv["pasted"] = pasted_cv(pasted_fit)
    return LanguageFit(model, plain, cv, rows, structured.oof, pasted_fit)


def pasted_cv(fit: PastedFit) -> dict[str, Any]:
    """Grouped-CV figures of the pasted-text model beside its baseline: ranking on the core
    postings as pastes and excerpts, and on the messages."""
    out: dict[str, Any] = {}
    if fit.baseline_oof is None:
        return out
    for part, kinds in (("core_pastes", ("core_pasted", "core_excerpt")),
                        ("messages", ("sms_scam", "msg_legit", "other_legit"))):
        mask = np.isin(fit.kind, kinds)
        labels = fit.labels[mask]
        if labels.min() == labels.max():
            continue
        groups = fit.groups[mask]
        out[part] = group_bootstrap(labels, {"baseline": fit.baseline_oof[mask],
                                             "model": fit.oof[mask]},
                                    groups, weights=group_weights(groups))
        out[part]["n"], out[part]["n_scam"] = int(mask.sum()), int(labels.sum())
    return out


def group_weights(groups: np.ndarray) -> np.ndarray:
    """Each group counts once: one reposted template must not outvote a hundred campaigns."""
    series = pd.Series(np.asarray(groups))
    return (1.0 / series.map(series.value_counts())).to_numpy(float)
