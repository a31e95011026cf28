"""The `detector` parser: every option explained, and start-up that imports nothing heavy.

Issue 10 items 12-13: `--help` took 3.4 s because every command's module imported pandas,
scikit-learn and the model code; `serve --help` options had no help text. Timings are
benchmarks, not tests: here we check *what* gets imported, which is what made it slow.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from detector.cli import COMMANDS, build_parser

HEAVY = ("numpy", "pandas", "sklearn", "scipy", "jieba", "jieba_fast", "pyarrow", "fastapi",
         "uvicorn", "detector.core", "detector.model.bundle")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def _walk(parser: argparse.ArgumentParser, path: str):  # type: ignore[no-untyped-def]
    yield path, parser
    for name, child in _subparsers(parser).items():
        yield from _walk(child, f"{path} {name}")


def test_every_option_of_every_command_has_help() -> None:
    missing = []
    for path, parser in _walk(build_parser(), "detector"):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not (action.help or "").strip():
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, f"options without help: {missing}"


def test_command_summaries_match_the_modules() -> None:
    """`detector --help` lists the summaries from COMMANDS without importing the modules."""
    real = build_parser()
    for action in real._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
    assert helps == {name: summary for name, (_, summary) in COMMANDS.items()}


PROBE = """
import json, sys
from detector.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m in {heavy!r})))
"""


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["nonsense"],
    *[[name, "--help"] for name in COMMANDS],
    ["serve", "--workers", "0"],
    ["scan", "/no/such/feed.csv", "-o", "/tmp/never-written.jsonl"],
])
def test_help_and_argument_errors_import_nothing_heavy(argv: list[str]) -> None:
    heavy = set(HEAVY)
    code = PROBE.format(heavy=heavy)
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                            text=True, timeout=60)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"`detector {' '.join(argv)}` imported {loaded}"


def test_missing_feed_is_a_clear_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "detector", "scan", "/no/such/feed.csv", "-o", "/tmp/x.jsonl"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "not found" in result.stderr and "/no/such/feed.csv" in result.stderr


def test_a_library_error_is_internal_and_ours_are_usage_errors() -> None:
    """Issue 24: a ValueError raised inside scikit-learn was printed as a usage error (2)."""
    from pathlib import Path

    from sklearn.feature_extraction.text import TfidfVectorizer

    from detector.cli.common import UsageError, internal_error_message, is_usage_error
    from detector.feeds.readers import FeedError
    from detector.scan.writers import output_format

    try:
        TfidfVectorizer(max_df=0.05).fit(["one text", "another text"])
    except ValueError as exc:
        library = exc
    try:
        output_format(Path("out.txt"))
    except ValueError as exc:
        ours = exc
    assert not is_usage_error(library)
    assert is_usage_error(ours) and is_usage_error(FeedError("x")) and is_usage_error(
        UsageError("x")) and is_usage_error(FileNotFoundError("x"))
    assert not is_usage_error(KeyError("x"))
    message = internal_error_message("models", library)
    assert message.startswith("detector models: internal error: ValueError: max_df")
    assert "sklearn/feature_extraction/text.py" in message and "This is a bug" in message
