"""`detector train`: rebuild the model from `labeled_posts/`, check it against the plain
baseline on grouped CV, then evaluate it and write the model card. Deterministic: same
data and seed, same figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MODEL_MAJOR = "2.0"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the model from labeled_posts/")
    parser.add_argument("--force", action="store_true",
                        help="write the model even if it loses to the baseline on grouped CV "
                        "(experiments only)")
    parser.add_argument("--learning-curve", action="store_true",
                        help="also measure and plot the learning curve (minutes)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def train_into(model_dir: Path, data_dir: Path, force: bool = False,
               learning_curve: bool = False) -> int:
    from detector.cli.common import UsageError
    from detector.cli.evaluate import evaluate_and_write_card
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.hashing import sha256_file
    from detector.model.artifact import save_bundle
    from detector.model.card import write_provisional_card
    from detector.model.train import LosesToBaseline, train_bundle

    corpus = load_corpus(data_dir)
    data_sha = sha256_file(data_dir / CORPUS_FILE)
    baselines: dict = {}
    try:
        bundle = train_bundle(corpus, version=f"{MODEL_MAJOR}+{data_sha[:8]}", log=log,
                              force=force, baselines=baselines)
    except LosesToBaseline as exc:
        raise UsageError(str(exc)) from None
    sha = save_bundle(bundle, model_dir)
    write_provisional_card(bundle, model_dir, sha)
    log(f"saved {model_dir} (sha256 {sha[:12]}…)")
    return evaluate_and_write_card(model_dir, data_dir, write_card=True,
                                   learning_curve=learning_curve, baselines=baselines)


def run(args: argparse.Namespace) -> int:
    from detector.settings import Settings

    settings = Settings.from_env()
    return train_into(settings.model_dir, settings.data_dir, args.force, args.learning_curve)
