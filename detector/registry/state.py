"""Which model is served: the promotion state, a small JSON file under the models home.

    {"promoted": {"path": "...", "version": "...", "sha256": "...", "at": "..."} | null,
     "stack": [earlier promoted entries, for rollback]}

Every promotion and rollback is also appended to `events.jsonl` beside it (forced promotions
say so). The shipped `models/` is never in the state: no promotion means it is served.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from detector.settings import Settings

STATE_FILE = "promoted.json"
EVENTS_FILE = "events.jsonl"
LOCK_FILE = ".lock"
log = logging.getLogger("detector.registry")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_state(home: Path) -> dict[str, Any]:
    path = home / STATE_FILE
    if not path.exists():
        return {"promoted": None, "stack": []}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc.msg}); fix or delete it to serve "
                         "the shipped model") from exc
    state.setdefault("promoted", None)
    state.setdefault("stack", [])
    return state


def write_state(home: Path, state: dict[str, Any], event: dict[str, Any]) -> None:
    """Atomic replace (a reader sees the old or the new file, never half of one)."""
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{STATE_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(home / STATE_FILE)
    with (home / EVENTS_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"at": now(), **event}, ensure_ascii=False) + "\n")


def read_events(home: Path) -> list[dict[str, Any]]:
    path = home / EVENTS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@contextmanager
def locked(home: Path) -> Iterator[None]:
    """One promotion or rollback at a time (across processes)."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / LOCK_FILE).open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def served_model_dir(settings: Settings) -> Path:
    """The directory to serve: DETECTOR_MODEL_DIR when given (used as it is), else the
    promoted version, else the shipped `models/`."""
    if settings.model_dir_pinned:
        return settings.model_dir
    promoted = read_state(settings.models_home).get("promoted")
    if not promoted:
        return settings.model_dir
    path = Path(promoted["path"])
    if not path.is_dir():
        log.error("promoted model %s is missing; serving %s", path, settings.model_dir)
        return settings.model_dir
    return path


def state_stamp(settings: Settings) -> float | None:
    """Changes when the state file is replaced: what the server's watch polls."""
    try:
        return (settings.models_home / STATE_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return None
