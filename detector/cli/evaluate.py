"""`detector evaluate`: print and save the test figures of the shipped model."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from detector.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

    from detector.core import Detector
    from detector.model.bundle import ModelBundle


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="measure the shipped model on the test split")
    parser.add_argument("--random-split", action="store_true",
                        help="also train and test on a random split, for comparison with "
                        "published results (takes minutes)")
    parser.add_argument("--write-card", action="store_true",
                        help="rewrite models/model_card.{json,md} with these figures")
    parser.add_argument("--output", default="reports/evaluation.json",
                        help="where to save the figures (JSON)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(detector: Detector, corpus: pd.DataFrame, random_split: bool) -> dict[str, Any]:
    from detector.model.evaluate import evaluate, random_split_figures

    figures = evaluate(detector, corpus, log=log)
    if random_split:
        for lang in figures:
            log(f"[{lang}] random-split comparison: training a second model")
            figures[lang]["random_split"] = random_split_figures(corpus, lang)
    return figures


def save_figures(figures: dict[str, Any], path: str) -> None:
    from pathlib import Path

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def evaluate_and_write_card(
    settings: Settings, corpus: pd.DataFrame, bundle: ModelBundle, random_split: bool,
    output: str = "reports/evaluation.json",
) -> int:
    """Measure the artifact on disk (reloaded through the sha256 check) and write its card."""
    from detector.core import Detector
    from detector.corpus.build import CORPUS_FILE
    from detector.flags.qa import rule_report
    from detector.hashing import sha256_file
    from detector.model.artifact import load_bundle
    from detector.model.card import build_card, write_card
    from detector.model.evaluate import format_figures

    data_sha = sha256_file(settings.data_dir / CORPUS_FILE)
    placeholder = {"artifact": {}}
    detector = Detector(bundle, placeholder)
    figures = measure(detector, corpus, random_split)
    if not random_split:
        _keep_random_split(figures, settings, data_sha)
    rules = rule_report(corpus).to_dict("records")
    card = build_card(bundle, settings.model_dir, data_sha, figures, rules)
    write_card(card, settings.model_dir)
    load_bundle(settings.model_dir)  # proves the card and artifact agree
    save_figures(figures, output)
    print(format_figures(figures))
    return 0


def _keep_random_split(figures: dict[str, Any], settings: Settings, data_sha: str) -> None:
    """The random-split comparison does not depend on the shipped artifact, only on the data
    and the training code: keep the previous card's when the data is the same."""
    from detector.model.artifact import ModelIntegrityError, read_card

    try:
        previous = read_card(settings.model_dir)
    except ModelIntegrityError:
        return
    if previous.get("training_data", {}).get("sha256") != data_sha:
        return
    for lang, result in figures.items():
        old = previous.get("test_figures", {}).get(lang, {}).get("random_split")
        if old:
            result["random_split"] = old


def run(args: argparse.Namespace) -> int:
    from detector.core import Detector  # heavy imports: not needed for --help
    from detector.corpus.build import load_corpus
    from detector.model.artifact import load_bundle
    from detector.model.evaluate import format_figures

    settings = Settings.from_env()
    corpus = load_corpus(settings.data_dir)
    bundle, card = load_bundle(settings.model_dir)
    if args.write_card:
        return evaluate_and_write_card(settings, corpus, bundle, args.random_split, args.output)
    figures = measure(Detector(bundle, card), corpus, args.random_split)
    save_figures(figures, args.output)
    print(format_figures(figures))
    print(f"\nsaved {args.output}")
    return 0
