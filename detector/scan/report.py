"""A self-contained HTML report of a scan: summary, charts (inline SVG) and a sortable,
filterable table of the riskiest postings with their evidence highlighted.

Everything is inline (no external CSS, JS, fonts or images), so the file can be mailed or
archived. Posting text is untrusted: every piece is HTML-escaped, evidence is highlighted
by slicing the original field text at the evidence offsets and escaping each slice, and the
embedded JSON escapes `<`, `>` and `&` so it cannot close its `<script>` element.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from detector.scan.chunks import FIELDS_KEY

MAX_ROWS = 2000
CONTEXT = 80
#: Said next to a flag with no text to highlight: it fires on what a posting lacks.
ABSENT = "nothing to highlight: this flag is about something the posting leaves out"
MAX_SNIPPET = 1200


class TopRecords:
    """The `limit` highest-probability flagged records seen so far (a min-heap)."""

    def __init__(self, limit: int = MAX_ROWS) -> None:
        self.limit = limit
        self.heap: list[tuple[float, int, dict[str, Any]]] = []
        self.seen = 0

    def add(self, record: dict[str, Any]) -> None:
        if FIELDS_KEY not in record or record.get("risk") not in ("medium", "high"):
            return
        self.seen += 1
        item = (float(record["fraud_probability"]), -self.seen, record)
        if len(self.heap) < self.limit:
            heapq.heappush(self.heap, item)
        elif item[:2] > self.heap[0][:2]:
            heapq.heapreplace(self.heap, item)

    def sorted(self) -> list[dict[str, Any]]:
        return [item[2] for item in sorted(self.heap, key=lambda it: it[:2], reverse=True)]


def json_for_script(value: Any) -> str:
    """JSON safe inside <script>: no `</script>`, `<!--` or `&` can appear literally."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _kind(label: str) -> str:
    return "model-word" if label == MODEL_WORDS else "sign"


def _merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping or touching spans of one kind become one highlight, titled with every
    flag in it; a model word overlapping a warning sign is left out (the sign is shown)."""
    merged: list[tuple[int, int, str]] = []
    signs = [(s, e) for s, e, label in spans if _kind(label) == "sign"]
    for start, end, label in sorted(spans):
        if _kind(label) != "sign" and any(s < end and start < e for s, e in signs):
            continue
        if merged and start <= merged[-1][1] and _kind(label) == _kind(merged[-1][2]):
            prev = merged[-1]
            labels = prev[2] if label in prev[2].split(", ") else f"{prev[2]}, {label}"
            merged[-1] = (prev[0], max(prev[1], end), labels)
        elif merged and start < merged[-1][1]:
            continue  # overlaps a mark of the other kind: never nested
        else:
            merged.append((start, end, label))
    return merged


def _word_edge(text: str, at: int, forward: bool) -> int:
    """Move a context edge off the middle of a word: to the nearest space within 15
    characters (text without spaces, such as Chinese, is cut where it is)."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return at
    window = range(at, min(len(text), at + 15)) if forward else range(at, max(0, at - 15), -1)
    for i in window:
        if text[i].isspace():
            return i + 1 if forward else i
    return at


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escaped snippets of `text` around the spans, each span once in <mark>.

    Each highlight gets CONTEXT characters either side, moved to a word edge; windows that
    overlap or touch are joined, so text between two close highlights is shown once, whole
    (issue 19: it was repeated, with a word cut in half). An ellipsis stands for each gap."""
    valid = [(s, e, lab) for s, e, lab in spans if 0 <= s < e <= len(text)]
    windows: list[list] = []  # [start, end, [marks]]
    for start, end, label in _merge_spans(valid):
        lo = _word_edge(text, max(0, start - CONTEXT), forward=True)
        hi = _word_edge(text, min(len(text), end + CONTEXT), forward=False)
        lo, hi = min(lo, start), max(hi, end)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
            windows[-1][2].append((start, end, label))
        else:
            windows.append([lo, hi, [(start, end, label)]])
    pieces: list[str] = []
    size = cursor = 0
    for lo, hi, marks in windows:
        if size > MAX_SNIPPET:
            break
        if lo > cursor or (not pieces and lo > 0):
            pieces.append("…")
        at = lo
        for start, end, label in marks:
            if size + start - at > MAX_SNIPPET and at > lo:
                # Long enough (a 100k-row report holds 2,000 of these cells): end here.
                # Its context stops short of the next highlight (never shown unmarked).
                hi = max(at, min(start, _word_edge(text, min(len(text), at + CONTEXT),
                                                   forward=False)))
                size = MAX_SNIPPET + 1
                break
            pieces.append(escape(text[at:start]))
            pieces.append(f'<mark class="{_kind(label)}" title="{escape(label)}">'
                          f"{escape(text[start:end])}</mark>")
            size += end - at
            at = end
        pieces.append(escape(text[at:hi]))
        size += hi - at
        cursor = hi
    if pieces and cursor < len(text):
        pieces.append("…")
    return "".join(pieces)


#: The label of a highlight the text model weighed (what it weighed, not proof).
MODEL_WORDS = "words the text model weighed"


def evidence_html(record: dict[str, Any]) -> str:
    """Highlighted snippets per field, then one line per flag that has no evidence text
    (e.g. `no_company_info`: what it points at is an absence, so the cell says so).

    What is marked follows the page (`detector.model.marking.marks`): warning signs, then the words
    that raised the text model's estimate, on word edges, never a phrase denying a fee."""
    from detector.model.marking import marks

    fields: dict[str, str] = record.get(FIELDS_KEY) or {}
    flag_spans = []
    absent = []
    for flag in record.get("flags") or []:
        evidence = flag.get("evidence") or []
        flag_spans.extend((flag["id"], ev["field"], ev["start"], ev["end"]) for ev in evidence)
        if not evidence:
            absent.append(flag)
    terms = [(t["field"], t["start"], t["end"], t["weight"])
             for t in record.get("model_evidence") or []]
    found = marks(fields, flag_spans, terms, record.get("risk") != "low")
    out = []
    for name in fields:
        if name not in found:
            continue
        body = highlight(fields[name], [(m.start, m.end, m.flag or MODEL_WORDS)
                                        for m in found[name]])
        if body:
            out.append(f'<div class="ev"><b>{escape(name)}</b>: {body}</div>')
    for flag in absent:
        title = flag.get("title") or flag["id"]
        out.append(f'<div class="ev absent"><b>{escape(flag["id"])}</b>: {escape(title)} '
                   f"<i>({ABSENT})</i></div>")
    return "".join(out)


