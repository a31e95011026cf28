"""Serving follows promotions without dropping requests: a live server, clients scoring
all the time, and the promotion state in the label store switched twice (the server's watch
reloads; it finds the version in its own models home).
Every response is a 200 verdict naming the model_version that made it."""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx

from detector.model.artifact import read_card
from detector.registry.state import change_state
from tests.api.conftest import LiveServer, base_settings, needs_model
from tests.labels.trained import baseline_model

pytestmark = needs_model
#: Hand-written demo listing (not data).
LISTING = {"text": "Part-time remote data entry, pay a small registration fee to start."}


def _wait_for(url: str, version: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(f"{url}/v1/health").json().get("model_version") == version:
            return
        time.sleep(0.1)
    raise TimeoutError(f"server never served {version}")


def test_promotions_reload_under_load(tmp_path: Path) -> None:
    shutil.copytree(baseline_model(), tmp_path / "home" / "baseline")
    promoted_dir = tmp_path / "home" / "baseline"
    settings = replace(base_settings(), model_dir_pinned=False, models_home=tmp_path / "home",
                       label_db=str(tmp_path / "l.sqlite"), reload_poll_seconds=0.2)
    shipped = str(read_card(settings.model_dir)["version"])
    promoted = str(read_card(promoted_dir)["version"])
    statuses: list[int] = []
    versions: set[str] = set()
    stop = threading.Event()
    with LiveServer(settings) as live:

        def client() -> None:
            with httpx.Client(base_url=live.url, timeout=60) as http:
                while not stop.is_set():
                    response = http.post("/v1/score", json=LISTING)
                    statuses.append(response.status_code)
                    if response.status_code == 200:
                        versions.add(response.json()["model_version"])

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            entry = {"name": "baseline", "version": promoted,
                     "sha256": read_card(promoted_dir)["artifact"]["sha256"]}
            change_state(settings, lambda state: (state.update(promoted=entry),
                                                  {"event": "promote", "to": entry})[1])
            _wait_for(live.url, promoted)
            time.sleep(0.5)
            change_state(settings, lambda state: (state.update(promoted=None),
                                                  {"event": "rollback", "to": None})[1])
            _wait_for(live.url, shipped)
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    assert statuses and set(statuses) == {200}
    assert versions == {shipped, promoted}
