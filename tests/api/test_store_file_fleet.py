"""Issue 24 item 5 against a real `detector serve --workers 2`: the SQLite label store
deleted while it runs. Before, all 323 later decisions got 201 and went into a file no longer
on disk, /v1/health said reachable, and after a worker restart the two workers wrote to
different files. Now: every decision after the deletion is 503 `store_unavailable` and health
says why on every worker; after a worker restart (it starts a new store at the path) and
after the file is replaced (a restore), every acknowledged decision is in the file at the
path, whichever worker took it. Hand-written postings (rule tests, not data)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import httpx

from detector.labels.store import LabelStore
from tests.api.conftest import needs_model
from tests.api.servers import ServeProcess

pytestmark = needs_model
MODERATOR = {"Authorization": "Bearer mod-key"}


def post(serve: ServeProcess, tag: str, n: int) -> tuple[list[str], list[tuple[int, str]]]:
    """n decisions, each on a new connection (so both workers take some): the ids
    acknowledged (201), and (status, code) of the others."""
    acked, others = [], []
    for i in range(n):
        ident = f"{tag}-{i}"
        body = {"posting": {"id": ident, "text": f"Listing {ident}: pay a 150 yuan training "
                            "fee, refunded after your first task."}, "label": "scam"}
        response = httpx.post(f"{serve.url}/v1/feedback", json=body, headers=MODERATOR,
                              timeout=60)
        if response.status_code == 201:
            acked.append(ident)
        else:
            others.append((response.status_code, response.json()["error"]["code"]))
    return acked, others


def stored(path: Path) -> set[str]:
    store = LabelStore(str(path))
    try:
        return {row["external_id"] for row in store.decisions()}
    finally:
        store.close()


def remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_deleted_and_replaced_sqlite_store_under_two_workers(tmp_path: Path) -> None:
    db = tmp_path / "labels.sqlite"
    serve = ServeProcess(tmp_path, {"DETECTOR_LABEL_DB": str(db),
                                    "DETECTOR_MODELS_HOME": str(tmp_path / "home"),
                                    "DETECTOR_API_KEYS": "mod-key:moderator,adm-key:admin"},
                         workers=2).start()
    try:
        serve.wait_ready()
        acked, others = post(serve, "before", 8)
        assert not others and set(acked) <= stored(db)

        remove_store(db)
        acked, others = post(serve, "deleted", 20)
        assert acked == [], f"{len(acked)} decisions acknowledged into a deleted file"
        assert set(others) == {(503, "store_unavailable")}
        for _ in range(8):  # both workers' health says so: a short word for everyone,
            store = httpx.get(f"{serve.url}/v1/health", timeout=30).json()["store"]
            assert store == {"reachable": False, "writable": False,
                             "reason": "file_missing"}, store
            store = httpx.get(f"{serve.url}/v1/health", timeout=30,  # the error for admins
                              headers={"Authorization": "Bearer adm-key"}).json()["store"]
            assert store["reachable"] is False and "deleted" in store["error"], store
        assert not db.exists()

        # A worker restarts: it starts a new store at the path; the other follows it.
        victim = serve.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 180
        while len(set(serve.worker_pids()) - {victim}) < 2 or not db.exists():
            assert time.monotonic() < deadline, "no worker came back"
            time.sleep(0.5)
        serve.wait_ready()
        acked, others = post(serve, "restarted", 20)
        assert not others and set(acked) == stored(db)  # one file for every worker

        # The file is replaced (a restore): every later decision lands in the new file.
        backup = tmp_path / "backup.sqlite"
        with sqlite3.connect(db) as conn:
            conn.execute(f"VACUUM INTO '{backup}'")
        post(serve, "lost-by-restore", 3)
        remove_store(db)
        os.replace(backup, db)
        acked, others = post(serve, "replaced", 20)
        assert not others and set(acked) <= stored(db)
        assert not {i for i in stored(db) if i.startswith("lost-by-restore")}
    finally:
        serve.stop()
    assert "Traceback" not in serve.log()