def _row_html(record: dict[str, Any]) -> str:
    fields = record.get(FIELDS_KEY) or {}
    title = fields.get("title") or fields.get("text", "")[:120]
    prob = float(record["fraud_probability"])
    flags = " ".join(f'<span class="flag">{escape(f)}</span>' for f in record["flag_ids"])
    flag_attr = escape(" ".join(record["flag_ids"]))
    return (
        f'<tr data-risk="{escape(record["risk"])}" data-flags="{flag_attr}">'
        f'<td data-label="row" data-v="{record.get("row") or 0}">'
        f'{escape(str(record.get("row")))}</td>'
        f'<td data-label="id">{escape(str(record.get("id")))}</td>'
        f'<td data-label="probability" data-v="{prob}">{prob:.3f}</td>'
        f'<td data-label="risk" class="r-{escape(record["risk"])}">'
        f'{escape(record["risk"])}</td>'
        f'<td data-label="lang">{escape(record.get("language") or "")}</td>'
        f'<td data-label="flags">{flags}</td>'
        f'<td data-label="title">{escape(title)}</td>'
        f'<td data-label="evidence">{evidence_html(record)}</td></tr>'
    )


def histogram_svg(counts: list[int], width: int = 520, height: int = 180) -> str:
    top = max(counts) or 1
    bar = width / len(counts)
    bars = []
    for i, count in enumerate(counts):
        h = (height - 30) * count / top
        bars.append(
            f'<rect x="{i * bar + 1:.1f}" y="{height - 20 - h:.1f}" width="{bar - 2:.1f}" '
            f'height="{h:.1f}" class="{"hi" if i >= 10 else "lo"}"><title>'
            f"{i * 0.05:.2f}–{(i + 1) * 0.05:.2f}: {count:,}</title></rect>"
        )
    labels = "".join(
        f'<text x="{min(i * bar * 4, width - 18):.0f}" y="{height - 5}">{i * 0.2:.1f}</text>'
        for i in range(6)
    )
    return (f'<svg role="img" aria-label="probability histogram" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">{"".join(bars)}{labels}</svg>')


def flags_svg(top_flags: list[dict[str, Any]], in_table: Counter[str],
              width: int = 520) -> str:
    """Flag counts over every scored row; each bar also says how many rows of the table
    below carry the flag, so a flag that fired only on low-risk rows is plain to see."""
    if not top_flags:
        return "<p>No flags fired.</p>"
    top = max(f["count"] for f in top_flags) or 1
    rows = []
    for i, flag in enumerate(top_flags):
        w = (width - 320) * flag["count"] / top
        y = i * 22
        shown = in_table.get(flag["id"], 0)
        rows.append(
            f'<text x="0" y="{y + 15}">{escape(flag["id"])}</text>'
            f'<rect x="170" y="{y + 3}" width="{w:.1f}" height="16" class="hi"></rect>'
            f'<text x="{175 + w:.1f}" y="{y + 15}">{flag["count"]:,} · {shown:,} in table'
            "</text>"
        )
    height = 22 * len(top_flags)
    return (f'<svg role="img" aria-label="flag counts" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(rows)}</svg>')


