"""`detector labels import|list|export|forget|conflicts`: moderator decisions in the store
(DETECTOR_LABEL_DB, or --db)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HELP = "record and manage moderator decisions"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("labels", help=HELP, description=__doc__)
    parser.add_argument("--db", help="store location (default: DETECTOR_LABEL_DB or "
                        "./labels.sqlite); a SQLite path or a postgresql:// URL")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = sub.add_parser("import", help="record decisions from a CSV/JSONL/Parquet file")
    imp.add_argument("file", type=Path, help="rows in the posting schema plus `label` "
                     "(scam/legit), optional note, reviewer, flags")
    imp.add_argument("--feed", type=Path, help="the feed the file's ids refer to (then the "
                     "file needs only id,label)")
    imp.add_argument("--reviewer", help="reviewer name for rows that have none")
    imp.add_argument("--source", choices=("import", "moderator"), default="import",
                     help="record the rows as imports (default) or as moderator decisions")
    lst = sub.add_parser("list", help="the latest decisions")
    lst.add_argument("--source", choices=("moderator", "import", "report"),
                     help="only decisions from this source")
    lst.add_argument("--limit", type=int, default=20, help="newest N decisions (default 20)")
    lst.add_argument("--format", choices=("table", "json"), default="table",
                     help="output format (default: table)")
    exp = sub.add_parser("export", help="postings with their effective label, to a file")
    exp.add_argument("file", type=Path, help=".csv, .jsonl or .parquet")
    fgt = sub.add_parser("forget", help="delete a posting's text and all its decisions")
    fgt.add_argument("ref", metavar="ID", help="the posting's id, or its content hash (prefix)")
    sub.add_parser("conflicts", help="postings whose trusted decisions disagree")
    parser.set_defaults(func=run)


def _store(args: argparse.Namespace) -> Any:
    from detector.campaigns import open_label_store
    from detector.settings import Settings

    return open_label_store(args.db or Settings.from_env().label_db)


def run(args: argparse.Namespace) -> int:
    from detector.labels.store import LabelStoreError

    store = _store(args)
    try:
        return {"import": _import, "list": _list, "export": _export, "forget": _forget,
                "conflicts": _conflicts}[args.action](store, args)
    except LabelStoreError as exc:
        raise ValueError(str(exc)) from exc
    finally:
        store.close()


def _import(store: Any, args: argparse.Namespace) -> int:
    from detector.labels.importing import MAX_REPORTED_ERRORS, import_file

    result = import_file(store, args.file, args.source, args.feed, args.reviewer)
    for line in result.errors[:MAX_REPORTED_ERRORS]:
        print(f"skipped {line}", file=sys.stderr)
    if len(result.errors) > MAX_REPORTED_ERRORS:
        print(f"... and {len(result.errors) - MAX_REPORTED_ERRORS} more", file=sys.stderr)
    for line in result.warnings[:MAX_REPORTED_ERRORS]:
        print(f"warning: {line}", file=sys.stderr)
    if len(result.warnings) > MAX_REPORTED_ERRORS:
        print(f"... and {len(result.warnings) - MAX_REPORTED_ERRORS} more warnings",
              file=sys.stderr)
    warned = f"; {len(result.warnings)} yes/no cells left out" if result.warnings else ""
    print(f"read {result.read} rows: recorded {result.recorded} decisions "
          f"({result.new_postings} new postings{warned}), skipped {result.skipped}")
    return 0 if result.recorded or not result.read else 1


def _list(store: Any, args: argparse.Namespace) -> int:
    rows = store.decisions(source=args.source, limit=args.limit)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    counts = store.counts()
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    if rows:
        print(f"{'id':>6}  {'decided at (UTC)':<19}  {'source':<9} {'label':<5} "
              f"{'posting':<12}  {'external id':<20} {'reviewer':<14} note")
    for row in rows:
        note = (row["note"] or "").replace("\n", " ")[:40]
        print(f"{row['id']:>6}  {row['created_at'][:19]}  {row['source']:<9} {row['label']:<5} "
              f"{row['posting_hash'][:12]}  {row['external_id'] or '-':<20.20} "
              f"{row['reviewer'] or '-':<14.14} {note}")
    return 0


def _export(store: Any, args: argparse.Namespace) -> int:
    import pandas as pd

    rows = [{"id": item.external_id or item.hash[:16], **item.content, "label": item.label,
             "content_hash": item.hash, "decided_at": item.decided_at,
             "n_decisions": item.n_decisions} for item in store.labeled()]
    frame = pd.DataFrame(rows)
    suffix = args.file.suffix.lower()
    args.file.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        from detector.spreadsheet import escape_cell

        # Spreadsheet-safe (a posting that starts with "=" is no formula when opened);
        # `labels import` strips the prefix again: the round trip gives the exact text.
        # CRLF rows (RFC 4180): Python's csv quotes a cell holding "\r" only when "\r" ends
        # rows, and an unquoted "\r" split the row when read back.
        frame.map(escape_cell).to_csv(args.file, index=False, lineterminator="\r\n")
    elif suffix in (".jsonl", ".ndjson"):
        with args.file.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif suffix == ".parquet":
        frame.astype(object).to_parquet(args.file, index=False)
    else:
        raise ValueError(f"cannot tell the format of {args.file}: use .csv, .jsonl or .parquet")
    print(f"wrote {len(rows)} labelled postings to {args.file}")
    return 0


def _forget(store: Any, args: argparse.Namespace) -> int:
    removed = store.forget(args.ref)
    print(f"forgot {removed} posting(s) and all their decisions")
    return 0


def _conflicts(store: Any, args: argparse.Namespace) -> int:
    rows = store.conflicts()
    for row in rows:
        print(f"{row['hash'][:12]}  {row['external_id'] or '-':<20.20} now {row['label']:<5} "
              f"(scam x{row['n_scam']}, legit x{row['n_legit']}; last {row['decided_at'][:19]})")
    print(f"{len(rows)} conflicting posting(s)")
    return 0
