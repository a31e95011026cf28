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
