from __future__ import annotations

import numpy as np
import pandas as pd

from detector.model.train import best_threshold, prevalence_weights, training_weights


def test_prevalence_weights_set_the_scam_share() -> None:
    labels = np.array([1, 1, 1, 0, 0])
    weights = prevalence_weights(labels, 0.05)
    assert np.isclose(weights[labels == 1].sum() / weights.sum(), 0.05)


def test_training_weights_balance_core_and_cap_other_sites() -> None:
    rows = pd.DataFrame({
        "role": ["core"] * 4 + ["other_legit"] * 10 + ["core"],
        "label": [1, 0, 0, 0] + [0] * 10 + [1],
        "copy": [""] * 14 + ["pasted"],
    })
    weights = training_weights(rows)
    assert weights[0] == 3.0 and weights[14] == 1.5
    assert np.isclose(weights[4:14].sum(), 0.5 * 3)


def test_excerpts_are_real_prefixes_of_the_posting() -> None:
    from detector.model.train import excerpt
    from detector.schema import parse_posting

    posting = parse_posting({"id": "x", "title": "Clerk", "description": "word " * 400})
    short = excerpt(posting)
    assert posting.full_text().startswith(short.fields["text"])
    assert 30 <= len(short.fields["text"]) <= 400
    assert excerpt(posting) == short


def test_best_threshold_separates_a_clean_split() -> None:
    prob = np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    labels = np.array([0, 0, 0, 1, 1])
    t = best_threshold(prob, labels, np.ones(5), beta=1.0)
    assert 0.3 < t <= 0.8
