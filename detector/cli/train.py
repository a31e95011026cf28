"""`detector train`: rebuild the shipped model from `labeled_posts/`, then evaluate it and
write the model card. Deterministic: same data and seed, same figures."""

from __future__ import annotations

import argparse
import sys

from detector.settings import Settings

MODEL_MAJOR = "1.0"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the model from labeled_posts/")
    parser.add_argument("--no-random-split", action="store_true",
                        help="skip the random-split comparison (saves a few minutes)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from detector.cli.evaluate import evaluate_and_write_card
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.hashing import sha256_file
    from detector.model.artifact import save_bundle
    from detector.model.train import train_bundle

    settings = Settings.from_env()
    corpus = load_corpus(settings.data_dir)
    data_sha = sha256_file(settings.data_dir / CORPUS_FILE)
    bundle = train_bundle(corpus, version=f"{MODEL_MAJOR}+{data_sha[:8]}", log=log)
    sha = save_bundle(bundle, settings.model_dir)
    log(f"saved {settings.model_dir} (sha256 {sha[:12]}…)")
    return evaluate_and_write_card(
        settings, corpus, bundle, random_split=not args.no_random_split
    )
