"""Fingerprints in the label store (tables in `detector.labels.store`), so every replica
shares them.

Writes happen inside the store's own transactions: `record` upserts one row per posting
with a trusted decision (the latest one's label, id, source and time), `forget` turns the
posting's fingerprint into a tombstone (its id only) and deletes it. Each of these bumps one
counter, `campaign_state.seq`, in the same transaction, and stamps the rows it wrote with
the new value; the counter row is locked until commit, so commits happen in `seq` order.
A server therefore learns of every change with one tiny query (`read_seq`) and fetches only
rows stamped after the last value it saw (`read_changes`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert, select, update

from detector.campaigns.fingerprint import from_bytes, scheme, signatures, to_bytes
from detector.labels.decisions import TRUSTED_SOURCES, Decision
from detector.labels.store import (
    READ_ONLY,
    decisions,
    postings,
)
from detector.labels.store import (
    campaign_fingerprints as fingerprints,
)
from detector.labels.store import (
    campaign_state as state,
)
from detector.labels.store import (
    campaign_tombstones as tombstones,
)
from detector.schema import parse_posting

log = logging.getLogger("detector.campaigns")


def _reading(engine: Engine) -> Any:
    """A connection for reads: a plain BEGIN on SQLite, so servers polling the counter
    never queue for the write lock."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def ensure_state(engine: Engine) -> None:
    """The counter row exists (several workers may create the schema at once)."""
    with engine.begin() as conn:
        if conn.execute(select(state.c.seq).where(state.c.id == 1)).first() is None:
            conn.execute(_insert_ignore(conn.dialect.name, state).values(id=1, seq=0))


def _insert_ignore(dialect: str, table: Any) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing()


def _upsert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(fingerprints)
    return stmt.on_conflict_do_update(
        index_elements=["posting_hash"],
        set_={name: stmt.excluded[name] for name in (
            "label", "decision_id", "source", "decided_at", "scheme", "signature", "seq")},
    )


def bump(conn: Any) -> int:
    """The next change number (locks the counter row until this transaction ends)."""
    row = conn.execute(update(state).where(state.c.id == 1).values(seq=state.c.seq + 1)
                       .returning(state.c.seq)).first()
    if row is None:  # a store made before campaign memory existed
        conn.execute(insert(state).values(id=1, seq=1))
        return 1
    return int(row[0])


def fingerprints_of(batch: Sequence[Decision]) -> list[np.ndarray | None]:
    """The signature of each trusted decision's posting (None: untrusted, or too short)."""
    from detector.campaigns.fingerprint import key_codes

    trusted = [i for i, d in enumerate(batch) if d.source in TRUSTED_SOURCES]
    out: list[np.ndarray | None] = [None] * len(batch)
    if not trusted:
        return out
    sig, ok = signatures(key_codes([batch[i].posting for i in trusted]))
    for row, i in enumerate(trusted):
        if ok[row]:
            out[i] = sig[row]
    return out


def record_fingerprints(conn: Any, dialect: str, batch: Sequence[Decision],
                        recorded: Sequence[Any], prints: Sequence[np.ndarray | None],
                        now: str) -> int:
    """Upsert the fingerprints of a batch just recorded (same transaction)."""
    rows = [
        {"posting_hash": rec.posting_hash, "label": decision.label,
         "decision_id": rec.decision_id, "source": decision.source, "decided_at": now,
         "scheme": scheme(), "signature": to_bytes(sig)}
        for decision, rec, sig in zip(batch, recorded, prints, strict=True)
        if sig is not None
    ]
    if not rows:
        return 0
    seq = bump(conn)
    for row in rows:  # in order: the latest decision on a posting wins
        conn.execute(_upsert(dialect).values(**row, seq=seq))
    return len(rows)


def forget_fingerprints(conn: Any, hashes: Sequence[str]) -> int:
    """Tombstone and delete the fingerprints of these postings (same transaction)."""
    ids = conn.execute(select(fingerprints.c.id)
                       .where(fingerprints.c.posting_hash.in_(list(hashes)))).scalars().all()
    if not ids:
        return 0
    seq = bump(conn)
    conn.execute(insert(tombstones), [{"seq": seq, "fingerprint_id": int(i)} for i in ids])
    conn.execute(fingerprints.delete().where(fingerprints.c.id.in_(list(ids))))
    return len(ids)


def read_seq(engine: Engine) -> tuple[int, str | None]:
    """The change counter and the scheme the last full rebuild used: the one query a
    server makes per check."""
    with _reading(engine) as conn:
        row = conn.execute(select(state.c.seq, state.c.scheme).where(state.c.id == 1)).first()
    return (int(row[0]), row[1]) if row else (0, None)


@dataclass
class Changes:
    seq: int
    ids: np.ndarray
    signatures: np.ndarray
    labels: np.ndarray  # 1 scam, 0 legit
    decision_ids: np.ndarray
    decided_at: np.ndarray  # epoch seconds
    sources: np.ndarray  # index into detector.campaigns.index.SOURCES
    removed: np.ndarray
    stale: int  # rows of another scheme (recomputed here from their posting's text)


def _epoch(stamp: str) -> float:
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except ValueError:
        return 0.0


