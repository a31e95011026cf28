"""The campaign memory of one process: the corpus seeds plus the label store's fingerprints,
kept in sync with the store without retraining or restart.

- The process that records a decision applies it before its next lookup (`notify_changed`,
  called by the store after each commit).
- Other processes poll the store's change counter every `poll` seconds (a one-row query, in
  a background thread) and fetch only the rows changed since; `forget` is a change too.
- If the store cannot be read, lookups go on with the index last loaded: the failure is
  logged once, `status()` (the API's /v1/health) reports it with the index's age, and the
  next poll tries again. A lookup never raises because of the store.

Lookups: a posting whose estimated similarity to a known scam reaches THRESHOLD gets the
high flag `known_scam_campaign`, with the spans it shares with that scam as evidence and
the match (decision, time, source, similarity) as the hit's `detail`, which only moderators
and the CLI see. A trusted *legit* decision on a near-duplicate becomes a note for
moderators: it never removes the flag nor lowers the estimate.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from detector.campaigns.fingerprint import key_codes, key_of, shared_spans, signatures
from detector.campaigns.index import CampaignIndex, Hit
from detector.schema import Posting, parse_posting
from detector.textnorm.reading import Reading
from detector.verdict import FlagHit

log = logging.getLogger("detector.campaigns")
_registry_lock = threading.RLock()
FLAG_ID = "known_scam_campaign"
#: Estimated Jaccard similarity from which a posting counts as a repost of a known scam.
#: Chosen on train+valid campaigns only (`detector campaigns evaluate` prints the study):
#: the highest threshold that keeps >= 98% of near-duplicate pairs, where postings of other
#: companies and templates from the same site, and legit postings against known scams,
#: almost never reach it.
THRESHOLD = 0.5
#: Seconds between two checks of the store's change counter (other processes' decisions).
POLL_SECONDS = 0.5
#: Matched postings whose text is kept for evidence (an LRU of keys).
CONTENT_CACHE = 256


@dataclass
class CampaignResult:
    """What the memory says about one posting."""

    hit: FlagHit | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)


def _iso(epoch: float) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds") if epoch else None


class CampaignMemory:
    """Seeds from `data_dir` plus the store at `location` (None: seeds only)."""

    def __init__(self, location: str | None, data_dir: Path | None = None,
                 poll: float = POLL_SECONDS, threshold: float = THRESHOLD,
                 seeds: bool = True) -> None:
        self.location = location
        self.data_dir = data_dir
        self.poll = poll
        self.threshold = threshold
        self.use_seeds = seeds
        self._index = CampaignIndex()
        self._seed_info: list[tuple[str, str, str]] = []  # id, source, split
        self._seed_postings: list[Posting] = []
        self._seed_keys: dict[int, str] = {}  # made when a seed is first matched
        self._lock = threading.RLock()
        self._sync_lock = threading.Lock()
        self._changed = threading.Event()
        # Writes this process announced, and how many of them a finished sync has seen: a
        # lookup after a write waits for a sync the watcher thread may be in the middle of
        # (it clears `_changed` when it starts, before it has read anything).
        self._wanted = 0
        self._applied = 0
        self._stop = threading.Event()
        self._started_pid: int | None = None
        self._thread: threading.Thread | None = None
        self._store: Any = None
        self._seq = -1
        self._synced_at: float | None = None  # monotonic time of the last good check
        self._state = "not loaded"
        self._error: str | None = None
        self._n_store = 0
        self._n_seeds = 0
        self._stored_scheme: str | None = None
        self._backfilled = False
        self._keys: OrderedDict[int, str] = OrderedDict()
        with _registry_lock:
            _live.add(self)

    # -- life cycle -----------------------------------------------------------------
    def _ensure_started(self) -> None:
        pid = os.getpid()
        if self._started_pid == pid:
            return
        with self._lock:
            if self._started_pid == pid:
                return
            if self._started_pid is None:
                self._load_seeds()
                self.sync()
            elif self._store is not None:  # a forked child: the parent's connections
                self._store.engine.dispose(close=False)  # are not ours to use or close
                self._store = None
            self._started_pid = pid
            if self.location is not None and self.poll > 0:
                self._thread = threading.Thread(target=self._watch, daemon=True,
                                                name="campaign-memory")
                self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._changed.set()
        if self._store is not None:
            self._store.close()

    def _load_seeds(self) -> None:
        if not self.use_seeds or self.data_dir is None:
            return
        from detector.campaigns.seeds import read_seeds, seed_signatures

        _, seeds = read_seeds(self.data_dir)
        if not seeds:
            return
        sig, ok = seed_signatures(self.data_dir, seeds)  # shipped beside the seeds
        ids = -np.arange(len(seeds), 0, -1, dtype=np.int64)  # -n .. -1: below store ids
        self._index.add(ids[ok], sig[ok], np.ones(int(ok.sum()), np.int8), "corpus")
        self._seed_info = [(s.id, s.source, s.split) for s in seeds]
        self._seed_postings = [s.posting for s in seeds]
        self._n_seeds = int(ok.sum())

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._changed.wait(self.poll)
            if self._stop.is_set():
                return
            self.sync()
            if not self._backfilled and self._state == "ok":
                self._backfill()

    # -- following the store -----------------------------------------------------------
    def _open(self) -> Any:
        """The store, or None while a SQLite file does not exist (not created here)."""
        if self._store is not None:
            return self._store
        from detector.labels.store import LabelStore, database_url

        url = database_url(self.location or "")
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            return None
        self._store = LabelStore(self.location or "")
        return self._store

    def sync(self) -> None:
        """Apply the store's changes since the last sync; never raises."""
        if self.location is None:
            self._state = "no store"
            return
        with self._sync_lock:
            wanted = self._wanted
            self._changed.clear()
            try:
                self._sync()
            except Exception as exc:  # keep the last index; say so once per outage
                message = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                if self._state != "unreachable":
                    log.error("campaign memory: the label store is unreachable (%s); "
                              "scoring goes on with the index loaded %s", message,
                              self._age_text())
                self._state, self._error = "unreachable", message
            finally:
                self._applied = max(self._applied, wanted)

    def _sync(self) -> None:
        from detector.campaigns.storage import read_changes, read_seq

        store = self._open()
        if store is None:
            self._state, self._synced_at = "absent", time.monotonic()
            return
        engine = store.engine
        seq, self._stored_scheme = read_seq(engine)
        if seq != self._seq:
            changes = read_changes(engine, max(self._seq, 0))
            with self._lock:
                if len(changes.removed):
                    self._index.remove(changes.removed)
                    for entry in changes.removed.tolist():
                        self._keys.pop(int(entry), None)
                self._index.add(changes.ids, changes.signatures, changes.labels,
                                "label_store", changes.decision_ids, changes.decided_at,
                                changes.sources)
                for entry in changes.ids.tolist():  # a newer decision: same text
                    self._keys.pop(int(entry), None)
                self._seq = changes.seq
                self._n_store = self._index.n_alive - self._n_seeds
        if self._state == "unreachable":
            log.warning("campaign memory: the label store is reachable again")
        self._state, self._error, self._synced_at = "ok", None, time.monotonic()

    def _backfill(self) -> None:
        """Once per process: if the store's fingerprints were not all made with this
        scheme (decisions recorded before campaign memory, or a new normaliser), make
        them (`detector campaigns rebuild` does the same by hand)."""
        from detector.campaigns.fingerprint import scheme
        from detector.campaigns.storage import rebuild

        self._backfilled = True
        if self._stored_scheme == scheme() or self._store is None:
            return
        try:
            rebuild(self._store, log_fn=log.info)
        except Exception as exc:
            log.error("campaign memory: could not fingerprint earlier decisions: %s", exc)

    def _age_text(self) -> str:
        if self._synced_at is None:
            return "never (corpus seeds only)"
        return f"{time.monotonic() - self._synced_at:.0f} s ago"

    def status(self) -> dict[str, Any]:
        """For readiness: how fresh the index is and whether the store answers."""
        age = None if self._synced_at is None else round(time.monotonic() - self._synced_at, 1)
        out: dict[str, Any] = {"store": self._state, "fingerprints": self._n_store,
                               "seeds": self._n_seeds, "index_age_seconds": age,
                               "threshold": self.threshold}
        if self._error:
            out["error"] = self._error
        return out

    # -- lookups ------------------------------------------------------------------
    def lookup(self, postings: Sequence[Posting | Reading]) -> list[CampaignResult]:
        """Per posting (or its reading, which is then not read again), the flag and notes;
        never raises (a failure is logged)."""
        try:
            return self._lookup(postings)
        except Exception:
            log.exception("campaign memory lookup failed; scoring without it")
            return [CampaignResult() for _ in postings]

    def _lookup(self, postings: Sequence[Posting | Reading]) -> list[CampaignResult]:
        self._ensure_started()
        if self.location is not None and (self._changed.is_set() or
                                          self._applied < self._wanted):
            self.sync()  # this process wrote: apply before answering
        results = [CampaignResult() for _ in postings]
        if not self._index.n_alive:
            return results
        sig, ok = signatures(key_codes(postings))
        with self._lock:
            found = self._index.query(sig, ok, self.threshold)
        for posting, hits, result in zip(postings, found, results, strict=True):
            if not hits:
                continue
            scams = [h for h in hits if h.label == "scam"]
            result.notes = [self._note(h) for h in hits if h.label == "legit"]
            if scams:
                best = scams[0]
                result.hit = FlagHit(FLAG_ID, "high", self._evidence(posting, best),
                                     detail=self._detail(best))
        return results

    def _detail(self, hit: Hit) -> dict[str, Any]:
        out: dict[str, Any] = {"similarity": hit.similarity, "origin": hit.origin}
        if hit.origin == "corpus":
            seed_id, source, split = self._seed_info[len(self._seed_info) + hit.entry]
            out.update(corpus_id=seed_id, source=source, split=split, label="scam")
        else:
            out.update(decision_id=hit.decision_id, decided_at=_iso(hit.decided_at),
                       source=hit.source, label=hit.label, fingerprint_id=hit.entry)
        return out

    def _note(self, hit: Hit) -> dict[str, Any]:
        return {"kind": "legit_near_duplicate", "similarity": hit.similarity,
                "decision_id": hit.decision_id, "decided_at": _iso(hit.decided_at),
                "source": hit.source,
                "message": "A trusted decision marked a near-duplicate of this posting "
                           "legit. Check it; this note does not lower the estimate."}

    def _evidence(self, posting: Posting | Reading, hit: Hit) -> tuple:
        key = self._key_of_entry(hit)
        return shared_spans(posting, key) if key else ()

    def _key_of_entry(self, hit: Hit) -> str | None:
        if hit.origin == "corpus":
            at = len(self._seed_postings) + hit.entry
            with self._lock:
                key = self._seed_keys.get(at)
            if key is None:
                key = key_of(self._seed_postings[at])
                with self._lock:
                    self._seed_keys[at] = key
            return key
        with self._lock:
            key = self._keys.get(hit.entry)
            if key is not None:
                self._keys.move_to_end(hit.entry)
                return key
        if self._state != "ok":  # do not wait on a store that just failed
            return None
        try:
            from detector.campaigns.storage import content_of

            store = self._open()
            content = content_of(store.engine, hit.entry) if store is not None else None
        except Exception as exc:
            log.warning("campaign memory: no evidence for fingerprint %d (%s)", hit.entry, exc)
            return None
        if not content:
            return None
        key = key_of(parse_posting(content, strict=False))
        with self._lock:
            self._keys[hit.entry] = key
            while len(self._keys) > CONTENT_CACHE:
                self._keys.popitem(last=False)
        return key


