"""Decision and calibration metrics, weighted (to prevalence): used by fitting the combiner
and by evaluating whole verdicts."""

from __future__ import annotations

import numpy as np


def round4(value: float) -> float:
    return round(float(value), 4)


def decision_metrics(pred: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    tp = weights[pred & (labels == 1)].sum()
    fp = weights[pred & (labels == 0)].sum()
    fn = weights[~pred & (labels == 1)].sum()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round4(precision), "recall": round4(recall), "f1": round4(f1)}


def calibration_error(prob: np.ndarray, labels: np.ndarray, weights: np.ndarray, bins: int = 10
                      ) -> float:
    """Expected calibration error over equal-width probability bins (weighted)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(prob, edges) - 1, 0, bins - 1)
    total, error = weights.sum(), 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            w = weights[mask]
            error += w.sum() / total * abs(np.average(prob[mask], weights=w)
                                           - np.average(labels[mask], weights=w))
    return round4(error)
