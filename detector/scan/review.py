"""The review queue of `detector scan FEED -o OUT --review N`: the N postings a moderator's
decision would teach the model most, written to OUT.review.jsonl (and shown first in the
HTML report).

Teaching value, in order:
1. the model and the red flags disagree: a medium/high flag fired but the model alone
   scores below `medium`, or the model scores `high` with no flag at all;
2. then, the model's probability nearest a tier threshold (distance in log-odds), where a
   label moves the decision most.
Each entry carries the posting's fields (joined from the feed by row) and why it was picked;
its `id` is what `detector labels import DECISIONS --feed FEED` joins on.

What is already known is left out, so a moderator's time goes to what is not: a posting
with a trusted decision in the label store (the same content), and a near-duplicate of a
decided posting, scam or legit (campaign memory: the store's fingerprints and the corpus's
known scams). The queue says how many it left out, and why (`LeftOut`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from detector.verdict import HIGH_AT, MEDIUM_AT

MARKER = "<h1>Scan report</h1>"


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def teaching_value(record: dict[str, Any]) -> tuple[int, float, str]:
    """(disagreement 0/1, -distance to the nearest threshold, reason); larger teaches more."""
    model = record.get("model_probability")
    model = float(model) if model is not None else float(record["fraud_probability"])
    flags = record.get("flags") or []
    strong = [f["id"] for f in flags if f.get("severity") in ("medium", "high")]
    distance = min(abs(_logit(model) - _logit(t)) for t in (MEDIUM_AT, HIGH_AT))
    if strong and model < MEDIUM_AT:
        return 1, -distance, (f"red flags ({', '.join(strong)}) but the model alone says "
                              f"{model:.0%}")
    if model >= HIGH_AT and not flags:
        return 1, -distance, f"the model says {model:.0%} but no red flag fired"
    nearest = min((MEDIUM_AT, HIGH_AT), key=lambda t: abs(_logit(model) - _logit(t)))
    return 0, -distance, f"model probability {model:.0%}, near the {nearest:.0%} threshold"


def read_output(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        records = pq.read_table(path).to_pylist()
    elif suffix == ".xlsx":  # every sheet: past Excel's row limit the verdicts go on
        import pandas as pd

        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
        records = [r for frame in sheets.values() for r in frame.to_dict("records")]
    else:
        import pandas as pd

        records = pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
    if suffix in (".xlsx", ".csv"):
        from detector.spreadsheet import unescape_cell

        records = [{k: unescape_cell(v) for k, v in r.items()} for r in records]
    for record in records:
        if isinstance(record.get("flags"), str):
            record["flags"] = json.loads(record["flags"]) if record["flags"] else []
        ids = record.get("flag_ids")
        if isinstance(ids, str):  # comma-joined in CSV and XLSX (a JSON list elsewhere)
            record["flag_ids"] = (json.loads(ids) if ids.startswith("[")
                                  else [i for i in ids.split(",") if i])
        for key in ("fraud_probability", "model_probability", "row"):
            value = record.get(key)
            if isinstance(value, str):
                record[key] = float(value) if value else None
    return records


def _postings_by_row(feed: Path, rows: set[int],
                     options: Any = None) -> dict[int, dict[str, Any]]:
    from detector.feeds.readers import read_feed

    out: dict[int, dict[str, Any]] = {}
    for chunk in read_feed(feed, 5000, options):
        for raw in chunk:
            if raw.row in rows and raw.data is not None:
                out[raw.row] = raw.data
    return out


#: Why a posting was left out of the queue, as the queue says it.
DECIDED = "already decided (a trusted decision on the same posting)"
NEAR_SCAM = "near-duplicate of a decided scam"
NEAR_LEGIT = "near-duplicate of a posting decided legit"


@dataclass
class LeftOut:
    """How many postings the queue left out, by reason (and their rows, the first few)."""

    counts: Counter[str] = field(default_factory=Counter)
    rows: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, row: int | None) -> None:
        self.counts[reason] += 1
        if row is not None and len(self.rows.setdefault(reason, [])) < 10:
            self.rows[reason].append(row)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        if not self.total:
            return "left out: none (no posting of the feed is decided or near a decided one)"
        parts = [f"{reason}: {n:,}" for reason, n in self.counts.most_common()]
        return f"left out {self.total:,} already known: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_reason": dict(self.counts), "first_rows": self.rows}


class Known:
    """What the label store and campaign memory know: decided postings and their reposts.

    `memory` and `store` default to the environment's (DETECTOR_LABEL_DB,
    DETECTOR_CAMPAIGNS), the same the scan's verdicts used; a missing SQLite store is not
    created."""

    def __init__(self, memory: Any = None, store: Any = None) -> None:
        from detector.settings import Settings

        settings = Settings.from_env()
        if memory is None:
            from detector.campaigns.memory import memory_for

            memory = memory_for(settings)
        if store is None:
            store = _existing_store(settings.label_db)
        self.memory = memory
        self.store = store

    def reasons(self, postings: list[dict[str, Any]]) -> list[str | None]:
        """Per posting (fields as read from the feed): why it is already known, or None."""
        from detector.labels.decisions import content_hash
        from detector.schema import parse_posting

        parsed = [parse_posting(p, strict=False) for p in postings]
        decided: dict[str, str] = {}
        if self.store is not None:
            decided = self.store.trusted_labels([content_hash(p) for p in parsed])
        found = self.memory.lookup(parsed)
        out: list[str | None] = []
        for posting, known in zip(parsed, found, strict=True):
            if content_hash(posting) in decided:
                out.append(DECIDED)
            elif known.hit is not None:
                out.append(NEAR_SCAM)
            elif known.notes:
                out.append(NEAR_LEGIT)
            else:
                out.append(None)
        return out


def _existing_store(location: str) -> Any:
    from detector.labels.store import LabelStore, database_url

    url = database_url(location)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    return LabelStore(location)


def build_queue(feed: Path, output: Path, n: int, feed_options: Any = None,
                known: Known | None = None) -> tuple[list[dict[str, Any]], LeftOut]:
    """The N most teaching postings not already known, and what was left out. Candidates
    are read from the feed in batches (a few times N), so a long run of known postings at
    the top costs another pass over the feed, not a queue of known postings."""
    scored = [r for r in read_output(output) if r.get("fraud_probability") is not None]
    ranked = sorted(scored, key=lambda r: teaching_value(r)[:2], reverse=True)
    known = known or Known()
    left_out = LeftOut()
    kept: list[tuple[dict[str, Any], dict[str, Any]]] = []
    at = 0
    while len(kept) < n and at < len(ranked):
        batch = ranked[at:at + max(3 * (n - len(kept)), 50)]
        at += len(batch)
        rows = {int(r["row"]) for r in batch if r.get("row")}
        postings = _postings_by_row(feed, rows, feed_options)
        have = [r for r in batch if postings.get(int(r["row"]) if r.get("row") else -1)]
        reasons = dict(zip((id(r) for r in have),
                           known.reasons([postings[int(r["row"])] for r in have]),
                           strict=True))
        for record in batch:
            row = int(record["row"]) if record.get("row") else None
            reason = reasons.get(id(record))
            if reason is not None:
                left_out.add(reason, row)
            elif len(kept) < n:
                kept.append((record, postings.get(row or -1, {})))
    queue = []
    for rank, (record, posting) in enumerate(kept, start=1):
        _, _, reason = teaching_value(record)
        row = int(record["row"]) if record.get("row") else None
        queue.append({"rank": rank, "id": record.get("id"), "row": row,
                      "fraud_probability": record["fraud_probability"],
                      "model_probability": record.get("model_probability"),
                      "risk": record.get("risk"), "flag_ids": record.get("flag_ids") or [],
                      "reason": reason, "posting": posting})
    return queue, left_out


def queue_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.review.jsonl")


def csv_queue_path(output: Path) -> Path:
    """The queue as a spreadsheet, beside a CSV OUTPUT: `out.csv` -> `out.review.csv`."""
    return output.with_name(f"{output.stem}.review.csv")


#: Columns of the spreadsheet queue before the posting's fields; `label` and `note` are left
#: empty for the moderator (`detector labels import out.review.csv --feed FEED`).
CSV_COLUMNS = ("rank", "id", "row", "risk", "fraud_probability", "model_probability",
               "flag_ids", "reason", "label", "note")


def write_csv_queue(path: Path, queue: list[dict[str, Any]]) -> None:
    """The queue with the posting's fields as columns, every cell spreadsheet-safe (a
    posting that starts with "=" is not a formula when the moderator opens it)."""
    import csv

    from detector.schema import ALL_FIELDS
    from detector.spreadsheet import escape_cell

    fields = [name for name in ALL_FIELDS if name != "id"
              and any(name in entry["posting"] for entry in queue)]
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CSV_COLUMNS, *fields])
        for entry in queue:
            row = {**entry, "flag_ids": ",".join(entry.get("flag_ids") or [])}
            cells = [row.get(name) for name in CSV_COLUMNS]
            cells += [entry["posting"].get(name) for name in fields]
            writer.writerow(["" if cell is None else escape_cell(cell) for cell in cells])
    tmp.replace(path)


def write_review(feed: Path, output: Path, n: int, report: Path | None = None,
                 feed_options: Any = None, known: Known | None = None
                 ) -> tuple[Path, LeftOut]:
    """`feed_options`: the scan's --encoding/--delimiter/--map (a FeedOptions), so the
    feed is read again exactly as the scan read it. Beside a CSV OUTPUT the queue is also
    written as a spreadsheet (`csv_queue_path`)."""
    queue, left_out = build_queue(feed, output, n, feed_options, known)
    path = queue_path(output)
    with path.open("w", encoding="utf-8") as handle:
        for entry in queue:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    if output.suffix.lower() == ".csv":
        write_csv_queue(csv_queue_path(output), queue)
    if report is not None and report.exists():
        add_to_report(report, queue, left_out)
    return path, left_out


def queue_html(queue: list[dict[str, Any]], left_out: LeftOut | None = None) -> str:
    rows = "".join(
        f'<tr><td data-label="#">{e["rank"]}</td>'
        f'<td data-label="id">{escape(str(e["id"]))}</td>'
        f'<td data-label="probability">{e["fraud_probability"]:.3f}</td>'
        f'<td data-label="risk">{escape(str(e["risk"]))}</td>'
        f'<td data-label="why">{escape(e["reason"])}</td>'
        f'<td data-label="title / text">'
        f"{escape(str(e['posting'].get('title') or e['posting'].get('text') or '')[:160])}"
        "</td></tr>" for e in queue)
    note = (f'<p class="note" id="left-out">{escape(left_out.describe())}.</p>'
            if left_out is not None else "")
    return (f'<section id="review-queue"><h2>Review queue: {len(queue)} postings a '
            "moderator's decision would teach the model most</h2>"
            "<p class=\"note\">Record decisions with <code>detector labels import DECISIONS "
            f"--feed FEED</code> (id,label) or POST /v1/feedback.</p>{note}"
            '<table class="stack"><thead><tr><th>#</th><th>id</th><th>probability</th>'
            f"<th>risk</th><th>why</th><th>title / text</th></tr></thead><tbody>{rows}</tbody>"
            "</table></section>")


def add_to_report(report: Path, queue: list[dict[str, Any]],
                  left_out: LeftOut | None = None) -> None:
    """Put the queue first in the scan's HTML report (right under its heading)."""
    html = report.read_text(encoding="utf-8")
    section = queue_html(queue, left_out)
    if MARKER in html:
        html = html.replace(MARKER, MARKER + "\n" + section, 1)
    else:
        html = html.replace("<body>", "<body>" + section, 1)
    report.write_text(html, encoding="utf-8")
