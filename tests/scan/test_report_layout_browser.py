"""Issue 27 item 5 and floor: the scan report of a real scan (shipped model, real postings
of labeled_posts' test split, English and Chinese, with its review queue), in headless
Chromium at 1280 and 375 px: readable (rows stacked as cards on a phone, no sideways
scroll), no word broken mid-word, highlights on word edges, and the two kinds of marks told
apart by more than colour with a legend naming both. Screenshots:
test-artifacts/screenshots/report_{375,1280}.png (docs/screenshots/ holds copies)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from detector.model.marking import segment
from detector.schema import ALL_FIELDS
from tests.scan.conftest import ROOT

SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

#: Latin words (letters and digits) rendered on more than one line although the cell is
#: wide enough for them; and every mark with the text just before and after it.
BROKEN_WORDS = """() => {
  const bad = [], re = /[A-Za-z0-9]+/g;
  for (const cell of document.querySelectorAll('table th, table td')) {
    if (cell.offsetParent === null) continue;
    const room = cell.getBoundingClientRect().width;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      let m; re.lastIndex = 0;
      while ((m = re.exec(node.data))) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const rects = Array.from(r.getClientRects()).filter(x => x.width > 0.5);
        const lines = new Set(rects.map(x => Math.round(x.top)));
        const width = rects.reduce((a, x) => a + x.width, 0);
        if (lines.size > 1 && width < room - 16)
          bad.push([m[0], cell.getAttribute('data-label') || cell.tagName, room]);
      }
    }
  }
  return bad.slice(0, 20);
}"""
MARK_CONTEXT = """() => Array.from(document.querySelectorAll('#flagged td mark')).map(m => {
  const before = m.previousSibling ? m.previousSibling.textContent : '';
  const after = m.nextSibling ? m.nextSibling.textContent : '';
  return [before, m.textContent, after, m.className]; })"""
STYLE = """el => { const s = getComputedStyle(el), b = getComputedStyle(el, '::before');
  return [s.borderTopStyle, s.borderBottomStyle, b.content]; }"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real scan of 120 real postings with its review queue."""
    from detector.scan.review import write_review
    from detector.scan.runner import ScanConfig, run_scan
    from detector.settings import Settings

    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False)
    test = corpus[corpus["split"] == "test"]
    parts = [test[(test["language"] == lang) & (test["label"] == label)]
             .sample(n, random_state=27)
             for lang in ("en", "zh") for label, n in (("1", 30), ("0", 30))]
    frame = pd.concat(parts).sample(frac=1, random_state=27).reset_index(drop=True)
    frame = frame[list(ALL_FIELDS)]
    # Ids as job boards write them (issue 27: "JB-/80/09/53" at 375 px).
    frame["id"] = [f"JB-2024-08-09-{i:02d}" for i in range(len(frame))]
    tmp = tmp_path_factory.mktemp("layout")
    feed = tmp / "feed.csv"
    frame.to_csv(feed, index=False)
    out, path = tmp / "out.jsonl", tmp / "report.html"
    mp = pytest.MonkeyPatch()
    mp.setenv("DETECTOR_LABEL_DB", str(tmp / "labels.sqlite"))
    try:
        run_scan(ScanConfig(input=feed, output=out, model_dir=Settings.from_env().model_dir,
                            quiet=True, report=path))
        write_review(feed, out, 12, path)
    finally:
        mp.undo()
    return path


@pytest.mark.parametrize("width", [1280, 375])
def test_report_is_readable_with_whole_words(report: Path, width: int) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      is_mobile=width < 500, has_touch=width < 500)
        page = context.new_page()
        page.goto(report.as_uri())
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert page.locator("#flagged tbody tr").count() > 10
        assert page.locator("#review-queue tbody tr").count() == 12
        broken = page.evaluate(BROKEN_WORDS)
        assert not broken, broken
        if width < 500:  # rows stacked as cards, each cell labelled
            for table in ("#flagged", "#review-queue table"):
                row = page.locator(f"{table} tbody tr").first
                assert row.evaluate("r => getComputedStyle(r).display") == "block"
        # Highlights on word edges: no Latin letter runs on across a mark's edge, and a
        # Chinese mark starts and ends on jieba's words of the text around it.
        marks = page.evaluate(MARK_CONTEXT)
        kinds = {kind for *_, kind in marks}
        assert {"sign", "model-word"} <= kinds, kinds
        for before, text, after, _kind in marks:
            assert not (before[-1:].isascii() and before[-1:].isalnum()
                        and text[:1].isascii() and text[:1].isalnum()), (before[-20:], text)
            assert not (after[:1].isascii() and after[:1].isalnum()
                        and text[-1:].isascii() and text[-1:].isalnum()), (text, after[:20])
            local = before[-30:] + text + after[:30]
            start, edges, at = len(before[-30:]), {0}, 0
            for word in segment(local):
                at += len(word)
                edges.add(at)
            if any("\u4e00" <= ch <= "\u9fff" for ch in text):
                assert start in edges and start + len(text) in edges, (local, text)
        # Two kinds of marks, told apart by line style and icon; the legend names both.
        legend = page.locator("#legend")
        assert "Warning sign" in legend.inner_text() and "可疑之处" in legend.inner_text()
        assert "Word the text model weighed" in legend.inner_text()
        assert "模型看重的词" in legend.inner_text()
        sign = legend.locator("mark.sign").evaluate(STYLE)
        model = legend.locator("mark.model-word").evaluate(STYLE)
        assert sign[:2] != model[:2] and sign[2] != model[2], (sign, model)
        assert page.locator("#flagged mark.sign").first.evaluate(STYLE) == sign
        assert page.locator("#flagged mark.model-word").first.evaluate(STYLE) == model
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"report_{width}.png"), full_page=width < 500)
        if width < 500:  # the parts docs/scan.md shows: the queue, the legend and rows
            page.screenshot(path=str(SHOTS / "report_375_queue.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": 1300})
            top = page.evaluate("document.getElementById('legend')"
                                ".getBoundingClientRect().top + window.scrollY")
            page.screenshot(path=str(SHOTS / "report_375_flagged.png"), full_page=True,
                            clip={"x": 0, "y": top - 10, "width": width, "height": 1500})
        browser.close()
