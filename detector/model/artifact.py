"""Saving and loading the model artifact: a sha256 check before anything is unpickled.

Only `models/` inside the project (or the directory the settings name) is ever loaded, and
only when the artifact's sha256 matches the one recorded in the model card beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import joblib

from detector.hashing import sha256_file
from detector.model.bundle import ModelBundle

ARTIFACT_NAME = "detector.joblib"
CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"


class ModelIntegrityError(RuntimeError):
    """The artifact is missing, or is not the file its model card describes."""


def save_bundle(bundle: ModelBundle, model_dir: Path) -> str:
    """Write the artifact; returns its sha256 (the card must record it)."""
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_dir / ARTIFACT_NAME
    tmp = path.with_suffix(".tmp")
    joblib.dump(bundle, tmp, compress=("zlib", 6))
    tmp.replace(path)
    return sha256_file(path)


def read_card(model_dir: Path) -> dict[str, Any]:
    path = model_dir / CARD_JSON
    if not path.exists():
        raise ModelIntegrityError(f"no model card at {path}; run `detector train`")
    return json.loads(path.read_text(encoding="utf-8"))


def load_bundle(model_dir: Path) -> tuple[ModelBundle, dict[str, Any]]:
    """Verify the artifact against the card's sha256, then unpickle it."""
    card = read_card(model_dir)
    path = model_dir / ARTIFACT_NAME
    if not path.exists():
        raise ModelIntegrityError(f"model artifact {path} is missing; run `detector train`")
    expected = card.get("artifact", {}).get("sha256")
    actual = sha256_file(path)
    if expected != actual:
        raise ModelIntegrityError(
            f"refusing to load {path}: sha256 {actual} does not match the model card "
            f"({expected}). The file was changed or replaced; retrain or restore it."
        )
    bundle = joblib.load(path)
    if not isinstance(bundle, ModelBundle):
        raise ModelIntegrityError(f"{path} does not hold a ModelBundle")
    return bundle, card
