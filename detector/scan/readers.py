"""Streaming feed readers: CSV, JSONL and Parquet in chunks, so memory stays flat.

Every reader yields lists of `RawRow`. A row that cannot be read (bad JSON, invalid UTF-8,
a CSV line with too many fields) becomes a `RawRow` with `error` set instead of aborting the
scan; a feed that is not what its extension says fails fast with `FeedError` instead.

Row numbers are 1-based: the data-record number for CSV (header excluded) and Parquet, the
line number for JSONL. A row without an `id` gets its row number as id.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from detector.scan.csv_reader import BadRecord, Lines, RecordTooLarge, read_header, records
from detector.schema import ALL_FIELDS

READ_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
_SNIFF_BYTES = 1024
#: A few invalid bytes in the first KB are one bad row (that row errors, the rest scans);
#: more than this means the whole file is in another encoding or binary: fail fast.
_MAX_BAD_BYTES = 8
_MAX_BAD_SHARE = 0.05
_SURROGATE = re.compile(r"[\udc80-\udcff]")
#: JSONL lines looked at to decide that a feed has no posting field at all.
_SAMPLE_LINES = 100


class FeedError(ValueError):
    """The feed as a whole cannot be read; the message says why and what to do."""


@dataclass(slots=True)
class RawRow:
    """One record as read: `data` is the mapping to validate, or `error` says why not.

    `id` is the id of a record that could not be parsed, when its first line shows it.
    """

    row: int | None
    data: dict[str, Any] | None
    error: str | None = None
    id: str | None = None


def feed_format(path: Path) -> str:
    fmt = READ_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(READ_FORMATS))
        raise FeedError(f"cannot tell the format of {path}: use one of {known}")
    return fmt


def check_feed(path: Path) -> str:
    """Fail fast on a missing, empty, binary or mislabelled feed; returns its format."""
    fmt = feed_format(path)
    if not path.exists():
        raise FeedError(f"input file not found: {path}")
    if not path.is_file():
        raise FeedError(f"input is not a file: {path}")
    if path.stat().st_size == 0:
        raise FeedError(f"input file is empty: {path}")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        if fmt == "parquet":
            tail = b""
            if path.stat().st_size >= 12:
                handle.seek(-4, 2)
                tail = handle.read(4)
            if head[:4] != b"PAR1" or tail != b"PAR1":
                raise FeedError(f"{path} is not a Parquet file (no PAR1 magic bytes)")
            _check_columns(path, _parquet_columns(path))
            return fmt
    if not head.strip():
        raise FeedError(f"input file is empty (only whitespace): {path}")
    if b"\x00" in head:
        raise FeedError(
            f"{path} looks binary (NUL bytes in the first {_SNIFF_BYTES} bytes), not {fmt.upper()}"
        )
    bad = _invalid_utf8_bytes(head)
    if bad > max(_MAX_BAD_BYTES, len(head) * _MAX_BAD_SHARE):
        raise FeedError(
            f"{path} is not UTF-8 text ({bad} invalid bytes in the first {len(head)}); "
            "convert it to UTF-8 first"
        )
    if fmt == "csv" and b"\r" in head and b"\n" not in head:
        raise FeedError(f"{path} ends its lines with CR only (old Mac style); convert the "
                        "line endings to LF or CRLF first")
    _check_columns(path, csv_header(path) if fmt == "csv" else _jsonl_keys(path))
    return fmt


def _check_columns(path: Path, seen: list[str] | None) -> None:
    """Fail fast when not one column is a posting field (every row would be rejected)."""
    if seen is None or any(name in ALL_FIELDS for name in seen):
        return
    shown = ", ".join(repr(name) for name in seen[:20]) or "none"
    more = f" (and {len(seen) - 20} more)" if len(seen) > 20 else ""
    raise FeedError(
        f"{path} has none of the posting columns: expected some of {', '.join(ALL_FIELDS)}; "
        f"found {shown}{more}"
    )


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{path} is not a readable Parquet file: {exc}") from exc


def _jsonl_keys(path: Path) -> list[str] | None:
    """Keys of the first JSON objects (up to _SAMPLE_LINES lines); None if none parse."""
    keys: dict[str, None] = {}
    parsed = False
    with path.open("rb") as handle:
        for _, raw in zip(range(_SAMPLE_LINES), handle, strict=False):
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            if isinstance(data, dict):
                parsed = True
                keys.update(dict.fromkeys(data))
    return list(keys) if parsed else None


def _invalid_utf8_bytes(head: bytes) -> int:
    """Invalid bytes in `head` (a multi-byte character cut at the end does not count)."""
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    return len(_SURROGATE.findall(text))


def _clean(value: Any, name: str) -> Any:
    """Reject text that held invalid UTF-8 (decoded with surrogateescape)."""
    if isinstance(value, str) and _SURROGATE.search(value):
        raise ValueError(f"invalid UTF-8 in field '{name}'")
    return value


def _checked(row: int | None, data: dict[str, Any]) -> RawRow:
    try:
        cleaned = {k: _clean(v, k) for k, v in data.items() if k in ALL_FIELDS}
    except ValueError as exc:
        return RawRow(row, None, str(exc))
    return RawRow(row, cleaned)


def _csv_index(header: list[str]) -> list[tuple[str, int]]:
    """(field, column) for each posting field in the header; the first of duplicates wins."""
    index: dict[str, int] = {}
    for column, name in enumerate(header):
        if name in ALL_FIELDS and name not in index:
            index[name] = column
    return list(index.items())


def _open_csv(path: Path) -> IO[str]:
    """Lines end at "\n" only (a "\r\n" stays whole), so line numbers match `grep -n`."""
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="\n")


def csv_header(path: Path) -> list[str]:
    """The header record (fails fast when there is none or it cannot be parsed)."""
    with _open_csv(path) as handle:
        try:
            header = read_header(Lines(handle))
        except (csv.Error, RecordTooLarge) as exc:
            raise FeedError(f"{path}: cannot read the CSV header: {exc}") from exc
    if header is None:
        raise FeedError(f"{path} has no CSV header")
    return header


def read_csv(path: Path, chunk_size: int) -> Iterator[list[RawRow]]:
    """Record by record (see `csv_reader`), every cell a str ("NA" is text).

    `row` counts records, malformed ones included, so it never drifts; a malformed record's
    error names its file lines. Invalid UTF-8 is decoded with `surrogateescape` so only the
    rows holding it are rejected.
    """
    with _open_csv(path) as handle:
        lines = Lines(handle)
        try:
            header = read_header(lines)
        except (csv.Error, RecordTooLarge) as exc:
            raise FeedError(f"{path}: cannot read the CSV header: {exc}") from exc
        if header is None:
            raise FeedError(f"{path} has no CSV header")
        index = _csv_index(header)
        id_column = dict(index).get("id")
        rows: list[RawRow] = []
        for number, item in enumerate(records(lines, len(header), id_column), start=1):
            if isinstance(item, BadRecord):
                rows.append(RawRow(number, None, item.message(), item.id))
            else:
                cells = item.fields
                data = {name: cells[column] for name, column in index}
                rows.append(_checked_cells(number, data))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
        if rows:
            yield rows


def _checked_cells(row: int, data: dict[str, str]) -> RawRow:
    """A CSV record's posting fields; one search per record for invalid UTF-8."""
    if _SURROGATE.search("".join(data.values())):
        return _checked(row, data)
    return RawRow(row, data)


