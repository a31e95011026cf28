"""Issue 24 item 6: a new team's first retrain. 20 moderator decisions (real corpus postings
recorded as decisions), `detector train --with-labels` (on a corpus slice, `--sample`, to
keep the test short), `models compare` and `models promote`: each used to fail with
scikit-learn's "max_df corresponds to < documents than min_df" from the near-duplicate
grouping of the few held-out decisions, printed as a usage error (exit 2). Now each works;
a held-out slice too small to gate says so and what to do; and an internal error prints as
one, with its cause, exit 70."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.cli import main
from detector.labels.decisions import parse_decision
from detector.labels.store import LabelStore
from detector.registry.state import read_events, read_state
from detector.schema import TEXT_FIELDS
from detector.settings import Settings

N_DECISIONS = 20


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: pd.DataFrame) -> Path:
    """A label store holding a new team's first 20 decisions, and an empty models home."""
    monkeypatch.delenv("DETECTOR_MODEL_DIR", raising=False)  # served: the shipped model
    monkeypatch.setenv("DETECTOR_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DETECTOR_LABEL_DB", str(tmp_path / "labels.sqlite"))
    rows = corpus[(corpus["role"] == "core") & (corpus["split"] == "train")]
    picked = pd.concat([rows[rows["label"] == 1].sample(8, random_state=1),
                        rows[rows["label"] == 0].sample(12, random_state=1)])
    batch = []
    for row in picked.to_dict("records"):
        posting = {k: row[k] for k in TEXT_FIELDS if isinstance(row[k], str)}
        posting["id"] = f"team-{row['id']}"
        batch.append(parse_decision({"posting": posting, "label": "scam" if row["label"] == 1
                                     else "legit"}, "moderator"))
    LabelStore(str(tmp_path / "labels.sqlite")).record(batch)
    return tmp_path


def test_first_retrain_compare_and_promote(team: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert main(["train", "--with-labels", "--sample", "1500"]) == 0
    (version,) = [p.name for p in (team / "home").iterdir() if p.is_dir()]
    capsys.readouterr()

    figures = team / "cmp.json"
    assert main(["models", "compare", "served", version, "--boot", "50",
                 "--json", str(figures)]) == 0
    out = capsys.readouterr().out
    gate = json.loads(figures.read_text())["holdout_gate"]
    assert gate["trained_labels"] + sum(sum(n.values()) for n in gate["counts"].values()) \
        == N_DECISIONS
    assert gate["too_small"] and "moderator_holdout is too small to gate" in out
    assert "too few held-out decisions to gate" in out and "Record more decisions" in out

    assert main(["models", "promote", version, "--boot", "50"]) == 1
    refused = capsys.readouterr().err
    assert "too few held-out decisions to gate" in refused
    assert "Record more decisions" in refused and "--force" in refused
    assert read_state(Settings.from_env())["promoted"] is None

    assert main(["models", "promote", version, "--boot", "50", "--force",
                 "--reason", "first retrain: 20 decisions"]) == 0
    settings = Settings.from_env()
    assert read_state(settings)["promoted"]["name"] == version
    (event,) = read_events(settings)
    assert event["forced"] and any("too few held-out" in r
                                   for r in event["refusals_overridden"])
    capsys.readouterr()

    # An internal error (here the grouping's old 5% cut-off on a handful of texts, put
    # back on purpose) is printed as one, with its cause: not as a usage error (exit 2).
    monkeypatch.setattr("detector.corpus.groups.SMALL_GROUPING", 0)
    assert main(["models", "compare", "served", version, "--boot", "10"]) == 70
    err = capsys.readouterr().err
    assert "internal error: ValueError: max_df corresponds to < documents than min_df" in err
    assert "sklearn/" in err and "groups.py" in err and "This is a bug" in err
    assert "detector models: error:" not in err
