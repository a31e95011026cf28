"""The one key registry: every API key and its roles, from DETECTOR_API_KEYS and the keys
file (DETECTOR_API_KEYS_FILE) alike. Every role check of the server asks it (api/guard.py):
scoring, recording decisions, what a campaign match shows, reload, metrics, health details.

Reload rules for the keys file (a platform rotates keys by rewriting it; `detector keys`
does so atomically):
- each worker looks at the file's stamp (one `stat`) at most every CHECK_EVERY_S, on a
  request and from a background task, so a change is seen without traffic too;
- a changed file is read only once it has been left alone for SETTLE_S (its modification
  time is that old, or the same stamp was seen that long ago): a file rewritten in place
  (truncated, then written) never shows its empty or half-written state, so keys that are in
  both versions stay valid throughout. A change takes effect within
  SETTLE_S + CHECK_EVERY_S (2 s) of the last write;
- it is applied only when it parses completely (`detector.apikeys.parse_file_text`: UTF-8,
  every entry valid, ending with a new line); otherwise the keys read before stay, and the
  error, naming the entry, is logged once;
- a deleted file revokes its keys once it has been missing for SETTLE_S (within 2 s);
  keys are still required (the file is configured), so only environment keys then work;
- at start a file that does not parse is an error (the server does not start); a missing
  file is logged and admits no key until it appears.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from detector.apikeys import (
    ROLES,
    KeyEntry,
    KeySyntaxError,
    expand,
    fingerprint,
    parse_file_text,
)
from detector.settings import Settings

log = logging.getLogger("api.keys")
#: How often a worker looks at the keys file's stamp (one stat call).
CHECK_EVERY_S = 1.0
#: How long a changed (or deleted) keys file must be left alone before it is used.
SETTLE_S = 1.0
#: What a caller without a key may do when no keys are configured.
ANONYMOUS_ROLES = frozenset({"score"})
#: ... and with the trial opt-in (DETECTOR_OPEN_DECISIONS_FOR_TRIAL).
TRIAL_ROLES = expand({"admin"})


@dataclass(frozen=True)
class Caller:
    """Who is calling: a key's fingerprint (None without a key) and what it may do."""

    fingerprint: str | None
    roles: frozenset[str]
    source: str  # "env", "file", "env+file", "anonymous", "trial"


@dataclass(frozen=True)
class _Key:
    digest: bytes  # sha256 of the key: compared in constant time, the key is not kept
    fingerprint: str
    roles: frozenset[str]  # expanded
    source: str


def _keys(entries: Iterable[KeyEntry], source: str) -> dict[bytes, _Key]:
    out: dict[bytes, _Key] = {}
    for entry in entries:
        digest = hashlib.sha256(entry.key.encode("utf-8")).digest()
        known = out.get(digest)
        roles = expand(entry.roles) | (known.roles if known else frozenset())
        out[digest] = _Key(digest, entry.fingerprint, roles, source)
    return out


def _env_entries(settings: Settings) -> list[KeyEntry]:
    """DETECTOR_API_KEYS as Settings parsed it (keys, and (key, role) pairs as written)."""
    roles: dict[str, set[str]] = {}
    for key, role in settings.key_roles:
        if role not in ROLES:  # Settings built in code, not from the environment
            raise KeySyntaxError(f"DETECTOR_API_KEYS (key {fingerprint(key)}): unknown role "
                                 f"{role!r:.40} (known roles: {', '.join(ROLES)})")
        roles.setdefault(key, set()).add(role)
    names = set(settings.api_keys) | set(roles)
    return [KeyEntry(key, frozenset(roles.get(key) or {"score"}), "DETECTOR_API_KEYS")
            for key in sorted(names)]


