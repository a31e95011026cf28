"""The key registry's keys-file rules (api/keys.py, issue 25), step by step on a real file
with the registry's clocks in the test's hands, then once for real under load:
- a change is used once the file has been left alone for SETTLE_S;
- a file rewritten in place (truncated, then written) never revokes the keys in both versions;
- a half-written file keeps the keys read before (its partial last key never becomes valid);
- a deleted file revokes its keys after SETTLE_S;
- a file that does not parse stops the server at start, naming the entry.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import pytest

from api import keys
from api.app import create_app
from tests.api.conftest import base_settings, bearer, needs_model
from tests.api.samples import EN_LEGIT


class Clocks:
    """The registry's monotonic clock and wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.wall = time.time()

    def tick(self, seconds: float) -> None:
        self.now += seconds
        self.wall += seconds


def write(path: Path, text: str, mtime: float) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))


def registry(path: Path, clocks: Clocks):  # type: ignore[no-untyped-def]
    from api.keys import KeyRegistry

    return KeyRegistry(base_settings(api_keys_file=path), clock=lambda: clocks.now,
                       wall=lambda: clocks.wall)


def roles(reg, key: str) -> frozenset[str] | None:  # type: ignore[no-untyped-def]
    caller = reg.lookup(key)
    return None if caller is None else caller.roles


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


def test_a_change_is_used_once_the_file_is_left_alone(tmp_path: Path, clocks: Clocks) -> None:
    path = tmp_path / "api-keys"
    write(path, "a-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    assert roles(reg, "a-key") == {"moderator", "score"}
    write(path, "b-key\n", clocks.wall)  # just written
    assert roles(reg, "a-key") is not None and roles(reg, "b-key") is None  # not yet
    clocks.tick(keys.SETTLE_S / 2)
    assert roles(reg, "a-key") is not None and roles(reg, "b-key") is None
    clocks.tick(keys.SETTLE_S / 2)
    assert roles(reg, "a-key") is None and roles(reg, "b-key") == {"score"}
    # A file whose last change is already SETTLE_S old is used at the first look.
    write(path, "c-key:admin\n", clocks.wall - keys.SETTLE_S)
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "b-key") is None and "admin" in (roles(reg, "c-key") or ())


