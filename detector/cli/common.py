"""Small helpers shared by the CLI commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


class UsageError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit code 2."""


#: Exit status of an internal error (sysexits.h EX_SOFTWARE): not 2, which says "your input".
INTERNAL_ERROR_EXIT = 70
_PACKAGE = Path(__file__).resolve().parents[1]


def _ours(filename: str) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(_PACKAGE)
    except (OSError, ValueError):
        return False


def is_usage_error(exc: BaseException) -> bool:
    """Whether `exc` says the user asked for something that cannot be done (exit 2) rather
    than that something broke inside (issue 24: scikit-learn's "max_df corresponds to <
    documents than min_df" was printed as a usage error). Ours are: UsageError, a missing
    file, this package's own ValueError subclasses, and a ValueError raised by this
    package's code; a ValueError raised inside a library is internal."""
    if isinstance(exc, UsageError | FileNotFoundError):
        return True
    if not isinstance(exc, ValueError):
        return False
    if type(exc).__module__.startswith("detector."):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is None or _ours(tb.tb_frame.f_code.co_filename)


def internal_error_message(command: str, exc: BaseException) -> str:
    """One paragraph: the error, where it was raised, the last frame of ours on the way,
    and that this is a bug (the traceback with DETECTOR_LOG_LEVEL=DEBUG)."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" (raised in {_short(last.filename)}:{last.lineno}"
        mine = [f for f in frames if _ours(f.filename)]
        if mine and mine[-1] is not last:
            where += f", called from {_short(mine[-1].filename)}:{mine[-1].lineno} " \
                f"{mine[-1].name}"
        where += ")"
    text = str(exc).strip().splitlines()
    return (f"detector {command}: internal error: {type(exc).__name__}: "
            f"{text[0] if text else '(no message)'}{where}. This is a bug, not a problem "
            "with what you asked; please report it with the command "
            "(DETECTOR_LOG_LEVEL=DEBUG prints the traceback).")


def _short(filename: str) -> str:
    path = Path(filename)
    for anchor in ("site-packages", "detector"):
        if anchor in path.parts:
            index = len(path.parts) - 1 - path.parts[::-1].index(anchor)
            return str(Path(*path.parts[index + (anchor == "site-packages"):]))
    return path.name


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
