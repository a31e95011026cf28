"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from detector.labels.store import LabelStore
from tests.labels.postgres import PostgresServer, find_bin


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if not find_bin("initdb"):
        pytest.skip("PostgreSQL is not installed (Debian package `postgresql`; "
                    "scripts/setup.sh installs it where apt-get is available)")
    # Not under pytest's tmp dir: that is private to root, and the server may run as postgres.
    base = Path(tempfile.mkdtemp(prefix="detector-pg-"))
    server = PostgresServer(base).start()
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LabelStore]:
    if request.param == "sqlite":
        location = str(tmp_path / "labels.sqlite")
    else:
        base = request.getfixturevalue("postgres_url")
        location = _fresh_database(base)
    opened = LabelStore(location)
    yield opened
    opened.close()


def _fresh_database(url: str) -> str:
    """A new database per test, so tests do not see each other's rows."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