CSS = """body{font:14px system-ui,sans-serif;margin:1.5em;color:#222;overflow-wrap:break-word}
h1{font-size:1.4em}svg{max-width:100%;height:auto}.charts>div{flex:1 1 320px;min-width:0;
max-width:540px}#q{max-width:100%}.ev.absent{color:#555}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;
padding:.6em 1em}.card b{display:block;font-size:1.3em}svg text{font-size:11px}
rect.lo{fill:#7aa6d8}rect.hi{fill:#d8707a}table{border-collapse:collapse;width:100%;
margin-top:1em}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;
vertical-align:top}th{cursor:pointer;background:#f5f5f5;position:sticky;top:0;
white-space:nowrap}td[data-label=id],td[data-label=title],td[data-label=evidence],
td[data-label="title / text"]{overflow-wrap:anywhere}td[data-label=row],td[data-label=risk],
td[data-label=probability],td[data-label=lang],td[data-label="#"]{white-space:nowrap}
th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}.r-high{color:#b00;font-weight:bold}
.r-medium{color:#b60}mark{color:#222;padding:0 .1em;border-radius:3px;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.sign{background:#ffe066;border-bottom:3px solid #b00020}
mark.sign::before{content:"\\26A0\\FE0E\\00A0";content:"\\26A0\\FE0E\\00A0" / "";
color:#b00020;font-size:.85em}
mark.model-word{background:transparent;border:2px dashed #1f5fa8;border-radius:4px}
mark.model-word::before{content:"\\25C7\\00A0";content:"\\25C7\\00A0" / "";
color:#1f5fa8;font-size:.85em}
.legend{border:1px solid #ddd;border-radius:6px;padding:.4em .8em;margin:.6em 0}
.legend li{margin:.3em 0}.legend ul{margin:.2em 0;padding-left:0;list-style:none}
.flag{background:#eee;border-radius:3px;
padding:0 3px;margin-right:2px;font-size:12px;white-space:nowrap}.ev{font-size:12px;max-width:50em}
.charts{display:flex;gap:2em;flex-wrap:wrap}.note{color:#666}
@media (max-width:700px){body{margin:.8em}table.stack,table.stack thead,table.stack tbody,
table.stack tr,table.stack td{display:block}table.stack thead tr{display:flex;flex-wrap:wrap;
gap:4px}table.stack th{position:static;border:1px solid #ddd;border-radius:4px}
table.stack tbody tr{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.3em .5em}
#review-queue table.stack thead{display:none}
table.stack td{border:0;padding:2px 0;white-space:normal}table.stack td::before{
content:attr(data-label) ": ";color:#666}.ev{max-width:none}}"""

#: What the two kinds of marks mean, in both languages (the report has no language switch).
LEGEND = (
    '<div class="legend" id="legend" role="note"><b>Marks · 标记说明</b><ul>'
    '<li data-kind="sign"><mark class="sign">words</mark> Warning sign: a red-flag rule '
    "matched these words (solid underline, ⚠) · "
    "可疑之处：这些词触发了诈骗识别规则（实线下划线，⚠）</li>"
    '<li data-kind="model"><mark class="model-word">words</mark> Word the text model '
    "weighed: it raised the model's estimate; not proof (dashed outline, ◇) · "
    "模型看重的词：它们使文字模型的估计升高，不是证据（虚线框，◇）</li></ul></div>"
)

#: No network at all: the report only uses its own inline style and script.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")

JS = """(function(){var t=document.getElementById('flagged');if(!t)return;
var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
function val(r,i){var c=r.cells[i];var v=c.getAttribute('data-v');
return v===null?c.textContent.toLowerCase():parseFloat(v);}
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',
function(){var asc=!th.classList.contains('asc');Array.prototype.forEach.call(
t.tHead.rows[0].cells,function(h){h.classList.remove('asc','desc');});
th.classList.add(asc?'asc':'desc');rows.sort(function(a,b){var x=val(a,i),y=val(b,i);
return (x<y?-1:x>y?1:0)*(asc?1:-1);});rows.forEach(function(r){tb.appendChild(r);});});});
var q=document.getElementById('q'),risk=document.getElementById('risk'),
fl=document.getElementById('flag'),cnt=document.getElementById('shown');
function apply(){var s=q.value.toLowerCase(),rk=risk.value,f=fl.value,n=0;
rows.forEach(function(r){var ok=(!rk||r.getAttribute('data-risk')===rk)&&
(!f||(' '+r.getAttribute('data-flags')+' ').indexOf(' '+f+' ')>=0)&&
(!s||r.textContent.toLowerCase().indexOf(s)>=0);r.style.display=ok?'':'none';if(ok)n++;});
cnt.textContent=n;}
q.addEventListener('input',apply);risk.addEventListener('change',apply);
fl.addEventListener('change',apply);apply();})();"""


