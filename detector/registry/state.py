"""Which model is served: the promotion state, kept in the label store (SQLite or PostgreSQL),
so every replica pointing at the same store follows one promotion.

    {"promoted": {"name": "...", "version": "...", "sha256": "..."} | null,
     "stack": [earlier promoted entries, for rollback]}

Each promotion and rollback is one row of `model_promotions` holding the state after it and
the event (who, when, forced or not); the latest row is the state. The store names a version
and its artifact's sha256, never a path: each replica finds that version in its own models
home (or its shipped `models/`) and loads it only if the artifact's sha256 matches
(detector.registry.versions.locate). No row means the shipped `models/` is served.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from detector.labels.store import READ_ONLY, LabelStore, promotions
from detector.settings import Settings

log = logging.getLogger("detector.registry")
EMPTY: dict[str, Any] = {"promoted": None, "stack": []}


class PromotionConflict(RuntimeError):
    """Another promotion or rollback landed while this one was being made."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def store_of(settings: Settings) -> LabelStore:
    return LabelStore(settings.label_db)


def latest(store: LabelStore) -> tuple[int, dict[str, Any]]:
    """(row id, state) of the latest promotion or rollback; (0, EMPTY) when there is none.
    The id is the stamp replicas poll: it changes with every promotion and rollback."""
    with store.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        row = conn.execute(select(promotions.c.id, promotions.c.state)
                           .order_by(promotions.c.id.desc()).limit(1)).first()
    if row is None:
        return 0, {"promoted": None, "stack": []}
    state = json.loads(row.state)
    state.setdefault("promoted", None)
    state.setdefault("stack", [])
    return int(row.id), state


def read_state(settings: Settings) -> dict[str, Any]:
    return latest(store_of(settings))[1]


def read_events(settings: Settings) -> list[dict[str, Any]]:
    """Every promotion and rollback, oldest first."""
    store = store_of(settings)
    with store.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        rows = conn.execute(select(promotions.c.event).order_by(promotions.c.id)).all()
    return [json.loads(row.event) for row in rows]


def change_state(settings: Settings, change: Callable[[dict[str, Any]], dict[str, Any]]
                 ) -> dict[str, Any]:
    """Apply `change` (state -> event) to the latest state and store the result as a new
    row. Two changes made from the same state cannot both land (PromotionConflict)."""
    store = store_of(settings)
    parent, state = latest(store)
    event = {"at": now(), **change(state)}
    try:
        with store.engine.begin() as conn:
            conn.execute(promotions.insert().values(
                parent_id=parent, state=json.dumps(state, ensure_ascii=False),
                event=json.dumps(event, ensure_ascii=False), created_at=event["at"]))
    except IntegrityError as exc:
        raise PromotionConflict("another promotion or rollback landed at the same time; "
                                "check `detector models list` and try again") from exc
    return state
