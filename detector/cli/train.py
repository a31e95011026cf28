"""`detector train`: rebuild the model from `labeled_posts/`, check it against the plain
baseline on grouped CV, then evaluate it and write the model card. Deterministic: same
data and seed, same figures. With `--with-labels` / `--out`, a new versioned model
directory with the label store's moderator decisions (issue 12), never the shipped one."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the model from labeled_posts/")
    parser.add_argument("--force", action="store_true",
                        help="write the model even if it loses to the baseline on grouped CV "
                        "(experiments only)")
    parser.add_argument("--learning-curve", action="store_true",
                        help="also measure and plot the learning curve (minutes)")
    # Issue 12 (feedback loop): a new versioned model dir with the store's moderator labels.
    parser.add_argument("--with-labels", action="store_true",
                        help="add the label store's moderator labels (DETECTOR_LABEL_DB) and "
                        "write a new model version, never the shipped models/")
    parser.add_argument("--out", type=Path, help="directory of the new version (default: "
                        "DETECTOR_MODELS_HOME/<version>); implies a new version")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="new versions only: train on ~N corpus rows drawn by group "
                        "(tests, quick trials)")
    parser.add_argument("--full", action="store_true",
                        help="new versions only: rerun the whole training (5 grouped folds, "
                        "the plain baseline and its CV check) instead of refitting the "
                        "recipe already chosen (3 folds for calibration, no baseline)")
    parser.add_argument("--evaluate", action="store_true",
                        help="new versions only: also measure the test-split figures and rule "
                        "QA for the card (minutes; `detector models compare` measures them "
                        "anyway before a promotion)")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="new versions only: cross-validation folds fitted N at a time "
                        "(default: one per available core)")
    parser.add_argument("--no-evaluate", action="store_true",
                        help=argparse.SUPPRESS)  # the default now; kept for old scripts
    parser.add_argument("--fit-cache", type=Path, metavar="DIR",
                        help="keep the fitted text models of this corpus in DIR and reuse "
                        "them on the next run (for refitting the flag combiner alone)")
    parser.add_argument("--shared", type=Path, default=None, metavar="DIR",
                        help="shared data folder whose extra real scam texts also weigh the "
                        "red flags (default: ../shared/data when it exists)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    from detector.cli.progress import log as progress_log

    progress_log(message)


def train_into(model_dir: Path, data_dir: Path, force: bool = False,
               learning_curve: bool = False, fit_cache: Path | None = None,
               shared_data: Path | None = None) -> int:
    from detector.campaigns.reposts import repost_matcher
    from detector.cli.common import UsageError
    from detector.corpus.build import CORPUS_FILE, load_corpus
    from detector.evaluation.card import write_provisional_card
    from detector.evaluation.release import evaluate_and_write_card
    from detector.hashing import sha256_file
    from detector.model.artifact import save_bundle
    from detector.model.train import LosesToBaseline, train_bundle
    from detector.model.version import make_version
    from detector.registry.retrain import content_digest

    corpus = load_corpus(data_dir)
    data_sha = sha256_file(data_dir / CORPUS_FILE)
    baselines: dict = {}
    try:
        bundle = train_bundle(corpus, version="pending", log=log, force=force,
                              baselines=baselines, fit_cache=fit_cache,
                              shared_data=shared_data, reposts=repost_matcher(corpus))
    except LosesToBaseline as exc:
        raise UsageError(str(exc)) from None
    # One scheme for every version (detector.model.version): release and time made first,
    # so versions sort in creation order; the content digest changes whenever the model does.
    bundle.version = make_version(data_sha, content_digest(bundle))
    sha = save_bundle(bundle, model_dir)
    write_provisional_card(bundle, model_dir, sha)
    log(f"saved {model_dir} (sha256 {sha[:12]}…)")
    return evaluate_and_write_card(model_dir, data_dir, write_card=True,
                                   learning_curve=learning_curve, baselines=baselines, log=log)


def run(args: argparse.Namespace) -> int:
    from detector.settings import Settings

    settings = Settings.from_env()
    if args.with_labels or args.out or args.sample:
        from detector.registry.retrain import retrain

        retrain(settings, args.out, with_labels=args.with_labels, sample=args.sample,
                evaluate=args.evaluate, full=args.full, jobs=args.jobs, log=log)
        return 0
    from detector.settings import PROJECT_ROOT

    shared = args.shared or PROJECT_ROOT.parent / "shared" / "data"
    return train_into(settings.model_dir, settings.data_dir, args.force, args.learning_curve,
                      fit_cache=args.fit_cache, shared_data=shared if shared.exists() else None)
