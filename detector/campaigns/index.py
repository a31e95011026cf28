"""The in-memory index of known postings: signatures plus LSH bands, in numpy arrays.

LSH: the first BANDS x ROWS signature values are cut into BANDS bands of ROWS values; two
postings become candidates when any band is equal, with probability 1 - (1 - J^ROWS)^BANDS
for Jaccard similarity J: 0.99 at 0.5, 0.97 at 0.45, 0.80 at 0.35, 0.25 at 0.2. Candidates
are then verified on the whole signature. (A general LSH library keeps one Python object
per band entry; `benchmarks/bench_campaigns.py` compares.)

Layout, for memory and for one vectorised lookup per batch:
- `sig`: the lower 16 bits of each MinHash value (b-bit MinHash: a chance collision adds
  2^-16 to the similarity estimate), so 256 bytes per entry;
- band keys `(band << 32) | 32-bit band hash`, sorted in one uint64 array with the rows
  they point to, so all bands of a batch of postings are one `searchsorted`;
- entries added since the last build sit in a dict (band key -> rows) until there are
  enough of them to merge; removed entries are masked until the next merge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detector.campaigns.fingerprint import NUM_PERM

BANDS = 36
ROWS = 3
#: Merge the pending entries into the sorted arrays when there are more than this many
#: (or a quarter of the index).
MERGE_AT = 4096
#: A batch this large (a load, an import) is merged at once rather than left pending.
MERGE_BATCH = 64
_BAND_IDS = np.arange(BANDS, dtype=np.uint64) << np.uint64(32)
_R = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9],
              dtype=np.uint64)[:ROWS]

LABELS = ("legit", "scam")
ORIGINS = ("corpus", "label_store")
SOURCES = ("", "moderator", "import")


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys `(band << 32) | hash of the band's ROWS values`."""
    s = np.asarray(sig, dtype=np.uint32)[:, :BANDS * ROWS].astype(np.uint64)
    s = s.reshape(len(s), BANDS, ROWS)
    h = (s * _R).sum(axis=2, dtype=np.uint64)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return _BAND_IDS | (h >> np.uint64(32))


@dataclass(frozen=True, slots=True)
class Hit:
    """One indexed entry at or above the similarity asked for."""

    entry: int  # the entry's id (store fingerprint id; seeds are negative)
    similarity: float
    label: str
    origin: str
    decision_id: int
    decided_at: float
    source: str


