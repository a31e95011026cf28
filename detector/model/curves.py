"""The learning curve: grouped CV of model and baseline on growing shares of the groups.

Whole groups are sampled (a campaign is one unit of evidence), and each group counts once
in the figure, so the curve says how the score grows with the number of companies and
campaigns seen, which is what more data would buy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from detector.model.fitting import BASELINE, RECIPES, SEED, fit_rows, group_weights, make_recipe
from detector.model.selection import grouped_oof

SHARES = (0.125, 0.25, 0.5, 1.0)
CURVE_FILE = "learning_curve.json"


def save_curves(curves: dict[str, Any], model_dir: Path) -> None:
    (model_dir / CURVE_FILE).write_text(json.dumps(curves, indent=2) + "\n", encoding="utf-8")


def load_curves(model_dir: Path) -> dict[str, Any] | None:
    """The learning curve measured for this model directory, if it was measured."""
    path = model_dir / CURVE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def learning_curves(corpus: pd.DataFrame, log: Callable[[str], None] = print,
                    shares: tuple[float, ...] = SHARES) -> dict[str, Any]:
    curves: dict[str, Any] = {}
    rng = np.random.default_rng(SEED)
    for lang in ("en", "zh"):
        rows = fit_rows(corpus, lang)
        uniq = np.unique(rows.groups)
        order = rng.permutation(uniq)
        curve: dict[str, list[float]] = {"rows": [], "groups": [], "model": [], "baseline": []}
        for share in shares:
            keep_groups = set(order[: max(int(len(order) * share), 10)])
            keep = np.array([g in keep_groups for g in rows.groups])
            postings = [p for p, k in zip(rows.postings, keep, strict=True) if k]
            labels, groups = rows.labels[keep], rows.groups[keep]
            weights = rows.weights()[keep]
            curve["rows"].append(int(keep.sum()))
            curve["groups"].append(len(keep_groups))
            specs = (("model", RECIPES[lang]["structured"]), ("baseline", BASELINE[lang]))
            for name, spec in specs:
                oof = grouped_oof(make_recipe(spec), postings, labels, groups, weights,
                                  seed=SEED)
                curve[name].append(round(float(roc_auc_score(
                    labels, oof, sample_weight=group_weights(groups))), 4))
            log(f"[{lang}] learning curve: {keep.sum()} rows -> model {curve['model'][-1]}, "
                f"baseline {curve['baseline'][-1]}")
        curves[lang] = curve
    return curves
