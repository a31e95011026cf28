"""Streaming feed readers: delimited text (CSV, TSV, Excel's "Unicode text"), JSONL,
Parquet and Excel workbooks (`xlsx.py`) in chunks, so memory stays flat.

Before reading, `inspect_feed` settles how: the text encoding (`encoding.py`), the field
separator (`dialect.py`) and which column is which posting field (`columns.py`), each from
the user's option when given; the result (`FeedLayout`) is printed by the scan.

Every reader yields lists of `RawRow`. A row that cannot be read (bad JSON, bytes invalid
in the feed's encoding, a CSV line with too many fields) becomes a `RawRow` with `error`
set instead of aborting the scan; a feed that cannot be read at all fails fast with
`FeedError` instead.

Row numbers are 1-based: the data-record number for delimited text (header excluded) and
Parquet, the line number for JSONL. A row without an `id` gets its row number as id.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from detector import jsontext
from detector.feeds import dialect
from detector.feeds.csv_reader import BadRecord, Lines, RecordTooLarge, read_header, records
from detector.feeds.encoding import Encoding, detect, forced
from detector.feeds.errors import FeedError
from detector.feeds.layout import (
    FeedLayout,
    FeedOptions,
    RawRow,
    checked_map,
    names_columns,
)
from detector.schema import ALL_FIELDS, clean_id
from detector.spreadsheet import unescape_cell

__all__ = ["FeedError", "FeedLayout", "FeedOptions", "RawRow", "check_feed", "inspect_feed",
           "read_feed"]

READ_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl",
                ".ndjson": "jsonl", ".parquet": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_SNIFF_BYTES = 1024
_SURROGATE = re.compile(r"[\udc80-\udcff]")
#: JSONL lines looked at to decide that a feed has no posting field at all.
_SAMPLE_LINES = 100
#: `"id": "row005"` (or a number) at the start of a JSON line, or after a comma: the id
#: of a line too broken to parse (a truncated line still names its posting).
_JSON_ID = re.compile(r'(?:^\s*\{|,)\s*"id"\s*:\s*("(?:[^"\\\n]|\\.){1,200}"|-?\d{1,20})\s*[,}]')


def feed_format(path: Path) -> str:
    from detector.feeds.xlsx import other_spreadsheet_hint

    fmt = READ_FORMATS.get(path.suffix.lower())
    hint = other_spreadsheet_hint(path)
    if hint is not None:
        raise FeedError(hint)
    if fmt is None:
        known = ", ".join(sorted(READ_FORMATS))
        raise FeedError(f"cannot tell the format of {path}: use one of {known} (.tsv and "
                        ".txt are read as delimited text; .xlsx as an Excel workbook)")
    return fmt


def check_feed(path: Path, options: FeedOptions | None = None) -> str:
    """Fail fast on a missing, empty, binary or unreadable feed; returns its format."""
    return inspect_feed(path, options).format


def inspect_feed(path: Path, options: FeedOptions | None = None) -> FeedLayout:
    """Everything decided before the first row is read (see the module docstring)."""
    options = options or FeedOptions()
    fmt = feed_format(path)
    if not path.exists():
        raise FeedError(f"input file not found: {path}")
    if not path.is_file():
        raise FeedError(f"input is not a file: {path}")
    if path.stat().st_size == 0:
        raise FeedError(f"input file is empty: {path}")
    if fmt != "xlsx" and options.sheet:
        raise FeedError(f"--sheet is for Excel workbooks (.xlsx), not {path}")
    if fmt == "xlsx":
        from detector.feeds.xlsx import inspect_xlsx

        return inspect_xlsx(path, options)
    if fmt != "csv" and options.delimiter:
        raise FeedError(f"--delimiter is for delimited text (.csv, .tsv, .txt), not {path}")
    if fmt == "parquet":
        if options.encoding:
            raise FeedError(f"--encoding is for text feeds; Parquet text is always UTF-8 "
                            f"({path})")
        with path.open("rb") as handle:
            head = handle.read(4)
            tail = b""
            if path.stat().st_size >= 12:
                handle.seek(-4, 2)
                tail = handle.read(4)
        if head != b"PAR1" or tail != b"PAR1":
            raise FeedError(f"{path} is not a Parquet file (no PAR1 magic bytes)")
        names = _parquet_columns(path)
        return FeedLayout(path, fmt, checked_map(path, names, options), tuple(names))
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip():
        raise FeedError(f"input file is empty (only whitespace): {path}")
    if options.encoding:
        encoding = forced(options.encoding, head)
    else:
        encoding = detect(path, lambda text: names_columns(text, options))
    if fmt == "jsonl":
        if not encoding.ascii_compatible:
            raise FeedError(
                f"{path} is {encoding.name}; JSON Lines are read line by line in UTF-8 or "
                f"another ASCII-based encoding: convert it first, e.g. `iconv -f "
                f"{encoding.name.split()[0]} -t UTF-8 {path.name} > {path.stem}.utf8.jsonl`")
        keys = _jsonl_keys(path, encoding)
        return FeedLayout(path, fmt, checked_map(path, keys, options), tuple(keys or ()),
                          encoding)
    sample = _text_sample(path, encoding)
    if "\r" in sample and "\n" not in sample:
        raise FeedError(f"{path} ends its lines with CR only (old Mac style); convert the "
                        "line endings to LF or CRLF first")
    if options.delimiter:
        delimiter, how = dialect.parse_delimiter(options.delimiter), "--delimiter"
    else:
        delimiter, how = dialect.sniff(
            sample, path.suffix, lambda header: names_columns(header, options))
    header = csv_header(path, encoding, delimiter)
    return FeedLayout(path, fmt, checked_map(path, header, options), tuple(header),
                      encoding, delimiter, how)


def _text_sample(path: Path, encoding: Encoding) -> str:
    """The first lines of the feed, decoded (for the separator and the line endings)."""
    with path.open(encoding=encoding.codec, errors="replace", newline="") as handle:
        return handle.read(dialect.SAMPLE_CHARS)


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{path} is not a readable Parquet file: {exc}") from exc


def _jsonl_keys(path: Path, encoding: Encoding) -> list[str] | None:
    """Keys of the first JSON objects (up to _SAMPLE_LINES lines); None if none parse."""
    keys: dict[str, None] = {}
    parsed = False
    with path.open("rb") as handle:
        for _, raw in zip(range(_SAMPLE_LINES), handle, strict=False):
            try:
                data = jsontext.loads(raw.decode(encoding.codec, errors="replace"))
            except ValueError:  # malformed, or nested too deeply: its row says so later
                continue
            if isinstance(data, dict):
                parsed = True
                keys.update(dict.fromkeys(data))
    return list(keys) if parsed else None


def _clean(value: Any, name: str, label: str) -> Any:
    """Reject text that held bytes invalid in the feed's encoding (decoded with
    surrogateescape, so only the rows holding them are rejected)."""
    if isinstance(value, str) and _SURROGATE.search(value):
        hint = "" if label != "UTF-8" else \
            ": if the whole file is in another encoding, give it with --encoding"
        raise ValueError(f"invalid {label} in field '{name}'{hint}")
    return value


def _checked(row: int | None, data: dict[str, Any], rename: Mapping[str, str] | None = None,
             label: str | None = None) -> RawRow:
    """The posting fields of a record keyed by name (JSONL, Parquet), renamed by the
    column mapping; a field's own name wins over an alias when a record has both. With a
    `label` (text decoded with surrogateescape), undecodable bytes reject the record; JSONL
    lines are decoded strictly and Parquet strings by pyarrow, so there a lone surrogate can
    only be a JSON escape, which the posting's own rules refuse (detector.schema)."""
    def keep(value: Any, name: str) -> Any:
        return value if label is None else _clean(value, name, label)

    try:
        if rename:
            cleaned: dict[str, Any] = {}
            for key, value in data.items():
                # A key first seen after the sampled lines is read when it is a field name.
                name = rename.get(key, key if key in ALL_FIELDS else None)
                if name is not None and (name not in cleaned or key == name):
                    cleaned[name] = keep(value, name)
        else:
            cleaned = {k: keep(v, k) for k, v in data.items() if k in ALL_FIELDS}
    except ValueError as exc:
        return RawRow(row, None, str(exc))
    return RawRow(row, cleaned)


