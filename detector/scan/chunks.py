"""Scoring one chunk of raw rows into output records, and the part files that hold them.

This is the unit of work every engine ships to a worker: plain data in (rows + options),
plain data out (records), so the same function runs in-process, in a process pool or on a
Dask worker and gives byte-identical results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.feeds.readers import RawRow
from detector.schema import InvalidPosting, Posting, parse_posting
from detector.verdict import RISK_ORDER

if TYPE_CHECKING:
    from detector.verdict import Verdict

#: Output columns, in order (the CSV header and the Parquet schema).
COLUMNS: tuple[str, ...] = (
    "row", "id", "fraud_probability", "risk", "confidence", "language", "model_version",
    "model_probability", "flag_ids", "flags", "basis", "model_evidence", "error",
)
#: Private key carrying the posting text of flagged rows to the HTML report; never written.
FIELDS_KEY = "_fields"
#: Private key carrying a row's warnings (a yes/no cell left out) to the summary; never
#: written to OUTPUT (its columns are fixed), counted and shown by kind like rejections.
WARNINGS_KEY = "_warnings"


@dataclass(frozen=True)
class ScanOptions:
    """What a worker needs to score a chunk; also recorded in the resume manifest."""

    model_dir: str
    sort: bool = False
    keep_text: bool = False
    max_chars: int = 1_000_000
    #: Model evidence for every row (medium and high rows always carry theirs).
    explain: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_key(record: dict[str, Any]) -> tuple[int, float, int]:
    """Riskiest first; rejected rows (no probability) last; ties keep input order."""
    prob = record.get("fraud_probability")
    row = record.get("row") or 0
    return (1, 0.0, row) if prob is None else (0, -float(prob), row)


def error_record(raw: RawRow, reason: str, model_version: str) -> dict[str, Any]:
    return {
        "row": raw.row, "id": raw.id or (None if raw.row is None else str(raw.row)),
        "fraud_probability": None, "risk": None, "confidence": None, "language": None,
        "model_version": model_version, "model_probability": None,
        "flag_ids": [], "flags": [], "basis": None, "model_evidence": [], "error": reason,
    }


@dataclass
class ParsedRows:
    """A chunk after validation: the postings to score and where each one's record goes."""

    postings: list[Posting]
    slots: list[int]
    records: list[dict[str, Any] | None]
    warned: dict[int, list[str]]


def parse_rows(rows: list[RawRow], options: ScanOptions, version: str) -> ParsedRows:
    """Validate rows into postings; a row that cannot be scored becomes its error record."""
    parsed = ParsedRows([], [], [], {})
    for raw in rows:
        if raw.error is not None or raw.data is None:
            parsed.records.append(error_record(raw, raw.error or "unreadable row", version))
            continue
        # Typed values follow the API's rules (text must be text: one answer everywhere);
        # yes/no cells are read as people write them, and one nobody can read is a warning.
        warnings: list[str] = []
        try:
            default_id = None if raw.row is None else str(raw.row)
            posting = parse_posting(raw.data, strict=True, yes_no_cells=True,
                                    warnings=warnings, max_chars=options.max_chars,
                                    default_id=default_id)
        except InvalidPosting as exc:
            parsed.records.append(error_record(raw, str(exc), version))
            continue
        if warnings:
            parsed.warned[len(parsed.records)] = warnings
        parsed.slots.append(len(parsed.records))
        parsed.postings.append(posting)
        parsed.records.append(None)
    return parsed


def fill_records(rows: list[RawRow], parsed: ParsedRows, verdicts: list[Verdict],
                 options: ScanOptions) -> list[dict[str, Any]]:
    """The output records of a chunk, in input order (`options.sort`: riskiest first)."""
    from detector.core import verdict_dict

    records = parsed.records
    for slot, posting, verdict in zip(parsed.slots, parsed.postings, verdicts, strict=True):
        out = verdict_dict(verdict, private=True)  # a scan is the operator's: matches shown
        record = {
            "row": rows[slot].row, "id": out["id"],
            "fraud_probability": out["fraud_probability"], "risk": out["risk"],
            "confidence": out.get("confidence"), "language": out["language"],
            "model_version": out["model_version"],
            "model_probability": out["model_probability"],
            "flag_ids": [flag["id"] for flag in out["flags"]], "flags": out["flags"],
            "basis": out["basis"], "model_evidence": out["model_evidence"], "error": None,
        }
        if options.keep_text and RISK_ORDER[out["risk"]] >= RISK_ORDER["medium"]:
            record[FIELDS_KEY] = dict(posting.fields)
        if slot in parsed.warned:
            record[WARNINGS_KEY] = parsed.warned[slot]
        records[slot] = record
    done = [r for r in records if r is not None]
    if options.sort:
        done.sort(key=sort_key)
    return done


def score_rows(rows: list[RawRow], options: ScanOptions) -> list[dict[str, Any]]:
    """Validate and score rows; every input row gives exactly one record, in input order."""
    from detector.core import get_detector

    detector = get_detector(Path(options.model_dir))
    parsed = parse_rows(rows, options, detector.model_version)
    verdicts = (detector.score_many(parsed.postings, explain=options.explain)
                if parsed.postings else [])
    return fill_records(rows, parsed, verdicts, options)


def write_part(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """One JSON record a line, written to a temp name then renamed: a part exists only whole."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
    os.replace(tmp, path)


def read_part(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def score_chunk_to_part(index: int, rows: list[RawRow], options: ScanOptions,
                        part: str) -> tuple[int, int]:
    """Worker entry point of the local engine: score and write the part; returns (index, rows)."""
    records = score_rows(rows, options)
    write_part(Path(part), records)
    return index, len(rows)


def init_worker(model_dir: str) -> None:
    """Load the model once per worker process (the core keeps OpenMP to one thread)."""
    from detector.core import get_detector

    get_detector(Path(model_dir))
