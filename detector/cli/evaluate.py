"""`detector evaluate`: the shipped model's test figures beside the plain baseline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="measure the shipped model on the test split, beside the baseline")
    parser.add_argument("--write-card", action="store_true",
                        help="rewrite the model card (json, md, figures) with these figures")
    parser.add_argument("--learning-curve", action="store_true",
                        help="also measure grouped CV against training rows (minutes)")
    parser.add_argument("--output", default="reports/evaluation.json",
                        help="where to save the figures (JSON)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    from detector.cli.progress import log as progress_log

    progress_log(message)


def save_figures(figures: dict[str, Any], path: str) -> None:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def evaluate_and_write_card(model_dir: Path, data_dir: Path, write_card: bool = True,
                            learning_curve: bool = False,
                            output: str = "reports/evaluation.json",
                            baselines: dict[str, Any] | None = None) -> int:
    """Measure the artifact on disk (loaded through the sha256 check), print the figures,
    and (with `write_card`) write its card and pictures."""
    from detector.core import Detector
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.flags.qa import rule_report
    from detector.hashing import sha256_file
    from detector.model.artifact import load_bundle
    from detector.model.card import build_card
    from detector.model.card import write_card as write_card_files
    from detector.model.evaluate import evaluate, format_figures
    from detector.model.train import fit_baseline

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
        from detector.model.curves import load_curves
        from detector.model.plots import write_plots

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


def run(args: argparse.Namespace) -> int:
    from detector.settings import Settings

    settings = Settings.from_env()
    return evaluate_and_write_card(settings.model_dir, settings.data_dir, args.write_card,
                                   args.learning_curve, args.output)
