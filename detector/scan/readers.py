"""Streaming feed readers: CSV, JSONL and Parquet in chunks, so memory stays flat.

Every reader yields lists of `RawRow`. A row that cannot be read (bad JSON, invalid UTF-8,
a CSV line with too many fields) becomes a `RawRow` with `error` set instead of aborting the
scan; a feed that is not what its extension says fails fast with `FeedError` instead.

Row numbers are 1-based: the data-record number for CSV (header excluded) and Parquet, the
line number for JSONL. A row without an `id` gets its row number as id.
"""

from __future__ import annotations

import codecs
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detector.schema import ALL_FIELDS

READ_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
_SNIFF_BYTES = 1024
#: A few invalid bytes in the first KB are one bad row (that row errors, the rest scans);
#: more than this means the whole file is in another encoding or binary: fail fast.
_MAX_BAD_BYTES = 8
_MAX_BAD_SHARE = 0.05
_BAD_LINE = re.compile(r"Skipping line (\d+): (.+)")
_SURROGATE = re.compile(r"[\udc80-\udcff]")


class FeedError(ValueError):
    """The feed as a whole cannot be read; the message says why and what to do."""


@dataclass(slots=True)
class RawRow:
    """One record as read: `data` is the mapping to validate, or `error` says why not."""

    row: int | None
    data: dict[str, Any] | None
    error: str | None = None


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
    return fmt


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


def read_csv(path: Path, chunk_size: int) -> Iterator[list[RawRow]]:
    """pandas in chunks, every cell a Python str (no NA guessing: "NA" is text).

    Invalid UTF-8 is decoded with `surrogateescape` so only the rows holding it are
    rejected; a line with too many fields is reported by its file line number.
    """
    import pandas as pd

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            reader = pd.read_csv(
                path, dtype=object, keep_default_na=False, na_filter=False,
                encoding="utf-8-sig", encoding_errors="surrogateescape",
                chunksize=chunk_size, on_bad_lines="warn",
            )
        except pd.errors.EmptyDataError as exc:
            raise FeedError(f"{path} has no CSV header") from exc
        with reader:
            while True:
                try:
                    frame = next(reader)
                except StopIteration:
                    break
                except (pd.errors.ParserError, UnicodeDecodeError) as exc:
                    raise FeedError(f"{path}: unreadable CSV: {exc}") from exc
                start = int(frame.index[0]) + 1 if len(frame) else 0
                rows = [_checked(start + i, rec) for i, rec in
                        enumerate(frame.to_dict("records"))]
                rows.extend(_bad_lines(caught))
                caught.clear()
                if rows:
                    yield rows
            tail = list(_bad_lines(caught))
            if tail:
                yield tail


def _bad_lines(caught: list[warnings.WarningMessage]) -> Iterator[RawRow]:
    for warning in caught:
        for line, reason in _BAD_LINE.findall(str(warning.message)):
            yield RawRow(None, None, f"malformed CSV line {line}: {reason.strip()}")


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
    if not columns:
        raise FeedError(f"{path} has none of the posting columns ({', '.join(ALL_FIELDS)})")
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
