"""The release step: measure a model directory's artifact on the test split beside the
plain baseline, print the figures and write its card and pictures (`detector train`,
`detector evaluate`, a retrain with labels)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def save_figures(figures: dict[str, Any], path: str) -> None:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def evaluate_and_write_card(model_dir: Path, data_dir: Path, write_card: bool = True,
                            learning_curve: bool = False,
                            output: str = "reports/evaluation.json",
                            baselines: dict[str, Any] | None = None,
                            log: Callable[[str], None] = print) -> int:
    """Measure the artifact on disk (loaded through the sha256 check), print the figures,
    and (with `write_card`) write its card and pictures."""
    from detector.core import Detector
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.evaluation.card import build_card
    from detector.evaluation.card import write_card as write_card_files
    from detector.evaluation.verdicts import evaluate, format_figures
    from detector.flags.qa import rule_report
    from detector.hashing import sha256_file
    from detector.model.artifact import load_bundle
    from detector.model.fitting import fit_baseline

    log(f"loading the labelled corpus ({data_dir}) and the model ({model_dir})")
    corpus = load_corpus(data_dir)
    bundle, card = load_bundle(model_dir)
    baselines = dict(baselines or {})
    for lang in bundle.languages:
        if lang not in baselines:
            log(f"[{lang}] training the plain baseline on the same rows")
            baselines[lang] = fit_baseline(corpus, lang)
    figures = evaluate(Detector(bundle, card), baselines, corpus, log=log)
    cv = bundle.meta.get("grouped_cv", {})
    if learning_curve:
        from detector.model.curves import learning_curves, save_curves

        save_curves(learning_curves(corpus, log=log), model_dir)
    if write_card:
        from detector.evaluation.plots import write_plots
        from detector.model.curves import load_curves

        curves = load_curves(model_dir)
        pictures = write_plots(Detector(bundle, card), baselines, corpus, model_dir, curves)
        rules = rule_report(corpus).to_dict("records")
        new_card = build_card(bundle, model_dir, sha256_file(data_dir / CORPUS_FILE),
                              figures, rules, pictures, curves)
        write_card_files(new_card, model_dir)
        load_bundle(model_dir)  # proves the card and artifact agree
    save_figures({"test": figures, "grouped_cv": cv}, output)
    print(format_figures(figures, cv))
    print(f"\nsaved {output}", file=sys.stderr)
    return 0
