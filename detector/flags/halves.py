"""Develop and held-out halves of the real scam texts, split by near-duplicate group.

Rules are written by reading real scam texts (`detector rules uncaught`). Recall measured on
the texts a rule was written from says little about the next campaign, so every real scam
source is split once, by a seeded hash, into a *develop* half (read it, write rules from it)
and a *held-out* half (only counted): the report prints recall on both. Scam campaigns send
the same lure with small edits, so the split is by near-duplicate group, never by text:
otherwise a campaign's variants would sit on both sides and the held-out figure would flatter.

Near-duplicates: texts whose character 5-gram sets (after dropping digits, masks,
punctuation and spaces) overlap by a Jaccard index of at least `THRESHOLD`. Candidate pairs
come from a bottom-k sketch of each text's shingles, so grouping stays near-linear.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

SEED = "rules-halves-1"
THRESHOLD = 0.5
SHINGLE = 5
SKETCH = 6
DEVELOP, HELD_OUT = "develop", "held_out"

_NOISE = re.compile(r"[\W\d_xX]+")


def _shingles(text: str) -> set[int]:
    core = _NOISE.sub("", text.lower())
    if len(core) <= SHINGLE:
        return {_h(core)} if core else set()
    return {_h(core[i:i + SHINGLE]) for i in range(len(core) - SHINGLE + 1)}


def _h(piece: str) -> int:
    """A hash that is the same in every process (`hash()` of a str is salted)."""
    return zlib.crc32(piece.encode("utf-8"))


def near_duplicate_groups(texts: Sequence[str], also: Sequence[object] | None = None
                          ) -> list[int]:
    """A group number per text; near-duplicates (see module docstring) share one, and so do
    texts with the same `also` value (a source's own campaign column, when it has one)."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shingles = [_shingles(t) for t in texts]
    by_key: dict[object, list[int]] = defaultdict(list)
    for i, s in enumerate(shingles):
        for h in sorted(s)[:SKETCH]:
            by_key[("sketch", h)].append(i)
    seen: set[tuple[int, int]] = set()
    for members in by_key.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                sa, sb = shingles[a], shingles[b]
                if len(sa & sb) >= THRESHOLD * len(sa | sb):
                    parent[find(a)] = find(b)
    if also is not None:
        first: dict[object, int] = {}
        for i, key in enumerate(also):
            if key is None or key != key:  # None or NaN: no campaign given
                continue
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    return [find(i) for i in range(len(texts))]


def halves(ids: Sequence[str], texts: Sequence[str], also: Sequence[object] | None = None
           ) -> list[str]:
    """`DEVELOP` or `HELD_OUT` per text: whole near-duplicate groups go to one half, chosen by
    a seeded hash of the group's smallest id, so the split does not depend on row order."""
    keys = near_duplicate_groups(texts, also)
    first: dict[int, str] = {}
    for key, row_id in zip(keys, ids, strict=True):
        if key not in first or row_id < first[key]:
            first[key] = row_id
    out = []
    for key in keys:
        digest = hashlib.sha256(f"{SEED}:{first[key]}".encode()).digest()
        out.append(DEVELOP if digest[0] % 2 == 0 else HELD_OUT)
    return out
