"""Excel workbooks in and out of `detector scan`: the format moderators live in.

Reading (`.xlsx`, `.xlsm`): openpyxl in read-only mode, which streams the sheet's XML row by
row, so a 100,000-row workbook costs the memory of a chunk, as a CSV does. The first sheet
by default, `--sheet NAME` (or its 1-based number) to choose; cached values, never formulas
(`data_only`), and macros never run. The header is the first non-empty row that names a
posting column (title lines above it are skipped; the first 20 rows are looked at), mapped
onto the posting schema with the same names as CSV (`columns.py`, Chinese headers included); and the
same type rule as CSV: every cell is read as text (5000 -> "5000", TRUE -> "true", a date ->
2024-08-09), so yes/no fields are read from words. A cell a spreadsheet-safe export
prefixed with an apostrophe (`detector.spreadsheet`) reads back as the text it held.

`row` is the data-record number, as for CSV: the sheet's row number minus the header's
(blank rows are skipped but keep their number, so `row` + header row is always the row
Excel shows). A row that cannot be read (a cell holding an Excel error such as #REF!) is an
error row naming the sheet, the row and the cell as Excel shows them.

Writing: `XlsxWriter` (openpyxl's write-only mode, streamed to a temp file): numbers stay
numbers (row, fraud_probability, model_probability), everything else is a string cell,
escaped with `escape_cell` and typed as a string, so nothing becomes a formula. Excel's
limits are handled and said: a cell over 32,767 characters is cut (and ends in a marker
saying how much was cut), and past 1,048,576 rows the verdicts go on in a new sheet.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.feeds.errors import FeedError
from detector.spreadsheet import escape_cell, unescape_cell

if TYPE_CHECKING:
    from detector.feeds.layout import FeedLayout, FeedOptions, RawRow

XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats openpyxl cannot read, and what to do instead.
OTHER_SPREADSHEETS = (".xls", ".ods", ".numbers", ".xlsb")
#: Excel's limits (specifications and limits of Excel 2007 and later).
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
#: Excel's error values: a formula that failed, not text.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                          "#UNKNOWN!", "#CONNECT!", "#BUSY!"})
#: Characters XML 1.0 (so Excel) cannot store.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Columns written as numbers; all others are text cells.
NUMERIC_COLUMNS = frozenset({"row", "fraud_probability", "model_probability"})


def other_spreadsheet_hint(path: Path) -> str | None:
    """What to do with a spreadsheet format the scan does not read, if `path` is one."""
    if path.suffix.lower() in OTHER_SPREADSHEETS:
        return (f"{path} is a {path.suffix} spreadsheet, which the scan does not read: save it "
                "as Excel Workbook (.xlsx), or as CSV UTF-8 (.csv)")
    return None


def _open(path: Path) -> Any:
    """The workbook in read-only mode (cached values, no formulas); FeedError if it is not
    one."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise FeedError(f"{path} is not an .xlsx workbook (an .xlsx file is a zip archive); "
                        "if it is an old .xls or a CSV renamed, save it again as .xlsx or CSV")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FeedError(f"{path} is not a readable .xlsx workbook: {exc}") from exc


def pick_sheet(path: Path, names: list[str], wanted: str | None) -> str:
    """The sheet to read: `--sheet` by name or 1-based number, else the first."""
    if not names:
        raise FeedError(f"{path} has no worksheet")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    shown = ", ".join(f"{i}: {name!r}" for i, name in enumerate(names, start=1))
    raise FeedError(f"{path} has no sheet {wanted!r}; its sheets are {shown} "
                    "(--sheet NAME or NUMBER)")


