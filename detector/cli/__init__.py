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
import os
import sys
from collections.abc import Sequence

#: name -> (module, one-line help). The help must match the module's own `add_parser(help=)`
#: (tests/cli check it), so `detector --help` can list every command without importing any.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("detector.cli.score", "score one posting"),
    "scan": ("detector.cli.scan", "score a feed (CSV, TSV, JSONL, Parquet)"),
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
    "keys": ("detector.cli.keys", "make, list and revoke API keys (the keys file)"),
}
DESCRIPTION = "Job-posting scam detector: score postings, scan feeds, train, evaluate."
#: Commands that can run for minutes: their steps are logged, and a heartbeat line says
#: which step is still running when one is silent (`detector/cli/progress.py`). `scan`
#: has its own progress (a bar on a terminal, else a line every 30 s); `serve` runs on.
LONG_RUNNING = frozenset({"train", "evaluate", "corpus", "rules", "labels", "models"})


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
    from detector.cli.common import INTERNAL_ERROR_EXIT, internal_error_message, is_usage_error

    heartbeat = args.command in LONG_RUNNING
    if heartbeat:
        from detector.cli import progress

        progress.start(args.command)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        if heartbeat:
            progress.stop(done=True)
        return code
    except BrokenPipeError:
        return quiet_broken_pipe()
    except KeyboardInterrupt:
        print(f"detector {args.command}: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except Exception as exc:
        if is_usage_error(exc):
            print(f"detector {args.command}: error: {exc}", file=sys.stderr)
            return 2
        # Something broke inside: say so, with its cause, and not as the user's mistake.
        print(internal_error_message(args.command, exc), file=sys.stderr)
        if os.environ.get("DETECTOR_LOG_LEVEL", "").upper() == "DEBUG":
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        return INTERNAL_ERROR_EXIT
    finally:
        if heartbeat:
            progress.stop(done=False)


#: The shell's status for a process stopped by SIGPIPE (128 + 13), as `yes | head` gives.
BROKEN_PIPE_EXIT = 141


def quiet_broken_pipe() -> int:
    """The reader went away (`detector score | head -c 700`): stop without a traceback.

    stdout is pointed at /dev/null so the interpreter's final flush does not raise again
    (the recipe in Python's `signal` documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return BROKEN_PIPE_EXIT


#: One-shot commands whose process ends without tearing the interpreter down: freeing the
#: model's few hundred thousand objects one by one took 0.2 s of `detector score` (issue 19).
FAST_EXIT = frozenset({"score"})


def entry() -> None:
    """The `detector` console script and `python -m detector`: `main`, then exit. After a
    one-shot command the output is flushed and the process ends at once (`os._exit`): it
    holds no files, threads or temp state to clean up. Tests call `main`, which returns."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv and argv[0] in FAST_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            code = quiet_broken_pipe()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
