"""`detector train --with-labels`: the recipe already chosen is refitted (no baseline, 3
folds), progress lines say the time left once a run of the same kind is known, and a
version directory appears only when complete. Small corpus slices (tests/labels/trained)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path

from detector.model.artifact import ARTIFACT_NAME
from detector.model.version import sort_key
from detector.registry.retrain import TIMINGS_FILE, Progress, retrain
from detector.registry.versions import list_versions
from detector.settings import Settings
from tests.labels.trained import SAMPLE_ROWS, baseline_model


def test_progress_estimates_the_time_left_from_the_last_run() -> None:
    lines: list[str] = []
    progress = Progress(lines.append, [10.0, 20.0, 40.0])
    progress("first")
    assert lines[0].startswith("[0m00s") and "left" in lines[0] and lines[0].endswith("first")
    fresh: list[str] = []
    Progress(fresh.append, None)("no history yet")
    assert "left" not in fresh[0]


def test_a_version_is_listed_only_once_complete(tmp_path: Path) -> None:
    settings = replace(Settings(), label_db=str(tmp_path / "labels.sqlite"),
                       models_home=tmp_path / "home")
    seen: set[str] = set()
    partial_seen: list[str] = []
    done = threading.Event()

    def watch() -> None:  # what `detector models list` would show, while training runs
        while not done.is_set():
            for version in list_versions(settings)[1:]:
                seen.add(version.name)
                complete = (ARTIFACT_NAME, "model_card.json")
                if not all((version.path / name).exists() for name in complete):
                    partial_seen.append(version.name)
            if settings.models_home.exists():
                partial_seen.extend(p.name for p in settings.models_home.iterdir()
                                    if p.name.startswith(".") and p.name in seen)
            time.sleep(0.05)

    # A previous run of the same kind, for the estimate of the time left.
    settings.models_home.mkdir(parents=True)
    (settings.models_home / TIMINGS_FILE).write_text(json.dumps(
        {"quick-sample": [5.0 * i for i in range(1, 12)]}))
    earlier = baseline_model()  # made by the same code, before this run
    watcher = threading.Thread(target=watch)
    watcher.start()
    lines: list[str] = []
    try:
        first = retrain(settings, with_labels=True, sample=SAMPLE_ROWS, log=lines.append)
    finally:
        done.set()
        watcher.join()
    assert not partial_seen
    assert first.out.parent == settings.models_home and not first.out.name.startswith(".")
    assert [p.name for p in settings.models_home.iterdir() if p.name.startswith(".")] == []
    card = json.loads((first.out / "model_card.json").read_text())
    assert card["version"] == first.version
    assert card["training_run"]["kind"] == "quick-sample" and not card["training_run"]["baseline"]
    assert not any("baseline" in line for line in lines)  # the recipe chosen, refitted
    assert all(line.startswith("[") for line in lines)
    assert any("left]" in line for line in lines)
    timings = json.loads((settings.models_home / TIMINGS_FILE).read_text())
    assert len(timings["quick-sample"]) == len(lines)  # the next run's estimate
    earlier_version = json.loads((earlier / "model_card.json").read_text())["version"]
    assert sort_key(first.version) > sort_key(earlier_version)  # never reads as a downgrade