class KeyRegistry:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self._env = _keys(_env_entries(settings), "env")
        self.path: Path | None = settings.api_keys_file
        self.trial = settings.open_decisions_for_trial
        self._clock, self._wall = clock, wall
        self._file: dict[bytes, _Key] = {}
        self._stamp: tuple[int, int, int] | None = None  # of the file in use
        self._pending: tuple[tuple[int, int, int] | None, float] | None = None
        self._refused: tuple[int, int, int] | None = None
        self._last_refusal: tuple[object, str] | None = None
        self._checked = -CHECK_EVERY_S
        if self.path is not None:
            self._read_at_start(self.path)

    # -- what the server asks -------------------------------------------------------
    @property
    def enabled(self) -> bool:
        """Keys are required when any are configured, or a keys file is (even empty)."""
        return bool(self._env) or self.path is not None

    @property
    def open_for_trial(self) -> bool:
        return self.trial and not self.enabled

    def anonymous(self) -> Caller:
        """A caller without a key: with keys configured, nothing; without, scoring (and
        everything with the trial opt-in)."""
        if self.enabled:
            return Caller(None, frozenset(), "anonymous")
        if self.trial:
            return Caller(None, TRIAL_ROLES, "trial")
        return Caller(None, ANONYMOUS_ROLES, "anonymous")

    def lookup(self, token: str) -> Caller | None:
        """The caller this key belongs to, or None for an unknown key. Compared in constant
        time against every key (sha256 digests), whatever the token."""
        self.refresh()
        supplied = hashlib.sha256(token.encode("utf-8")).digest()
        roles: set[str] = set()
        sources: list[str] = []
        found = False
        for table in (self._env, self._file):
            for digest, key in table.items():
                if hmac.compare_digest(supplied, digest):
                    found = True
                    roles |= key.roles
                    sources.append(key.source)
        if not found:
            return None
        return Caller(fingerprint(token), frozenset(roles), "+".join(sources))

    @property
    def n_file_keys(self) -> int:
        """Keys from the file in use now (no look at the file)."""
        return len(self._file)

    def entries(self) -> list[tuple[str, frozenset[str], str]]:
        """(fingerprint, roles, source) of every key in use: never the keys."""
        self.refresh()
        return [(k.fingerprint, k.roles, k.source)
                for table in (self._env, self._file) for k in table.values()]

    # -- the keys file --------------------------------------------------------------
    def _read_at_start(self, path: Path) -> None:
        try:
            info = os.stat(path)
            data = path.read_bytes()
        except FileNotFoundError:
            log.warning("API keys file %s does not exist (yet): keys are required and none "
                        "from it is valid until it appears (`detector keys add`)", path)
            self._stamp = None
            return
        except OSError as exc:
            raise ValueError(f"DETECTOR_API_KEYS_FILE {path} cannot be read: {exc}") from None
        entries = parse_file_text(data, path)  # KeySyntaxError (a ValueError) stops start-up
        self._file = _keys(entries, "file")
        self._stamp = _stamp_of(info)
        log.info("API keys file %s read: %d keys", path, len(self._file))

    def refresh(self) -> None:
        """Apply a change of the keys file, following the rules in this module's docstring."""
        now = self._clock()
        if self.path is None or now - self._checked < CHECK_EVERY_S:
            return
        self._checked = now
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            self._missing(now)
            return
        except OSError as exc:
            self._refuse(None, f"cannot be looked at ({exc})")
            return
        stamp = _stamp_of(info)
        if stamp == self._stamp:
            self._pending = None
            return
        if self._pending is None or self._pending[0] != stamp:
            self._pending = (stamp, now)
        quiet = self._wall() - info.st_mtime >= SETTLE_S
        if not quiet and now - self._pending[1] < SETTLE_S:
            return  # still being written, perhaps: keep the keys in use for now
        if stamp == self._refused:
            return
        try:
            data = self.path.read_bytes()
            after = _stamp_of(os.stat(self.path))
        except OSError as exc:
            self._refuse(stamp, f"cannot be read ({exc})")
            return
        if after != stamp:
            self._pending = (after, now)  # written while we read: wait until it settles
            return
        try:
            entries = parse_file_text(data, self.path)
        except KeySyntaxError as exc:
            self._refuse(stamp, str(exc))
            return
        before = len(self._file)
        self._file = _keys(entries, "file")
        self._stamp, self._pending, self._refused = stamp, None, None
        log.info("API keys file %s read: %d keys (before: %d)", self.path, len(self._file),
                 before)

    def _missing(self, now: float) -> None:
        if self._stamp is None and not self._file:
            return
        if self._pending is None or self._pending[0] is not None:
            self._pending = (None, now)
        if now - self._pending[1] < SETTLE_S:
            return  # replaced by a rename in a moment, perhaps
        log.warning("API keys file %s was deleted: its %d keys are revoked", self.path,
                    len(self._file))
        self._file, self._stamp, self._pending = {}, None, None

    def _refuse(self, stamp: tuple[int, int, int] | None, why: str) -> None:
        if (stamp, why) != self._last_refusal:  # once per file version and reason
            self._last_refusal = (stamp, why)
            log.error("API keys file %s not used: %s; keeping the %d keys read before",
                      self.path, why, len(self._file))
        self._refused = stamp

    async def watch(self) -> None:
        """Look at the keys file every CHECK_EVERY_S, so a change or a deletion takes effect
        on time even when no request comes."""
        if self.path is None:
            return
        while True:
            await asyncio.sleep(max(CHECK_EVERY_S, 0.05))
            try:
                self.refresh()
            except Exception:  # keep watching; the error is in the log
                log.exception("checking the API keys file failed")


def _stamp_of(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_mtime_ns, info.st_size, info.st_ino)
