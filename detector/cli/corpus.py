"""`detector corpus build`: rebuild `labeled_posts/` from `../shared/data/`."""

from __future__ import annotations

import argparse
from pathlib import Path

from detector.settings import PROJECT_ROOT, Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("corpus", help="build the labelled corpus")
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="map ../shared/data into labeled_posts/")
    build.add_argument("--shared", default=str(PROJECT_ROOT.parent / "shared" / "data"),
                       help="folder with the shared source data sets (default: ../shared/data)")
    build.add_argument("--out", default=None, help="default: labeled_posts/")
    build.add_argument("--seed", type=int, default=13,
                       help="seed for the group-disjoint train/validation/test split (default: 13)")
    build.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from detector.campaigns.seeds import write_seeds
    from detector.corpus.build import build_corpus  # heavy: not needed for --help

    out = Path(args.out) if args.out else Settings.from_env().data_dir
    frame = build_corpus(Path(args.shared), out, seed=args.seed)
    write_seeds(out, frame)  # the campaign memory's known scams (train + valid only)
    print(f"wrote {len(frame):,} postings to {out}; see {out / 'DATA_CARD.md'}")
    return 0
