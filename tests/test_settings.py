from __future__ import annotations

from pathlib import Path

import pytest

from detector.settings import Settings


def test_reads_detector_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETECTOR_API_KEYS", " k1, k2 ,,")
    monkeypatch.setenv("DETECTOR_MAX_POSTING_BYTES", "2048")
    monkeypatch.setenv("DETECTOR_MODEL_DIR", "/tmp/models")
    settings = Settings.from_env()
    assert settings.api_keys == frozenset({"k1", "k2"})
    assert settings.max_posting_bytes == 2048
    assert settings.model_dir == Path("/tmp/models")


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETECTOR_MAX_BATCH", "lots")
    with pytest.raises(ValueError, match="DETECTOR_MAX_BATCH"):
        Settings.from_env()


def test_a_role_name_used_as_a_key_is_an_error_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 25: `key:moderator,admin` silently made a scoring key named `admin`."""
    monkeypatch.setenv("DETECTOR_API_KEYS", "k1:moderator,admin")
    with pytest.raises(ValueError, match="DETECTOR_API_KEYS entry 2: 'admin' is a role name"):
        Settings.from_env()
    monkeypatch.setenv("DETECTOR_API_KEYS", "k1:moderator+admin")
    settings = Settings.from_env()
    assert settings.api_keys == {"k1"}
    assert settings.key_roles == {("k1", "moderator"), ("k1", "admin")}
