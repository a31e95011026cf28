"""Quotas of the open /v1/report, counted in the label store itself, so the store's growth is
bounded whatever the number of workers and replicas writing to it.

Three fixed windows, each a row incremented in one transaction with the others (refused:
rolled back, so refused requests do not count): per client address per minute
(DETECTOR_REPORT_RATE_LIMIT_PER_MINUTE, 10), per address per day
(DETECTOR_REPORT_QUOTA_PER_ADDRESS_PER_DAY, 100) and from everyone per day
(DETECTOR_REPORT_QUOTA_PER_DAY, 2000); 0 turns one off. Every worker of a machine shares a
SQLite store, every replica a PostgreSQL one, so the count is one count without Redis (the
guard's per-minute limit, in Redis or in each worker's memory, still stops a flood before
it reaches the store). A report that fails the quota is refused before anything is written.

The table keeps a hash of the client address (16 hex digits of sha256) and a count per
window; rows are deleted once their window has passed (at most a day). Tables are created
on first use, beside the store's own (detector/labels/store.py is not changed).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, delete

from detector.labels.store import LabelStore
from detector.settings import Settings

metadata = MetaData()
report_quota = Table(
    "report_quota", metadata,
    Column("scope", String(24), primary_key=True),  # "address/minute", "all/day", ...
    Column("caller", String(40), primary_key=True),  # "addr:<hash>" or "all"
    Column("window", BigInteger, primary_key=True),  # window number (epoch // length)
    Column("n", Integer, nullable=False),
    Column("expires", BigInteger, nullable=False, index=True),  # epoch seconds
)
DAY_S = 86_400


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Quota:
    scope: str
    seconds: int
    limit: int
    per_address: bool
    says: str  # for the 429's message


class QuotaExceeded(Exception):
    def __init__(self, quota: Quota, retry_after: float) -> None:
        super().__init__(quota.says)
        self.quota, self.retry_after = quota, retry_after


def address_hash(address: str) -> str:
    return hashlib.sha256(f"detector-report:{address}".encode()).hexdigest()[:16]


def quotas_of(settings: Settings) -> list[Quota]:
    wanted = [
        Quota("address/minute", 60, settings.report_rate_limit_per_minute, True,
              f"at most {settings.report_rate_limit_per_minute} reports a minute from one "
              "address"),
        Quota("address/day", DAY_S, settings.report_quota_per_address_per_day, True,
              f"at most {settings.report_quota_per_address_per_day} reports a day from one "
              "address"),
        Quota("all/day", DAY_S, settings.report_quota_per_day, False,
              f"at most {settings.report_quota_per_day} reports a day from everyone"),
    ]
    return [quota for quota in wanted if quota.limit > 0]


class ReportQuota:
    def __init__(self, store: LabelStore, settings: Settings) -> None:
        self.store = store
        self.quotas = quotas_of(settings)
        self._ready = False
        self._lock = threading.Lock()

    def _table(self) -> None:
        with self._lock:
            if not self._ready:
                metadata.create_all(self.store.engine)
                self._ready = True

    def _upsert(self, dialect: str) -> Any:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(report_quota)
        return stmt.on_conflict_do_update(
            index_elements=["scope", "caller", "window"],
            set_={"n": report_quota.c.n + 1}).returning(report_quota.c.n)

    def hit(self, address: str) -> None:
        """Count one report from `address` in every window (blocking: call it in a worker
        thread); QuotaExceeded (nothing counted) when one is full. Raises what the store
        raises when it cannot be reached."""
        if not self.quotas:
            return
        self._table()
        now = _now()
        caller = f"addr:{address_hash(address)}"
        engine = self.store.engine
        upsert = self._upsert(engine.dialect.name)
        full: QuotaExceeded | None = None
        with engine.begin() as conn:
            conn.execute(delete(report_quota).where(report_quota.c.expires <= int(now)))
            for quota in self.quotas:
                window = int(now // quota.seconds)
                ends = (window + 1) * quota.seconds
                count = conn.execute(upsert.values(
                    scope=quota.scope, caller=caller if quota.per_address else "all",
                    window=window, n=1, expires=ends)).scalar_one()
                if count > quota.limit and full is None:
                    full = QuotaExceeded(quota, ends - now)
            if full is not None:
                raise full  # leaving the block rolls back: a refused report counts nowhere
