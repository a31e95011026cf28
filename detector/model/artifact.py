"""Saving and loading the model artifact: a sha256 check before anything is unpickled.

Only `models/` inside the project (or the directory the settings name) is ever loaded, and
only when the artifact's sha256 matches the one recorded in the model card beside it.

Format: the bundle pickled (protocol 5) and gzip-compressed (`detector.pkl.gz`). The file
is read once into memory, hashed, decompressed and unpickled by the C unpickler: about
0.15 s for the shipped model, where joblib's pure-Python unpickler took over a second
(issue 19; `benchmarks/bench_startup.py`). Older directories hold `detector.joblib`; they
still load (through the same check), and are re-saved in the new format with
`python -m detector.evaluation.resave DIR`.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import json
import pickle
from pathlib import Path
from typing import Any

from detector.model.bundle import ModelBundle

ARTIFACT_NAME = "detector.pkl.gz"
#: The artifact of model directories written before issue 19 (joblib, zlib-compressed).
LEGACY_ARTIFACT_NAME = "detector.joblib"
ARTIFACT_NAMES = (ARTIFACT_NAME, LEGACY_ARTIFACT_NAME)
CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"
#: gzip level: 6 is as small as 9 here and twice as fast to write; reading is ~50 ms either way.
COMPRESS_LEVEL = 6


class ModelIntegrityError(RuntimeError):
    """The artifact is missing, or is not the file its model card describes."""


def artifact_bytes(bundle: ModelBundle) -> bytes:
    """The artifact's content: deterministic for a given bundle (gzip mtime fixed at 0)."""
    raw = pickle.dumps(bundle, protocol=5)
    return gzip.compress(raw, compresslevel=COMPRESS_LEVEL, mtime=0)


def save_bundle(bundle: ModelBundle, model_dir: Path) -> str:
    """Write the artifact; returns its sha256 (the card must record it). A legacy
    `detector.joblib` beside it is removed, so a directory holds one artifact."""
    model_dir.mkdir(parents=True, exist_ok=True)
    path = model_dir / ARTIFACT_NAME
    data = artifact_bytes(bundle)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    (model_dir / LEGACY_ARTIFACT_NAME).unlink(missing_ok=True)
    return hashlib.sha256(data).hexdigest()


def artifact_path(model_dir: Path, card: dict[str, Any] | None = None) -> Path:
    """The artifact of `model_dir`: the file its card names (one of ARTIFACT_NAMES, never a
    path from the card), else whichever of them exists, else the current name."""
    named = (card or {}).get("artifact", {}).get("file")
    if named in ARTIFACT_NAMES:
        return model_dir / named
    for name in ARTIFACT_NAMES:
        if (model_dir / name).exists():
            return model_dir / name
    return model_dir / ARTIFACT_NAME


def has_artifact(model_dir: Path) -> bool:
    return any((model_dir / name).exists() for name in ARTIFACT_NAMES)


def read_card(model_dir: Path) -> dict[str, Any]:
    path = model_dir / CARD_JSON
    if not path.exists():
        raise ModelIntegrityError(f"no model card at {path}; run `detector train`")
    return json.loads(path.read_text(encoding="utf-8"))


def load_bundle(model_dir: Path) -> tuple[ModelBundle, dict[str, Any]]:
    """Verify the artifact against the card's sha256, then unpickle it.

    The bytes are read once: the ones hashed are the ones unpickled (no window in which the
    file could be swapped between the check and the load)."""
    card = read_card(model_dir)
    path = artifact_path(model_dir, card)
    if not path.exists():
        raise ModelIntegrityError(f"model artifact {path} is missing; run `detector train`")
    data = path.read_bytes()
    expected = card.get("artifact", {}).get("sha256")
    actual = hashlib.sha256(data).hexdigest()
    if expected != actual:
        raise ModelIntegrityError(
            f"refusing to load {path}: sha256 {actual} does not match the model card "
            f"({expected}). The file was changed or replaced; retrain or restore it."
        )
    # The cyclic garbage collector would walk the heap again and again while hundreds of
    # thousands of objects are created (the imports the unpickling triggers included), and
    # once more, in full, soon after: off while loading, then the loaded objects are moved
    # out of its sight (gc.freeze). They live as long as the process; saves ~0.15 s.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if path.name == LEGACY_ARTIFACT_NAME:
            import joblib

            bundle = joblib.load(io.BytesIO(data))
        else:
            bundle = pickle.loads(gzip.decompress(data))
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    if not isinstance(bundle, ModelBundle):
        raise ModelIntegrityError(f"{path} does not hold a ModelBundle")
    return bundle, card
