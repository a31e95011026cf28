"""The feedback loop end to end, through the real API and the real store:

a scam campaign from the corpus's held-out test split that the served model scores below
`high` -> moderators record decisions on some of its postings (POST /v1/feedback/batch) ->
retrain with the labels -> compare + promote (the gate) -> POST /v1/admin/reload -> the
served verdicts for the campaign's *other* postings (never recorded) rise, and carry the new
model_version -> rollback -> reload -> the old version is served again.

To stay fast, both models are trained by the real training code on the same corpus slice
(tests/labels/trained.py); the only difference between them is the moderator labels. The
campaign is picked at run time from the current data and model, not hard-coded.

The gate: on such a slice the stacked English model moves with any change of its training
rows (a dozen rows of one campaign moved recall at high on the other campaigns by about
0.1 in both directions across runs), so promote may pass or refuse here. Both are valid
gate outcomes and the test accepts either; when it refuses, the test promotes with --force
(logged, with the reason) to go on through reload and rollback. That the gate refuses a
model that is really worse is tested in tests/cli/test_models_cli.py (labels flipped).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from detector.labels.decisions import content_hash
from detector.labels.store import LabeledPosting
from detector.labels.training import assign_label_groups, label_frame
from detector.language import detect_language
from detector.model.fitting import to_postings
from detector.registry.promote import PromotionRefused, promote, rollback
from detector.registry.retrain import retrain
from detector.registry.state import read_events
from detector.schema import TEXT_FIELDS
from detector.settings import Settings
from tests.api.conftest import wait_ready
from tests.labels.trained import SAMPLE_ROWS, baseline_model, quiet

ADMIN = {"Authorization": "Bearer admin-key"}
MODERATOR = {"Authorization": "Bearer mod-key"}
RECORDED_SHARE = 0.6


def posting_json(row: dict) -> dict:
    return {"id": row["id"], **{k: row[k] for k in TEXT_FIELDS if isinstance(row[k], str)}}


def lands_in_training(rows: pd.DataFrame, corpus: pd.DataFrame) -> bool:
    """Would these labels (one campaign) be trained on, or held out as the moderator slice?"""
    items = []
    for posting, record in zip(to_postings(rows), rows.to_dict("records"), strict=True):
        content = {k: v for k, v in posting_json(record).items() if k != "id"}
        items.append(LabeledPosting(content_hash(posting), record["id"],
                                    detect_language(posting.full_text()), content, "scam",
                                    "", 1))
    labels, _ = assign_label_groups(label_frame(items), corpus)
    return bool((labels["split"] == "train").all())


def pick_campaign(client: TestClient, corpus: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The test-split scam campaign (group) with the most postings the served model rates
    below high; split into postings to record and unseen ones to check."""
    test = corpus[(corpus["split"] == "test") & (corpus["role"] == "core")
                  & (corpus["language"] == "en")]
    sizes = test[test["label"] == 1].groupby("group").size()
    best = None
    for group in sizes[sizes >= 8].index:
        rows = test[(test["group"] == group) & (test["label"] == 1)].sort_values("id")
        body = {"postings": [posting_json(r) for r in rows.to_dict("records")]}
        results = client.post("/v1/score/batch", json=body, headers=MODERATOR).json()["results"]
        below = sum(r["risk"] != "high" for r in results)
        n_record = int(len(rows) * RECORDED_SHARE)
        if below >= 4 and lands_in_training(rows.iloc[:n_record], corpus) and (
                best is None or below > best[0]):
            best = (below, rows, n_record)
    if best is None:
        pytest.skip("no test-split scam campaign is scored below high by the baseline")
    _, rows, n_record = best
    return rows.iloc[:n_record], rows.iloc[n_record:]


def served(client: TestClient, rows: pd.DataFrame) -> list[dict]:
    body = {"postings": [posting_json(r) for r in rows.to_dict("records")]}
    return client.post("/v1/score/batch", json=body, headers=MODERATOR).json()["results"]


def test_moderator_labels_reach_the_served_model(tmp_path: Path, corpus: pd.DataFrame) -> None:
    settings = Settings(
        model_dir=baseline_model(), model_dir_pinned=False, models_home=tmp_path / "versions",
        label_db=str(tmp_path / "labels.sqlite"), reload_poll_seconds=0,
        api_keys=frozenset({"mod-key", "admin-key"}),
        key_roles=frozenset({("mod-key", "moderator"), ("admin-key", "admin")}),
    )
    with TestClient(create_app(settings)) as client:
        wait_ready(client)
        before_version = client.get("/v1/health").json()["model_version"]
        recorded, unseen = pick_campaign(client, corpus)
        before = served(client, unseen)

        items = [{"posting": posting_json(r), "label": "scam", "note": "same campaign"}
                 for r in recorded.to_dict("records")]
        response = client.post("/v1/feedback/batch", json={"items": items}, headers=MODERATOR)
        assert response.status_code == 201, response.text

        new = retrain(settings, with_labels=True, sample=SAMPLE_ROWS, evaluate=False, log=quiet)
        assert new.labels["n_train"] == len(recorded)
        assert new.labels["test_groups_excluded"] == [recorded["group"].iloc[0]]
        try:
            result = promote(settings, new.out.name, n_boot=200, log=quiet)
            forced = False
        except PromotionRefused as refused:
            assert "test_split" in str(refused)  # only ever on the gated test-split figures
            result = promote(settings, new.out.name, force=True, n_boot=200, log=quiet,
                             reason="test slice: the stacked model varies with any change")
            forced = True
        assert result["excluded_test_groups"] == 1
        assert bool(result["refusals"]) == forced
        print(f"gate: {'forced past ' + str(result['refusals']) if forced else 'passed'}")

        reload = client.post("/v1/admin/reload", headers=ADMIN)
        assert reload.status_code == 200, reload.text
        assert reload.json()["changed"] and reload.json()["model_version"] == new.version
        after = served(client, unseen)
        assert {r["model_version"] for r in after} == {new.version} != {before_version}
        prob_before = np.array([r["fraud_probability"] for r in before])
        prob_after = np.array([r["fraud_probability"] for r in after])
        high_before = sum(r["risk"] == "high" for r in before)
        high_after = sum(r["risk"] == "high" for r in after)
        assert prob_after.mean() > prob_before.mean() + 0.1, (prob_before, prob_after)
        assert high_after > high_before

        assert rollback(settings) is None
        assert client.post("/v1/admin/reload", headers=ADMIN).json()["model_version"] == (
            before_version)
        events = read_events(settings)
        assert [e["event"] for e in events] == ["promote", "rollback"]
        assert events[0]["forced"] == forced
