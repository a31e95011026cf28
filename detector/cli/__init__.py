"""The `detector` command line: one subcommand per module in this package.

Each module has `register(subparsers)` that adds its parser and sets `func`; commands only
parse arguments, call the core and print.

Start-up is kept instant: only the module of the command being run is imported (the others
appear in `--help` from the one-line summaries below), and modules import numpy, pandas,
scikit-learn or the model inside `run()`, so `--help` and argument errors print at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: name -> (module, one-line help). The help must match the module's own `add_parser(help=)`
#: (tests/cli check it), so `detector --help` can list every command without importing any.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("detector.cli.score", "score one posting"),
    "scan": ("detector.cli.scan", "score a feed (CSV, JSONL, Parquet)"),
    "train": ("detector.cli.train", "train the model from labeled_posts/"),
    "evaluate": ("detector.cli.evaluate",
                 "measure the shipped model on the test split, beside the baseline"),
    "corpus": ("detector.cli.corpus", "build the labelled corpus"),
    "rules": ("detector.cli.rules", "red-flag catalogue and rule QA"),
    "serve": ("detector.cli.serve", "run the scoring API and web page"),
    "labels": ("detector.cli.labels", "record and manage moderator decisions"),
    "models": ("detector.cli.models", "list, compare, promote and roll back model versions"),
    "campaigns": ("detector.cli.campaigns",
                  "campaign memory: evaluate, status, rebuild fingerprints, seeds"),
}
DESCRIPTION = "Job-posting scam detector: score postings, scan feeds, train, evaluate."


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser (every command registered by its module), or, with `only`, that
    command's real parser and a help-only placeholder for the others."""
    parser = argparse.ArgumentParser(prog="detector", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, summary) in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).register(subparsers)
        else:
            subparsers.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    chosen = args_in[0] if args_in and args_in[0] in COMMANDS else None
    # No command (or an unknown one): help or a usage error, without importing any command.
    parser = build_parser(only=chosen or "")
    args = parser.parse_args(args_in)
    from detector.cli.common import UsageError

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
