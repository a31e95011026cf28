"""Pictures for the model card: reliability and precision-recall per language (model beside
baseline, on the test split), and the learning curve (grouped CV against training rows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from detector.core import Detector
from detector.model.bundle import LanguageModel
from detector.model.fitting import prevalence_weights, to_postings
from detector.verdict import PREVALENCE

FIGURES_DIR = "figures"


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _test_scores(detector: Detector, baseline: LanguageModel, corpus: pd.DataFrame,
                 lang: str, roles: tuple[str, ...] = ("core",)
                 ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    core = corpus[(corpus["language"] == lang) & (corpus["split"] == "test")
                  & corpus["role"].isin(roles)]
    postings = to_postings(core)
    verdicts = detector.score_many(postings)
    final = np.array([v.fraud_probability for v in verdicts])
    model = np.array([v.model_probability for v in verdicts])
    base, _ = baseline.predict(postings)
    return core["label"].to_numpy(int), {"verdict": final, "model": model, "baseline": base}


def _reliability(ax: Any, series: list[tuple[str, np.ndarray, np.ndarray]], lang: str) -> None:
    """One line per (name, labels, probabilities), each re-weighted to prevalence."""
    edges = np.array([0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0])
    for name, labels, prob in series:
        if labels.min() == labels.max():
            continue
        weights = prevalence_weights(labels, PREVALENCE[lang])
        which = np.clip(np.digitize(prob, edges) - 1, 0, len(edges) - 2)
        xs, ys = [], []
        for b in range(len(edges) - 1):
            mask = which == b
            if mask.sum() >= 5:
                xs.append(np.average(prob[mask], weights=weights[mask]))
                ys.append(np.average(labels[mask], weights=weights[mask]))
        ax.plot(xs, ys, marker="o", label=name)
    ax.plot([0, 1], [0, 1], ls="--", c="grey", lw=1)
    ax.set(xlabel="predicted probability",
           ylabel=f"observed scam share (at {PREVALENCE[lang]:.1%})",
           title=f"{lang}: reliability (test)", xlim=(0, 1), ylim=(0, 1))
    ax.legend()


def _pr(ax: Any, labels: np.ndarray, scores: dict[str, np.ndarray], lang: str) -> None:
    from sklearn.metrics import average_precision_score, precision_recall_curve

    for name, prob in scores.items():
        precision, recall, _ = precision_recall_curve(labels, prob)
        ap = average_precision_score(labels, prob)
        ax.plot(recall, precision, label=f"{name} (AP {ap:.3f})")
    ax.set(xlabel="recall", ylabel="precision", title=f"{lang}: precision-recall (test)",
           xlim=(0, 1), ylim=(0, 1.02))
    ax.legend()


def write_plots(detector: Detector, baselines: dict[str, LanguageModel], corpus: pd.DataFrame,
                model_dir: Path, curves: dict[str, Any] | None = None) -> list[str]:
    """Write PNGs under `model_dir/figures/`; returns their paths relative to `model_dir`."""
    plt = _pyplot()
    out = model_dir / FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("en", "zh"):
        labels, scores = _test_scores(detector, baselines[lang], corpus, lang)
        series = [(name, labels, prob) for name, prob in scores.items()]
        msg_labels, msg_scores = _test_scores(detector, baselines[lang], corpus, lang,
                                              roles=("sms_scam", "msg_legit"))
        if len(msg_labels) and msg_labels.min() != msg_labels.max():
            series.append(("verdict, messages", msg_labels, msg_scores["verdict"]))
            series.append(("baseline, messages", msg_labels, msg_scores["baseline"]))
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
        _reliability(axes[0], series, lang)
        _pr(axes[1], labels, scores, lang)
        fig.tight_layout()
        name = f"{FIGURES_DIR}/{lang}_reliability_pr.png"
        fig.savefig(model_dir / name, dpi=90)
        plt.close(fig)
        written.append(name)
    if curves:
        fig, axes = plt.subplots(1, len(curves), figsize=(5 * len(curves), 4))
        for ax, (lang, curve) in zip(np.atleast_1d(axes), curves.items(), strict=True):
            for name in ("baseline", "model"):
                ax.plot(curve["rows"], curve[name], marker="o", label=name)
            ax.set(xscale="log", xlabel="training rows (core, train+valid)",
                   ylabel="grouped CV ROC-AUC (groups weighted once)",
                   title=f"{lang}: learning curve")
            ax.legend()
        fig.tight_layout()
        name = f"{FIGURES_DIR}/learning_curve.png"
        fig.savefig(model_dir / name, dpi=90)
        plt.close(fig)
        written.append(name)
    return written
