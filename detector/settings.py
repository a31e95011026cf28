"""One settings object for every face, read from `DETECTOR_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from detector.apikeys import ROLES, parse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models"
DEFAULT_DATA_DIR = PROJECT_ROOT / "labeled_posts"
#: Moderator decisions (issue 12): a SQLite file, or a postgresql:// URL.
DEFAULT_LABEL_DB = PROJECT_ROOT / "labels.sqlite"
#: Retrained model versions and which one is promoted (issue 12).
DEFAULT_MODELS_HOME = PROJECT_ROOT / "model_versions"
#: Roles an API key can carry: detector/apikeys.py (the syntax, shared with `detector keys`).
KEY_ROLES = ROLES


def _env(name: str, default: str) -> str:
    return os.environ.get(f"DETECTOR_{name}", default)


def _int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"DETECTOR_{name} must be an integer, got {raw!r}") from exc


def parse_keys(raw: str, source: str = "DETECTOR_API_KEYS"
               ) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """`key1:moderator,key2,key3:admin+metrics` -> the keys, and (key, role) pairs as written
    (a key without a role: `score`). A mistake raises apikeys.KeySyntaxError (a ValueError)
    naming the entry."""
    entries = parse(raw, source)
    return (frozenset(e.key for e in entries),
            frozenset((e.key, role) for e in entries for role in e.roles))


def _float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"DETECTOR_{name} must be a number, got {raw!r}") from exc


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
    #: API keys from DETECTOR_API_KEYS (api/keys.py joins them with the keys file). With
    #: none configured, scoring is open and decisions, reload and metrics are refused.
    api_keys: frozenset[str] = field(default_factory=frozenset)
    #: Requests per minute per key (or per client address when keys are off); 0 disables.
    rate_limit_per_minute: int = 0
    #: /v1/report (open to anyone) per client address per minute, even with the above off.
    report_rate_limit_per_minute: int = 10
    #: /v1/report per client address per day, and from everyone together per day: counted in
    #: the label store, so every worker and replica sharing it shares the count (0: no quota).
    report_quota_per_address_per_day: int = 100
    report_quota_per_day: int = 2000
    #: Largest reported posting, in bytes as stored (its fields as UTF-8 JSON).
    max_report_bytes: int = 32_000
    #: With no keys configured, open decisions, reload and metrics to anyone, for a trial on
    #: one's own machine (`detector serve --open-decisions-for-trial`); a warning at start.
    open_decisions_for_trial: bool = False
    #: redis://host:port/db where rate limits are counted for every worker and replica;
    #: empty: counted in each process's memory (N workers = N x the limit).
    redis_url: str = ""
    #: A file of API keys (same syntax as DETECTOR_API_KEYS, one per line allowed), re-read
    #: when it changes: keys rotate without a restart. Keys from both places are valid.
    api_keys_file: Path | None = None
    #: Prometheus metrics at /metrics (admin or metrics key when keys are configured).
    metrics: bool = True
    #: On SIGTERM, how long in-flight requests may take to finish before the worker exits.
    shutdown_grace_seconds: float = 30.0
    #: A worker takes connections only once its model is loaded. `detector serve --workers N`
    #: (N > 1) turns this on, so a worker still loading never holds requests its siblings
    #: could answer; alone, the server answers at once and /v1/health says 503 meanwhile.
    serve_after_load: bool = False
    #: Log posting text in access logs (off: logs carry ids, latency and risk only).
    log_text: bool = False
    log_level: str = "INFO"
    #: (key, role) pairs from DETECTOR_API_KEYS, roles as written; see detector/apikeys.py.
    key_roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    #: Where moderator decisions are stored: a SQLite path or a postgresql:// URL.
    label_db: str = str(DEFAULT_LABEL_DB)
    #: Versioned retrained models and the promotion state.
    models_home: Path = DEFAULT_MODELS_HOME
    #: True when DETECTOR_MODEL_DIR was given: serve that directory as it is, ignoring
    #: promotions. Otherwise the promoted version is served, else `model_dir`.
    model_dir_pinned: bool = True
    #: How often the server checks the promotion state for a new model (seconds; 0: never).
    reload_poll_seconds: float = 2.0
    #: Campaign memory (issue 18): flag reposts of known scams (DETECTOR_CAMPAIGNS=0: off).
    campaigns: bool = True
    #: How often a process checks the label store for other processes' decisions (seconds;
    #: 0: only at start and after its own writes).
    campaign_poll_seconds: float = 0.5

    @classmethod
    def from_env(cls) -> Settings:
        keys, key_roles = parse_keys(_env("API_KEYS", ""))
        keys_file = _env("API_KEYS_FILE", "").strip()
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
            key_roles=key_roles,
            label_db=_env("LABEL_DB", str(DEFAULT_LABEL_DB)),
            models_home=Path(_env("MODELS_HOME", str(DEFAULT_MODELS_HOME))),
            model_dir_pinned="DETECTOR_MODEL_DIR" in os.environ,
            reload_poll_seconds=_float("RELOAD_POLL_SECONDS", 2.0),
            campaigns=_bool("CAMPAIGNS", True),
            campaign_poll_seconds=_float("CAMPAIGN_POLL_SECONDS", 0.5),
            report_rate_limit_per_minute=_int("REPORT_RATE_LIMIT_PER_MINUTE", 10),
            report_quota_per_address_per_day=_int("REPORT_QUOTA_PER_ADDRESS_PER_DAY", 100),
            report_quota_per_day=_int("REPORT_QUOTA_PER_DAY", 2000),
            max_report_bytes=_int("MAX_REPORT_BYTES", 32_000),
            open_decisions_for_trial=_bool("OPEN_DECISIONS_FOR_TRIAL", False),
            redis_url=_env("REDIS_URL", "").strip(),
            api_keys_file=Path(keys_file) if keys_file else None,
            metrics=_bool("METRICS", True),
            shutdown_grace_seconds=_float("SHUTDOWN_GRACE_SECONDS", 30.0),
            serve_after_load=_bool("SERVE_AFTER_LOAD", False),
        )
