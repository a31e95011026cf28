"""What a feed is and how it is read: the user's options, the layout found (format,
encoding, separator, column mapping) and a record as read; shared by the readers of every
format (`readers.py`, `xlsx.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector.feeds import dialect
from detector.feeds.columns import ColumnMap, ColumnMapError, map_columns
from detector.feeds.encoding import Encoding
from detector.feeds.errors import FeedError
from detector.schema import ALL_FIELDS


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