def read_changes(engine: Engine, since: int) -> Changes:
    """Fingerprints written and ids removed after change `since` (all of them for 0)."""
    from detector.campaigns.index import SOURCES

    with _reading(engine) as conn:
        seq = int(conn.execute(select(state.c.seq).where(state.c.id == 1)).scalar() or 0)
        rows = conn.execute(
            select(fingerprints.c.id, fingerprints.c.label, fingerprints.c.decision_id,
                   fingerprints.c.source, fingerprints.c.decided_at, fingerprints.c.scheme,
                   fingerprints.c.signature, fingerprints.c.posting_hash)
            .where(fingerprints.c.seq > since, fingerprints.c.seq <= seq)
            .order_by(fingerprints.c.id)).all()
        removed = conn.execute(
            select(tombstones.c.fingerprint_id)
            .where(tombstones.c.seq > since, tombstones.c.seq <= seq)).scalars().all()
        current = scheme()
        stale = [row.posting_hash for row in rows if row.scheme != current]
        contents = {}
        if stale:
            contents = dict(conn.execute(select(postings.c.hash, postings.c.content)
                                         .where(postings.c.hash.in_(stale))).all())
    sigs = np.zeros((len(rows), 128), dtype=np.uint32)
    keep = np.ones(len(rows), dtype=bool)
    recompute = []
    for i, row in enumerate(rows):
        if row.scheme == current:
            sigs[i] = from_bytes(row.signature)
        else:
            recompute.append(i)
    if recompute:
        from detector.campaigns.fingerprint import key_of

        keys = [key_of(parse_posting(json.loads(contents.get(rows[i].posting_hash, "{}")
                                                or "{}"), strict=False))
                if contents.get(rows[i].posting_hash) else "" for i in recompute]
        fresh, ok = signatures(keys)
        for j, i in enumerate(recompute):
            sigs[i] = fresh[j]
            keep[i] = bool(ok[j])
        log.warning("campaign memory: %d stored fingerprints were made with another "
                    "scheme and were recomputed; `detector campaigns rebuild` stores them",
                    len(recompute))
    rows = [row for row, k in zip(rows, keep, strict=True) if k]
    return Changes(
        seq=seq, ids=np.array([r.id for r in rows], dtype=np.int64), signatures=sigs[keep],
        labels=np.array([1 if r.label == "scam" else 0 for r in rows], dtype=np.int8),
        decision_ids=np.array([r.decision_id for r in rows], dtype=np.int64),
        decided_at=np.array([_epoch(r.decided_at) for r in rows], dtype=np.float64),
        sources=np.array([SOURCES.index(r.source) if r.source in SOURCES else 0
                          for r in rows], dtype=np.int8),
        removed=np.array(removed, dtype=np.int64), stale=len(recompute))


def content_of(engine: Engine, fingerprint_id: int) -> dict[str, Any] | None:
    """The stored posting behind a fingerprint (for the evidence of a match)."""
    with _reading(engine) as conn:
        row = conn.execute(
            select(postings.c.content)
            .join(fingerprints, fingerprints.c.posting_hash == postings.c.hash)
            .where(fingerprints.c.id == fingerprint_id)).first()
    return json.loads(row[0]) if row else None


def rebuild(store: Any, log_fn: Any = print) -> dict[str, int]:
    """(Re)compute the fingerprint of every posting with a trusted decision whose row is
    missing (decided before campaign memory) or of another scheme."""
    engine = store.engine
    with _reading(engine) as conn:
        latest = {}
        for row in conn.execute(
                select(decisions.c.posting_hash, decisions.c.label, decisions.c.id,
                       decisions.c.source, decisions.c.created_at)
                .where(decisions.c.source.in_(TRUSTED_SOURCES)).order_by(decisions.c.id)):
            latest[row.posting_hash] = row
        have = dict(conn.execute(select(fingerprints.c.posting_hash,
                                        fingerprints.c.scheme)).all())
    todo = [h for h in latest if have.get(h) != scheme()]
    written = 0
    for start in range(0, len(todo), 500):
        chunk = todo[start:start + 500]
        with _reading(engine) as conn:
            contents = dict(conn.execute(select(postings.c.hash, postings.c.content)
                                         .where(postings.c.hash.in_(chunk))).all())
        from detector.campaigns.fingerprint import key_of

        keys = [key_of(parse_posting(json.loads(contents[h]), strict=False)) for h in chunk]
        sigs, ok = signatures(keys)
        with engine.begin() as conn:
            seq = bump(conn)
            for h, sig, good in zip(chunk, sigs, ok, strict=True):
                if not good:
                    continue
                d = latest[h]
                conn.execute(_upsert(conn.dialect.name).values(
                    posting_hash=h, label=d.label, decision_id=d.id, source=d.source,
                    decided_at=d.created_at, scheme=scheme(), signature=to_bytes(sig),
                    seq=seq))
                written += 1
    with engine.begin() as conn:
        bump(conn)
        conn.execute(update(state).where(state.c.id == 1).values(scheme=scheme()))
    store._changed()
    log_fn(f"fingerprinted {written} of {len(latest)} postings with trusted decisions "
           f"({len(todo) - written} too short to fingerprint)")
    return {"postings": len(latest), "written": written, "too_short": len(todo) - written}
