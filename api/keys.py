"""API keys and their roles: DETECTOR_API_KEYS, plus a keys file re-read when it changes.

A platform rotates keys by rewriting the file (same syntax as DETECTOR_API_KEYS, one key per
line allowed, `#` comments): every worker of every replica sees the new set within
CHECK_EVERY_S, without a restart. A file that cannot be read or parsed keeps the keys that
were valid before (logged); a configured file that never could be read admits no key from it.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from detector.settings import Settings, parse_keys, roles_of

log = logging.getLogger("api.keys")
#: How often a worker looks at the keys file's modification stamp (one stat call).
CHECK_EVERY_S = 1.0


@dataclass(frozen=True)
class _Keys:
    keys: tuple[bytes, ...]
    roles: frozenset[tuple[str, str]]


class KeyRing:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._env = _Keys(tuple(k.encode("utf-8") for k in sorted(settings.api_keys)),
                          settings.key_roles)
        self.path: Path | None = settings.api_keys_file
        self._clock = clock
        self._file = _Keys((), frozenset())
        self._stamp: tuple[int, int, int] | None = None
        self._checked = -CHECK_EVERY_S

    @property
    def enabled(self) -> bool:
        """Keys are required when any are configured, or a keys file is (even empty)."""
        return bool(self._env.keys) or self.path is not None

    def _refresh(self) -> None:
        now = self._clock()
        if self.path is None or now - self._checked < CHECK_EVERY_S:
            return
        self._checked = now
        try:
            info = os.stat(self.path)
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
            if stamp == self._stamp:
                return
            keys, roles = parse_keys(self.path.read_text(encoding="utf-8"), str(self.path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            if self._stamp != (0, 0, 0):
                log.error("API keys file %s not read (%s); keeping the keys read before",
                          self.path, exc)
            self._stamp = (0, 0, 0)
            return
        self._stamp = stamp
        self._file = _Keys(tuple(k.encode("utf-8") for k in sorted(keys)), roles)
        log.info("API keys file %s read: %d keys", self.path, len(keys))

    def match(self, token: str) -> bool:
        """Constant-time comparison against every valid key."""
        self._refresh()
        supplied = token.encode("utf-8")
        matched = False
        for key in (*self._env.keys, *self._file.keys):
            matched |= hmac.compare_digest(supplied, key)
        return matched

    def roles_of(self, token: str) -> frozenset[str]:
        self._refresh()
        return roles_of(self._env.roles | self._file.roles, token)
