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
