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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from detector.scan import dialect
from detector.scan.columns import ColumnMap, ColumnMapError, map_columns
from detector.scan.csv_reader import BadRecord, Lines, RecordTooLarge, read_header, records
from detector.scan.encoding import Encoding, detect, forced
from detector.scan.errors import FeedError
from detector.schema import ALL_FIELDS

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


@dataclass(frozen=True)
class FeedOptions:
    """What the user said about the feed (`--encoding`, `--delimiter`, `--map`, `--sheet`)."""

    encoding: str | None = None
    delimiter: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None


@dataclass(frozen=True)
class FeedLayout:
    """How a feed is read: its format, encoding, separator and column mapping."""

    path: Path
    format: str
    columns: ColumnMap
    header: tuple[str, ...] = ()
    encoding: Encoding | None = None
    delimiter: str | None = None
    delimiter_how: str = ""
    #: Workbooks: the sheet read, every sheet's name, and the header's sheet row number.
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int = 0

    def describe(self) -> list[str]:
        """What the scan prints before scoring, so a wrong guess is seen at once."""
        head = f"reading {self.path} as {self.format.upper()}"
        if self.sheet is not None:
            if len(self.sheets) <= 1:
                which = "its only sheet"
            elif self.sheet == self.sheets[0]:
                which = f"the first of {len(self.sheets)}; --sheet to choose another"
            else:
                which = f"of {len(self.sheets)} sheets"
            head += f": sheet {self.sheet!r} ({which}), header in row {self.header_row}"
        details = []
        if self.encoding is not None:
            details.append(self.encoding.describe())
        if self.delimiter is not None:
            how = "" if self.delimiter_how == "--delimiter" else "; --delimiter to override"
            details.append(f"separator {dialect.name(self.delimiter)} "
                           f"({self.delimiter_how}{how})")
        lines = [head + (": " + ", ".join(details) if details else "")]
        lines.append("  " + self.columns.describe() + " (--map COLUMN=FIELD to change)")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": None if self.encoding is None else self.encoding.name,
            "encoding_how": None if self.encoding is None else self.encoding.how,
            "delimiter": self.delimiter, "columns": self.columns.as_dict(),
            **({"sheet": self.sheet, "header_row": self.header_row} if self.sheet else {}),
        }


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
    from detector.scan.xlsx import other_spreadsheet_hint

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
        from detector.scan.xlsx import inspect_xlsx

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


def names_columns(header: str | list[str], options: FeedOptions) -> bool:
    """Whether a header (a decoded line, or its cells) names at least one posting field."""
    if isinstance(header, str):
        for delimiter in dialect.DELIMITERS:
            if names_columns(header.split(delimiter), options):
                return True
        return False
    try:
        return bool(map_columns(header, {k: v for k, v in options.columns.items()
                                         if k in header}).index)
    except ColumnMapError:
        return False


def checked_map(path: Path, seen: list[str] | None, options: FeedOptions) -> ColumnMap:
    """The column mapping; fail fast when not one column is a posting field (every row
    would be rejected), naming the fields and the aliases that are understood."""
    try:
        mapping = map_columns(seen or [], options.columns)
    except ColumnMapError as exc:
        raise FeedError(f"{path}: {exc}") from None
    if seen is None or mapping.index:
        return mapping
    shown = ", ".join(repr(name) for name in seen[:20]) or "none"
    more = f" (and {len(seen) - 20} more)" if len(seen) > 20 else ""
    raise FeedError(
        f"{path} has none of the posting columns: expected some of {', '.join(ALL_FIELDS)} "
        f"(or a usual name for one, e.g. job_title, 职位名称: see docs/scan.md); found "
        f"{shown}{more}. Name them with --map COLUMN=FIELD,..."
    )


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
                data = json.loads(raw.decode(encoding.codec, errors="replace"))
            except ValueError:
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
             label: str = "UTF-8") -> RawRow:
    """The posting fields of a record keyed by name (JSONL, Parquet), renamed by the
    column mapping; a field's own name wins over an alias when a record has both."""
    try:
        if rename:
            cleaned: dict[str, Any] = {}
            for key, value in data.items():
                # A key first seen after the sampled lines is read when it is a field name.
                name = rename.get(key, key if key in ALL_FIELDS else None)
                if name is not None and (name not in cleaned or key == name):
                    cleaned[name] = _clean(value, name, label)
        else:
            cleaned = {k: _clean(v, k, label) for k, v in data.items() if k in ALL_FIELDS}
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
                data = {name: cells[column] for name, column in index}
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
    return str(value) if str(value).strip() else None


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
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    rows.append(RawRow(number, None, f"malformed JSON: {exc.msg} "
                                       f"(column {exc.colno})", json_line_id(text)))
                else:
                    if isinstance(data, dict):
                        rows.append(_checked(number, data, rename, encoding.label))
                    else:
                        rows.append(RawRow(number, None, "a posting must be a JSON object, got "
                                                         f"{type(data).__name__}"))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
    if rows:
        yield rows


def read_parquet(layout: FeedLayout, chunk_size: int) -> Iterator[list[RawRow]]:
    """pyarrow record batches; only mapped columns are read (a wide feed costs no more)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        feed = pq.ParquetFile(layout.path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedError(f"{layout.path} is not a readable Parquet file: {exc}") from exc
    rename = layout.columns.by_name(list(feed.schema_arrow.names))
    row = 1
    for batch in feed.iter_batches(batch_size=chunk_size, columns=list(rename)):
        records = batch.to_pylist()
        yield [_checked(row + i, rec, rename) for i, rec in enumerate(records)]
        row += len(records)


def parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def read_feed(path: Path, chunk_size: int, options: FeedOptions | None = None,
              layout: FeedLayout | None = None) -> Iterator[list[RawRow]]:
    """Chunks of rows from any supported feed (inspected first unless `layout` is given)."""
    layout = layout or inspect_feed(path, options)
    if layout.format == "xlsx":
        from detector.scan.xlsx import read_xlsx

        return read_xlsx(layout, chunk_size)
    reader = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}[layout.format]
    return reader(layout, chunk_size)
