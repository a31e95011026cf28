"""Moderator decisions from files: CSV, JSONL or Parquet rows in the posting schema plus a
`label` column (`scam`/`legit`) and optional `note`, `reviewer`, `flags`.

With `feed=`, the label file only needs `id,label`: each id is looked up in the feed it came
from (read with the scanner's own readers, so ids mean what they meant in the scan: the
row's `id`, else its 1-based row number). Malformed rows are reported and skipped; the valid
ones are recorded in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector.labels.decisions import Decision, InvalidDecision, Source, parse_decision
from detector.labels.store import LabelStore
from detector.scan.readers import FeedError, check_feed, read_feed
from detector.schema import ALL_FIELDS

DECISION_COLUMNS = ("label", "note", "reviewer", "flags")
MAX_REPORTED_ERRORS = 50


@dataclass
class ImportResult:
    read: int = 0
    recorded: int = 0
    new_postings: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return self.read - self.recorded


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(row number, record, error) for every row of a label file."""
    fmt = check_feed(path)
    if fmt == "csv":
        import pandas as pd

        bad: list[list[str]] = []

        def keep_bad(line: list[str]) -> None:
            bad.append(line)  # reported below, then skipped

        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            engine="python", on_bad_lines=keep_bad)
        for number, record in enumerate(frame.to_dict("records"), start=1):
            yield number, {k: v for k, v in record.items() if v != ""}, None
        for line in bad:
            yield 0, None, f"malformed CSV line ({len(line)} fields): {','.join(line)[:60]!r}"
    elif fmt == "jsonl":
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    yield number, None, f"unreadable line: {exc}"
                    continue
                if isinstance(data, dict):
                    yield number, data, None
                else:
                    yield number, None, f"a row must be a JSON object, got {type(data).__name__}"
    elif fmt == "xlsx":  # decisions filled in in Excel: the first sheet, header first
        from detector.scan.xlsx import sheet_records

        yield from ((number, record, None) for number, record in sheet_records(path))
    else:
        import pyarrow.parquet as pq

        for number, record in enumerate(pq.read_table(path).to_pylist(), start=1):
            yield number, record, None


def _feed_index(feed: Path) -> dict[str, dict[str, Any]]:
    """id -> posting fields of every readable row of a feed (first occurrence wins)."""
    check_feed(feed)
    index: dict[str, dict[str, Any]] = {}
    for chunk in read_feed(feed, 5000):
        for raw in chunk:
            if raw.data is None:
                continue
            key = raw.data.get("id")
            key = str(raw.row) if key in (None, "") else str(key)
            index.setdefault(key, raw.data)
    return index


def read_decisions(path: Path, source: Source = "import", feed: Path | None = None,
                   reviewer: str | None = None) -> tuple[list[Decision], ImportResult]:
    """Validate every row; the decisions to record and a report of the rest."""
    index = _feed_index(feed) if feed is not None else None
    result, out = ImportResult(), []
    for number, record, error in _records(path):
        result.read += 1
        where = f"{path.name} row {number}"
        if record is None:
            result.errors.append(f"{where}: {error}")
            continue
        item = {k: record.get(k) for k in DECISION_COLUMNS}
        if reviewer and not item.get("reviewer"):
            item["reviewer"] = reviewer
        if index is not None:
            key = record.get("id")
            posting = index.get(str(key)) if key not in (None, "") else None
            if posting is None:
                result.errors.append(f"{where}: id {key!r} is not in {feed}")
                continue
        else:
            posting = {k: v for k, v in record.items() if k in ALL_FIELDS}
        try:
            out.append(parse_decision(item, source, posting=posting, strict=False))
        except InvalidDecision as exc:
            result.errors.append(f"{where}: {exc}")
    return out, result


def import_file(store: LabelStore, path: Path, source: Source = "import",
                feed: Path | None = None, reviewer: str | None = None) -> ImportResult:
    try:
        decisions, result = read_decisions(path, source, feed, reviewer)
    except FeedError as exc:
        raise ValueError(str(exc)) from exc
    recorded = store.record(decisions)
    result.recorded = len(recorded)
    result.new_postings = sum(r.new_posting for r in recorded)
    return result
