"""`detector campaigns evaluate|status|rebuild|seeds`: the campaign memory (issue 18), which
flags reposts of known scams (trusted decisions in DETECTOR_LABEL_DB, and the corpus's
strong-label scams) without retraining."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "campaign memory: evaluate, status, rebuild fingerprints, seeds"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("campaigns", help=HELP, description=__doc__)
    parser.add_argument("--db", help="label store (default: DETECTOR_LABEL_DB or "
                        "./labels.sqlite); a SQLite path or a postgresql:// URL")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    ev = sub.add_parser("evaluate", help="threshold study (train+valid), held-out campaign "
                        "recall by similarity band and false highs on other sites (minutes)")
    ev.add_argument("--json", type=Path, help="also save the figures as JSON")
    sub.add_parser("status", help="what the memory holds and whether the store answers")
    sub.add_parser("rebuild", help="fingerprint every posting with a trusted decision that "
                   "has none, or one of an older scheme")
    sub.add_parser("seeds", help="rewrite the corpus seeds (labeled_posts/"
                   "campaign_seeds.jsonl.gz) from the corpus, and their signatures "
                   "(campaign_seeds.signatures.npz)")
    parser.set_defaults(func=run)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from detector.settings import Settings

    settings = Settings.from_env()
    location = args.db or settings.label_db
    return {"evaluate": _evaluate, "status": _status, "rebuild": _rebuild,
            "seeds": _seeds}[args.action](settings, location, args)


def _evaluate(settings, location, args) -> int:  # type: ignore[no-untyped-def]
    from detector.corpus.build import load_corpus
    from detector.evaluation import campaigns as evaluate
    from detector.registry.versions import served_model_dir

    result = evaluate.run(load_corpus(settings.data_dir), settings.data_dir,
                          served_model_dir(settings), log)
    print(evaluate.report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(evaluate.to_json(result) + "\n", encoding="utf-8")
    return 0


def _status(settings, location, args) -> int:  # type: ignore[no-untyped-def]
    from detector.campaigns.fingerprint import scheme
    from detector.campaigns.memory import CampaignMemory

    memory = CampaignMemory(location, settings.data_dir, poll=0)
    memory.lookup([])
    memory.sync()
    print(json.dumps({"label_db": location, "scheme": scheme(), **memory.status()},
                     indent=2))
    memory.close()
    return 0


def _rebuild(settings, location, args) -> int:  # type: ignore[no-untyped-def]
    from detector.campaigns import open_label_store
    from detector.campaigns.storage import rebuild

    store = open_label_store(location)
    try:
        rebuild(store, log_fn=print)
    finally:
        store.close()
    return 0


def _seeds(settings, location, args) -> int:  # type: ignore[no-untyped-def]
    from detector.campaigns.seeds import SEEDS_FILE, SIGNATURES_FILE, write_seeds

    n = write_seeds(settings.data_dir)
    print(f"wrote {n} seeds to {settings.data_dir / SEEDS_FILE} and their signatures to "
          f"{settings.data_dir / SIGNATURES_FILE}")
    return 0
