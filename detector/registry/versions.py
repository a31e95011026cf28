"""The model versions there are: the shipped `models/` and every directory under the models
home that holds a model card. A version is referred to by `shipped`, `served`, its directory
name, its model_version string, or a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detector.model.artifact import CARD_JSON, ModelIntegrityError, read_card
from detector.registry.state import read_state, served_model_dir
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
    if (path / CARD_JSON).is_file():
        return _version_at(path, path.name)
    known = ", ".join(v.name for v in list_versions(settings))
    raise ValueError(f"no model version {ref!r}; known: {known} (or give a directory)")


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
