"""`detector models list|compare|promote|rollback` in-process: the gate refuses a
deliberately worse model (labels flipped), --force overrides it and is logged, rollback
returns to the model before. Models are small slices (tests/labels/trained.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from detector.cli import main
from detector.registry.state import read_events, read_state
from detector.settings import Settings
from tests.labels.trained import baseline_model, flipped_model


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "versions"
    home.mkdir()
    shutil.copytree(flipped_model(), home / "flipped")
    # The baseline slice model plays the shipped model here (the real one may be mid-rewrite).
    monkeypatch.setenv("DETECTOR_MODEL_DIR", str(baseline_model()))
    monkeypatch.setenv("DETECTOR_MODELS_HOME", str(home))
    monkeypatch.setenv("DETECTOR_LABEL_DB", str(tmp_path / "labels.sqlite"))
    return home


def test_promote_refuses_a_worse_model_force_is_logged_rollback_returns(home: Path,
                                                                         capsys) -> None:
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert "shipped" in listing and "flipped" in listing

    assert main(["models", "promote", "flipped", "--boot", "200"]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "test_split en" in err
    settings = Settings.from_env()
    assert read_state(settings)["promoted"] is None and read_events(settings) == []

    assert main(["models", "promote", "flipped", "--boot", "200", "--force",
                 "--reason", "test of the override"]) == 0
    out, err = capsys.readouterr()
    assert "FORCED" in err and "| test_split | en | recall_at_high |" in out
    (event,) = read_events(settings)
    assert event["forced"] and event["refusals_overridden"] and event["reason"]
    assert read_state(settings)["promoted"]["name"] == "flipped"

    assert main(["models", "rollback"]) == 0
    assert read_state(settings)["promoted"] is None
    assert main(["models", "rollback"]) == 2
    assert "nothing to roll back" in capsys.readouterr().err


def test_compare_writes_json_and_refuses_unknown_versions(home: Path, tmp_path: Path,
                                                          capsys) -> None:
    out = tmp_path / "cmp.json"
    assert main(["models", "compare", "shipped", "flipped", "--boot", "100",
                 "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["refusals"] and set(figures["test_split"]) == {"en", "zh"}
    assert figures["flag_examples"]["all"]["pass_rate"]["n"] > 100
    capsys.readouterr()
    assert main(["models", "compare", "shipped", "no-such-version"]) == 2
    assert "no model version" in capsys.readouterr().err


def test_list_prints_whole_names_and_either_spelling_resolves(home: Path, capsys) -> None:
    """Issue 27: `models list` cut version names, and the training log printed the version
    with `+` where its directory had `_`: unclear what to pass to `compare`."""
    from detector.model.version import make_version
    from detector.registry.retrain import safe_name
    from detector.registry.versions import resolve

    version = make_version("d1361c57" * 8, "1043dd0b" * 8, 25)  # the scheme's real shape
    assert "+" in version and len(version) > 36
    assert safe_name(version) == version  # new directories are named by the version itself
    old = home / version.replace("+", "_")  # a directory made before, `_` for `+`
    shutil.copytree(home / "flipped", old)
    card = json.loads((old / "model_card.json").read_text())
    (old / "model_card.json").write_text(json.dumps({**card, "version": version}))
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert version in listing and old.name in listing  # whole, never cut
    settings = Settings.from_env()
    assert resolve(settings, old.name).path == old
    assert resolve(settings, version).path == old  # the spelling with + finds it too