class CampaignIndex:
    """Entries are identified by an int id, given in increasing order (the store's
    fingerprint ids; seeds use negative ids, added first)."""

    def __init__(self) -> None:
        self.n = 0
        self._ids = np.zeros(0, np.int64)
        self._sig = np.zeros((0, NUM_PERM), np.uint16)
        self._label = np.zeros(0, np.int8)
        self._origin = np.zeros(0, np.int8)
        self._source = np.zeros(0, np.int8)
        self._decision = np.zeros(0, np.int64)
        self._decided_at = np.zeros(0, np.float64)
        self._alive = np.zeros(0, bool)
        self._keys = np.zeros(0, np.uint64)  # sorted band keys of merged rows
        self._rows = np.zeros(0, np.int32)
        self._pending: dict[int, list[int]] = {}
        self._n_pending = 0
        self.n_alive = 0

    # -- building -------------------------------------------------------------------
    def _grow(self, extra: int) -> None:
        need = self.n + extra
        if need <= len(self._ids):
            return
        size = max(need, 2 * len(self._ids), 1024)
        for name in ("_ids", "_sig", "_label", "_origin", "_source", "_decision",
                     "_decided_at", "_alive"):
            old = getattr(self, name)
            new = np.zeros((size, *old.shape[1:]), dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def _row_of(self, entry_id: int) -> int | None:
        ids = self._ids[: self.n]
        at = int(np.searchsorted(ids, entry_id))
        if at < self.n and ids[at] == entry_id and self._alive[at]:
            return at
        return None

    def add(self, ids: np.ndarray, sig: np.ndarray, labels: np.ndarray, origin: str,
            decision_ids: np.ndarray | None = None, decided_at: np.ndarray | None = None,
            sources: np.ndarray | None = None) -> None:
        """Add entries (ids above every id present) or update the label and decision of
        ids already present (same posting, a newer decision)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        m = len(ids)
        decision_ids = np.zeros(m, np.int64) if decision_ids is None else decision_ids
        decided_at = np.zeros(m, np.float64) if decided_at is None else decided_at
        sources = np.zeros(m, np.int8) if sources is None else sources
        labels = np.asarray(labels, dtype=np.int8)
        fresh = np.ones(m, dtype=bool)
        if self.n:
            at = np.searchsorted(self._ids[: self.n], ids)
            clipped = np.minimum(at, self.n - 1)
            known = (at < self.n) & (self._ids[clipped] == ids) & self._alive[clipped]
            rows = clipped[known]
            self._label[rows] = labels[known]
            self._decision[rows] = decision_ids[known]
            self._decided_at[rows] = decided_at[known]
            self._source[rows] = sources[known]
            fresh = ~known
        if not fresh.any():
            return
        ids, sig, labels = ids[fresh], np.asarray(sig)[fresh], labels[fresh]
        decision_ids, decided_at = decision_ids[fresh], decided_at[fresh]
        sources = sources[fresh]
        order = np.argsort(ids, kind="stable")
        if self.n and ids[order[0]] <= self._ids[self.n - 1]:
            raise ValueError("campaign index entries must be added in increasing id order")
        start = self.n
        self._grow(m)
        stop = start + len(ids)
        self._ids[start:stop] = ids[order]
        self._sig[start:stop] = (sig[order] & 0xFFFF).astype(np.uint16)
        self._label[start:stop] = labels[order]
        self._origin[start:stop] = ORIGINS.index(origin)
        self._source[start:stop] = sources[order]
        self._decision[start:stop] = decision_ids[order]
        self._decided_at[start:stop] = decided_at[order]
        self._alive[start:stop] = True
        self.n = stop
        self.n_alive += len(ids)
        keys = band_keys(sig[order])
        if len(ids) >= MERGE_BATCH or self._n_pending + len(ids) > max(MERGE_AT,
                                                                         self.n // 4):
            self._merge(start, keys)
        else:
            for offset, row_keys in enumerate(keys.tolist()):
                for key in row_keys:
                    self._pending.setdefault(key, []).append(start + offset)
            self._n_pending += len(ids)

    def _merge(self, start: int, new_keys: np.ndarray) -> None:
        """Sort the pending entries and rows `start:` into the band arrays, dropping the
        keys of removed rows. (Removed rows keep their place in the signature matrix
        until the memory is next loaded whole.)"""
        keys = [self._keys, new_keys.ravel()]
        rows = [self._rows, np.repeat(np.arange(start, self.n, dtype=np.int32), BANDS)]
        for key, members in self._pending.items():
            keys.append(np.full(len(members), key, dtype=np.uint64))
            rows.append(np.asarray(members, dtype=np.int32))
        all_keys, all_rows = np.concatenate(keys), np.concatenate(rows)
        live = self._alive[all_rows]
        all_keys, all_rows = all_keys[live], all_rows[live]
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._rows = all_keys[order], all_rows[order]
        self._pending, self._n_pending = {}, 0

    def remove(self, ids: np.ndarray) -> int:
        removed = 0
        for entry_id in np.asarray(ids, dtype=np.int64):
            row = self._row_of(int(entry_id))
            if row is not None:
                self._alive[row] = False
                removed += 1
        self.n_alive -= removed
        return removed

    # -- lookup ---------------------------------------------------------------------
    def query(self, sig: np.ndarray, usable: np.ndarray, min_similarity: float
              ) -> list[list[Hit]]:
        """Per query row, the live entries at or above `min_similarity`, best first.

        Vectorised over the whole batch: every (query, band) key is looked up with one
        `searchsorted`, the candidate (query, row) pairs are deduplicated and verified on
        the whole signature at once."""
        out: list[list[Hit]] = [[] for _ in range(len(sig))]
        rows_q = np.flatnonzero(usable)
        if not len(rows_q) or not self.n_alive:
            return out
        flat = band_keys(sig[rows_q]).ravel()
        # Sorted needles: each binary search starts from the previous one's bounds.
        order = np.argsort(flat)
        needles = flat[order]
        lo = np.searchsorted(self._keys, needles, side="left")
        counts = np.searchsorted(self._keys, needles, side="right") - lo
        total = int(counts.sum())
        owner = np.repeat(order // BANDS, counts)
        step = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        rows = self._rows[np.repeat(lo, counts) + step].astype(np.int64)
        if self._pending:
            extra_q, extra_r = [], []
            for at, key in enumerate(flat.tolist()):
                members = self._pending.get(key)
                if members:
                    extra_q += [at // BANDS] * len(members)
                    extra_r += members
            owner = np.concatenate([owner, np.asarray(extra_q, dtype=np.int64)])
            rows = np.concatenate([rows, np.asarray(extra_r, dtype=np.int64)])
        if not len(rows):
            return out
        pairs = np.sort(owner.astype(np.int64) * (self.n + 1) + rows)
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        owner, rows = pairs // (self.n + 1), pairs % (self.n + 1)
        live = self._alive[rows]
        owner, rows = owner[live], rows[live]
        sig16 = (sig[rows_q] & 0xFFFF).astype(np.uint16)
        sims = (self._sig[rows] == sig16[owner]).sum(axis=1) / NUM_PERM
        good = np.flatnonzero(sims >= min_similarity)
        for i in good[np.lexsort((-sims[good], owner[good]))].tolist():
            out[int(rows_q[owner[i]])].append(self._hit(int(rows[i]), float(sims[i])))
        return out

    def _hit(self, row: int, sim: float) -> Hit:
        return Hit(entry=int(self._ids[row]), similarity=round(float(sim), 3),
                   label=LABELS[int(self._label[row])],
                   origin=ORIGINS[int(self._origin[row])],
                   decision_id=int(self._decision[row]),
                   decided_at=float(self._decided_at[row]),
                   source=SOURCES[int(self._source[row])])

    def nbytes(self) -> int:
        arrays = (self._ids, self._sig, self._label, self._origin, self._source,
                  self._decision, self._decided_at, self._alive, self._keys, self._rows)
        return int(sum(a.nbytes for a in arrays)) + self._n_pending * BANDS * 100
