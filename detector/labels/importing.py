"""Moderator decisions from files: CSV, JSONL or Parquet rows in the posting schema plus a
`label` column (`scam`/`legit`) and optional `note`, `reviewer`, `flags`.

With `feed=`, the label file only needs `id,label`: each id is looked up in the feed it came
from (read with the scanner's own readers, so ids mean what they meant in the scan: the
row's `id`, else its 1-based row number). Malformed rows are reported and skipped; the valid
ones are recorded in one transaction.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector import jsontext
from detector.feeds.readers import FeedError, check_feed, read_feed
from detector.labels.decisions import Decision, InvalidDecision, Source, parse_decision
from detector.labels.store import LabelStore
from detector.schema import ALL_FIELDS
from detector.spreadsheet import unescape_cell

DECISION_COLUMNS = ("label", "note", "reviewer", "flags")
#: Bytes that were not UTF-8, as read with surrogateescape.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
MAX_REPORTED_ERRORS = 50


@dataclass
class ImportResult:
    read: int = 0
    recorded: int = 0
    new_postings: int = 0
    errors: list[str] = field(default_factory=list)
    #: Rows recorded without a field (a yes/no cell nobody can read), one line each.
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return self.read - self.recorded


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(row number, record, error) for every row of a label file: the scan's readers'
    rules, every column kept. A row that cannot be read is one error with its number (the
    CSV data-record number, the JSONL line number, the Parquet record number), never the
    end of the import."""
    fmt = check_feed(path)
    if fmt == "csv":
        yield from _csv_records(path)
    elif fmt == "jsonl":
        yield from _jsonl_records(path)
    elif fmt == "xlsx":  # decisions filled in in Excel: the first sheet, header first
        from detector.feeds.xlsx import sheet_records

        yield from ((number, record, None) for number, record in sheet_records(path))
    else:
        yield from _parquet_records(path)


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    from detector.feeds.csv_reader import BadRecord, Lines, RecordTooLarge, read_header, records

    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="\n") as handle:
        lines = Lines(handle)
        try:
            header = read_header(lines)
        except (csv.Error, RecordTooLarge) as exc:
            raise FeedError(f"{path}: cannot read the header: {exc}") from exc
        if header is None:
            raise FeedError(f"{path} has no header row")
        for number, item in enumerate(records(lines, len(header), None), start=1):
            if isinstance(item, BadRecord):
                yield number, None, item.message()
                continue
            # Cells a spreadsheet-safe export prefixed ("'=...") are read as they were.
            record = {name: unescape_cell(value)
                      for name, value in zip(header, item.fields, strict=True) if value != ""}
            bad = next((name for name, value in record.items()
                        if _UNDECODABLE.search(value)), None)
            if bad is not None:
                yield number, None, f"invalid UTF-8 in column '{bad}'"
            else:
                yield number, record, None


def _jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = jsontext.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except ValueError as exc:  # not UTF-8, malformed, nested too deeply
                yield number, None, f"unreadable line: {str(exc)[:200]}"
                continue
            if isinstance(data, dict):
                yield number, data, None
            else:
                yield number, None, ("a row must be a JSON object, got "
                                     f"{jsontext.type_name(data)}")


def _parquet_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    import pyarrow.parquet as pq

    from detector.feeds.readers import read_parquet_records

    names = pq.ParquetFile(path).schema_arrow.names
    for chunk in read_parquet_records(path, 5000, {name: name for name in names}):
        for raw in chunk:
            yield raw.row or 0, raw.data, raw.error


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
        notes: list[str] = []
        try:
            out.append(parse_decision(item, source, posting=posting, strict=False,
                                      warnings=notes))
        except InvalidDecision as exc:
            result.errors.append(f"{where}: {exc}")
        else:
            result.warnings.extend(f"{where}: {note}" for note in notes)
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
