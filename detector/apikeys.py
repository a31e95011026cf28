"""API keys: their syntax, roles and file, shared by the server (api/keys.py) and
`detector keys` (detector/cli/keys.py).

Syntax (`DETECTOR_API_KEYS` and the keys file alike): entries separated by commas or new
lines, `#` starts a comment. An entry is `KEY` (a scoring key) or `KEY:ROLE`, several roles
joined with `+` (`KEY:moderator+metrics`). A mistake is an error naming the entry (its
place and the key's fingerprint, never the key): an unknown role, an empty role, a key with
spaces, or an entry that is a role name (`key:moderator,admin` is two entries, the second a
key named `admin`: it must be written `key:moderator+admin`).

Roles: `score` (what a key without a role has), `moderator` (record decisions, see what a
campaign match matched; scores too), `admin` (everything: moderator, reload, metrics) and
`metrics` (reads /metrics and nothing else).

A keys file is complete only when it ends with a new line (or is empty): a file cut short
while being written is refused, so its last, partial key never becomes valid.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROLES = ("score", "moderator", "admin", "metrics")
#: What each role includes besides itself.
IMPLIES: dict[str, frozenset[str]] = {
    "score": frozenset(),
    "moderator": frozenset({"score"}),
    "admin": frozenset({"score", "moderator", "metrics"}),
    "metrics": frozenset(),
}
_KEY = re.compile(r"^[^\s,:#]+$")
#: Bytes of randomness in a key made by `detector keys add` (43 URL-safe characters).
KEY_BYTES = 32
FINGERPRINT_CHARS = 8


class KeySyntaxError(ValueError):
    """A keys entry that cannot be read; the message names the entry, never the key."""


def fingerprint(key: str) -> str:
    """What logs, errors and `detector keys list` show of a key: enough to tell keys apart,
    useless to an attacker (8 hex digits of its sha256)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def expand(roles: Iterable[str]) -> frozenset[str]:
    """The roles with everything they include (`admin` -> all four)."""
    out: set[str] = set()
    for role in roles:
        out.add(role)
        out |= IMPLIES.get(role, frozenset())
    return frozenset(out)


@dataclass(frozen=True)
class KeyEntry:
    key: str
    roles: frozenset[str]  # as written (a bare key: {"score"}); `expand` for what it may do
    where: str  # "DETECTOR_API_KEYS entry 2", "/etc/detector/api-keys line 3"
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def _entries(raw: str, source: str, is_file: bool) -> Iterator[tuple[str, str, str]]:
    """(entry text, where, trailing comment) for every non-empty entry."""
    number = 0
    for line_no, line in enumerate(raw.splitlines(), 1):
        body, _, comment = line.partition("#")
        for part in body.split(","):
            item = part.strip()
            if not item:
                continue
            number += 1
            where = f"{source} line {line_no}" if is_file else f"{source} entry {number}"
            yield item, where, comment.strip()


def parse_entry(item: str, where: str, comment: str = "") -> KeyEntry:
    key, sep, suffix = item.partition(":")
    key = key.strip()
    if not _KEY.match(key):
        raise KeySyntaxError(f"{where}: a key may not contain spaces (write KEY or "
                             "KEY:ROLE, several roles joined with '+')")
    if key in ROLES or key.lower() in ROLES:
        raise KeySyntaxError(
            f"{where}: '{key}' is a role name, not a key; give one key several roles "
            f"with '+' (KEY:moderator+admin), not ',' (which starts a new key)")
    roles: set[str] = set()
    if sep:
        names = [name.strip() for name in suffix.split("+")]
        for name in names:
            if not name:
                raise KeySyntaxError(f"{where} (key {fingerprint(key)}): empty role after "
                                     f"':' or '+' (known roles: {', '.join(ROLES)})")
            if name not in ROLES:
                raise KeySyntaxError(f"{where} (key {fingerprint(key)}): unknown role "
                                     f"{name!r:.40} (known roles: {', '.join(ROLES)})")
            roles.add(name)
    return KeyEntry(key, frozenset(roles or {"score"}), where, comment)


def parse(raw: str, source: str = "DETECTOR_API_KEYS", is_file: bool = False
          ) -> list[KeyEntry]:
    """Every entry of `raw`, or KeySyntaxError naming the first bad one."""
    return [parse_entry(item, where, comment)
            for item, where, comment in _entries(raw, source, is_file)]


def parse_file_text(data: bytes, path: Path | str) -> list[KeyEntry]:
    """A keys file's entries; refused unless it is whole: UTF-8, and ending with a new line
    unless empty (a file cut short while it was written has no final new line)."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KeySyntaxError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    if raw and not raw.endswith("\n"):
        line = raw.count("\n") + 1
        raise KeySyntaxError(f"{path} line {line}: the file does not end with a new line, "
                             "so it may be cut short (half written); not read")
    return parse(raw, str(path), is_file=True)


def read_file(path: Path) -> list[KeyEntry]:
    return parse_file_text(path.read_bytes(), path)


def new_key() -> str:
    """A fresh random key (URL-safe base64: no ',', ':', '#' or spaces)."""
    return secrets.token_urlsafe(KEY_BYTES)


def entry_line(key: str, roles: Iterable[str], name: str = "") -> str:
    chosen = sorted(set(roles) - {"score"}) or ["score"]
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    label = re.sub(r"[\r\n#]", " ", name).strip()
    note = f"added {when}" + (f", {label}" if label else "")
    return f"{key}:{'+'.join(chosen)}  # {note}\n"


HEADER = ("# API keys of the job-scam detector (`detector keys add/list/revoke`).\n"
          "# One key per line: KEY:ROLE, several roles joined with '+'; '#' starts a comment.\n"
          "# Roles: score, moderator, admin, metrics. Keep this file private (mode 600).\n")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """One writer at a time (`detector keys` run twice at once), through a lock file beside
    the keys file (the keys file itself is replaced, so it cannot hold the lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a new file beside `path`, flush it to disk, then rename it over
    `path`: a server reading the file sees the old one or the new one, never a mix. The
    file is readable by its owner only."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself, on disk
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
