from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detector.model.artifact import ARTIFACT_NAME, ModelIntegrityError, load_bundle, read_card
from detector.settings import DEFAULT_MODEL_DIR


def test_shipped_artifact_matches_its_card_and_is_small() -> None:
    card = read_card(DEFAULT_MODEL_DIR)
    artifact = DEFAULT_MODEL_DIR / ARTIFACT_NAME
    assert artifact.stat().st_size <= 25 * 1024 * 1024
    bundle, _ = load_bundle(DEFAULT_MODEL_DIR)
    assert bundle.version == card["version"]
    assert set(card["recipes"]) == {"en", "zh"}
    assert card["model_version"] == bundle.version


def test_a_tampered_artifact_is_refused_before_unpickling(tmp_path: Path) -> None:
    copy = tmp_path / "models"
    shutil.copytree(DEFAULT_MODEL_DIR, copy)
    with (copy / ARTIFACT_NAME).open("ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ModelIntegrityError, match="does not match the model card"):
        load_bundle(copy)


def test_missing_model_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="no model card"):
        load_bundle(tmp_path)


def test_the_artifact_is_pickle_gzip_and_saving_is_deterministic(tmp_path: Path) -> None:
    """Issue 19: joblib's pure-Python unpickler took >1 s; the artifact is now protocol-5
    pickle in gzip, read once, hashed, then unpickled by the C unpickler."""
    import gzip
    import hashlib

    from detector.model.artifact import artifact_bytes, save_bundle

    bundle, card = load_bundle(DEFAULT_MODEL_DIR)
    data = (DEFAULT_MODEL_DIR / ARTIFACT_NAME).read_bytes()
    assert data[:2] == b"\x1f\x8b" and gzip.decompress(data)[:2] == b"\x80\x05"
    assert card["artifact"]["file"] == ARTIFACT_NAME
    assert artifact_bytes(bundle) == artifact_bytes(bundle)  # no timestamp inside
    sha = save_bundle(bundle, tmp_path)
    assert sha == hashlib.sha256((tmp_path / ARTIFACT_NAME).read_bytes()).hexdigest()


def test_a_legacy_joblib_directory_still_loads_through_the_check(tmp_path: Path) -> None:
    import hashlib
    import json

    import joblib

    from detector.evaluation.card import resave_artifact
    from detector.model.artifact import LEGACY_ARTIFACT_NAME

    bundle, card = load_bundle(DEFAULT_MODEL_DIR)
    joblib.dump(bundle, tmp_path / LEGACY_ARTIFACT_NAME, compress=("zlib", 3))
    sha = hashlib.sha256((tmp_path / LEGACY_ARTIFACT_NAME).read_bytes()).hexdigest()
    legacy = {**card, "artifact": {"file": LEGACY_ARTIFACT_NAME, "sha256": sha}}
    (tmp_path / "model_card.json").write_text(json.dumps(legacy), encoding="utf-8")
    loaded, _ = load_bundle(tmp_path)
    assert loaded.version == bundle.version
    with (tmp_path / LEGACY_ARTIFACT_NAME).open("ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_bundle(tmp_path)
    # Re-saved by code: new format, card regenerated, the legacy file gone.
    joblib.dump(bundle, tmp_path / LEGACY_ARTIFACT_NAME, compress=("zlib", 3))
    legacy["artifact"]["sha256"] = hashlib.sha256(
        (tmp_path / LEGACY_ARTIFACT_NAME).read_bytes()).hexdigest()
    (tmp_path / "model_card.json").write_text(json.dumps(legacy), encoding="utf-8")
    new_card = resave_artifact(tmp_path)
    assert new_card["artifact"]["file"] == ARTIFACT_NAME
    assert not (tmp_path / LEGACY_ARTIFACT_NAME).exists()
    assert read_card(tmp_path)["artifact"] == new_card["artifact"]
    assert load_bundle(tmp_path)[0].version == bundle.version