def _open_text(path: Path, encoding: Encoding) -> IO[str]:
    """Lines end at "\n" only (a "\r\n" stays whole), so line numbers match `grep -n`."""
    return path.open(encoding=encoding.codec, errors="surrogateescape", newline="\n")


def csv_header(path: Path, encoding: Encoding | None = None,
               delimiter: str = ",") -> list[str]:
    """The header record (fails fast when there is none or it cannot be parsed)."""
    with _open_text(path, encoding or _UTF8) as handle:
        try:
            header = read_header(Lines(handle), delimiter)
        except (csv.Error, RecordTooLarge) as exc:
            raise FeedError(f"{path}: cannot read the header: {exc}") from exc
    if header is None:
        raise FeedError(f"{path} has no header row")
    if any(_SURROGATE.search(name) for name in header):
        raise FeedError(f"{path}: the header is not valid {(encoding or _UTF8).name}; give "
                        "the file's encoding with --encoding")
    return header


_UTF8 = Encoding("utf-8-sig", "UTF-8", "checked")


def read_csv(layout: FeedLayout, chunk_size: int) -> Iterator[list[RawRow]]:
    """Record by record (see `csv_reader`), every cell a str ("NA" is text).

    `row` counts records, malformed ones included, so it never drifts; a malformed record's
    error names its file lines. Bytes invalid in the encoding are decoded with
    `surrogateescape` so only the rows holding them are rejected.
    """
    encoding = layout.encoding or _UTF8
    delimiter = layout.delimiter or ","
    with _open_text(layout.path, encoding) as handle:
        lines = Lines(handle)
        try:
            header = read_header(lines, delimiter)
        except (csv.Error, RecordTooLarge) as exc:
            raise FeedError(f"{layout.path}: cannot read the header: {exc}") from exc
        if header is None:
            raise FeedError(f"{layout.path} has no header row")
        index = layout.columns.index
        id_column = dict(index).get("id")
        rows: list[RawRow] = []
        for number, item in enumerate(records(lines, len(header), id_column, delimiter),
                                      start=1):
            if isinstance(item, BadRecord):
                rows.append(RawRow(number, None, item.message(), item.id))
            else:
                cells = item.fields
                # A cell a spreadsheet-safe writer prefixed ("'=...") is read as written.
                data = {name: unescape_cell(cells[column]) for name, column in index}
                rows.append(_checked_cells(number, data, encoding.label))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
        if rows:
            yield rows


