"""`detector keys add|list|revoke`: the API keys file (DETECTOR_API_KEYS_FILE) without editing
it by hand. Every change rewrites the file atomically (a new file renamed over the old, mode
600), one writer at a time; a running server uses it within 2 s, without a restart
(api/keys.py). A new key is printed once, on stdout, and never again: `list` shows
fingerprints and roles only."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from detector.apikeys import (
    HEADER,
    ROLES,
    KeyEntry,
    KeySyntaxError,
    entry_line,
    expand,
    fingerprint,
    new_key,
    parse,
    parse_entry,
    parse_file_text,
    write_atomically,
)
from detector.apikeys import locked as file_lock
from detector.cli.common import UsageError

HELP = "make, list and revoke API keys (the keys file)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "keys", help=HELP,
        description="Make, list and revoke the API keys in the keys file the server reads "
        "(DETECTOR_API_KEYS_FILE). Roles: score (scoring only; a key without a role), "
        "moderator (record decisions, see campaign matches; scores too), admin (everything) "
        "and metrics (reads /metrics only).")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    file_help = ("the keys file (default: $DETECTOR_API_KEYS_FILE); the server must read the "
                 "same file")
    add = sub.add_parser("add", help="make a key, write it to the file and print it once",
                         description="Make a random key with the given roles, add it to the "
                         "keys file (atomically) and print it once on stdout: store it now, "
                         "it is never shown again.")
    add.add_argument("--role", action="append", choices=ROLES, default=None,
                     help="a role of the key (repeat for several; default: score)")
    add.add_argument("--name", default="",
                     help="who or what the key is for (a comment in the file, shown by list)")
    add.add_argument("--file", type=Path, default=None, help=file_help)
    add.set_defaults(func=run_add)
    show = sub.add_parser("list", help="fingerprints and roles of every key (never the keys)",
                          description="Every key the server would accept, from the keys file "
                          "and DETECTOR_API_KEYS: its fingerprint (8 hex digits of its "
                          "sha256, as in the access log), roles and comment. Keys are never "
                          "shown.")
    show.add_argument("--file", type=Path, default=None, help=file_help)
    show.set_defaults(func=run_list)
    revoke = sub.add_parser("revoke", help="remove a key from the file by its fingerprint",
                            description="Remove the key with this fingerprint (from `list` "
                            "or the access log) from the keys file, atomically; servers "
                            "refuse it within 2 s.")
    revoke.add_argument("fingerprint", help="the key's fingerprint (at least 4 hex digits)")
    revoke.add_argument("--file", type=Path, default=None, help=file_help)
    revoke.set_defaults(func=run_revoke)


def keys_file(given: Path | None) -> Path:
    if given is not None:
        return given
    env = os.environ.get("DETECTOR_API_KEYS_FILE", "").strip()
    if not env:
        raise UsageError("which keys file? Give --file /path/to/api-keys, or set "
                         "DETECTOR_API_KEYS_FILE (the server reads the same variable)")
    return Path(env)


def read_current(path: Path) -> tuple[str, list[KeyEntry]]:
    """The file's text and entries ('' and [] when it does not exist yet); a file that does
    not parse is an error: nothing is written over it."""
    if not path.exists():
        return "", []
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), parse_file_text(data, path)
    except KeySyntaxError as exc:
        raise UsageError(f"{exc}; fix it first (nothing was changed)") from None


def run_add(args: argparse.Namespace) -> int:
    path = keys_file(args.file)
    roles = sorted(set(args.role or ["score"]))
    with file_lock(path):
        text, entries = read_current(path)
        taken = {entry.key for entry in entries}
        key = new_key()
        while key in taken:  # 256 random bits: never, but cheap to be sure
            key = new_key()
        write_atomically(path, (text or HEADER) + entry_line(key, roles, args.name))
    sys.stdout.write(key + "\n")
    sys.stdout.flush()
    print(f"detector keys: added a key with role {'+'.join(roles)} (fingerprint "
          f"{fingerprint(key)}) to {path}. The key is printed above, once: store it now. "
          "Send it as 'Authorization: Bearer <key>'; servers reading this file accept it "
          "within 2 s.", file=sys.stderr)
    return 0


def env_entries() -> list[KeyEntry]:
    raw = os.environ.get("DETECTOR_API_KEYS", "")
    try:
        return parse(raw)
    except KeySyntaxError as exc:
        raise UsageError(str(exc)) from None


def run_list(args: argparse.Namespace) -> int:
    path = keys_file(args.file)
    _, entries = read_current(path)
    rows = [(e.fingerprint, "+".join(sorted(expand(e.roles))), e.where, e.comment)
            for e in entries]
    rows += [(e.fingerprint, "+".join(sorted(expand(e.roles))), e.where, "")
             for e in env_entries()]
    if not rows:
        print(f"no keys (in {path}{'' if path.exists() else ', which does not exist yet'}, "
              "nor in DETECTOR_API_KEYS): `detector keys add --role moderator` makes one")
        return 0
    width = max(len(r[1]) for r in rows)
    print(f"{'fingerprint':<11}  {'may':<{width}}  where")
    for fp, roles, where, comment in rows:
        print(f"{fp:<11}  {roles:<{width}}  {where}" + (f"  # {comment}" if comment else ""))
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    path = keys_file(args.file)
    wanted = args.fingerprint.strip().lower()
    if len(wanted) < 4 or any(c not in "0123456789abcdef" for c in wanted):
        raise UsageError(f"{args.fingerprint!r} is not a fingerprint: give at least 4 of the "
                         "hex digits `detector keys list` shows")
    with file_lock(path):
        text, entries = read_current(path)
        matched = {e.fingerprint for e in entries if e.fingerprint.startswith(wanted)}
        if not matched:
            in_env = [e for e in env_entries() if e.fingerprint.startswith(wanted)]
            where = (" It is in DETECTOR_API_KEYS: remove it there and restart the server."
                     if in_env else "")
            raise UsageError(f"no key with fingerprint {wanted} in {path}.{where}")
        if len(matched) > 1:
            raise UsageError(f"{wanted} matches {len(matched)} keys "
                             f"({', '.join(sorted(matched))}); give more digits")
        kept_lines, removed = [], 0
        for line in text.splitlines(keepends=True):
            body, hash_sign, comment = line.rstrip("\n").partition("#")
            items = [item.strip() for item in body.split(",") if item.strip()]
            keep = [item for item in items
                    if fingerprint(parse_entry(item, "").key) not in matched]
            removed += len(items) - len(keep)
            if items and not keep:
                continue  # the whole line was that key (and its comment)
            if len(keep) < len(items):
                line = ", ".join(keep) + (f"  #{comment}" if hash_sign else "") + "\n"
            kept_lines.append(line)
        write_atomically(path, "".join(kept_lines))
    print(f"detector keys: revoked {removed} key{'s' if removed != 1 else ''} with "
          f"fingerprint {', '.join(sorted(matched))} from {path}; servers reading it refuse "
          "it within 2 s.", file=sys.stderr)
    return 0
