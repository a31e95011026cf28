"""The label store on SQLite and on a real PostgreSQL server (fixtures of tests/labels)."""

from tests.labels.conftest import postgres_url, store

__all__ = ["postgres_url", "store"]
