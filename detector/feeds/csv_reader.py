"""CSV records with their physical line numbers, resynchronised after a malformed record.

Why not pandas: on a line with an unclosed quote the C parser keeps reading until the next
quote character, so the records in between vanish into one field (and a short row is padded
silently); at end of file it aborts. Here the stdlib `csv` parser (strict mode, C speed)
reads from a numbered line iterator that keeps the lines of the record being parsed. When a
record cannot be parsed, is absurdly large, or has the wrong number of fields, only its first
line is given up: the lines after it are read again as records. A run of consecutive lines
that cannot be read is reported as one malformed record naming its lines, so every record
of the input comes out exactly once, as data or as an error.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from detector.schema import clean_id
from detector.spreadsheet import unescape_cell

#: A record longer than this (characters) is an unclosed quote, not a posting: postings are
#: capped at 1,000,000 characters of text (detector.schema.DEFAULT_MAX_CHARS).
MAX_RECORD_CHARS = 4_000_000
#: A first field longer than this is not an id worth echoing in an error row.
_MAX_ID_CHARS = 200


class RecordTooLarge(Exception):
    """The record being parsed grew past MAX_RECORD_CHARS (a quote that never closes)."""


class Lines:
    """Physical lines of a text file, numbered from 1, able to give back a bad record's tail.

    `record` holds the lines handed out since the last `start_record()`; `rewind()` keeps the
    first of them and puts the rest back, so they are read again.
    """

    __slots__ = ("limit", "number", "pending", "record", "size", "source")

    def __init__(self, source: IO[str], limit: int = MAX_RECORD_CHARS) -> None:
        self.source = source
        self.pending: list[str] = []  # a stack: the next line to hand out is last
        self.number = 0
        self.record: list[str] = []
        self.size = 0
        self.limit = limit

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        line = self.pending.pop() if self.pending else next(self.source)
        self.number += 1
        self.record.append(line)
        self.size += len(line)
        if self.size > self.limit:
            raise RecordTooLarge
        return line

    def start_record(self) -> None:
        self.record = []
        self.size = 0

    def rewind(self) -> list[str]:
        """Give up the current record's first line; its other lines will be read again."""
        lines = self.record
        self.pending.extend(reversed(lines[1:]))
        self.number -= len(lines) - 1
        self.start_record()
        return lines


@dataclass(slots=True)
class BadRecord:
    """Consecutive lines that could not be read as records: one error row."""

    first: int
    last: int
    reason: str
    id: str | None = None

    def message(self) -> str:
        where = f"line {self.first}" if self.first == self.last else \
            f"lines {self.first}–{self.last}"
        return f"malformed CSV record at {where}: {self.reason}"


@dataclass(slots=True)
class Record:
    """One parsed record: its fields and the lines it came from."""

    first: int
    last: int
    fields: list[str]


def _reason(exc: Exception, first: int, last: int) -> str:
    """Why a record failed, in words that point at the quote that caused it."""
    if isinstance(exc, RecordTooLarge):
        return (f"a quoted field opened on line {first} did not close within "
                f"{MAX_RECORD_CHARS:,} characters (line {last}); the lines after line "
                f"{first} were read again as records")
    text = str(exc)
    if "unexpected end of data" in text:
        return (f"a quoted field opened on line {first} is never closed (it ran to the end "
                f"of the file, line {last}); the lines after line {first} were read again "
                "as records")
    if "expected after" in text:
        if last > first:
            return (f"a quoted field opened on line {first} ran on to line {last} "
                    "(an unclosed quote); the lines after line "
                    f"{first} were read again as records")
        return ('unbalanced quotes: a quoted field must close with " right before the next '
                'comma or line end, and a quote inside it must be doubled ("")')
    return text


def _wrong_width(fields: list[str], width: int, first: int, last: int) -> str:
    reason = f"{len(fields)} field{'' if len(fields) == 1 else 's'}, the header has {width}"
    if last > first:
        reason += (f" (one record ran over lines {first}–{last}: an unbalanced quote?); the "
                   f"lines after line {first} were read again as records")
    return reason


def _guess_id(line: str, id_column: int | None, delimiter: str = ",") -> str | None:
    """The id cell of a bad record's first line, when it is plainly an id."""
    if id_column is None:
        return None
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    if len(cells) <= id_column:
        return None
    value = str(unescape_cell(cells[id_column].strip()))
    ok = value and len(value) <= _MAX_ID_CHARS and "\n" not in value and '"' not in value
    # Never an id holding undecodable bytes (lone surrogates) or a NUL: not shown in a row.
    return value if ok and clean_id(value) == value else None


def read_header(lines: Lines, delimiter: str = ",") -> list[str] | None:
    """The first non-blank record, or None for a file without one."""
    reader = csv.reader(lines, strict=True, delimiter=delimiter)
    for fields in reader:
        lines.start_record()
        if fields and any(cell.strip() for cell in fields):
            return fields
    return None


def records(lines: Lines, width: int, id_column: int | None,
            delimiter: str = ",") -> Iterator[Record | BadRecord]:
    """Every record after the header, in order: parsed records and merged bad runs."""
    if csv.field_size_limit() < MAX_RECORD_CHARS:
        csv.field_size_limit(MAX_RECORD_CHARS)
    reader = csv.reader(lines, strict=True, delimiter=delimiter)
    bad: BadRecord | None = None
    while True:
        first = lines.number + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except (csv.Error, RecordTooLarge) as exc:
            last = lines.number
            head = lines.rewind()
            reason = _reason(exc, first, last)
        else:
            last = lines.number
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                lines.start_record()  # blank line: not a record
                continue
            if len(fields) == width:
                lines.start_record()
                if bad is not None:
                    yield bad
                    bad = None
                yield Record(first, last, fields)
                continue
            reason = _wrong_width(fields, width, first, last)
            head = lines.rewind()
        if bad is not None and bad.last == first - 1:
            bad.last = first
        else:
            if bad is not None:
                yield bad
            guess = _guess_id(head[0], id_column, delimiter) if head else None
            bad = BadRecord(first, first, reason, guess)
    if bad is not None:
        yield bad
