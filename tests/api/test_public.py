"""Public routes say nothing private (issue 25, item 5), on the real app: /v1/health shows
the store's state as a short word (no host, port, user or driver error; the admin key sees
them), campaign memory without counts of decided scams, a promotion problem without paths;
/v1/model serves a retrained model's card without `held_out_hashes` or anything else
that traces moderators' decisions (the admin key gets the whole card)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd

from detector.labels.decisions import parse_decision
from detector.labels.store import LabelStore
from detector.labels.training import corpus_with_labels
from detector.model.artifact import ARTIFACT_NAME, load_bundle
from detector.registry.retrain import write_card
from detector.registry.state import change_state
from detector.schema import TEXT_FIELDS
from detector.settings import DEFAULT_MODEL_DIR
from tests.api.conftest import (
    ADMIN_KEY,
    KEYS,
    SCORE_KEY,
    base_settings,
    bearer,
    needs_model,
    wait_ready,
)
from tests.api.servers import free_port
from tests.labels.trained import quiet

pytestmark = needs_model


def test_health_shows_a_short_reason_not_the_driver_error(make_client) -> None:
    port = free_port()
    client = make_client(label_db=f"postgresql://secret_user:pw@127.0.0.1:{port}/secret_db",
                         **KEYS)
    wait_ready(client)
    public = client.get("/v1/health")
    assert public.status_code == 200
    body = public.json()
    assert body["store"] == {"reachable": False, "writable": None,
                             "reason": body["store"]["reason"]}
    assert body["store"]["reason"] in {"unreachable", "no_answer"}
    text = public.text
    for secret in (str(port), "127.0.0.1", "secret_user", "secret_db", "pw", "Error",
                   "connection"):
        assert secret not in text, secret
    assert set(body["campaigns"]) <= {"store", "index_age_seconds"}
    # A scoring key is no admin: the same public body.
    assert set(client.get("/v1/health", headers=bearer(SCORE_KEY)).json()["store"]) == {
        "reachable", "writable", "reason"}
    admin = client.get("/v1/health", headers=bearer(ADMIN_KEY)).json()
    assert admin["store"]["reachable"] is False and admin["store"]["error"]
    assert admin["store"]["reason"] == body["store"]["reason"]
    assert {"fingerprints", "seeds", "threshold"} <= set(admin["campaigns"])
    # An unknown key on the open probe is not a 401: the public body.
    unknown = client.get("/v1/health", headers=bearer("nope"))
    assert unknown.status_code == 200 and "error" not in unknown.json()["store"]


def test_health_of_a_reachable_store(client) -> None:
    store = client.get("/v1/health").json()["store"]
    assert store["reachable"] is True and store["reason"] == "ok"
    assert set(store) == {"reachable", "writable", "reason"}


def test_a_promotion_problem_is_told_without_paths(make_client, tmp_path: Path) -> None:
    home = tmp_path / "private-models-home"
    settings = base_settings(model_dir_pinned=False, models_home=home,
                             label_db=str(tmp_path / "l.sqlite"), reload_poll_seconds=0)
    entry = {"name": "ghost", "version": "9.9.9", "sha256": "0" * 64}
    change_state(settings, lambda state: (state.update(promoted=entry),
                                          {"event": "promote", "to": entry})[1])
    client = make_client(model_dir_pinned=False, models_home=home,
                         label_db=settings.label_db, reload_poll_seconds=0, **KEYS)
    wait_ready(client)
    public = client.get("/v1/health").json()
    assert public["promotion_error"] and str(home) not in json.dumps(public)
    assert "9.9.9" not in json.dumps(public)
    admin = client.get("/v1/health", headers=bearer(ADMIN_KEY)).json()
    assert "9.9.9" in admin["promotion_error"] and str(home) in admin["promotion_error"]


def test_model_card_of_a_retrained_model_shows_no_trace_of_decisions(
        make_client, tmp_path: Path, corpus: pd.DataFrame) -> None:
    """The card `detector train --with-labels` writes (its own `write_card`, with the real
    split of the store's decisions into trained and held out), here beside the shipped
    artifact to skip the training itself: it holds the held-out postings' content hashes;
    the public card does not."""
    settings = replace(base_settings(), label_db=str(tmp_path / "labels.sqlite"),
                       models_home=tmp_path / "home")
    rows = corpus[(corpus["role"] == "core") & (corpus["split"] != "test")].head(40)
    store = LabelStore(settings.label_db)
    store.record([parse_decision({"posting": {k: r[k] for k in TEXT_FIELDS
                                              if isinstance(r[k], str)},
                                  "label": "scam" if r["label"] == 1 else "legit"}, "moderator")
                  for r in rows.to_dict("records")])
    out = tmp_path / "home" / "with-labels"
    out.mkdir(parents=True)
    shutil.copy(DEFAULT_MODEL_DIR / ARTIFACT_NAME, out / ARTIFACT_NAME)
    bundle, _ = load_bundle(DEFAULT_MODEL_DIR)
    _, split = corpus_with_labels(corpus, store.labeled(), log=quiet)
    write_card(settings, out, bundle, corpus, split.to_dict(), {"kind": "quick"}, False, quiet)
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    hashes = card["moderator_labels"]["held_out_hashes"]
    decided = {row["posting_hash"] for row in store.decisions()}
    assert hashes and set(hashes) <= decided  # the private part exists

    client = make_client(model_dir=out, label_db=settings.label_db, **KEYS)
    wait_ready(client)
    public = client.get("/v1/model")
    assert public.status_code == 200
    text = public.text
    assert "held_out_hashes" not in text and "moderator_labels" not in text
    assert "training_run" not in text and "test_groups_excluded" not in text
    assert not any(digest in text or digest[:16] in text for digest in decided)
    assert public.json()["card"]["artifact"] == card["artifact"]  # the rest is there
    admin = client.get("/v1/model", headers=bearer(ADMIN_KEY)).json()
    assert admin["card"]["moderator_labels"]["held_out_hashes"] == hashes
