"""Campaign memory's part of every label-store write (`detector.labels.store.StoreListener`).

A trusted decision's fingerprint is written in the same transaction as the decision, a
forgotten posting's fingerprint is tombstoned in the same transaction as its deletion, and
after a commit this process's memories apply the change before their next lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from detector.campaigns.memory import notify_changed
from detector.campaigns.storage import (
    ensure_state,
    fingerprints_of,
    forget_fingerprints,
    record_fingerprints,
)
from detector.labels.decisions import Decision


class FingerprintListener:
    """Keeps the store's fingerprints in step with its decisions."""

    def schema_created(self, engine: Engine) -> None:
        ensure_state(engine)

    def prepare(self, batch: Sequence[Decision]) -> Any:
        return fingerprints_of(batch)  # before the write lock: CPU only

    def recorded(self, conn: Any, batch: Sequence[Decision], recorded: Sequence[Any],
                 prepared: Any, now: str) -> None:
        record_fingerprints(conn, conn.dialect.name, batch, recorded, prepared, now)

    def forgetting(self, conn: Any, hashes: Sequence[str]) -> None:
        forget_fingerprints(conn, hashes)

    def changed(self, location: str) -> None:
        notify_changed(location)


FINGERPRINTS = FingerprintListener()
