"""`detector train`: rebuild the shipped model from `labeled_posts/`, then evaluate it and
write the model card. Deterministic: same data and seed, same figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from detector.settings import Settings

MODEL_MAJOR = "1.0"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the model from labeled_posts/")
    parser.add_argument("--no-random-split", action="store_true",
                        help="skip the random-split comparison (saves a few minutes)")
    # Issue 12 (feedback loop): a new versioned model dir with the store's moderator labels.
    parser.add_argument("--with-labels", action="store_true",
                        help="add the label store's moderator labels (DETECTOR_LABEL_DB) and "
                        "write a new model version, never the shipped models/")
    parser.add_argument("--out", type=Path, help="directory of the new version (default: "
                        "DETECTOR_MODELS_HOME/<version>); implies a new version")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="new versions only: train on ~N corpus rows drawn by group "
                        "(tests, quick trials)")
    parser.add_argument("--no-evaluate", action="store_true",
                        help="new versions only: write the card without test figures "
                        "(`detector models compare` measures them)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if args.with_labels or args.out or args.sample:
        from detector.labels.retrain import retrain

        retrain(Settings.from_env(), args.out, with_labels=args.with_labels,
                sample=args.sample, evaluate=not args.no_evaluate, log=log)
        return 0
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
