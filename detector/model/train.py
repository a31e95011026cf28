"""`detector train`: fit, calibrate and threshold one model per language from `labeled_posts/`.

Which rows train what (see the data card): the `core` sources (EMSCAD, 58.com) carry both
labels; other sites' legit postings and reported scam SMS join the *train* split only, with
capped weights, so that "which site a row came from" is not what the model learns. Every core
and other-site training posting is also added as a pasted text (all fields in `text`) and as a
short excerpt, because a job seeker pastes a listing or part of it, not EMSCAD's fields.
Validation calibrates and sets the thresholds at real-world prevalence; test is only read by
`detector evaluate`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from detector.model.bundle import (
    PREVALENCE,
    LanguageModel,
    ModelBundle,
    PlattCalibration,
    flags_of,
    logit,
    postings_frame,
)
from detector.model.estimator import StackedPostingClassifier
from detector.schema import Posting, parse_posting

SEED = 13
#: Total weight of other-site legit rows, relative to the core legit rows.
OTHER_LEGIT_SHARE = 0.5
#: Weight of a pasted-text or excerpt copy relative to its original.
COPY_WEIGHT = 0.5
#: Excerpt lengths (characters), drawn per posting from a seeded hash.
EXCERPT_CHARS = (60, 400)
#: Whether to stack the metadata model on the text model, per language (see estimator).
STACK = {"en": True, "zh": False}
#: Tier floors. `high` says "this looks like a scam": never below a 30% chance, however weak
#: the model (58.com's F1-optimal threshold was 15%, which would call most postings scams).
#: `medium` must mean a clearly raised risk: at least 3x the base rate.
HIGH_FLOOR = 0.30
MEDIUM_FLOOR_X_PREVALENCE = 3.0
#: Other-site legit postings rated `high` must stay below this share (issue #2 floor: 2%).
OTHER_LEGIT_HIGH_RATE = 0.01


@dataclass
class Prepared:
    """Rows of one language and split, ready for the estimator."""

    rows: pd.DataFrame
    frame: pd.DataFrame
    labels: np.ndarray
    groups: np.ndarray


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
    paste only the part that worried them. Without these, the only short texts in training
    are scam SMS, and the model learns that being short is being a scam."""
    text = posting.full_text()
    digest = hashlib.sha256(f"{SEED}:{posting.id}".encode()).digest()
    length = EXCERPT_CHARS[0] + digest[0] * (EXCERPT_CHARS[1] - EXCERPT_CHARS[0]) // 255
    if len(text) > length:
        cut = text.rfind(" ", 0, length)
        text = text[: cut if cut > length // 2 else length]
    return Posting(fields={"text": text}, id=posting.id)


#: How the training set is augmented: each copy is a real posting in another shape.
COPIES: dict[str, Callable[[Posting], Posting]] = {"pasted": pasted, "excerpt": excerpt}


def prepare(rows: pd.DataFrame, with_copies: bool = False) -> Prepared:
    """Postings -> flags -> model frame; optionally add pasted and excerpt copies of the
    core and other-site postings (column `copy` says which; the original has "")."""
    rows = rows.reset_index(drop=True).assign(copy="")
    postings = to_postings(rows)
    if with_copies:
        eligible = rows["role"].isin(["core", "other_legit"]).to_numpy()
        originals = [p for p, keep in zip(postings, eligible, strict=True) if keep]
        for name, make in COPIES.items():
            rows = pd.concat([rows, rows[eligible].assign(copy=name)], ignore_index=True)
            postings = postings + [make(p) for p in originals]
            eligible = np.concatenate([eligible, np.zeros(len(originals), dtype=bool)])
    frame = postings_frame(postings, flags_of(postings))
    return Prepared(rows, frame, rows["label"].to_numpy(int), rows["group"].to_numpy())


def training_weights(rows: pd.DataFrame) -> np.ndarray:
    """Balanced core classes; other-site legit capped to a share of core legit; SMS scams
    weigh as core scams; each copy weighs COPY_WEIGHT of its original."""
    role = rows["role"].to_numpy()
    label = rows["label"].to_numpy()
    original = rows["copy"].to_numpy() == "" if "copy" in rows else np.ones(len(rows), bool)
    weight = np.ones(len(rows))
    n_legit = max(int(((role == "core") & (label == 0) & original).sum()), 1)
    n_scam = max(int(((role == "core") & (label == 1) & original).sum()), 1)
    scam_weight = n_legit / n_scam
    weight[(role == "core") & (label == 1)] = scam_weight
    other = role == "other_legit"
    if other.any():
        weight[other] = OTHER_LEGIT_SHARE * n_legit / (other & original).sum()
    weight[role == "sms_scam"] = scam_weight
    weight[~original] *= COPY_WEIGHT
    return weight


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


def _weighted_fbeta(prob: np.ndarray, labels: np.ndarray, weights: np.ndarray, t: float,
                    beta: float) -> float:
    pred = prob >= t
    tp = weights[pred & (labels == 1)].sum()
    fp = weights[pred & (labels == 0)].sum()
    fn = weights[~pred & (labels == 1)].sum()
    b2 = beta * beta
    denom = (1 + b2) * tp + b2 * fn + fp
    return float((1 + b2) * tp / denom) if denom else 0.0


def best_threshold(prob: np.ndarray, labels: np.ndarray, weights: np.ndarray, beta: float,
                   lowest: float = 0.01, highest: float = 0.99) -> float:
    """The threshold in [lowest, highest] with the best weighted F-beta on validation."""
    candidates = np.unique(np.round(prob, 4))
    candidates = candidates[(candidates >= lowest) & (candidates <= highest)]
    if len(candidates) == 0:
        return lowest
    scores = [_weighted_fbeta(prob, labels, weights, t, beta) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def fit_language(
    corpus: pd.DataFrame, lang: str, log: Callable[[str], None] = print
) -> tuple[LanguageModel, dict[str, float]]:
    """Train on `train`, calibrate and threshold on `valid`, for one language."""
    rows = corpus[corpus["language"] == lang]
    train = prepare(rows[rows["split"] == "train"], with_copies=True)
    log(f"[{lang}] training on {len(train.rows):,} rows (incl. pasted and excerpt copies)")
    classifier = StackedPostingClassifier(random_state=SEED, stack=STACK[lang]).fit(
        train.frame, train.labels, sample_weight=training_weights(train.rows), groups=train.groups
    )
    valid = prepare(rows[(rows["split"] == "valid")])
    raw = classifier.predict_proba(valid.frame)[:, 1]
    core = valid.rows["role"].eq("core").to_numpy()
    weights = prevalence_weights(valid.labels[core], PREVALENCE[lang])
    calibration = fit_platt(raw[core], valid.labels[core], weights)
    prob = calibration(raw)
    high = best_threshold(prob[core], valid.labels[core], weights, beta=1.0, lowest=HIGH_FLOOR)
    other = valid.rows["role"].eq("other_legit").to_numpy()
    if other.any():  # keep real legit postings from other sites out of `high`
        high = max(high, float(np.quantile(prob[other], 1 - OTHER_LEGIT_HIGH_RATE)))
    medium_floor = min(MEDIUM_FLOOR_X_PREVALENCE * PREVALENCE[lang], high)
    medium = best_threshold(prob[core], valid.labels[core], weights, beta=2.0,
                            lowest=medium_floor, highest=high)
    log(f"[{lang}] calibration a={calibration.a:.3f} b={calibration.b:.3f}; "
        f"thresholds medium={medium:.4f} high={high:.4f}")
    thresholds = {"medium": round(medium, 4), "high": round(high, 4)}
    model = LanguageModel(classifier, calibration, high=thresholds["high"],
                          medium=thresholds["medium"])
    return model, thresholds


def train_bundle(corpus: pd.DataFrame, version: str, log: Callable[[str], None] = print
                 ) -> ModelBundle:
    languages = {}
    for lang in ("en", "zh"):
        languages[lang], _ = fit_language(corpus, lang, log)
    return ModelBundle(version=version, languages=languages, meta={"seed": SEED})
