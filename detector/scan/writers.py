"""Output writers (JSONL, CSV, Parquet, XLSX): write to a temp file beside OUTPUT, then rename.

A reader of OUTPUT therefore sees either the previous file or the complete new one, never a
half-written scan. `flags` is a JSON list in JSONL and a JSON string in CSV and Parquet (one
flat schema everywhere); `flag_ids` is a list in JSONL/Parquet and comma-joined in CSV and
XLSX. CSV cells are spreadsheet-safe (`detector.spreadsheet.escape_cell`). A CSV starts with a
UTF-8 byte-order mark when asked (`--excel`, or a feed that was not UTF-8: the file is headed
for Excel, which reads UTF-8 without a BOM as the local code page and garbles Chinese). XLSX
cells are typed (`detector/feeds/xlsx.py`).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from detector.scan.chunks import COLUMNS
from detector.spreadsheet import escape_cell

WRITE_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                 ".xlsx": "xlsx"}


def output_format(path: Path) -> str:
    fmt = WRITE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(WRITE_FORMATS))
        raise ValueError(f"cannot tell the output format of {path}: use one of {known}")
    return fmt


class Writer:
    """Base: temp file handling; subclasses implement `_write` and `_finish`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        self._write(record)  # columns are picked by name: FIELDS_KEY is never written
        self.count += 1

    def _write(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def notes(self) -> list[str]:
        """What the output could not hold as it is (said at the end of the scan)."""
        return []

    def commit(self) -> None:
        self._finish()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self._finish()
        finally:
            self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class JsonlWriter(Writer):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.handle: IO[str] = self.tmp.open("w", encoding="utf-8")

    def _write(self, record: dict[str, Any]) -> None:
        self.handle.write(json.dumps({k: record.get(k) for k in COLUMNS}, ensure_ascii=False))
        self.handle.write("\n")

    def _finish(self) -> None:
        if not self.handle.closed:
            self.handle.close()


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """A verdict row with its lists as text: flag ids comma-joined, flags and evidence JSON."""
    flat = dict(record)
    flat["flag_ids"] = ",".join(record.get("flag_ids") or [])
    flat["flags"] = json.dumps(record.get("flags") or [], ensure_ascii=False)
    flat["model_evidence"] = json.dumps(record.get("model_evidence") or [], ensure_ascii=False)
    return flat


class CsvWriter(Writer):
    def __init__(self, path: Path, bom: bool = False) -> None:
        super().__init__(path)
        self.handle: IO[str] = self.tmp.open("w", encoding="utf-8-sig" if bom else "utf-8",
                                             newline="")
        self.csv = csv.writer(self.handle)
        self.csv.writerow(COLUMNS)

    def _write(self, record: dict[str, Any]) -> None:
        flat = flat_record(record)
        # Spreadsheet-safe: an id like "=HYPERLINK(...)" is not a live formula when a
        # moderator opens the file; `detector scan` and `labels import` read it back exact.
        self.csv.writerow(["" if flat.get(k) is None else escape_cell(flat[k])
                           for k in COLUMNS])

    def _finish(self) -> None:
        if not self.handle.closed:
            self.handle.close()


class ParquetWriter(Writer):
    """Buffers `batch_rows` records, then writes one row group: bounded memory."""

    def __init__(self, path: Path, batch_rows: int = 5000) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(path)
        self.pa = pa
        self.schema = pa.schema([
            ("row", pa.int64()), ("id", pa.string()), ("fraud_probability", pa.float64()),
            ("risk", pa.string()), ("confidence", pa.string()), ("language", pa.string()),
            ("model_version", pa.string()),
            ("model_probability", pa.float64()), ("flag_ids", pa.list_(pa.string())),
            ("flags", pa.string()), ("basis", pa.string()), ("model_evidence", pa.string()),
            ("error", pa.string()),
        ])
        self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.batch_rows = batch_rows
        self.buffer: dict[str, list[Any]] = {k: [] for k in COLUMNS}
        self.closed = False

    def _write(self, record: dict[str, Any]) -> None:
        for key in COLUMNS:
            value = record.get(key)
            if key in ("flags", "model_evidence"):
                value = json.dumps(value or [], ensure_ascii=False)
            elif key == "flag_ids":
                value = list(value or [])
            self.buffer[key].append(value)
        if len(self.buffer["row"]) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self.buffer["row"]:
            table = self.pa.Table.from_pydict(self.buffer, schema=self.schema)
            self.writer.write_table(table)
            self.buffer = {k: [] for k in COLUMNS}

    def _finish(self) -> None:
        if not self.closed:
            self._flush()
            self.writer.close()
            self.closed = True


class XlsxFileWriter(Writer):
    """An Excel workbook, streamed (see `detector.feeds.xlsx.XlsxWriter`)."""

    def __init__(self, path: Path) -> None:
        from detector.feeds.xlsx import XlsxWriter

        super().__init__(path)
        self.book = XlsxWriter(self.tmp, COLUMNS)

    def _write(self, record: dict[str, Any]) -> None:
        self.book.append(flat_record(record))

    def _finish(self) -> None:
        self.book.close()

    def notes(self) -> list[str]:
        return self.book.notes()


def open_writer(path: Path, bom: bool = False) -> Writer:
    """The writer for OUTPUT's extension; `bom`: a CSV starts with a UTF-8 byte-order mark."""
    fmt = output_format(path)
    if fmt == "csv":
        return CsvWriter(path, bom=bom)
    cls = {"jsonl": JsonlWriter, "parquet": ParquetWriter, "xlsx": XlsxFileWriter}[fmt]
    return cls(path)