_memories: dict[tuple[str | None, str, float], CampaignMemory] = {}
_live: weakref.WeakSet[CampaignMemory] = weakref.WeakSet()


def campaign_memory(location: str | None, data_dir: Path | None = None,
                    poll: float = POLL_SECONDS) -> CampaignMemory:
    """The process-wide memory of one store (created on first use; no I/O here)."""
    from detector.settings import DEFAULT_DATA_DIR

    data_dir = data_dir or DEFAULT_DATA_DIR
    key = (location, str(Path(data_dir).resolve()), poll)
    with _registry_lock:
        memory = _memories.get(key)
        if memory is None:
            memory = _memories[key] = CampaignMemory(location, data_dir, poll)
        return memory


def memory_for(settings: Any) -> CampaignMemory:
    """The memory `settings` name: its label store and corpus seeds, or an empty one when
    campaign memory is off (DETECTOR_CAMPAIGNS=0)."""
    if not settings.campaigns:
        return OFF
    return campaign_memory(settings.label_db, settings.data_dir,
                           settings.campaign_poll_seconds)


def default_memory() -> CampaignMemory:
    """The memory of the environment's settings (DETECTOR_LABEL_DB, DETECTOR_DATA_DIR)."""
    from detector.settings import Settings

    return memory_for(Settings.from_env())


def notify_changed(location: str) -> None:
    """A store in this process committed a change: its memories apply it before their
    next lookup."""
    from detector.labels.store import database_url

    url = database_url(location)
    with _registry_lock:
        for memory in [m for m in _live if m.location is not None
                       and database_url(m.location) == url]:
            memory._wanted += 1
            memory._changed.set()


#: Campaign memory switched off: knows nothing, never reads anything.
OFF = CampaignMemory(None, None, poll=0, seeds=False)
