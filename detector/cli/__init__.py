"""The `detector` command line: one subcommand per module in this package.

Each module has `register(subparsers)` that adds its parser and sets `func`; commands only
parse arguments, call the core and print.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from detector.cli import corpus, evaluate, rules, scan, score, serve, train
from detector.cli.common import UsageError

COMMANDS = (score, scan, train, evaluate, corpus, rules, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detector",
        description="Job-posting scam detector: score postings, scan feeds, train, evaluate.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (UsageError, FileNotFoundError, ValueError) as exc:
        print(f"detector {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
