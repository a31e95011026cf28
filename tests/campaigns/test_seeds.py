"""The corpus seeds' signatures ship beside the seeds (issue 28): the shipped file is fresh and
holds what signing the seeds gives; a stale or missing file is signed again and rewritten;
a memory loaded from it finds and shows what one that signs the seeds itself does."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest

from detector.campaigns import seeds as seeds_module
from detector.campaigns.fingerprint import key_of, signatures
from detector.campaigns.memory import CampaignMemory
from detector.campaigns.seeds import (
    SEEDS_FILE,
    SIGNATURES_FILE,
    read_seeds,
    seed_signatures,
    stored_signatures,
    write_signatures,
)
from detector.model.fitting import to_postings
from detector.settings import DEFAULT_DATA_DIR


def _signed_one_by_one(seeds: list) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[type-arg]
    """How the memory signed the seeds before they shipped signed: each seed's key."""
    return signatures([key_of(seed.posting) for seed in seeds])


def test_the_shipped_signatures_are_fresh_and_are_the_seeds_signatures() -> None:
    """Fails after a change of the reading or the fingerprint until `detector campaigns
    seeds` is run again (the memory signs the seeds itself meanwhile)."""
    _, seeds = read_seeds(DEFAULT_DATA_DIR)
    stored = stored_signatures(DEFAULT_DATA_DIR, len(seeds))
    assert stored is not None, f"{SIGNATURES_FILE} is stale: run `detector campaigns seeds`"
    sig, ok = _signed_one_by_one(seeds)
    assert np.array_equal(stored[1], ok)
    assert np.array_equal(stored[0][ok], sig[ok])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copy(DEFAULT_DATA_DIR / SEEDS_FILE, tmp_path / SEEDS_FILE)
    return tmp_path


def test_missing_or_stale_signatures_are_signed_again_and_rewritten(data_dir: Path,
                                                                    monkeypatch) -> None:
    _, seeds = read_seeds(data_dir)
    assert stored_signatures(data_dir, len(seeds)) is None  # missing
    sig, ok = seed_signatures(data_dir, seeds)
    assert (data_dir / SIGNATURES_FILE).exists()
    again = stored_signatures(data_dir, len(seeds))
    assert again is not None and np.array_equal(again[0], sig) and np.array_equal(again[1], ok)
    # Another reading or scheme: stale.
    monkeypatch.setattr(seeds_module, "signature_stamp", lambda: "another reading")
    assert stored_signatures(data_dir, len(seeds)) is None
    monkeypatch.undo()
    # Signatures of other seeds: stale.
    (data_dir / SIGNATURES_FILE).rename(data_dir / "kept.npz")
    write_signatures(data_dir, seeds[:10])
    assert stored_signatures(data_dir, len(seeds)) is None  # 10 rows for 759 seeds
    (data_dir / "kept.npz").replace(data_dir / SIGNATURES_FILE)
    assert stored_signatures(data_dir, len(seeds)) is not None
    # Another seeds file (another sha256, the same rows): stale.
    seeds_file = data_dir / SEEDS_FILE
    seeds_file.write_bytes(gzip.compress(gzip.decompress(seeds_file.read_bytes()), mtime=1))
    assert stored_signatures(data_dir, len(seeds)) is None
    write_signatures(data_dir)
    (data_dir / SIGNATURES_FILE).write_bytes(b"not a zip file")
    assert stored_signatures(data_dir, len(seeds)) is None
    assert np.array_equal(seed_signatures(data_dir, seeds)[0], sig)


def test_an_unwritable_directory_still_gets_its_seeds_signed(data_dir: Path,
                                                             monkeypatch) -> None:
    def refuse(*args: object) -> Path:
        raise PermissionError("read-only")

    monkeypatch.setattr(seeds_module, "_save_signatures", refuse)
    _, seeds = read_seeds(data_dir)
    sig, ok = seed_signatures(data_dir, seeds)
    expected, expected_ok = _signed_one_by_one(seeds)
    assert np.array_equal(ok, expected_ok) and np.array_equal(sig[ok], expected[ok])


def test_a_memory_from_shipped_signatures_finds_and_shows_what_signing_finds(
        data_dir: Path, corpus) -> None:
    """Real scams of every split (the seeds themselves among them, and test reposts of
    train/valid campaigns): the same hits, details and evidence spans from the shipped
    file as from seeds signed at start."""
    shipped = CampaignMemory(None, DEFAULT_DATA_DIR, poll=0)
    signing = CampaignMemory(None, data_dir, poll=0)  # no signatures file: signs the seeds
    scams = corpus[corpus["label"] == 1].sample(600, random_state=0)
    postings = to_postings(scams)
    found = shipped.lookup(postings)
    assert not (data_dir / SIGNATURES_FILE).exists()
    again = signing.lookup(postings)
    assert (data_dir / SIGNATURES_FILE).exists()  # written for the next process
    hits = [(r.hit.detail, r.hit.evidence) if r.hit else None for r in found]
    assert hits == [(r.hit.detail, r.hit.evidence) if r.hit else None for r in again]
    assert sum(h is not None for h in hits) >= 100