def _feed_html(feed: dict[str, Any] | None) -> str:
    """How the feed was read (encoding, separator, renamed columns): a wrong guess shows."""
    if not feed:
        return ""
    parts = []
    if feed.get("encoding"):
        parts.append(f"encoding {feed['encoding']} ({feed.get('encoding_how')})")
    if feed.get("delimiter"):
        parts.append(f"separator {feed['delimiter']!r}")
    renamed = (feed.get("columns") or {}).get("renamed") or {}
    if renamed:
        parts.append("columns " + ", ".join(f"{k} → {v}" for k, v in renamed.items()))
    return f'<p class="note">Read as: {escape("; ".join(parts))}</p>' if parts else ""


def render(summary: dict[str, Any], records: list[dict[str, Any]], seen: int) -> str:
    risk = summary["risk"]
    cards = [("rows read", summary["rows_read"]), ("scored", summary["scored"]),
             ("rejected", summary["rejected"]), ("high", risk["high"]),
             ("medium", risk["medium"]), ("low", risk["low"])]
    cards_html = "".join(f'<div class="card">{escape(k)}<b>{v:,}</b></div>' for k, v in cards)
    in_table = Counter(flag for record in records for flag in record["flag_ids"])
    options = "".join(f'<option value="{escape(flag)}">{escape(flag)} ({count:,})</option>'
                      for flag, count in in_table.most_common())
    missing = [f["id"] for f in summary["top_flags"] if not in_table.get(f["id"])]
    why = ("The table lists medium- and high-risk postings only"
           + (f" (the top {len(records):,} by probability)" if seen > len(records) else "")
           + "; the flag filter offers the flags those rows carry.")
    if missing:
        why += (" Not in the table, so not in the filter: " + ", ".join(missing)
                + " (they fired only on rows the table does not list).")
    rejections = "".join(
        f"<li>{entry['count']:,} × {escape(kind)} — e.g. {escape(str(entry['example']))} "
        f"(rows {escape(', '.join(str(r) for r in entry['first_rows']))})</li>"
        for kind, entry in summary["rejections"].items())
    capped = (f"showing the top {len(records):,} of {seen:,} flagged postings by probability"
              if seen > len(records) else f"{len(records):,} flagged postings")
    rows = "".join(_row_html(r) for r in records)
    histogram = histogram_svg(summary["probability_histogram"]["counts"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Scan report — {escape(str(summary["input"]))}</title><style>{CSS}</style></head><body>
<h1>Scan report</h1>
<p>{escape(str(summary["input"]))} → {escape(str(summary["output"]))} · model
{escape(str(summary["model_version"]))} · {summary["elapsed_s"]:.1f}s ·
{summary["rows_per_s"]:,.0f} rows/s</p>
{_feed_html(summary.get("feed"))}
<div class="cards">{cards_html}</div>
{f"<h2>Rejected rows</h2><ul>{rejections}</ul>" if rejections else ""}
<div class="charts"><div><h2>Fraud probability</h2>{histogram}</div>
<div><h2>Flags (all scored rows)</h2>{flags_svg(summary["top_flags"], in_table)}</div></div>
<h2>Flagged postings (medium and high risk)</h2>
<p class="note">{escape(capped)}. Click a column header to sort.</p>
<p class="note" id="flag-note">{escape(why)}</p>
<p><input id="q" type="search" placeholder="filter text…">
<select id="risk"><option value="">all risks</option><option value="high">high</option>
<option value="medium">medium</option></select>
<select id="flag"><option value="">all flags</option>{options}</select>
shown: <span id="shown">{len(records)}</span></p>
{LEGEND}
<table id="flagged" class="stack"><thead><tr><th>row</th><th>id</th><th>probability</th>
<th>risk</th><th>lang</th><th>flags</th><th>title</th><th>evidence</th></tr></thead>
<tbody>{rows}</tbody></table>
<script type="application/json" id="summary-data">{json_for_script(summary)}</script>
<script>{JS}</script></body></html>
"""


def write_report(path: Path, summary: dict[str, Any], top: TopRecords) -> None:
    import os

    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(render(summary, top.sorted(), top.seen), encoding="utf-8")
    os.replace(tmp, path)