def _checked_cells(row: int, data: dict[str, str], label: str) -> RawRow:
    """A record's posting fields; one search per record for undecodable bytes."""
    if _SURROGATE.search("".join(data.values())):
        return _checked(row, data, label=label)
    return RawRow(row, data)


def json_line_id(text: str) -> str | None:
    """The id a broken JSON line names at its start (`{"id":"row005",...`), if any."""
    match = _JSON_ID.search(text)
    if match is None:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    shown = clean_id(value)  # never a NUL, a lone surrogate or 900 KB in an output row
    return shown if shown and shown.strip() else None


def _json_row(number: int, text: str, rename: Mapping[str, str] | None) -> RawRow:
    """One JSON line as a record, or as an error row saying why not: malformed, nested too
    deeply, not an object. An integer over 4,300 digits loads as a stand-in, refused only
    where a field needs it (detector.jsontext)."""
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        return RawRow(number, None, f"malformed JSON: {exc.msg} (column {exc.colno})",
                      json_line_id(text))
    except jsontext.JSONTooDeep as exc:
        return RawRow(number, None, f"malformed JSON: {exc}", json_line_id(text))
    if not isinstance(data, dict):
        return RawRow(number, None, "a posting must be a JSON object, got "
                                    f"{jsontext.type_name(data)}")
    return _checked(number, data, rename)


