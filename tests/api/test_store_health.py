"""Issue 24 item 5 through the real app: a label store that answers reads but refuses writes
(a real PostgreSQL whose database was made read-only) answers decisions with 503
`store_unavailable` (was a 500 and a traceback), and /v1/health says so steadily while the
promotion watch keeps reading it (it flapped between reachable and not every half second);
once writes are taken again, health says so within its recheck interval."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api.storehealth import MAX_AGE_S
from detector.settings import parse_keys
from tests.api.conftest import needs_model, wait_ready
from tests.labels.postgres import PostgresServer, find_bin

pytestmark = [needs_model, pytest.mark.skipif(
    not find_bin("initdb"), reason="needs Debian's postgresql (scripts/setup.sh installs it)")]
KEYS, ROLES = parse_keys("mod-key:moderator,admin-key:admin")
MODERATOR = {"Authorization": "Bearer mod-key"}
ADMIN = {"Authorization": "Bearer admin-key"}


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    base = Path(tempfile.mkdtemp(prefix="detector-pg-readonly-"))
    server = PostgresServer(base).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def admin(pg: PostgresServer):  # type: ignore[no-untyped-def]
    return create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"),
                         isolation_level="AUTOCOMMIT")


def set_read_only(pg: PostgresServer, name: str, read_only: bool) -> None:
    """New sessions of `name` are read-only (or not); the open ones are cut, so the app's
    pool reconnects into the new setting, as after a failover to a standby."""
    engine = admin(pg)
    with engine.connect() as conn:
        value = "on" if read_only else "off"
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {value}'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    engine.dispose()


def item(n: int) -> dict:
    return {"posting": {"id": f"ro-{n}", "text": f"Typing job {n}: pay a 90 yuan deposit "
                        "first, refunded after the first task."}, "label": "scam"}


def test_a_store_refusing_writes_is_503_and_shows_steadily(make_client, pg) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = admin(pg)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = pg.url.rsplit("/", 1)[0] + f"/{name}"
    client = make_client(label_db=url, api_keys=KEYS, key_roles=ROLES,
                         model_dir_pinned=False, reload_poll_seconds=0.1)
    wait_ready(client)
    assert client.post("/v1/feedback", json=item(1), headers=MODERATOR).status_code == 201
    assert client.get("/v1/health").json()["store"]["writable"] is True

    set_read_only(pg, name, True)
    refused = client.post("/v1/feedback", json=item(2), headers=MODERATOR)
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "store_unavailable"
    assert refused.headers["retry-after"]
    # The cut sessions may show as one failed read while the pool reconnects (a busy
    # machine); from the first steady answer on, it must stay steady.
    deadline = time.monotonic() + 10
    while client.get("/v1/health").json()["store"]["reachable"] is not True:
        assert time.monotonic() < deadline, "the store never answered reads again"
        time.sleep(0.1)
    seen = []
    for _ in range(25):  # 2.5 s: the watch reads the store every 0.1 s meanwhile
        store = client.get("/v1/health").json()["store"]
        seen.append((store["reachable"], store["writable"], store["reason"]))
        private = client.get("/v1/health", headers=ADMIN).json()["store"]
        assert "read-only" in (private["error"] or ""), private  # the why: admin keys only
        time.sleep(0.1)
    # steady: reads work, writes are refused
    assert set(seen) == {(True, False, "refuses_writes")}, seen

    set_read_only(pg, name, False)
    deadline = time.monotonic() + MAX_AGE_S + 5
    while client.get("/v1/health").json()["store"]["writable"] is not True:
        assert time.monotonic() < deadline, "health never saw the store take writes again"
        time.sleep(0.2)
    assert client.post("/v1/feedback", json=item(3), headers=MODERATOR).status_code == 201
