"""Issue 24 item 5, in one process: a SQLite label store follows its file. Deleted under a
running server, writes went on into a file no longer on disk (201 for all of them); now they
are refused (StoreUnavailable, the API's 503) until a store file is back at the path, a file
replaced at the path is opened instead of the old one, and a decision is acknowledged only
when it is in the file at the path. Hand-written postings (rule tests, not data)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from detector.labels.decisions import Decision, parse_decision
from detector.labels.store import LabelStore, StoreUnavailable, store_unavailable


def decision(n: int) -> Decision:
    return parse_decision({"posting": {"id": f"d{n}", "text": f"Typing job {n}: pay a 90 "
                                       "yuan deposit first."}, "label": "scam"}, "moderator")


def remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ids(path: Path) -> set[str]:
    fresh = LabelStore(str(path))
    try:
        return {row["external_id"] for row in fresh.decisions()}
    finally:
        fresh.close()


def test_a_deleted_file_refuses_writes_and_health(tmp_path: Path) -> None:
    path = tmp_path / "labels.sqlite"
    store = LabelStore(str(path))
    store.record([decision(1)])
    remove_store(path)
    with pytest.raises(StoreUnavailable, match="was deleted") as refused:
        store.record([decision(2)])
    assert store_unavailable(refused.value)  # the API answers 503 store_unavailable
    with pytest.raises(StoreUnavailable):
        store.ping()  # /v1/health: unreachable, with the reason
    assert not path.exists()  # nothing was written anywhere, no empty file made either


def test_every_process_writes_to_the_file_at_the_path(tmp_path: Path) -> None:
    """Two workers, the file deleted, one worker restarted (it makes a new store): the other
    one now writes there too, where before each wrote to its own file."""
    path = tmp_path / "labels.sqlite"
    first, second = LabelStore(str(path)), LabelStore(str(path))
    first.record([decision(1)])
    second.record([decision(2)])
    remove_store(path)
    for store in (first, second):
        with pytest.raises(StoreUnavailable):
            store.record([decision(3)])
    restarted = LabelStore(str(path))
    restarted.record([decision(4)])
    first.record([decision(5)])
    second.record([decision(6)])
    assert ids(path) == {"d4", "d5", "d6"}


def test_a_replaced_file_is_opened_instead_of_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "labels.sqlite"
    store = LabelStore(str(path))
    store.record([decision(1)])
    backup = tmp_path / "backup.sqlite"
    store.engine.raw_connection().cursor().execute(f"VACUUM INTO '{backup}'")
    store.record([decision(2)])
    os.replace(backup, path)  # an operator restores yesterday's file
    Path(f"{path}-wal").unlink(missing_ok=True)
    Path(f"{path}-shm").unlink(missing_ok=True)
    store.record([decision(3)])
    assert ids(path) == {"d1", "d3"}  # the restored file, plus what came after it


def test_a_file_deleted_while_writing_is_not_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "labels.sqlite"
    store = LabelStore(str(path))
    store.record([decision(1)])

    @event.listens_for(store.engine, "commit")
    def _delete_mid_commit(_: object) -> None:
        shutil.move(str(path), str(tmp_path / "elsewhere.sqlite"))

    with pytest.raises(StoreUnavailable, match="deleted or replaced while writing"):
        store.record([decision(2)])
