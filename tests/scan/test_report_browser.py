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
    # The evidence span ends inside "first": the highlight takes the whole word (issue 27).
    assert '<mark class="sign" title="upfront_fee">fee of $50 first</mark>' in html
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


def absent_flag(row: int, prob: float) -> dict:
    """A medium row whose only flag (no_company_info) has no evidence: it is an absence."""
    rec = flagged(row, prob, "medium", "Warehouse operative", "Pick and pack orders.",
                  "upfront_fee", 0, 4)
    rec["flag_ids"] = ["no_company_info"]
    rec["flags"] = [{"id": "no_company_info", "severity": "medium",
                     "title": "No company name or profile", "explanation": "e",
                     "advice": "a", "evidence": []}]
    return rec


def build_wide(tmp_path: Path) -> Path:
    """Many rows with long unbroken text, a low-risk-only flag and an evidence-less flag."""
    long_word = "https://example.invalid/" + "x" * 300
    records = [flagged(i, 0.9 - i / 100, "high", f"Data entry {long_word}",
                       f"Pay the fee first {long_word} " * 3, "upfront_fee", 8, 11)
               for i in range(1, 30)]
    records.append(absent_flag(30, 0.3))
    low = flagged(31, 0.05, "low", "Cook", "Message us on Telegram", "chat_app_contact",
                  14, 22)
    summary, top = Summary(), TopRecords()
    for rec in [*records, low]:
        summary.add(rec)
        top.add(rec)
    data = summary.as_dict(input="/very/long/path/" + "d" * 120 + "/feed.csv",
                           output="out.jsonl", model_version="1.0+abc", engine="local",
                           jobs=1, elapsed_s=1.0, rows_per_s=3.0, resumed_chunks=0)
    path = tmp_path / "wide.html"
    write_report(path, data, top)
    return path


def test_flag_filter_offers_only_what_the_table_holds(tmp_path: Path) -> None:
    html = build_wide(tmp_path).read_text(encoding="utf-8")
    flag_select = html[html.index('<select id="flag">'):]
    select = flag_select[:flag_select.index("</select>")]
    options = re.findall(r'<option value="([a-z_]+)">', select)
    assert options == ["upfront_fee", "no_company_info"]  # chat_app_contact: low rows only
    assert "chat_app_contact (they fired only on rows the table does not list)" in html
    assert "0 in table" in html and "29 in table" in html


def test_evidence_cell_of_an_absence_flag_is_not_empty(tmp_path: Path) -> None:
    html = render(Summary().as_dict(input="i", output="o", model_version="v", elapsed_s=0.0,
                                    rows_per_s=0.0), [absent_flag(1, 0.3)], 1)
    cell = re.search(r'<td data-label="evidence">(.*?)</td>', html).group(1)
    assert "no_company_info" in cell and "No company name or profile" in cell
    assert "something the posting leaves out" in cell


def test_report_fits_a_phone_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    path = build_wide(tmp_path)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(path.as_uri())
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 377, f"report is {width}px wide at 375px"
        for label in ("probability histogram", "flag counts"):
            box = page.locator(f"svg[aria-label='{label}']").bounding_box()
            assert box is not None and box["width"] > 200  # shown, scaled, not collapsed
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # nothing cut off
        options = page.locator("#flag option").all_inner_texts()
        assert options == ["all flags", "upfront_fee (29)", "no_company_info (1)"]
        for option in ("upfront_fee", "no_company_info"):
            page.select_option("#flag", option)
            assert int(page.inner_text("#shown")) > 0  # every offered flag shows rows
        evidence = page.locator("#flagged tbody tr:visible td[data-label='evidence']")
        assert "No company name or profile" in evidence.inner_text()
        page.select_option("#flag", "")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "scan_report_375px.png"), full_page=False)
        browser.close()


