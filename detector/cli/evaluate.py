"""`detector evaluate`: the shipped model's test figures beside the plain baseline."""

from __future__ import annotations

import argparse


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


def run(args: argparse.Namespace) -> int:
    from detector.evaluation.release import evaluate_and_write_card
    from detector.settings import Settings

    settings = Settings.from_env()
    return evaluate_and_write_card(settings.model_dir, settings.data_dir, args.write_card,
                                   args.learning_curve, args.output, log=log)
