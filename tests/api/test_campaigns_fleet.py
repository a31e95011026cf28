"""Campaign memory end to end, as a fleet runs it: two real `detector serve` processes
sharing one label store. A moderator's feedback on server A; a near-duplicate with another
phone number, name and amount scored on server B within 2 s comes out high; a moderator key
sees the matched decision, a public key only the flag; after `detector labels forget` the
sibling is no longer matched. The messages are hand-written (tests, not data)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import MODEL_READY, free_port

ROOT = Path(__file__).resolve().parents[2]
MOD, PUBLIC, ADMIN = "mod-key-1", "public-key-1", "admin-key-1"
# Hand-written postings of one campaign that the text and the flags alone rate low: what a
# moderator's decision adds is the point (a warehouse-job campaign confirmed as a scam).
KNOWN = ("Warehouse team member wanted for our Leeds site, day shifts, 11.50 pounds an hour, "
         "start next week. Call Dana on 0113 496 0134 to book a site visit.")
SIBLING = ("Warehouse team member wanted for our Leeds site, day shifts, 12.10 pounds an hour, "
           "start next week. Call Mark on 0113 496 0199 to book a site visit.")
# (A chat-style "在家兼职客服, 用手机就能做, 加微信" ad was used here until the corpus's
# real job-scam messages taught the Chinese model that it is rated high on its own: it is.)
ZH_KNOWN = ("苏州工业园区物流仓库招聘理货员，白班，时薪22元，下周一入职。"
            "请致电王女士 0512-6543-0134 预约到仓库面试。")
ZH_SIBLING = ("苏州工业园区物流仓库招聘理货员，白班，时薪24元，下周一入职。"
              "请致电李先生 0512-6543-0199 预约到仓库面试。")


class Server:
    """`python -m detector serve` in its own process, on a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "detector", "serve", "--port", str(self.port),
             "--workers", "1"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "server exited"
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise TimeoutError("server did not become ready")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server, dict]]:
    if not MODEL_READY:
        pytest.skip("no trained model in models/")
    tmp = tmp_path_factory.mktemp("fleet")
    env = {**os.environ, "DETECTOR_LABEL_DB": str(tmp / "labels.sqlite"),
           "DETECTOR_API_KEYS": f"{MOD}:moderator,{PUBLIC},{ADMIN}:admin",
           "DETECTOR_MODELS_HOME": str(tmp / "versions"),
           "DETECTOR_CAMPAIGN_POLL_SECONDS": "0.5"}
    env.pop("DETECTOR_MODEL_DIR", None)
    servers = [Server(env, tmp / "a.log"), Server(env, tmp / "b.log")]
    try:
        for server in servers:
            server.wait_ready()
        yield servers[0], servers[1], env
    finally:
        for server in servers:
            server.stop()


def score(server: Server, text: str, key: str) -> dict:
    response = httpx.post(server.url + "/v1/score", json={"text": text},
                          headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def campaign_flag(verdict: dict) -> dict | None:
    return next((f for f in verdict["flags"] if f["id"] == "known_scam_campaign"), None)


def until(check, seconds: float) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.parametrize(("known", "sibling"), [(KNOWN, SIBLING), (ZH_KNOWN, ZH_SIBLING)],
                         ids=["en", "zh"])
def test_feedback_on_one_server_catches_the_repost_on_the_other(
        fleet: tuple[Server, Server, dict], known: str, sibling: str) -> None:
    a, b, env = fleet
    before = score(b, sibling, MOD)
    assert before["risk"] != "high" and campaign_flag(before) is None

    response = httpx.post(a.url + "/v1/feedback", json={"posting": {"text": known},
                                                        "label": "scam"},
                          headers={"Authorization": f"Bearer {MOD}"}, timeout=30)
    assert response.status_code == 201, response.text
    recorded = response.json()
    assert campaign_flag(score(a, sibling, MOD)) is not None  # the writer: its next request

    until(lambda: campaign_flag(score(b, sibling, PUBLIC)) is not None, 2.0)
    moderator = score(b, sibling, MOD)
    assert moderator["risk"] == "high"
    flag = campaign_flag(moderator)
    assert flag is not None and flag["severity"] == "high" and flag["evidence"]
    assert flag["match"]["decision_id"] == recorded["decision_id"]
    assert flag["match"]["source"] == "moderator" and flag["match"]["decided_at"]
    assert flag["match"]["similarity"] >= 0.5
    for ev in flag["evidence"]:
        assert sibling[ev["start"]:ev["end"]] == ev["text"]

    public = score(b, sibling, PUBLIC)
    public_flag = campaign_flag(public)
    assert public["risk"] == "high" and public_flag is not None
    assert public_flag["title"] and public_flag["evidence"] == [] and "match" not in public_flag
    body = json.dumps(public)
    assert "similarity" not in body and str(recorded["decision_id"]) not in [
        str(v) for v in public_flag.values()]

    health = httpx.get(b.url + "/v1/health", timeout=10,
                       headers={"Authorization": f"Bearer {ADMIN}"}).json()
    assert health["campaigns"]["store"] == "ok" and health["campaigns"]["fingerprints"] >= 1
    # Without an admin key, no count of decided scams (issue 25).
    public = httpx.get(b.url + "/v1/health", timeout=10).json()["campaigns"]
    assert public["store"] == "ok" and "fingerprints" not in public

    forget = subprocess.run(
        [sys.executable, "-m", "detector", "labels", "forget", recorded["posting_hash"]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert forget.returncode == 0, forget.stderr
    until(lambda: campaign_flag(score(b, sibling, MOD)) is None, 2.0)
    until(lambda: campaign_flag(score(a, sibling, MOD)) is None, 2.0)  # it polls too