def test_a_file_rewritten_in_place_never_revokes_the_keys_it_keeps(
        tmp_path: Path, clocks: Clocks) -> None:
    path = tmp_path / "api-keys"
    write(path, "a-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    seen = []
    for step in range(20):  # truncate, then write, every 0.5 s (the writer of the issue)
        write(path, "", clocks.wall)
        clocks.tick(0.25)
        seen.append(roles(reg, "a-key"))
        write(path, f"a-key:moderator\nkey-{step}\n", clocks.wall)
        clocks.tick(0.25)
        seen.append(roles(reg, "a-key"))
    assert seen == [{"moderator", "score"}] * 40
    assert roles(reg, "key-19") is None  # still being written: not used yet
    clocks.tick(keys.SETTLE_S + keys.CHECK_EVERY_S)
    assert roles(reg, "key-19") == {"score"} and roles(reg, "key-18") is None


def test_a_half_written_file_keeps_the_keys_read_before(tmp_path: Path, clocks: Clocks,
                                                        caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    path = tmp_path / "api-keys"
    write(path, "secret-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    write(path, "new-key\nsec", clocks.wall - 10)  # the writer died half-way
    with caplog.at_level(logging.ERROR, logger="api.keys"):
        for _ in range(3):
            clocks.tick(keys.SETTLE_S + keys.CHECK_EVERY_S)
            assert roles(reg, "sec") is None and roles(reg, "new-key") is None
            assert roles(reg, "secret-key") == {"moderator", "score"}
    refusals = [r for r in caplog.records if "not used" in r.getMessage()]
    assert len(refusals) == 1  # logged once, not at every look
    assert "line 2: the file does not end with a new line" in refusals[0].getMessage()
    assert "keeping the 1 keys read before" in refusals[0].getMessage()
    # Finished, the file is used.
    write(path, "new-key\nsecond-key\n", clocks.wall - 10)
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "secret-key") is None and roles(reg, "second-key") == {"score"}


def test_a_bad_entry_written_later_keeps_the_keys_and_names_the_line(
        tmp_path: Path, clocks: Clocks, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "api-keys"
    write(path, "mod-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    write(path, "mod-key:moderator\nother-key:moderator,admin\n", clocks.wall - 10)
    with caplog.at_level(logging.ERROR, logger="api.keys"):
        clocks.tick(keys.CHECK_EVERY_S)
        assert roles(reg, "mod-key") == {"moderator", "score"}
        assert roles(reg, "other-key") is None and roles(reg, "admin") is None
    assert f"{path} line 2: 'admin' is a role name" in caplog.text
    assert "other-key" not in caplog.text


def test_a_deleted_file_revokes_its_keys_after_settle(tmp_path: Path, clocks: Clocks) -> None:
    path = tmp_path / "api-keys"
    write(path, "a-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    path.unlink()
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "a-key") is not None  # replaced by a rename in a moment, perhaps
    clocks.tick(keys.SETTLE_S)
    assert roles(reg, "a-key") is None
    assert reg.enabled and reg.anonymous().roles == frozenset()  # keys are still required
    # Back again (e.g. `detector keys add`): used.
    write(path, "b-key:moderator\n", clocks.wall - 10)
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "b-key") == {"moderator", "score"}


def test_a_file_replaced_by_a_rename_is_never_missing(tmp_path: Path, clocks: Clocks) -> None:
    path = tmp_path / "api-keys"
    write(path, "a-key:moderator\n", clocks.wall - 60)
    reg = registry(path, clocks)
    fresh = tmp_path / "api-keys.new"
    write(fresh, "a-key:moderator\nb-key\n", clocks.wall - 5)
    os.replace(fresh, path)
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "a-key") is not None and roles(reg, "b-key") == {"score"}


def test_a_bad_file_stops_the_server_at_start_naming_the_entry(tmp_path: Path) -> None:
    from detector.apikeys import KeySyntaxError, fingerprint

    path = tmp_path / "api-keys"
    path.write_text("good-key\ns3cret-key:moderator,admin\n", encoding="utf-8")
    with pytest.raises(KeySyntaxError) as caught:
        create_app(base_settings(api_keys_file=path))
    assert f"{path} line 2: 'admin' is a role name" in str(caught.value)
    path.write_text("good-key\ns3cret-key:superuser\n", encoding="utf-8")
    with pytest.raises(KeySyntaxError) as caught:
        create_app(base_settings(api_keys_file=path))
    message = str(caught.value)
    assert "line 2" in message and "unknown role 'superuser'" in message
    assert fingerprint("s3cret-key") in message and "s3cret-key" not in message


def test_a_missing_file_at_start_admits_no_key_until_it_appears(tmp_path: Path,
                                                                clocks: Clocks) -> None:
    path = tmp_path / "api-keys"
    reg = registry(path, clocks)
    assert reg.enabled and reg.lookup("a-key") is None
    write(path, "a-key:moderator\n", clocks.wall - 5)
    clocks.tick(keys.CHECK_EVERY_S)
    assert roles(reg, "a-key") == {"moderator", "score"}


@needs_model
def test_rewriting_in_place_under_load_never_gives_401(make_client, tmp_path: Path) -> None:
    """The issue's measurement, with the shipped timings: a writer truncating and rewriting
    the file every 0.3 s for 4.5 s, slowly (empty for 0.1 s, then a new key, then 0.05 s
    later the key that is in every version), and a client scoring all along with that key.
    Before: 401s whenever a look at the file fell in the half-written moments. Then the last
    version is used."""
    path = tmp_path / "api-keys"
    path.write_text("stable-key-1\n", encoding="utf-8")
    os.utime(path, (time.time() - 60, time.time() - 60))
    client = make_client(api_keys_file=path, label_db=str(tmp_path / "l.sqlite"))
    stop = threading.Event()

    def writer() -> None:
        for step in range(15):
            with path.open("w", encoding="utf-8") as handle:  # truncates
                handle.flush()
                time.sleep(0.1)
                handle.write(f"rotated-key-{step}\n")
                handle.flush()
                time.sleep(0.05)
                handle.write("stable-key-1\n")
            time.sleep(0.15)
        stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    statuses = []
    while not stop.is_set():
        statuses.append(client.post("/v1/score", json={"text": EN_LEGIT},
                                    headers=bearer("stable-key-1")).status_code)
    thread.join()
    assert len(statuses) > 20 and set(statuses) == {200}, sorted(set(statuses))
    deadline = time.monotonic() + 10
    while client.post("/v1/score", json={"text": EN_LEGIT},
                      headers=bearer("rotated-key-14")).status_code != 200:
        assert time.monotonic() < deadline, "the last version was never used"
        time.sleep(0.1)


@needs_model
def test_deleting_the_file_revokes_its_keys_without_requests(make_client,
                                                             tmp_path: Path) -> None:
    """The background watch applies a deletion even when no request comes."""
    path = tmp_path / "api-keys"
    path.write_text("gone-key-1:moderator\n", encoding="utf-8")
    client = make_client(api_keys_file=path, label_db=str(tmp_path / "l.sqlite"))
    assert client.post("/v1/score", json={"text": EN_LEGIT},
                       headers=bearer("gone-key-1")).status_code == 200
    registry = client.app.state.guard.keys  # type: ignore[attr-defined]
    path.unlink()
    deadline = time.monotonic() + 10
    while registry.n_file_keys:  # no request meanwhile: the watch does it
        assert time.monotonic() < deadline, "not revoked"
        time.sleep(0.1)
    assert client.post("/v1/score", json={"text": EN_LEGIT},
                       headers=bearer("gone-key-1")).status_code == 401
