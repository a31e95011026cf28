"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


class UsageError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit code 2."""


def read_text_file(path: Path) -> str:
    """Read a UTF-8 file, with a clear error for a missing file or invalid UTF-8."""
    if not path.exists():
        raise UsageError(f"file not found: {path}")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first"
        ) from exc


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def positive_int(raw: str) -> int:
    """argparse type for counts that must be at least 1 (a clear usage error otherwise)."""
    import argparse

    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
