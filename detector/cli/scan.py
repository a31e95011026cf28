"""`detector scan`: score a whole feed file to file (see docs/scan.md)."""

from __future__ import annotations

import argparse
import sys

from detector.cli.common import UsageError, is_usage_error


def register(subparsers: argparse._SubParsersAction) -> None:
    from detector.scan.cli import add_arguments

    parser = subparsers.add_parser("scan", help="score a feed (CSV, TSV, JSONL, Parquet)")
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when done, 2 for user mistakes (UsageError), 130 when interrupted."""
    from detector.scan.cli import config_from_args, interrupted_reason, write_review_queue
    from detector.scan.engine import ScanInterrupted
    from detector.scan.runner import run_scan

    try:
        run_scan(config_from_args(args))
        write_review_queue(args)  # --review N (issue 12)
    except (ValueError, FileNotFoundError) as exc:
        if not is_usage_error(exc):
            raise  # an internal error: `detector` says so, with its cause (exit 70)
        raise UsageError(str(exc)) from exc
    except (KeyboardInterrupt, ScanInterrupted) as exc:
        print(f"detector scan: {interrupted_reason(exc)}", file=sys.stderr)
        return 130
    return 0
