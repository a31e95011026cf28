"""`detector keys add|list|revoke` (issue 25): keys written atomically to the keys file the
server reads, printed once, listed by fingerprint and role only, revoked by fingerprint; and
a server reading that file (the real app) accepts and then refuses them."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from detector.cli import main
from tests.api.conftest import MODEL_READY, base_settings
from tests.api.samples import KNOWN, SIBLING

ROOT = Path(__file__).resolve().parents[2]


def fingerprint(key: str) -> str:
    """What `detector keys list` and the access log show of a key (8 hex digits of sha256)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def read_file(path: Path):  # type: ignore[no-untyped-def]
    """The keys file's entries, as the server reads them."""
    from detector.apikeys import read_file as read_keys

    return read_keys(path)


@pytest.fixture
def keys_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "etc" / "api-keys"
    monkeypatch.setenv("DETECTOR_API_KEYS_FILE", str(path))
    monkeypatch.delenv("DETECTOR_API_KEYS", raising=False)
    return path


def add(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["keys", "add", *args]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert out == key + "\n"  # stdout holds the key alone: KEY=$(detector keys add ...)
    assert fingerprint(key) in err and "once" in err and key not in err
    return key


def test_add_writes_the_file_and_prints_the_key_once(keys_env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    moderator = add(capsys, "--role", "moderator", "--name", "Alice's review desk")
    scraper = add(capsys, "--role", "metrics")
    both = add(capsys, "--role", "moderator", "--role", "metrics")
    scorer = add(capsys)
    assert len({moderator, scraper, both, scorer}) == 4 and len(moderator) >= 40
    assert stat.S_IMODE(keys_env.stat().st_mode) == 0o600
    assert keys_env.read_text(encoding="utf-8").endswith("\n")
    entries = {e.key: e.roles for e in read_file(keys_env)}
    assert entries == {moderator: {"moderator"}, scraper: {"metrics"},
                       both: {"moderator", "metrics"}, scorer: {"score"}}
    # The server's registry reads the same file: the same keys and roles.
    from api.keys import KeyRegistry

    registry = KeyRegistry(base_settings(api_keys_file=keys_env))
    caller = registry.lookup(moderator)
    assert caller is not None and caller.roles == {"moderator", "score"}
    assert caller.source == "file"


def test_list_shows_fingerprints_and_roles_never_keys(keys_env: Path, capsys,  # type: ignore[no-untyped-def]
                                                      monkeypatch) -> None:
    moderator = add(capsys, "--role", "moderator", "--name", "desk-1")
    admin = add(capsys, "--role", "admin")
    monkeypatch.setenv("DETECTOR_API_KEYS", "env-scoring-key-1")
    assert main(["keys", "list"]) == 0
    out, _ = capsys.readouterr()
    assert moderator not in out and admin not in out and "env-scoring-key-1" not in out
    lines = out.splitlines()
    assert lines[0].split() == ["fingerprint", "may", "where"]
    assert any(line.startswith(fingerprint(moderator)) and "moderator+score" in line
               and "desk-1" in line for line in lines)
    assert any(line.startswith(fingerprint(admin)) and "admin+metrics+moderator+score" in line
               for line in lines)
    assert any(line.startswith(fingerprint("env-scoring-key-1")) and "DETECTOR_API_KEYS" in line
               for line in lines)


def test_revoke_by_fingerprint(keys_env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keep = add(capsys, "--role", "moderator")
    gone = add(capsys, "--role", "admin")
    assert main(["keys", "revoke", fingerprint(gone)]) == 0
    assert "revoked 1 key" in capsys.readouterr().err
    assert [e.key for e in read_file(keys_env)] == [keep]
    assert main(["keys", "revoke", fingerprint(gone)]) == 2  # not there any more
    assert "no key with fingerprint" in capsys.readouterr().err
    assert main(["keys", "revoke", "xyz"]) == 2
    assert "not a fingerprint" in capsys.readouterr().err


def test_revoke_one_entry_of_a_hand_written_line(keys_env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keys_env.parent.mkdir(parents=True)
    keys_env.write_text("# by hand\nkey-one:moderator, key-two  # two keys\nkey-three\n",
                        encoding="utf-8")
    assert main(["keys", "revoke", fingerprint("key-one")]) == 0
    assert [e.key for e in read_file(keys_env)] == ["key-two", "key-three"]
    assert "# two keys" in keys_env.read_text(encoding="utf-8")


def test_a_broken_file_is_never_written_over(keys_env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keys_env.parent.mkdir(parents=True)
    keys_env.write_text("k-1:moderator\nk-2:superuser\n", encoding="utf-8")
    before = keys_env.read_bytes()
    assert main(["keys", "add", "--role", "moderator"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "unknown role 'superuser'" in err and "nothing was changed" in err
    assert keys_env.read_bytes() == before


def test_without_a_file_it_asks_which(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DETECTOR_API_KEYS_FILE", raising=False)
    assert main(["keys", "add", "--role", "moderator"]) == 2
    assert "--file" in capsys.readouterr().err


def test_concurrent_adds_lose_no_key(keys_env: Path) -> None:
    """Four `detector keys add` processes at once: every printed key is in the file (one
    writer at a time, each rename atomic)."""
    env = {**os.environ, "DETECTOR_API_KEYS_FILE": str(keys_env)}
    printed: list[str] = []

    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "detector", "keys", "add", "--role",
                               "moderator"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60, check=True)
        printed.append(done.stdout.strip())

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(printed) == 4 and {e.key for e in read_file(keys_env)} == set(printed)


@pytest.mark.skipif(not MODEL_READY, reason="needs the trained model")
def test_the_readme_setup_refuses_anonymous_decisions(tmp_path: Path) -> None:
    """Issue 25, done when: the README's `detector serve` refuses an anonymous decision
    (403, saying how to make a key); after its keyed setup (`detector keys add --role
    moderator`, DETECTOR_API_KEYS_FILE) the moderator key records and sees campaign matches,
    and an anonymous decision is still refused (401). Real processes."""
    from tests.api.servers import ServeProcess

    decision = {"posting": {"text": KNOWN}, "label": "scam"}
    base = {"DETECTOR_LABEL_DB": str(tmp_path / "labels.sqlite"),
            "DETECTOR_MODELS_HOME": str(tmp_path / "home")}
    bare = ServeProcess(tmp_path, base, name="readme-bare").start()
    try:
        bare.wait_ready()
        refused = httpx.post(f"{bare.url}/v1/feedback", json=decision, timeout=30)
    finally:
        bare.stop()
    assert refused.status_code == 403
    assert "detector keys add --role moderator" in refused.json()["error"]["message"]

    keys = tmp_path / "api-keys"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DETECTOR_")},
           "DETECTOR_API_KEYS_FILE": str(keys)}
    made = subprocess.run([sys.executable, "-m", "detector", "keys", "add", "--role",
                           "moderator"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    key = made.stdout.strip()
    keyed = ServeProcess(tmp_path, {**base, "DETECTOR_API_KEYS_FILE": str(keys)},
                         name="readme-keyed").start()
    try:
        keyed.wait_ready()
        anonymous = httpx.post(f"{keyed.url}/v1/feedback", json=decision, timeout=30)
        moderator = {"Authorization": f"Bearer {key}"}
        recorded = httpx.post(f"{keyed.url}/v1/feedback", json=decision, headers=moderator,
                              timeout=30)
        verdict = httpx.post(f"{keyed.url}/v1/score", json={"text": SIBLING},
                             headers=moderator, timeout=30).json()
    finally:
        keyed.stop()
    assert anonymous.status_code == 401
    assert recorded.status_code == 201, recorded.text
    flag = next(f for f in verdict["flags"] if f["id"] == "known_scam_campaign")
    assert flag["match"]["decision_id"] == recorded.json()["decision_id"]
