"""One settings object for every face, read from `DETECTOR_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models"
DEFAULT_DATA_DIR = PROJECT_ROOT / "labeled_posts"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"DETECTOR_{name}", default)


def _int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"DETECTOR_{name} must be an integer, got {raw!r}") from exc


def _bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything configurable. `Settings.from_env()` is the only place env vars are read."""

    model_dir: Path = DEFAULT_MODEL_DIR
    data_dir: Path = DEFAULT_DATA_DIR
    #: Largest posting the API accepts, in bytes of request body (per posting).
    max_posting_bytes: int = 1_000_000
    #: Largest batch in one API call.
    max_batch: int = 1000
    #: Largest request body of one batch call, in bytes (each posting still obeys the above).
    max_batch_bytes: int = 16_000_000
    #: API keys; empty means the API is open.
    api_keys: frozenset[str] = field(default_factory=frozenset)
    #: Requests per minute per key (or per client address when keys are off); 0 disables.
    rate_limit_per_minute: int = 0
    #: Log posting text in access logs (off: logs carry ids, latency and risk only).
    log_text: bool = False
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> Settings:
        keys = frozenset(k.strip() for k in _env("API_KEYS", "").split(",") if k.strip())
        return cls(
            model_dir=Path(_env("MODEL_DIR", str(DEFAULT_MODEL_DIR))),
            data_dir=Path(_env("DATA_DIR", str(DEFAULT_DATA_DIR))),
            max_posting_bytes=_int("MAX_POSTING_BYTES", 1_000_000),
            max_batch=_int("MAX_BATCH", 1000),
            max_batch_bytes=_int("MAX_BATCH_BYTES", 16_000_000),
            api_keys=keys,
            rate_limit_per_minute=_int("RATE_LIMIT_PER_MINUTE", 0),
            log_text=_bool("LOG_TEXT", False),
            log_level=_env("LOG_LEVEL", "INFO").upper(),
        )
