"""Grouped cross-validation and group-bootstrap intervals: how recipes are chosen.

Folds never split a group (company, reposted template, campaign), the same grouping the
corpus splits use, so a fold's score measures unseen companies and campaigns. Intervals
resample whole groups, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from detector.schema import Posting

N_FOLDS = 5
N_BOOT = 500


def grouped_oof(
    make: Callable[[], Any],
    postings: Sequence[Posting],
    labels: np.ndarray,
    groups: np.ndarray,
    weights: np.ndarray | None = None,
    folds: int = N_FOLDS,
    seed: int = 13,
    shape: Callable[[Sequence[Posting]], list[Posting]] | None = None,
    extra_train: tuple[list[Posting], np.ndarray, np.ndarray] | None = None,
    copies: Sequence[Callable[[Posting], Posting]] = (),
    copy_weight: float = 0.5,
) -> np.ndarray:
    """Out-of-fold probabilities from group-disjoint stratified folds.

    `shape` turns the held-out postings into another shape (pasted text, excerpts) before
    scoring; `extra_train` (postings, labels, weights) joins every fold's training only;
    `copies` add reshaped copies of each fold's training postings at `copy_weight`.
    """
    labels = np.asarray(labels)
    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, float)
    oof = np.zeros(len(labels))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(labels)), labels, groups))
    # Folds are independent: under `joblib.parallel_config(n_jobs=N)` (retraining does that)
    # they are fitted N at a time; by default one after the other, as before.
    from joblib import Parallel, delayed

    fitted = Parallel()(
        delayed(_fold_scores)(make, postings, labels, weights, train, held, shape,
                              extra_train, copies, copy_weight)
        for train, held in splits)
    for (_, held), scores in zip(splits, fitted, strict=True):
        oof[held] = scores
    return oof


def _fold_scores(
    make: Callable[[], Any],
    postings: Sequence[Posting],
    labels: np.ndarray,
    weights: np.ndarray,
    train: np.ndarray,
    held: np.ndarray,
    shape: Callable[[Sequence[Posting]], list[Posting]] | None,
    extra_train: tuple[list[Posting], np.ndarray, np.ndarray] | None,
    copies: Sequence[Callable[[Posting], Posting]],
    copy_weight: float,
) -> np.ndarray:
    """One fold: fit on `train` (+ copies, + extra rows), score `held` (reshaped)."""
    x = [postings[i] for i in train]
    y, w = labels[train], weights[train]
    base_x, base_y, base_w = list(x), y, w
    for make_copy in copies:
        x = x + [make_copy(p) for p in base_x]
        y = np.concatenate([y, base_y])
        w = np.concatenate([w, base_w * copy_weight])
    if extra_train is not None:
        x = x + list(extra_train[0])
        y = np.concatenate([y, extra_train[1]])
        w = np.concatenate([w, extra_train[2]])
    model = clone(make()).fit(x, y, lr__sample_weight=w)
    test = [postings[i] for i in held]
    if shape is not None:
        test = shape(test)
    return model.predict_proba(test)[:, 1]


def _metric(name: str) -> Callable[..., float]:
    return {"roc_auc": roc_auc_score, "pr_auc": average_precision_score}[name]


def group_bootstrap(
    labels: np.ndarray,
    scores: dict[str, np.ndarray],
    groups: np.ndarray,
    metrics: Sequence[str] = ("roc_auc", "pr_auc"),
    n_boot: int = N_BOOT,
    seed: int = 13,
    weights: np.ndarray | None = None,
) -> dict[str, dict[str, Any]]:
    """Point estimate and 95% interval per score and metric, resampling whole groups.

    With two or more scores, also the interval of each one's difference from the first
    (the baseline goes first), resampled jointly so the comparison is paired.
    """
    labels = np.asarray(labels)
    uniq, inverse = np.unique(np.asarray(groups), return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(uniq))]
    rng = np.random.default_rng(seed)
    names = list(scores)
    draws: dict[tuple[str, str], list[float]] = {(n, m): [] for n in names for m in metrics}
    for _ in range(n_boot):
        pick = np.concatenate([members[g] for g in rng.integers(0, len(uniq), len(uniq))])
        y = labels[pick]
        if y.min() == y.max():
            continue
        w = None if weights is None else weights[pick]
        for n in names:
            for m in metrics:
                draws[(n, m)].append(_metric(m)(y, scores[n][pick], sample_weight=w))
    out: dict[str, dict[str, Any]] = {}
    for n in names:
        out[n] = {}
        for m in metrics:
            point = _metric(m)(labels, scores[n], sample_weight=weights)
            values = np.array(draws[(n, m)])
            entry = {"value": round(float(point), 4),
                     "ci": [round(float(v), 4) for v in np.quantile(values, [0.025, 0.975])]}
            if n != names[0]:
                diff = values - np.array(draws[(names[0], m)])
                entry["diff_vs_" + names[0]] = round(float(point - out[names[0]][m]["value"]), 4)
                entry["diff_ci"] = [round(float(v), 4) for v in np.quantile(diff, [0.025, 0.975])]
            out[n][m] = entry
    return out
