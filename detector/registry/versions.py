"""The model versions there are: the shipped `models/` and every directory under the models
home that holds a model card. A version is referred to by `shipped`, `served`, its directory
name, its model_version string, or a path inside the models home (or the shipped/configured
model directory): a path elsewhere is refused before anything in it is read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detector.model.artifact import CARD_JSON, ModelIntegrityError, read_card
from detector.registry.state import read_state
from detector.settings import Settings


@dataclass(frozen=True)
class ModelVersion:
    name: str
    path: Path
    version: str
    sha256: str
    card: dict[str, Any]
    shipped: bool = False

    @property
    def n_labels(self) -> int:
        return int(self.card.get("moderator_labels", {}).get("n_train", 0))

    def entry(self) -> dict[str, Any]:
        """What the promotion state records: a name, a version and a digest, never a path
        (each replica finds the version in its own models home: `locate`)."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


class VersionNotFound(ValueError):
    """The promoted version is not in this machine's models home (or its sha256 differs)."""


class UntrustedModelDir(ValueError):
    """A model directory outside the models home and the shipped/configured model directory:
    refused before anything in it is read (a pickle runs code when it is loaded)."""


def trusted_roots(settings: Settings) -> list[Path]:
    """Where models may be loaded from: the configured models home, the configured model
    directory (DETECTOR_MODEL_DIR, else the shipped one) and the shipped `models/`."""
    from detector.settings import DEFAULT_MODEL_DIR

    roots = [settings.models_home, settings.model_dir, DEFAULT_MODEL_DIR]
    return list(dict.fromkeys(root.resolve() for root in roots))


def check_trusted(settings: Settings, path: Path) -> Path:
    """`path` resolved (symbolic links followed), if it is one of the trusted roots or inside
    one; UntrustedModelDir otherwise (issue 24: `models promote ../some/dir` unpickled the
    directory's artifact, running its code, before refusing it)."""
    resolved = path.resolve()
    roots = trusted_roots(settings)
    if any(resolved == root or resolved.is_relative_to(root) for root in roots):
        return resolved
    shown = ", ".join(str(root) for root in roots)
    raise UntrustedModelDir(
        f"refusing {path}: model versions are loaded only from the models home or the "
        f"shipped model directory ({shown}); a model file runs code when it is loaded. Copy "
        "the version's directory into DETECTOR_MODELS_HOME (or set DETECTOR_MODELS_HOME) "
        "and refer to it by name")


def _version_at(path: Path, name: str, shipped: bool = False) -> ModelVersion:
    card = read_card(path)
    return ModelVersion(name=name, path=path, version=str(card.get("version", "?")),
                        sha256=str(card.get("artifact", {}).get("sha256", "")), card=card,
                        shipped=shipped)


def shipped_version(settings: Settings) -> ModelVersion:
    return _version_at(settings.model_dir, "shipped", shipped=True)


def list_versions(settings: Settings) -> list[ModelVersion]:
    """The shipped model first, then the home's versions in the order they were made (their
    version strings sort so). Directories being written (hidden names) are not versions."""
    from detector.model.version import sort_key

    out = [shipped_version(settings)]
    home = settings.models_home
    if home.is_dir():
        found = []
        for path in home.iterdir():
            if path.name.startswith(".") or not (path / CARD_JSON).is_file():
                continue
            try:
                found.append(_version_at(path, path.name))
            except (ModelIntegrityError, ValueError):
                continue  # not a readable version
        found.sort(key=lambda v: (sort_key(v.version), (v.path / CARD_JSON).stat().st_mtime))
        out.extend(found)
    return out


def resolve(settings: Settings, ref: str) -> ModelVersion:
    """A version by name, model_version, `shipped`, `served`, or directory path."""
    if ref == "served":
        path = served_model_dir(settings)
        match = [v for v in list_versions(settings) if v.path.resolve() == path.resolve()]
        return match[0] if match else _version_at(path, path.name)
    versions = list_versions(settings)
    for version in versions:
        if ref in (version.name, version.version):
            return version
    # Directories made before issue 27 spell the version's `+` as `_`: either spelling works.
    loose = ref.replace("+", "_")
    for version in versions:
        if loose in (version.name.replace("+", "_"), version.version.replace("+", "_")):
            return version
    path = Path(ref)
    if path.is_dir():
        check_trusted(settings, path)  # before its card or artifact is read
    if (path / CARD_JSON).is_file():
        return _version_at(path, path.name)
    known = ", ".join(v.name for v in list_versions(settings))
    raise ValueError(f"no model version {ref!r}; known: {known} (or give a directory in the "
                     "models home)")


def locate(settings: Settings, entry: dict[str, Any]) -> Path:
    """This machine's directory holding the promoted `entry`: same model_version and the
    same artifact sha256, among the shipped model and the models home's versions. The sha256
    is checked again against the artifact itself when it loads (detector.model.artifact)."""
    version, sha = str(entry.get("version", "")), str(entry.get("sha256", ""))
    for candidate in list_versions(settings):
        if candidate.version == version and candidate.sha256 == sha and sha:
            return candidate.path
    raise VersionNotFound(
        f"promoted model {version} (sha256 {sha[:12]}) is not in {settings.models_home} or "
        f"{settings.model_dir} on this machine: copy its directory into the shared models "
        "home")


def promoted_name(settings: Settings) -> str | None:
    promoted = read_state(settings).get("promoted")
    return promoted.get("name") if promoted else None


def served_model_dir(settings: Settings, state: dict[str, Any] | None = None) -> Path:
    """The directory to serve: DETECTOR_MODEL_DIR when given (used as it is), else the
    promoted version found in this machine's models home, else the shipped `models/`."""
    if settings.model_dir_pinned:
        return settings.model_dir
    promoted = (state if state is not None else read_state(settings)).get("promoted")
    if not promoted:
        return settings.model_dir
    return locate(settings, promoted)
