"""The label store: postings once (keyed by content hash), decisions append-only.

One code path for SQLite (a file; WAL mode, so several API workers can write at once) and
PostgreSQL (`postgresql://` URL), through SQLAlchemy Core. Writes take the write lock at
the start of the transaction (`BEGIN IMMEDIATE` on SQLite), so concurrent writers queue
instead of failing on a lock upgrade. A batch is one transaction: all or nothing.

The effective label of a posting is its latest trusted decision (moderator or import, by
insertion order); reports never count until a moderator decides.

The store announces what it does to `StoreListener`s (`subscribe`): rooms that keep data
derived from decisions in the store (campaign memory's fingerprints, `detector.campaigns`,
which subscribes when imported) write it inside the store's own transactions, so the two
never disagree, and hear of every commit. The store imports none of them.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.sql import update

from detector.labels.decisions import (
    TRUSTED_SOURCES,
    Decision,
    canonical_posting,
    content_hash,
)
from detector.language import detect_language

metadata = MetaData()
postings = Table(
    "postings", metadata,
    Column("hash", String(64), primary_key=True),
    Column("external_id", String(200), index=True),
    Column("language", String(8), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)
decisions = Table(
    "decisions", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("posting_hash", String(64), ForeignKey("postings.hash", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("external_id", String(200), index=True),
    Column("label", String(8), nullable=False),
    Column("source", String(12), nullable=False),
    Column("reviewer", String(200)),
    Column("note", Text),
    Column("flags", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)
#: Which model version the fleet serves (detector/registry/state.py): one row per promotion
#: or rollback, holding the state after it. `parent_id` is the row it was made from, unique,
#: so two promotions made from the same state cannot both land.
promotions = Table(
    "model_promotions", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("parent_id", BigInteger, nullable=False, unique=True),
    Column("state", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)
# Campaign memory (issue 18; logic in detector.campaigns.storage): one fuzzy fingerprint per
# posting with a trusted decision, carrying its latest trusted label; a change counter that
# every write bumps, so servers see a change with one tiny query; and the ids of forgotten
# fingerprints (ids only: no text, no content hash), so servers can drop them.
campaign_fingerprints = Table(
    "campaign_fingerprints", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("posting_hash", String(64), ForeignKey("postings.hash", ondelete="CASCADE"),
           nullable=False, unique=True),
    Column("label", String(8), nullable=False),
    Column("decision_id", BigInteger, nullable=False),
    Column("source", String(12), nullable=False),
    Column("decided_at", String(40), nullable=False),
    Column("scheme", String(80), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    sqlite_autoincrement=True,  # ids are never reused: servers key their index on them
)
campaign_tombstones = Table(
    "campaign_tombstones", metadata,
    Column("seq", BigInteger, nullable=False, index=True),
    Column("fingerprint_id", BigInteger, primary_key=True, autoincrement=False),
)
campaign_state = Table(
    "campaign_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("scheme", String(80)),  # the fingerprint scheme of the last full rebuild
)
#: A hash prefix shorter than this is not accepted as a reference (too ambiguous).
MIN_HASH_PREFIX = 12


class LabelStoreError(ValueError):
    """A store operation that cannot be done as asked (nothing was changed)."""


class StoreUnavailable(RuntimeError):
    """The store cannot be used right now and nothing was written: the SQLite file this
    process opened was deleted or replaced under it (issue 24)."""


log = logging.getLogger("detector.labels")
#: Seconds to wait for a PostgreSQL connection before calling the store unreachable.
CONNECT_TIMEOUT_S = 3
#: SQLSTATE of a write refused by a read-only PostgreSQL (hot standby, read-only database).
READ_ONLY_SQLSTATE = "25006"


def store_unavailable(exc: BaseException) -> bool:
    """True when `exc` means the database could not be reached, dropped the connection
    (server down, network, restart), refuses writes (read-only), or its SQLite file is gone
    or is no database, as opposed to a mistake in the request: callers answer "try again
    later" (the API's 503) and keep going."""
    if isinstance(exc, StoreUnavailable | OperationalError | InterfaceError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    return type(orig) is sqlite3.DatabaseError  # "file is not a database" (replaced)


@dataclass(frozen=True, slots=True)
class Recorded:
    decision_id: int
    posting_hash: str
    new_posting: bool


@dataclass(frozen=True, slots=True)
class LabeledPosting:
    """A posting with its effective (latest trusted) label."""

    hash: str
    external_id: str | None
    language: str
    content: dict[str, Any]
    label: str
    decided_at: str
    n_decisions: int


def database_url(location: str) -> str:
    """A SQLAlchemy URL from DETECTOR_LABEL_DB: a path, sqlite:///..., or postgresql://..."""
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if "://" in location:
        if location.startswith(("sqlite://", "postgresql+psycopg://")):
            return location
        raise LabelStoreError(f"unsupported DETECTOR_LABEL_DB {location.split('://')[0]}://"
                              "...: use a file path or a postgresql:// URL")
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def _sqlite_engine(url: str) -> Engine:
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a decision answered 201 is on disk (NORMAL may lose the last commits to a
        # power cut); decisions are few, so the fsync per commit costs nothing that counts.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")  # forgotten text is overwritten on disk
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        read = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

    return engine


#: Execution option for read-only work: a plain BEGIN on SQLite, so polling readers never
#: queue for the write lock.
READ_ONLY = "detector_read_only"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class StoreListener(Protocol):
    """What the store tells a room that keeps derived data in it (see module docstring).
    Every method is called for every store in the process; `recorded` and `forgetting` run
    inside the store's transaction (an exception rolls the whole write back)."""

    def schema_created(self, engine: Engine) -> None:
        """The store's tables exist (called once per engine, maybe by several workers)."""

    def prepare(self, batch: Sequence[Decision]) -> Any:
        """CPU work on a batch before the write lock is taken; passed to `recorded`."""

    def recorded(self, conn: Any, batch: Sequence[Decision], recorded: Sequence[Recorded],
                 prepared: Any, now: str) -> None:
        """A batch was written (same transaction)."""

    def forgetting(self, conn: Any, hashes: Sequence[str]) -> None:
        """These postings are being deleted (same transaction)."""

    def changed(self, location: str) -> None:
        """A write to the store at `location` was committed by this process."""


_listeners: list[StoreListener] = []


def subscribe(listener: StoreListener) -> None:
    """Hear of every store's writes in this process (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


class LabelStore:
    """Opened lazily: constructing one does no I/O.

    A SQLite store follows its file (issue 24): every use first checks that the file at
    the path is the one this process opened (one `stat`). Deleted: StoreUnavailable until a
    file is back at the path (writes would go to a file no longer on disk, and each worker
    restarted would make its own). Replaced (a restore, another worker's new store): the
    connections to the old file are closed and the new one is opened, so every process
    writes to the file that is at the path."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.url = database_url(location)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.file = Path(self.url.removeprefix("sqlite:///")) \
            if self.url.startswith("sqlite:///") and ":memory:" not in self.url else None
        self._identity: tuple[int, int] | None = None

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is not None and self.file is not None:
                self._follow_file()
            if self._engine is None:
                engine = (_sqlite_engine(self.url) if self.url.startswith("sqlite")
                          else create_engine(self.url, pool_pre_ping=True, pool_timeout=5,
                                             connect_args={"connect_timeout":
                                                           CONNECT_TIMEOUT_S}))
                self._create_schema(engine)
                if self.file is not None:
                    self._identity = _file_identity(self.file)
                self._engine = engine
            return self._engine

    def _follow_file(self) -> None:
        """The SQLite file at the path is still the one opened (see the class docstring)."""
        assert self.file is not None and self._engine is not None
        now = _file_identity(self.file)
        if now == self._identity:
            return
        if now is None:
            raise StoreUnavailable(
                f"the label store file {self.file} was deleted while the server was using "
                "it; nothing is recorded until a store file is back at that path (restore "
                "it from a backup, or restart the server to start an empty store)")
        log.warning("the label store file %s was replaced; opening the new file", self.file)
        self._engine.dispose()
        self._engine = None

    def verify_file(self) -> None:
        """After a commit: the file written is still the one at the path, so what was just
        committed is in the store (raises StoreUnavailable otherwise)."""
        if self.file is not None and _file_identity(self.file) != self._identity:
            raise StoreUnavailable(
                f"the label store file {self.file} was deleted or replaced while writing: "
                "what was being recorded is not in the store; record it again")

    def check_writable(self) -> None:
        """Raise what the database raises when it refuses writes (read-only, disk full,
        file gone): one no-op write that is rolled back. For readiness, not hot paths."""
        with self.engine.connect() as conn:
            transaction = conn.begin()
            try:
                conn.execute(update(campaign_state).where(campaign_state.c.id == 1)
                             .values(seq=campaign_state.c.seq))
            finally:
                transaction.rollback()

    @staticmethod
    def _create_schema(engine: Engine) -> None:
        try:
            metadata.create_all(engine)
        except (IntegrityError, ProgrammingError, OperationalError):
            # Another worker created the tables at the same moment: check they are there.
            metadata.create_all(engine)
        for listener in _listeners:
            listener.schema_created(engine)

    def ping(self) -> None:
        """One round trip (`SELECT 1`); raises what the driver raises when unreachable
        (see store_unavailable). A generic "is the store up?" for readiness probes. A SQLite
        file not written yet is not created by a ping: its directory must be writable."""
        if self._engine is None and self.url.startswith("sqlite:///"):
            path = Path(self.url.removeprefix("sqlite:///"))
            if not path.exists():
                parent = next(p for p in path.parents if p.exists())
                if not os.access(parent, os.W_OK):
                    raise LabelStoreError(f"cannot create the label store {path}: "
                                          f"{parent} is not writable")
                return
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            conn.exec_driver_sql("SELECT 1").scalar()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def _insert_posting(self) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return (insert(postings).on_conflict_do_nothing(index_elements=["hash"])
                .returning(postings.c.hash))

    def record(self, batch: Sequence[Decision]) -> list[Recorded]:
        """Append decisions (one transaction); postings are stored once by content hash."""
        if not batch:
            return []
        prepared = [listener.prepare(batch) for listener in _listeners]  # CPU only
        now = _now()
        out: list[Recorded] = []
        with self.engine.begin() as conn:
            for decision in batch:
                posting = decision.posting
                digest = content_hash(posting)
                content = canonical_posting(posting)
                inserted = conn.execute(self._insert_posting().values(
                    hash=digest, external_id=posting.id,
                    language=detect_language(posting.full_text()),
                    content=json.dumps(content, ensure_ascii=False, sort_keys=True),
                    created_at=now,
                )).first()
                result = conn.execute(decisions.insert().values(
                    posting_hash=digest, external_id=posting.id, label=decision.label,
                    source=decision.source, reviewer=decision.reviewer, note=decision.note,
                    flags=json.dumps(list(decision.flags)), created_at=now,
                ))
                key = result.inserted_primary_key
                out.append(Recorded(int(key[0]) if key else -1, digest,
                                    inserted is not None))
            for listener, made in zip(_listeners, prepared, strict=True):
                listener.recorded(conn, batch, out, made, now)
        self.verify_file()  # acknowledged only if it is in the file at the path
        self._changed()
        return out

    def _changed(self) -> None:
        """Tell this process's listeners at once (other processes poll)."""
        for listener in _listeners:
            listener.changed(self.location)

    def _resolve(self, conn: Any, ref: str) -> list[str]:
        ref = ref.strip()
        if not ref:
            raise LabelStoreError("give a posting id or content hash")
        conditions = [postings.c.external_id == ref, postings.c.hash.in_(
            select(decisions.c.posting_hash).where(decisions.c.external_id == ref))]
        if len(ref) >= MIN_HASH_PREFIX and all(c in "0123456789abcdef" for c in ref.lower()):
            conditions.append(postings.c.hash.startswith(ref.lower()))
        rows = conn.execute(select(postings.c.hash).where(or_(*conditions))).scalars().all()
        return sorted(set(rows))

    def forget(self, ref: str) -> int:
        """Delete the posting(s) with this id or content hash and all their decisions.

        Returns the number of postings removed; an unknown reference is an error and
        changes nothing.
        """
        with self.engine.begin() as conn:
            hashes = self._resolve(conn, ref)
            if not hashes:
                raise LabelStoreError(f"no stored posting has id or content hash {ref!r}")
            for listener in _listeners:
                listener.forgetting(conn, hashes)
            conn.execute(delete(decisions).where(decisions.c.posting_hash.in_(hashes)))
            conn.execute(delete(postings).where(postings.c.hash.in_(hashes)))
        self.verify_file()
        if self.dialect == "sqlite":  # do not leave the text in the write-ahead log
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                raw.close()
        self._changed()
        return len(hashes)

    def counts(self) -> dict[str, int]:
        with self.engine.begin() as conn:
            n_postings = conn.execute(select(func.count()).select_from(postings)).scalar_one()
            by_source = conn.execute(
                select(decisions.c.source, func.count()).group_by(decisions.c.source)
            ).all()
        out = {"postings": int(n_postings)}
        out.update({f"decisions_{source}": int(n) for source, n in by_source})
        out["decisions"] = sum(v for k, v in out.items() if k.startswith("decisions_"))
        return out

    def decisions(self, source: str | None = None, limit: int | None = None
                  ) -> list[dict[str, Any]]:
        """Decision rows, newest first, with the posting's external id and language."""
        query = (select(decisions, postings.c.language)
                 .join(postings, postings.c.hash == decisions.c.posting_hash)
                 .order_by(decisions.c.id.desc()))
        if source:
            query = query.where(decisions.c.source == source)
        if limit:
            query = query.limit(limit)
        with self.engine.begin() as conn:
            rows = conn.execute(query).mappings().all()
        return [{**row, "flags": json.loads(row["flags"])} for row in rows]

    def _trusted(self, conn: Any) -> Iterator[tuple[Any, list[Any]]]:
        """(posting row, its trusted decisions oldest first) for postings that have any."""
        rows = conn.execute(
            select(decisions.c.posting_hash, decisions.c.label, decisions.c.created_at,
                   decisions.c.id)
            .where(decisions.c.source.in_(TRUSTED_SOURCES))
            .order_by(decisions.c.id)
        ).all()
        by_hash: dict[str, list[Any]] = {}
        for row in rows:
            by_hash.setdefault(row.posting_hash, []).append(row)
        if not by_hash:
            return
        posting_rows = conn.execute(select(postings).where(postings.c.hash.in_(list(by_hash))))
        for posting in posting_rows:
            yield posting, by_hash[posting.hash]

    def labeled(self) -> list[LabeledPosting]:
        """Every posting with a trusted decision, with its latest trusted label."""
        with self.engine.begin() as conn:
            out = [
                LabeledPosting(
                    hash=posting.hash, external_id=posting.external_id,
                    language=posting.language, content=json.loads(posting.content),
                    label=history[-1].label, decided_at=history[-1].created_at,
                    n_decisions=len(history),
                )
                for posting, history in self._trusted(conn)
            ]
        return sorted(out, key=lambda item: item.hash)

    def conflicts(self) -> list[dict[str, Any]]:
        """Postings whose trusted decisions disagree (the latest one is what counts)."""
        out = []
        with self.engine.begin() as conn:
            for posting, history in self._trusted(conn):
                labels = [row.label for row in history]
                if len(set(labels)) > 1:
                    out.append({
                        "hash": posting.hash, "external_id": posting.external_id,
                        "label": labels[-1], "n_scam": labels.count("scam"),
                        "n_legit": labels.count("legit"), "decided_at": history[-1].created_at,
                    })
        return sorted(out, key=lambda row: row["hash"])

    def trusted_labels(self, hashes: Sequence[str]) -> dict[str, str]:
        """The latest trusted label of each of these postings that has one (hash -> label);
        the review queue leaves them out."""
        out: dict[str, str] = {}
        wanted = sorted(set(hashes))
        with self.engine.begin() as conn:
            for at in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(decisions.c.posting_hash, decisions.c.label)
                    .where(decisions.c.posting_hash.in_(wanted[at:at + 500]),
                           decisions.c.source.in_(TRUSTED_SOURCES))
                    .order_by(decisions.c.id)).all()
                out.update({row.posting_hash: row.label for row in rows})
        return out

    def posting(self, digest: str) -> dict[str, Any] | None:
        with self.engine.begin() as conn:
            row = conn.execute(select(postings).where(postings.c.hash == digest)).first()
        return json.loads(row.content) if row else None


def open_store(location: str) -> LabelStore:
    return LabelStore(location)