def test_report_model_version_is_the_verdicts(have_model: Path, tmp_path: Path,
                                              sample_frame) -> None:
    """Issue 10.15: one model version string in the report, the summary and every row."""
    import json

    from detector.scan.runner import ScanConfig, run_scan

    feed = tmp_path / "feed.csv"
    sample_frame.head(30).to_csv(feed, index=False)
    out, report = tmp_path / "out.jsonl", tmp_path / "r.html"
    summary = run_scan(ScanConfig(input=feed, output=out, model_dir=have_model, quiet=True,
                                  report=report))
    versions = {json.loads(line)["model_version"] for line in out.read_text().splitlines()}
    assert versions == {summary["model_version"]}
    html = report.read_text(encoding="utf-8")
    [shown] = re.findall(r"· model\s+(\S+) ·", html)
    assert shown == summary["model_version"]


def marks_and_text(html: str) -> tuple[list[str], str]:
    """The highlighted pieces, and the cell's text with tags and ellipses removed."""
    import html as html_lib

    marks = [html_lib.unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", html)]
    return marks, html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def test_close_highlights_show_the_text_between_once_and_whole() -> None:
    """Issue 19: spans 236-262 and 263-282 read "…Kind regards … HR d<mark>not late than
    today</mark> Kind regards …": the text between them twice, a word cut in half."""
    from detector.scan.report import highlight

    text = ("Dear candidate, thank you for applying to the remote assistant role. " * 3
            + "Please pay the onboarding fee not late than today Kind regards, HR department")
    first = text.index("pay the onboarding fee")
    spans = [(first, first + 22, "upfront_fee"),
             (first + 23, first + 42, "pressure_tactics")]  # one space apart
    html = highlight(text, spans)
    marks, plain = marks_and_text(html)
    assert marks == ["pay the onboarding fee", "not late than today"]
    assert plain.count("not late than today") == 1 and plain.count("Kind regards") == 1
    body = plain.strip("…")
    assert body in text  # one contiguous slice of the original: nothing repeated or cut
    assert not re.match(r"\w", body[0]) or text[text.index(body) - 1].isspace()


@pytest.mark.parametrize("spans", [
    [(10, 20, "a"), (15, 30, "b")],            # overlapping
    [(10, 20, "a"), (20, 30, "b")],            # touching
    [(10, 20, "a"), (10, 20, "b")],            # the same span twice
    [(40, 45, "a"), (10, 20, "b")],            # out of order
])
def test_overlapping_and_adjacent_spans_are_highlighted_once(spans) -> None:  # type: ignore[no-untyped-def]
    from detector.scan.report import highlight

    text = "".join(chr(ord("a") + i % 26) for i in range(60))
    marks, plain = marks_and_text(highlight(text, spans))
    assert plain == text  # short text: all of it, once
    covered = sorted({i for s, e, _ in spans for i in range(s, e)})
    assert "".join(marks) == "".join(text[i] for i in covered)


def test_repeated_links_each_highlighted_once() -> None:
    from detector.scan.report import MAX_SNIPPET, highlight

    link = "wa.me/8613800138000"
    text = " ".join(f"Step {i}: message {link} now." for i in range(40))
    spans = [(m.start(), m.end(), "off_platform_contact") for m in re.finditer(
        re.escape(link), text)]
    html = highlight(text, spans)
    marks, plain = marks_and_text(html)
    assert set(marks) == {link} and 0 < len(marks) <= len(spans)
    for piece in plain.split("…"):
        assert piece in text  # every shown stretch is a slice of the original, in one piece
    assert plain.count(link) == len(marks)
    assert len(plain) < MAX_SNIPPET + 4 * 80 + 100  # capped, as in a 100k-row report


def test_report_has_a_viewport_and_no_horizontal_scroll_on_a_phone(tmp_path: Path) -> None:
    """Issue 19: without a viewport meta a phone lays the page out 980 px wide (Chromium
    in mobile mode, which honours the meta as phones do)."""
    html = build_wide(tmp_path).read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        context = browser.new_context(viewport={"width": 375, "height": 800},
                                      is_mobile=True, has_touch=True, device_scale_factor=2)
        page = context.new_page()
        page.goto((tmp_path / "wide.html").as_uri())
        assert page.evaluate("window.innerWidth") == 375  # the layout viewport is the phone's
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll <= 375, f"scrolls sideways: {scroll}px"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "scan_report_phone.png"))
        browser.close()
