from __future__ import annotations

import numpy as np

from detector.model.metrics import calibration_error, decision_metrics


def test_decision_metrics() -> None:
    pred = np.array([True, True, False, False])
    labels = np.array([1, 0, 1, 0])
    assert decision_metrics(pred, labels, np.ones(4)) == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5,
    }


def test_calibration_error_is_zero_when_probabilities_match_rates() -> None:
    prob = np.array([0.25] * 4 + [0.75] * 4)
    labels = np.array([1, 0, 0, 0, 1, 1, 1, 0])
    assert calibration_error(prob, labels, np.ones(8)) == 0.0
    assert calibration_error(1 - prob, labels, np.ones(8)) > 0.4
