"""8 writers x 1,000 decisions through the real API (uvicorn, 2 worker processes) into one
SQLite file: nothing lost, nothing corrupted (count, checksum, integrity_check)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pandas as pd

from detector.labels.decisions import content_hash
from detector.labels.store import LabelStore
from detector.schema import TEXT_FIELDS, parse_posting
from tests.api.conftest import KEYS_ENV, MODERATOR_KEY, bearer, free_port, needs_model

pytestmark = needs_model
WRITERS, EACH = 8, 1000
ROOT = Path(__file__).resolve().parents[2]


def _postings(corpus: pd.DataFrame) -> list[tuple[dict[str, str], str]]:
    rows = corpus.sample(WRITERS * EACH, random_state=7).to_dict("records")
    return [({k: r[k] for k in TEXT_FIELDS if isinstance(r[k], str)},
             "scam" if r["label"] == 1 else "legit") for r in rows]


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DETECTOR_LABEL_DB": str(db), "DETECTOR_RELOAD_POLL_SECONDS": "0",
           "DETECTOR_API_KEYS": KEYS_ENV}
    env.pop("DETECTOR_API_KEYS_FILE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError("server did not start")


def test_eight_writers_lose_nothing(tmp_path: Path, corpus: pd.DataFrame) -> None:
    db = tmp_path / "labels.sqlite"
    items = _postings(corpus)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = _serve(db, port)
    try:
        _wait(url, server)

        def writer(index: int) -> list[int]:
            statuses = []
            with httpx.Client(base_url=url, timeout=60, headers=bearer(MODERATOR_KEY)) as http:
                for posting, label in items[index * EACH:(index + 1) * EACH]:
                    response = http.post("/v1/feedback", json={
                        "posting": posting, "label": label, "reviewer": f"writer-{index}"})
                    statuses.append(response.status_code)
            return statuses

        with ThreadPoolExecutor(WRITERS) as pool:
            statuses = [s for batch in pool.map(writer, range(WRITERS)) for s in batch]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses.count(201) == WRITERS * EACH, sorted(set(statuses))
    expected = sorted(
        f"{content_hash(parse_posting(posting))}|{label}|writer-{i // EACH}"
        for i, (posting, label) in enumerate(items)
    )
    store = LabelStore(str(db))
    stored = sorted(f"{row['posting_hash']}|{row['label']}|{row['reviewer']}"
                    for row in store.decisions())
    assert len(stored) == WRITERS * EACH
    digest = hashlib.sha256("\n".join(stored).encode()).hexdigest()
    assert digest == hashlib.sha256("\n".join(expected).encode()).hexdigest()
    assert store.counts()["postings"] == len({line.split("|")[0] for line in expected})
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
