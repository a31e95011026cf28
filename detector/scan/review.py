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
"""

from __future__ import annotations

import json
import math
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
    else:
        import pandas as pd

        from detector.spreadsheet import unescape_cell

        records = [{key: unescape_cell(value) for key, value in record.items()}
                   for record in pd.read_csv(path, dtype=str, keep_default_na=False)
                   .to_dict("records")]
    for record in records:
        # CSV: `flags` is a JSON string, `flag_ids` comma-joined (detector.scan.writers).
        if isinstance(record.get("flags"), str):
            record["flags"] = json.loads(record["flags"]) if record["flags"] else []
        if isinstance(record.get("flag_ids"), str):
            record["flag_ids"] = [f for f in record["flag_ids"].split(",") if f]
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


def build_queue(feed: Path, output: Path, n: int,
                feed_options: Any = None) -> list[dict[str, Any]]:
    scored = [r for r in read_output(output) if r.get("fraud_probability") is not None]
    ranked = sorted(scored, key=lambda r: teaching_value(r)[:2], reverse=True)[:n]
    postings = _postings_by_row(feed, {int(r["row"]) for r in ranked if r.get("row")},
                                feed_options)
    queue = []
    for rank, record in enumerate(ranked, start=1):
        _, _, reason = teaching_value(record)
        row = int(record["row"]) if record.get("row") else None
        queue.append({"rank": rank, "id": record.get("id"), "row": row,
                      "fraud_probability": record["fraud_probability"],
                      "model_probability": record.get("model_probability"),
                      "risk": record.get("risk"), "flag_ids": record.get("flag_ids") or [],
                      "reason": reason, "posting": postings.get(row or -1, {})})
    return queue


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
                 feed_options: Any = None) -> Path:
    """`feed_options`: the scan's --encoding/--delimiter/--map (a FeedOptions), so the
    feed is read again exactly as the scan read it. Beside a CSV OUTPUT the queue is also
    written as a spreadsheet (`csv_queue_path`)."""
    queue = build_queue(feed, output, n, feed_options)
    path = queue_path(output)
    with path.open("w", encoding="utf-8") as handle:
        for entry in queue:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    if output.suffix.lower() == ".csv":
        write_csv_queue(csv_queue_path(output), queue)
    if report is not None and report.exists():
        add_to_report(report, queue)
    return path


def queue_html(queue: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{e['rank']}</td><td>{escape(str(e['id']))}</td>"
        f"<td>{e['fraud_probability']:.3f}</td><td>{escape(str(e['risk']))}</td>"
        f"<td>{escape(e['reason'])}</td>"
        f"<td>{escape(str(e['posting'].get('title') or e['posting'].get('text') or '')[:160])}"
        "</td></tr>" for e in queue)
    return (f'<section id="review-queue"><h2>Review queue: {len(queue)} postings a '
            "moderator's decision would teach the model most</h2>"
            "<p class=\"note\">Record decisions with <code>detector labels import DECISIONS "
            "--feed FEED</code> (id,label) or POST /v1/feedback.</p>"
            "<table><thead><tr><th>#</th><th>id</th><th>probability</th><th>risk</th>"
            f"<th>why</th><th>title / text</th></tr></thead><tbody>{rows}</tbody></table>"
            "</section>")


def add_to_report(report: Path, queue: list[dict[str, Any]]) -> None:
    """Put the queue first in the scan's HTML report (right under its heading)."""
    html = report.read_text(encoding="utf-8")
    section = queue_html(queue)
    if MARKER in html:
        html = html.replace(MARKER, MARKER + "\n" + section, 1)
    else:
        html = html.replace("<body>", "<body>" + section, 1)
    report.write_text(html, encoding="utf-8")
