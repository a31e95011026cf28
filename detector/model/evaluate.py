"""`detector evaluate`: the figures, measured on the group-disjoint test split only.

Per language, on the core test rows (EMSCAD / 58.com):
- ranking: ROC-AUC and PR-AUC, raw and re-weighted to real-world prevalence;
- decisions at the `high` threshold: precision, recall, F1, raw and re-weighted;
- calibration at prevalence (Brier score, expected calibration error);
- the same test postings pasted as plain text (what a job seeker sends);
- other sites' legit postings rated `high`, and scam SMS rated medium or high.
All figures use the shipped verdict (model + red flags), plus the model alone for reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from detector.core import Detector
from detector.model.bundle import PREVALENCE
from detector.model.train import pasted, prevalence_weights, to_postings
from detector.verdict import RISK_ORDER


def _round(value: float) -> float:
    return round(float(value), 4)


def decision_metrics(pred: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    tp = weights[pred & (labels == 1)].sum()
    fp = weights[pred & (labels == 0)].sum()
    fn = weights[~pred & (labels == 1)].sum()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


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
    return _round(error)


def ranking_and_decisions(prob: np.ndarray, labels: np.ndarray, high: np.ndarray, lang: str
                          ) -> dict[str, Any]:
    """All headline figures for one set of scores; `high` is the boolean decision."""
    weights = prevalence_weights(labels, PREVALENCE[lang])
    ones = np.ones(len(labels))
    return {
        "n": len(labels),
        "n_scam": int(labels.sum()),
        "roc_auc": _round(roc_auc_score(labels, prob)),
        "pr_auc": _round(average_precision_score(labels, prob)),
        "pr_auc_at_prevalence": _round(
            average_precision_score(labels, prob, sample_weight=weights)
        ),
        "at_high": decision_metrics(high, labels, ones),
        "at_high_at_prevalence": decision_metrics(high, labels, weights),
        "brier_at_prevalence": _round(np.average((prob - labels) ** 2, weights=weights)),
        "ece_at_prevalence": calibration_error(prob, labels, weights),
    }


def _verdict_arrays(detector: Detector, rows: pd.DataFrame, as_pasted: bool = False
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    postings = to_postings(rows)
    if as_pasted:
        postings = [pasted(p) for p in postings]
    verdicts = detector.score_many(postings)
    final = np.array([v.fraud_probability for v in verdicts])
    model = np.array([v.model_probability for v in verdicts])
    risk = np.array([RISK_ORDER[v.risk] for v in verdicts])
    return final, model, risk


def evaluate_language(detector: Detector, corpus: pd.DataFrame, lang: str) -> dict[str, Any]:
    test = corpus[(corpus["language"] == lang) & (corpus["split"] == "test")]
    core = test[test["role"] == "core"]
    labels = core["label"].to_numpy(int)
    medium, high = detector.thresholds(lang)
    final, model, risk = _verdict_arrays(detector, core)
    result: dict[str, Any] = {
        "thresholds": {"medium": medium, "high": high},
        "verdict": ranking_and_decisions(final, labels, risk == 2, lang),
        "model_only": ranking_and_decisions(model, labels, model >= high, lang),
    }
    pasted_final, _, pasted_risk = _verdict_arrays(detector, core, as_pasted=True)
    result["pasted_text"] = ranking_and_decisions(pasted_final, labels, pasted_risk == 2, lang)
    for role, key in (("other_legit", "other_sites_legit"), ("sms_scam", "sms_scams")):
        rows = test[test["role"] == role]
        if rows.empty:
            continue
        _, _, risk_other = _verdict_arrays(detector, rows)
        result[key] = {
            "n": len(rows),
            "sources": sorted(rows["source"].unique().tolist()),
            "rated_high": _round((risk_other == 2).mean()),
            "rated_medium_or_high": _round((risk_other >= 1).mean()),
        }
    return result


def evaluate(detector: Detector, corpus: pd.DataFrame, log: Callable[[str], None] = print
             ) -> dict[str, Any]:
    figures = {}
    for lang in ("en", "zh"):
        log(f"[{lang}] evaluating on the test split")
        figures[lang] = evaluate_language(detector, corpus, lang)
    return figures


def format_figures(figures: dict[str, Any]) -> str:
    """A readable table of the headline figures (markdown)."""
    lines = [
        "| language | scores | n (scam) | ROC-AUC | PR-AUC | PR-AUC @prev | P@high | R@high | "
        "F1@high | F1@high @prev | ECE @prev |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, result in figures.items():
        if lang not in ("en", "zh"):
            continue
        for name in ("verdict", "model_only", "pasted_text", "random_split"):
            if name not in result:
                continue
            m = result[name]
            at, atp = m.get("at_high", {}), m.get("at_high_at_prevalence", {})
            cells = [m["roc_auc"], m["pr_auc"], m.get("pr_auc_at_prevalence"),
                     at.get("precision"), at.get("recall"), at.get("f1"), atp.get("f1"),
                     m.get("ece_at_prevalence")]
            shown = " | ".join("–" if c is None else f"{c:.3f}" for c in cells)
            lines.append(f"| {lang} | {name} | {m['n']} ({m['n_scam']}) | {shown} |")
    lines.append("")
    for lang, result in figures.items():
        for key, label in (("other_sites_legit", "rated high (floor <= 2%)"),
                           ("sms_scams", "rated medium or high (floor >= 70%)")):
            if key in result:
                r = result[key]
                value = r["rated_high"] if key == "other_sites_legit" else r["rated_medium_or_high"]
                lines.append(f"- {lang} {key} ({', '.join(r['sources'])}, n={r['n']}): "
                             f"{value:.1%} {label}")
    return "\n".join(lines)


def random_split_figures(corpus: pd.DataFrame, lang: str, seed: int = 13) -> dict[str, Any]:
    """The same classifier on a random 80/20 split of the core rows, as published work does.

    Reposted templates and the same company land on both sides, so these figures are
    optimistic; they are here only to compare with published results.
    """
    from sklearn.model_selection import train_test_split

    from detector.model.estimator import StackedPostingClassifier
    from detector.model.train import STACK, prepare, training_weights

    core = corpus[(corpus["language"] == lang) & (corpus["role"] == "core")]
    train_rows, test_rows = train_test_split(
        core, test_size=0.2, random_state=seed, stratify=core["label"]
    )
    train = prepare(train_rows)
    test = prepare(test_rows)
    model = StackedPostingClassifier(random_state=seed, stack=STACK[lang]).fit(
        train.frame, train.labels, sample_weight=training_weights(train.rows),
        groups=np.arange(len(train.labels)),
    )
    prob = model.predict_proba(test.frame)[:, 1]
    return {
        "n": len(test.labels),
        "n_scam": int(test.labels.sum()),
        "roc_auc": _round(roc_auc_score(test.labels, prob)),
        "pr_auc": _round(average_precision_score(test.labels, prob)),
        "pr_auc_at_prevalence": _round(average_precision_score(
            test.labels, prob, sample_weight=prevalence_weights(test.labels, PREVALENCE[lang]))),
    }