def cell_text(value: Any) -> str:
    """A cell as text, as CSV would hold it: numbers without a float's trailing .0, dates
    in ISO form, booleans as true/false, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    text = str(value)
    return str(unescape_cell(text))


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(sheet row number, values) for every row that has a value."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            yield number, values


def inspect_xlsx(path: Path, options: FeedOptions) -> FeedLayout:
    """The sheet, its header row and the column mapping (the scan prints them)."""
    from detector.feeds.layout import FeedLayout, checked_map

    if options.encoding or options.delimiter:
        raise FeedError(f"--encoding and --delimiter are for text feeds; an .xlsx workbook "
                        f"holds its own text ({path})")
    book = _open(path)
    try:
        names = list(book.sheetnames)
        sheet_name = pick_sheet(path, names, options.sheet)
        found = _header(book[sheet_name], options)
    finally:
        book.close()
    if found is None:
        raise FeedError(f"{path}: sheet {sheet_name!r} is empty (no header row)")
    header_row, header = found
    try:
        columns = checked_map(path, header, options)
    except FeedError as exc:
        if len(names) < 2:
            raise
        others = ", ".join(repr(name) for name in names if name != sheet_name)
        raise FeedError(f"{exc} (this is sheet {sheet_name!r}; the workbook also has "
                        f"{others}: choose one with --sheet NAME)") from None
    return FeedLayout(path, "xlsx", columns, tuple(header), sheet=sheet_name,
                      sheets=tuple(names), header_row=header_row)


#: Rows looked at for the header: a title line or two above it ("Jobs of 9 Aug") is common.
HEADER_SEARCH_ROWS = 20


def _header(sheet: Any, options: FeedOptions) -> tuple[int, list[str]] | None:
    """The first non-empty row that names a posting column (or the first non-empty row,
    when none does: its names go into the error message)."""
    from detector.feeds.layout import names_columns

    first: tuple[int, list[str]] | None = None
    for seen, (number, values) in enumerate(_rows(sheet)):
        cells = [cell_text(v).strip() for v in values]
        if first is None:
            first = (number, cells)
        if names_columns(cells, options):
            return number, cells
        if seen + 1 >= HEADER_SEARCH_ROWS:
            break
    return first


def read_xlsx(layout: FeedLayout, chunk_size: int) -> Iterator[list[RawRow]]:
    """Chunks of rows, streamed (see the module docstring)."""
    from detector.feeds.layout import RawRow

    index = layout.columns.index
    id_column = dict(index).get("id")
    book = _open(layout.path)
    try:
        sheet = book[layout.sheet]
        rows: list[RawRow] = []
        for number, values in _rows(sheet):
            if number <= layout.header_row:
                continue
            row = number - layout.header_row
            cells = [values[c] if c < len(values) else None for _, c in index]
            bad = [(name, column, value) for (name, column), value in zip(index, cells,
                                                                          strict=True)
                   if isinstance(value, str) and value.strip() in EXCEL_ERRORS]
            if bad:
                name, column, value = bad[0]
                where = f"{column_letter(column)}{number}"
                message = (f"sheet {layout.sheet!r} row {number}: cell {where} ({name}) holds "
                           f"Excel's error value {value.strip()}, not text")
                ident = None
                if id_column is not None and id_column < len(values):
                    ident = cell_text(values[id_column]) or None
                rows.append(RawRow(row, None, message, ident))
            else:
                rows.append(RawRow(row, {name: cell_text(v) for (name, _), v in zip(
                    index, cells, strict=True)}))
            if len(rows) >= chunk_size:
                yield rows
                rows = []
        if rows:
            yield rows
    finally:
        book.close()


def sheet_records(path: Path, sheet: str | None = None
                  ) -> Iterator[tuple[int, dict[str, str]]]:
    """(sheet row number, {header: text}) of every non-empty row below the first non-empty
    row, for files that are not feeds (a moderator's decisions filled in in Excel)."""
    book = _open(path)
    try:
        rows = _rows(book[pick_sheet(path, list(book.sheetnames), sheet)])
        first = next(rows, None)
        if first is None:
            return
        header = [cell_text(v).strip() for v in first[1]]
        for number, values in rows:
            yield number, {name: cell_text(value) for name, value in zip(header, values,
                                                                          strict=False)
                           if name and value is not None and cell_text(value) != ""}
    finally:
        book.close()


class XlsxWriter:
    """Verdict rows into an .xlsx workbook (write-only, streamed), each cell typed: never a
    formula. Used by `detector.scan.writers` (same temp file and rename)."""

    def __init__(self, tmp: Path, columns: tuple[str, ...], max_rows: int = MAX_ROWS,
                 max_chars: int = MAX_CELL_CHARS) -> None:
        import openpyxl

        self.tmp = tmp
        self.columns = columns
        self.max_rows = max_rows
        self.max_chars = max_chars
        self.book = openpyxl.Workbook(write_only=True)
        self.sheets: list[str] = []
        self.rows_in_sheet = 0
        self.cut_cells = 0
        self.replaced_cells = 0
        self._new_sheet()
        self.closed = False

    def _new_sheet(self) -> None:
        name = "verdicts" if not self.sheets else f"verdicts ({len(self.sheets) + 1})"
        self.sheet = self.book.create_sheet(name)
        self.sheets.append(name)
        self.sheet.append([self._text(c) for c in self.columns])
        self.rows_in_sheet = 1

    def _text(self, value: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
            self.replaced_cells += 1
        value = str(escape_cell(value))
        if len(value) > self.max_chars:
            marker = f"…[cut: {len(value):,} characters, Excel holds {self.max_chars:,}]"
            value = value[:self.max_chars - len(marker)] + marker
            self.cut_cells += 1
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"  # a string whatever it starts with: never a formula
        return cell

    def append(self, values: dict[str, Any]) -> None:
        if self.rows_in_sheet >= self.max_rows:
            self._new_sheet()
        row = []
        for key in self.columns:
            value = values.get(key)
            if value is None:
                row.append(None)
            elif key in NUMERIC_COLUMNS and isinstance(value, (int, float)):
                row.append(value)
            else:
                row.append(self._text(str(value)))
        self.sheet.append(row)
        self.rows_in_sheet += 1

    def notes(self) -> list[str]:
        """What the output could not hold as it is, said at the end of the scan."""
        out = []
        if len(self.sheets) > 1:
            out.append(f"more rows than one Excel sheet holds ({self.max_rows - 1:,} below its "
                       f"header): the verdicts go on in sheets {', '.join(self.sheets[1:])}")
        if self.cut_cells:
            out.append(f"{self.cut_cells:,} cells were longer than Excel's {self.max_chars:,} "
                       "characters and were cut (they end in '…[cut: …]'); write .jsonl or "
                       ".parquet for the whole text")
        if self.replaced_cells:
            out.append(f"{self.replaced_cells:,} cells held control characters Excel cannot "
                       "store; they were replaced by U+FFFD")
        return out

    def close(self) -> None:
        if not self.closed:
            self.book.save(self.tmp)
            self.closed = True
