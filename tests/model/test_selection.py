"""Grouped CV never splits a group; the bootstrap's intervals contain the point estimate."""

from __future__ import annotations

import numpy as np

from detector.model.selection import group_bootstrap


def test_group_bootstrap_intervals_and_paired_difference() -> None:
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(60), 3)
    labels = np.repeat(rng.integers(0, 2, 60), 3)
    good = labels + rng.normal(0, 0.5, len(labels))
    bad = rng.normal(0, 1, len(labels))
    out = group_bootstrap(labels, {"baseline": bad, "model": good}, groups, n_boot=200)
    for name in ("baseline", "model"):
        lo, hi = out[name]["roc_auc"]["ci"]
        assert lo <= out[name]["roc_auc"]["value"] <= hi
    assert out["model"]["roc_auc"]["diff_ci"][0] > 0
    assert "diff_ci" not in out["baseline"]["roc_auc"]
