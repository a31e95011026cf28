"""The HTML report in headless Chromium: self-contained, sortable, filterable, and inert
against hostile posting text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detector.scan.chunks import FIELDS_KEY
from detector.scan.report import TopRecords, json_for_script, render, write_report
from detector.scan.summary import Summary

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
HOSTILE_TITLE = ('<script>window.__pwned = 1</script>Data entry '
                 '<img src=x onerror="window.__pwned=2">')
HOSTILE_DESC = "Pay the </script><script>window.__pwned=3</script> fee of $50 first."


def flagged(row: int, prob: float, risk: str, title: str, desc: str, flag: str,
            start: int, end: int) -> dict:
    return {
        "row": row, "id": f"p{row}", "fraud_probability": prob, "risk": risk,
        "language": "en", "model_version": "v", "model_probability": prob,
        "flag_ids": [flag], "error": None,
        "flags": [{"id": flag, "severity": "high", "title": "t", "explanation": "e",
                   "advice": "a", "evidence": [{"field": "description", "start": start,
                                                "end": end, "text": desc[start:end]}]}],
        FIELDS_KEY: {"title": title, "description": desc},
    }


def build(tmp_path: Path) -> Path:
    records = [
        flagged(1, 0.97, "high", HOSTILE_TITLE, HOSTILE_DESC, "upfront_fee",
                HOSTILE_DESC.index("fee"), HOSTILE_DESC.index("fee") + 14),
        flagged(2, 0.40, "medium", "Telegram recruiter", "Contact us on Telegram now",
                "chat_app_contact", 14, 22),
        flagged(3, 0.75, "high", "Easy money", "Earn $900 a day from home", "unrealistic_pay",
                5, 17),
    ]
    summary = Summary()
    for rec in records:
        summary.add(rec)
    summary.add({"row": 4, "error": "malformed JSON: <script>alert(1)</script>"})
    top = TopRecords()
    for rec in records:
        top.add(rec)
    data = summary.as_dict(input="feed<x>.jsonl", output="out.jsonl", model_version="v",
                           engine="local", jobs=1, elapsed_s=1.0, rows_per_s=3.0,
                           resumed_chunks=0)
    path = tmp_path / "report.html"
    write_report(path, data, top)
    return path


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    html = build(tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "<mark title=\"upfront_fee\">fee of $50 fir</mark>" in html
    assert html.count("<script") == 2  # the JSON data block and the table script only
    assert "</script>" not in json_for_script({"x": "</script><!--"})


def test_report_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    path = build(tmp_path)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        assert page.evaluate("window.__pwned") is None and not dialogs
        assert all(url.startswith("file:") for url in requests)
        assert page.locator("#flagged tbody tr").count() == 3
        assert page.locator("#flagged tbody tr mark").count() == 3
        assert HOSTILE_TITLE in page.locator("#flagged tbody").inner_text()

        def column(i: int) -> list[str]:
            return page.locator(f"#flagged tbody tr td:nth-child({i})").all_inner_texts()

        assert column(3) == ["0.970", "0.750", "0.400"]
        page.click("#flagged th:nth-child(3)")  # probability ascending
        assert column(3) == ["0.400", "0.750", "0.970"]
        page.click("#flagged th:nth-child(3)")
        assert column(3) == ["0.970", "0.750", "0.400"]
        page.click("#flagged th:nth-child(1)")
        assert column(1) == ["1", "2", "3"]

        page.select_option("#risk", "medium")
        assert page.locator("#flagged tbody tr:visible").count() == 1
        assert page.inner_text("#shown") == "1"
        page.select_option("#risk", "")
        page.fill("#q", "telegram")
        assert page.locator("#flagged tbody tr:visible").count() == 1
        page.fill("#q", "")
        page.select_option("#flag", "unrealistic_pay")
        assert page.locator("#flagged tbody tr:visible td:nth-child(1)").all_inner_texts() == [
            "3"]
        page.select_option("#flag", "")
        assert page.locator("svg[aria-label='probability histogram'] rect").count() == 20
        assert page.evaluate("window.__pwned") is None and not dialogs
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "scan_report.png"), full_page=True)
        browser.close()


def test_render_caps_rows() -> None:
    top = TopRecords(limit=2)
    for i in range(5):
        top.add(flagged(i, i / 10, "medium", "t", "desc text", "f", 0, 4))
    assert [r["row"] for r in top.sorted()] == [4, 3]
    summary = Summary().as_dict(input="i", output="o", model_version="v", elapsed_s=0.0,
                                rows_per_s=0.0)
    assert "top 2 of 5" in render(summary, top.sorted(), top.seen)