def read_jsonl(path: Path, chunk_size: int) -> Iterator[list[RawRow]]:
    """Line by line in bytes: a bad line (JSON or UTF-8) is one error row; blank lines skip."""
    rows: list[RawRow] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                rows.append(RawRow(number, None, f"invalid UTF-8 at byte {exc.start} of the line"))
            else:
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    rows.append(RawRow(number, None, f"malformed JSON: {exc.msg} "
                                                     f"(column {exc.colno})"))
                else:
                    if isinstance(data, dict):
                        rows.append(_checked(number, data))
                    else:
                        rows.append(RawRow(number, None, "a posting must be a JSON object, got "
                                                         f"{type(data).__name__}"))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
    if rows:
        yield rows


def read_parquet(path: Path, chunk_size: int) -> Iterator[list[RawRow]]:
    """pyarrow record batches; only schema columns are read (a wide feed costs no more)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        feed = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{path} is not a readable Parquet file: {exc}") from exc
    columns = [name for name in feed.schema_arrow.names if name in ALL_FIELDS]
    _check_columns(path, list(feed.schema_arrow.names))
    row = 1
    for batch in feed.iter_batches(batch_size=chunk_size, columns=columns):
        records = batch.to_pylist()
        yield [_checked(row + i, rec) for i, rec in enumerate(records)]
        row += len(records)


def parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def read_feed(path: Path, chunk_size: int) -> Iterator[list[RawRow]]:
    """Chunks of rows from any supported feed; call `check_feed` first."""
    fmt = feed_format(path)
    reader = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}[fmt]
    return reader(path, chunk_size)
