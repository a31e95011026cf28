"""The end-of-scan summary, built from the records as they are assembled (so a resumed scan
counts every row once), in bounded memory: counters plus the first few rejected rows."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

FIRST_ROWS = 5
#: Numbers that vary from row to row ("line 1,003", "byte 17"), not names like "UTF-8".
_NUMBERS = re.compile(r"(?<![\w-])\d[\d,]*")
_WHERE = re.compile(r" at lines? N(–N)?$")


def reason_kind(reason: str) -> str:
    """Group rejections: where the problem is varies from row to row, its kind does not."""
    head = reason.split(":", 1)[0] if ":" in reason else reason
    return _WHERE.sub("", _NUMBERS.sub("N", head).strip())


@dataclass
class Summary:
    rows_read: int = 0
    scored: int = 0
    rejected: int = 0
    written: int = 0
    low_confidence: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    rejections: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Scored rows with a field left out (a yes/no cell nobody can read), by kind.
    warned: int = 0
    warnings: dict[str, dict[str, Any]] = field(default_factory=dict)
    histogram: list[int] = field(default_factory=lambda: [0] * 20)

    @staticmethod
    def _count(kinds: dict[str, dict[str, Any]], message: str, row: Any) -> None:
        entry = kinds.setdefault(reason_kind(message),
                                 {"count": 0, "example": message, "first_rows": []})
        entry["count"] += 1
        if len(entry["first_rows"]) < FIRST_ROWS:
            entry["first_rows"].append(row)

    def add(self, record: dict[str, Any]) -> None:
        self.rows_read += 1
        notes = record.get("_warnings")  # detector.scan.chunks.WARNINGS_KEY
        if notes:
            self.warned += 1
            for message in notes:
                self._count(self.warnings, message, record.get("row"))
        error = record.get("error")
        if error:
            self.rejected += 1
            self._count(self.rejections, error, record.get("row"))
            return
        self.scored += 1
        if record.get("confidence") == "low":
            self.low_confidence += 1
        self.tiers[record["risk"]] += 1
        self.languages[record.get("language") or "?"] += 1
        self.flags.update(record.get("flag_ids") or [])
        prob = float(record["fraud_probability"])
        self.histogram[min(int(prob * 20), 19)] += 1

    def as_dict(self, **extra: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rows_read": self.rows_read,
            "scored": self.scored,
            "rejected": self.rejected,
            "written": self.written,
            "low_confidence": self.low_confidence,
            "risk": {tier: self.tiers.get(tier, 0) for tier in ("low", "medium", "high")},
            "languages": dict(self.languages),
            "top_flags": [{"id": k, "count": v} for k, v in self.flags.most_common(10)],
            "rejections": self.rejections,
            "rows_with_warnings": self.warned,
            "warnings": self.warnings,
            "probability_histogram": {"bin_width": 0.05, "counts": self.histogram},
        }
        out.update(extra)
        return out


def format_summary(data: dict[str, Any]) -> str:
    """Human-readable lines for stderr."""
    risk = data["risk"]
    lines = [
        f"scanned {data['input']} -> {data['output']}",
        f"  rows read {data['rows_read']:,}  scored {data['scored']:,}  "
        f"rejected {data['rejected']:,}  written {data['written']:,}",
        f"  risk: high {risk['high']:,}  medium {risk['medium']:,}  low {risk['low']:,}"
        + (f"  (low confidence {data['low_confidence']:,})" if data.get("low_confidence")
           else ""),
    ]
    if data["top_flags"]:
        flags = ", ".join(f"{f['id']} {f['count']:,}" for f in data["top_flags"][:6])
        lines.append(f"  top flags: {flags}")
    for kind, entry in data["rejections"].items():
        rows = ", ".join("?" if r is None else str(r) for r in entry["first_rows"])
        lines.append(f"  rejected {entry['count']:,} x {kind} (e.g. {entry['example']!r}; "
                     f"rows {rows})")
    for kind, entry in data.get("warnings", {}).items():
        rows = ", ".join("?" if r is None else str(r) for r in entry["first_rows"])
        lines.append(f"  warning: {entry['count']:,} x {kind} (e.g. {entry['example']!r}; "
                     f"rows {rows}; the rows were scored without it)")
    lines.append(f"  elapsed {data['elapsed_s']:.1f}s  {data['rows_per_s']:,.0f} rows/s  "
                 f"engine {data['engine']} jobs {data['jobs']}"
                 + (f"  resumed {data['resumed_chunks']} chunks" if data["resumed_chunks"]
                    else ""))
    return "\n".join(lines)