def read_jsonl(layout: FeedLayout, chunk_size: int) -> Iterator[list[RawRow]]:
    """Line by line in bytes: a bad line (JSON or encoding) is one error row, with the id
    it names when it names one; blank lines skip."""
    encoding = layout.encoding or _UTF8
    codec = "utf-8" if encoding.codec == "utf-8-sig" else encoding.codec
    rename = layout.columns.by_name(list(layout.header)) if layout.header else None
    rows: list[RawRow] = []
    with layout.path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                rows.append(RawRow(number, None, f"invalid {encoding.label} at byte "
                                   f"{exc.start} of the line",
                                   json_line_id(raw.decode(codec, errors="replace"))))
            else:
                rows.append(_json_row(number, text, rename))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
    if rows:
        yield rows


def read_parquet(layout: FeedLayout, chunk_size: int) -> Iterator[list[RawRow]]:
    """pyarrow record batches, row group by row group; only mapped columns are read (a wide
    feed costs no more). A cell pyarrow cannot turn into a Python value (bytes that are not
    UTF-8 in a string column, a date out of Python's range) rejects its record only; a row
    group that cannot be read at all gives one error row per record it holds (the file's
    metadata says how many), and the scan goes on with the next."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        feed = pq.ParquetFile(layout.path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{layout.path} is not a readable Parquet file: {exc}") from exc
    return read_parquet_records(layout.path, chunk_size,
                                layout.columns.by_name(list(feed.schema_arrow.names)))


def read_parquet_records(path: Path, chunk_size: int, rename: Mapping[str, str]
                         ) -> Iterator[list[RawRow]]:
    """The records of a Parquet file, columns `rename` names read under their new names
    (see `read_parquet`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        feed = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{path} is not a readable Parquet file: {exc}") from exc
    row = 1
    for group in range(feed.num_row_groups):
        expected = feed.metadata.row_group(group).num_rows
        done = 0
        try:
            for batch in feed.iter_batches(batch_size=chunk_size, row_groups=[group],
                                           columns=list(rename)):
                yield _parquet_records(batch, row + done, rename)
                done += batch.num_rows
        except (pa.ArrowException, OSError, ValueError) as exc:
            reason = (f"unreadable Parquet row group {group + 1} of {feed.num_row_groups} "
                      f"(records {row}–{row + expected - 1}): {_first_line(exc)}")
            missing = list(range(row + done, row + expected))
            for start in range(0, len(missing), chunk_size):
                yield [RawRow(n, None, reason) for n in missing[start:start + chunk_size]]
        row += expected


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _parquet_records(batch: Any, first: int, rename: Mapping[str, str]) -> list[RawRow]:
    try:
        records = batch.to_pylist()
    except (ValueError, OverflowError, ArithmeticError) as exc:  # UnicodeDecodeError too
        del exc  # said per record below, naming the column
        return _parquet_cells(batch, first, rename)
    return [_checked(first + i, record, rename) for i, record in enumerate(records)]


def _parquet_cells(batch: Any, first: int, rename: Mapping[str, str]) -> list[RawRow]:
    """Cell by cell, for a batch that would not convert whole: a record with a cell that
    cannot be read is an error row naming the column."""
    names = batch.schema.names
    rows = []
    for i in range(batch.num_rows):
        record: dict[str, Any] = {}
        problem = None
        for j, name in enumerate(names):
            try:
                record[name] = batch.column(j)[i].as_py()
            except (ValueError, OverflowError, ArithmeticError) as exc:
                field_name = rename.get(name, name)
                what = "bytes that are not UTF-8" if isinstance(exc, UnicodeDecodeError) \
                    else _first_line(exc)
                problem = f"column '{name}' ({field_name}) cannot be read: {what}"
                break
        if problem is None:
            rows.append(_checked(first + i, record, rename))
            continue
        raw_id = record.get(next((k for k, v in rename.items() if v == "id"), ""))
        rows.append(RawRow(first + i, None, problem, clean_id(raw_id)))
    return rows


def parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def read_feed(path: Path, chunk_size: int, options: FeedOptions | None = None,
              layout: FeedLayout | None = None) -> Iterator[list[RawRow]]:
    """Chunks of rows from any supported feed (inspected first unless `layout` is given)."""
    layout = layout or inspect_feed(path, options)
    if layout.format == "xlsx":
        from detector.feeds.xlsx import read_xlsx

        return read_xlsx(layout, chunk_size)
    reader = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}[layout.format]
    return reader(layout, chunk_size)
