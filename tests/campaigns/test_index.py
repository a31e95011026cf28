"""The LSH index: candidates by band, verified on the whole signature; adds, updates and
removals whether the entries are merged into the sorted arrays or still pending."""

from __future__ import annotations

import numpy as np
import pytest

from detector.campaigns import index as index_module
from detector.campaigns.fingerprint import NUM_PERM
from detector.campaigns.index import BANDS, ROWS, CampaignIndex

RNG = np.random.default_rng(7)


def random_signatures(n: int) -> np.ndarray:
    return RNG.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64).astype(np.uint32)


def near(sig: np.ndarray, share_equal: float) -> np.ndarray:
    """A copy whose first values (and so the first bands) are changed."""
    out = sig.copy()
    changed = round(NUM_PERM * (1 - share_equal))
    out[:, :changed] ^= 0x5A5A5A5A
    return out


@pytest.fixture(params=["merged", "pending"])
def built(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
          ) -> tuple[CampaignIndex, np.ndarray]:
    monkeypatch.setattr(index_module, "MERGE_AT", 0 if request.param == "merged" else 10**9)
    monkeypatch.setattr(index_module, "MERGE_BATCH", 1 if request.param == "merged" else 10**9)
    sig = random_signatures(500)
    idx = CampaignIndex()
    idx.add(np.arange(1, 501), sig, np.ones(500, np.int8), "label_store")
    if request.param == "merged":
        assert not idx._pending and len(idx._keys) == 500 * BANDS
    else:
        assert idx._pending and not len(idx._keys)
    return idx, sig


def test_finds_near_duplicates_and_nothing_else(built) -> None:  # type: ignore[no-untyped-def]
    idx, sig = built
    queries = np.concatenate([near(sig[:20], 0.7), random_signatures(20)])
    found = idx.query(queries, np.ones(40, bool), 0.5)
    assert [[h.entry for h in hits] for hits in found[:20]] == [[i] for i in range(1, 21)]
    assert all(h.similarity == pytest.approx(0.7, abs=0.01) for hits in found[:20] for h in hits)
    assert not any(found[20:])


def test_unusable_queries_are_skipped(built) -> None:  # type: ignore[no-untyped-def]
    idx, sig = built
    found = idx.query(sig[:3], np.array([True, False, True]), 0.5)
    assert [len(hits) for hits in found] == [1, 0, 1]


def test_update_remove_and_later_adds(built) -> None:  # type: ignore[no-untyped-def]
    idx, sig = built
    idx.add(np.array([3]), sig[2:3], np.zeros(1, np.int8), "label_store",
            decision_ids=np.array([42]))
    (hit,) = idx.query(sig[2:3], np.ones(1, bool), 0.5)[0]
    assert (hit.label, hit.decision_id) == ("legit", 42)
    assert idx.remove(np.array([3, 4, 999])) == 2
    assert idx.query(sig[2:4], np.ones(2, bool), 0.5) == [[], []]
    extra = random_signatures(5)
    idx.add(np.arange(600, 605), extra, np.ones(5, np.int8), "label_store")
    assert [h[0].entry for h in idx.query(extra, np.ones(5, bool), 0.9)] == list(range(600, 605))
    assert idx.n_alive == 500 - 2 + 5
    with pytest.raises(ValueError, match="increasing"):
        idx.add(np.array([550]), extra[:1], np.ones(1, np.int8), "label_store")


def test_band_probability_matches_the_design() -> None:
    """1 - (1 - J^r)^b: the threshold's neighbourhood is found, far pairs rarely."""
    def p(j: float) -> float:
        return 1 - (1 - j**ROWS) ** BANDS

    assert p(0.5) > 0.99 and p(0.45) > 0.96 and p(0.15) < 0.12
