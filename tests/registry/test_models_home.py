"""Issue 24 item 7: models only from home. `models compare/promote` took any directory and
unpickled its artifact (running its code) before refusing it. A hand-made "model" whose
unpickling creates a marker file (labelled as such: an attack, not a model) shows that a
directory outside the models home is refused before anything in it is read; versions inside
the home (by name or by path) and the shipped model are accepted."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from detector.cli import main
from detector.model.artifact import ARTIFACT_NAME, CARD_JSON
from detector.registry.state import read_events
from detector.registry.versions import UntrustedModelDir, check_trusted, resolve
from detector.settings import DEFAULT_MODEL_DIR, Settings


class _Payload:
    """Unpickling this opens (creates) the marker file: what an attacker's code would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def evil_version(folder: Path, marker: Path) -> Path:
    """A directory that looks like a model version: artifact and a card with its sha256."""
    folder.mkdir(parents=True)
    data = gzip.compress(pickle.dumps(_Payload(marker), protocol=5), mtime=0)
    (folder / ARTIFACT_NAME).write_bytes(data)
    card = {"version": "3.0.20990101000000+deadbeef.m1.deadbeef",
            "artifact": {"file": ARTIFACT_NAME, "sha256": hashlib.sha256(data).hexdigest()}}
    (folder / CARD_JSON).write_text(json.dumps(card), encoding="utf-8")
    return folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DETECTOR_MODEL_DIR", raising=False)
    monkeypatch.setenv("DETECTOR_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DETECTOR_LABEL_DB", str(tmp_path / "labels.sqlite"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


@pytest.mark.parametrize("command", [
    ["models", "promote", "{evil}", "--boot", "10"],
    ["models", "promote", "{evil}", "--boot", "10", "--force"],
    ["models", "compare", "served", "{evil}", "--boot", "10"],
    ["models", "compare", "{evil}", "shipped", "--boot", "10"],
])
def test_a_directory_outside_home_is_refused_before_it_is_unpickled(
        home: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch,
        command: list[str]) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "the-artifact-ran.txt"
    evil = evil_version(tmp_path / "some" / "dir", marker)
    monkeypatch.chdir(tmp_path / "some")
    relative = os.path.relpath(evil)  # "../some/dir" style paths too
    assert main([part.replace("{evil}", relative) for part in command]) == 2
    err = capsys.readouterr().err
    assert "refusing" in err and "models home" in err
    assert not marker.exists(), "the artifact was unpickled"
    assert read_events(Settings.from_env()) == []


def test_a_symlink_in_home_leading_outside_is_refused(home: Path, tmp_path: Path,
                                                      capsys) -> None:  # type: ignore[no-untyped-def]
    marker = tmp_path / "the-artifact-ran.txt"
    evil = evil_version(tmp_path / "elsewhere", marker)
    (home / "innocent").symlink_to(evil, target_is_directory=True)
    assert main(["models", "promote", "innocent", "--boot", "10"]) == 2
    assert "refusing" in capsys.readouterr().err and not marker.exists()
    linked = home / "linked-artifact"  # a real directory whose artifact links out of it
    linked.mkdir()
    (linked / ARTIFACT_NAME).symlink_to(evil / ARTIFACT_NAME)
    shutil.copy(evil / CARD_JSON, linked / CARD_JSON)
    assert main(["models", "compare", "shipped", "linked-artifact", "--boot", "10"]) == 2
    assert "refusing" in capsys.readouterr().err and not marker.exists()


def test_versions_inside_home_and_the_shipped_model_are_accepted(home: Path) -> None:
    copy = home / "copy-of-shipped"
    copy.mkdir()
    for name in (ARTIFACT_NAME, CARD_JSON):
        shutil.copy(DEFAULT_MODEL_DIR / name, copy / name)
    settings = Settings.from_env()
    assert resolve(settings, "copy-of-shipped").path == copy
    assert resolve(settings, str(copy)).path == copy  # by path, inside the home
    assert resolve(settings, "shipped").shipped
    assert check_trusted(settings, DEFAULT_MODEL_DIR) == DEFAULT_MODEL_DIR.resolve()
    with pytest.raises(UntrustedModelDir):
        check_trusted(settings, home.parent)


def test_the_artifact_is_read_once_and_the_bytes_hashed_are_the_ones_loaded(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_bundle reads the file once: swapping it after the read changes nothing."""
    copy = home / "copy"
    copy.mkdir()
    for name in (ARTIFACT_NAME, CARD_JSON):
        shutil.copy(DEFAULT_MODEL_DIR / name, copy / name)
    marker = tmp_path / "the-artifact-ran.txt"
    evil = evil_version(tmp_path / "evil", marker)
    reads: list[Path] = []
    real_read = Path.read_bytes

    def read_then_swap(self: Path) -> bytes:
        data = real_read(self)
        if self.name == ARTIFACT_NAME:
            reads.append(self)
            shutil.copy(evil / ARTIFACT_NAME, self)  # swapped right after the read
        return data

    monkeypatch.setattr(Path, "read_bytes", read_then_swap)
    from detector.registry.promote import detector_of

    detector = detector_of(resolve(Settings.from_env(), "copy"), Settings.from_env())
    assert len(reads) == 1 and not marker.exists()
    assert detector.model_version == json.loads(
        (DEFAULT_MODEL_DIR / CARD_JSON).read_text())["version"]
