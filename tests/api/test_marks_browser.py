"""Issue 27 floors for the page, in headless Chromium at 1280 and 375 px, English and
Chinese: warning signs and words the model weighed look different by more than colour and
the legend names both; a low verdict keeps the model's words behind "why this number";
no mark starts or ends inside a jieba word; a denial of fees is never marked.

The postings are real (labeled_posts/, test split): two legit ones the model rates low with
words it weighed, two scams it rates high with red flags. The two denial texts are
hand-written rule tests. Screenshots: test-artifacts/screenshots/marks_*.png (the ones in
docs/screenshots/ are copies)."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from api.i18n import UI
from detector.model.marking import segment
from tests.api.conftest import SHOTS
from tests.conftest import ROOT

LOW_LEGIT = {"zh": "orfd58_00192", "en": "nhs_916234275"}
HIGH_SCAM = {"zh": "smszh_sms80w-00057", "en": "smsjob_96cfc7090a31"}
#: Hand-written lures that also say they charge nothing, in the words real legit postings
#: use (绝不收费, 从未要求收费, "no fees": tests/test_marking.py collects them from the
#: corpus). On 61f9a9c's page the model's words 收费, 未要, "No" and "fees" were marked
#: inside these denials.
DENIALS = {
    "en": [("Easy online job from home, earn $300 daily. No fees to join! Message us on "
            "Telegram now.", "No fees"),
           ("Work from home data entry, earn $500 a day, no experience needed. There are no "
            "fees of any kind. Contact us on WhatsApp only.", "no fees of any kind")],
    "zh": [("手机兼职刷单，一单一结，从未要求收费，加微信详聊", "从未要求收费"),
           ("在家用手机兼职，无需经验，日结300-500元，本公司绝不收费，加微信详聊", "绝不收费")],
}
WIDTHS = (1280, 375)
STYLE = """el => { const s = getComputedStyle(el), b = getComputedStyle(el, '::before');
  return {top: s.borderTopStyle, bottom: s.borderBottomStyle, before: b.content,
          background: s.backgroundColor}; }"""
#: Offsets of every mark of a field in its text (generated icons are not text).
OFFSETS = """field => { const out = []; let at = 0;
  const walk = node => { for (const child of node.childNodes) {
    if (child.nodeType === 3) { at += child.data.length; continue; }
    const start = at; walk(child);
    if (child.tagName === 'MARK') out.push([start, at, child.className]); } };
  walk(field); return out; }"""


@cache
def corpus_text(posting_id: str) -> str:
    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False).set_index("id")
    row = corpus.loc[posting_id]
    assert row["split"] == "test"
    parts = [row[f] for f in ("title", "company", "company_profile", "description",
                              "requirements", "benefits", "salary", "text") if row[f]]
    return "\n".join(parts)


def check(browser, live_server, text: str, lang: str, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"/?lang={lang}")
    page.locator("#text").fill(text)
    page.locator("form.check button.primary").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    return context, page


def assert_on_jieba_words(page) -> None:  # type: ignore[no-untyped-def]
    for field in page.locator(".listing .field").element_handles():
        text = field.evaluate("f => f.textContent")
        edges, at = {0}, 0
        for word in segment(text):
            at += len(word)
            edges.add(at)
        for start, end, kind in field.evaluate(OFFSETS):
            assert start in edges and end in edges, (kind, text[start:end], text[:80])


def assert_two_kinds_differ(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    legend = page.locator(".listing .legend, details.why-number .legend").first
    assert legend.is_visible()
    sign_item = legend.locator("li[data-kind=sign]")
    model_item = legend.locator("li[data-kind=model]")
    assert UI[lang]["legend_sign"].split("：")[0].split(":")[0] in sign_item.inner_text()
    assert UI[lang]["legend_model"].split("：")[0].split(":")[0] in model_item.inner_text()
    sign = sign_item.locator("mark").evaluate(STYLE)
    model = model_item.locator("mark").evaluate(STYLE)
    # A cue other than colour: the line style and the icon differ.
    assert (sign["top"], sign["bottom"]) != (model["top"], model["bottom"]), (sign, model)
    assert sign["before"] != model["before"] and "none" not in (sign["before"],
                                                                model["before"])
    return sign, model


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_high_scam_shows_both_kinds_of_marks(browser, live_server, lang: str,
                                             width: int) -> None:  # type: ignore[no-untyped-def]
    for listing in ("en", "zh"):
        context, page = check(browser, live_server, corpus_text(HIGH_SCAM[listing]), lang,
                              width)
        try:
            assert page.locator("h1.tier").get_attribute("data-risk") == "high"
            signs = page.locator(".listing .field mark.sign")
            words = page.locator(".listing .field mark.model-word")
            assert signs.count() >= 1 and words.count() >= 1
            sign_style, model_style = assert_two_kinds_differ(page, lang)
            # The marks in the listing look like their legend samples.
            assert signs.first.evaluate(STYLE) == sign_style
            assert words.first.evaluate(STYLE) == model_style
            heading = page.locator("#listing-title").inner_text()
            assert heading == UI[lang]["listing_heading_both"]
            assert_on_jieba_words(page)
            page.screenshot(path=str(SHOTS / f"marks_high_{listing}_listing_{lang}_ui_"
                                              f"{width}.png"), full_page=True)
        finally:
            context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_low_legit_keeps_model_words_behind_why_this_number(
        browser, live_server, lang: str, width: int) -> None:  # type: ignore[no-untyped-def]
    for listing in ("en", "zh"):
        context, page = check(browser, live_server, corpus_text(LOW_LEGIT[listing]), lang,
                              width)
        try:
            assert page.locator("h1.tier").get_attribute("data-risk") == "low"
            assert page.locator(".listing .field mark").count() == 0
            assert page.locator("section.model-words").count() == 0  # no open list
            why = page.locator("details.why-number")
            assert why.count() == 1 and why.get_attribute("open") is None
            assert not why.locator(".mw").first.is_visible()
            why.locator("summary").click()
            assert why.locator(".mw").first.is_visible()
            assert_two_kinds_differ(page, lang)
            # Words that lowered the odds are never styled as suspicious.
            for down in why.locator(".down-word").element_handles():
                style = down.evaluate(STYLE)
                assert style["bottom"] == "none" and style["top"] == "none"
                assert "\u26a0" not in style["before"] and "\u25c7" not in style["before"]
            page.screenshot(path=str(SHOTS / f"marks_low_{listing}_listing_{lang}_ui_"
                                              f"{width}.png"), full_page=True)
        finally:
            context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_denial_of_fees_is_never_marked(browser, live_server, lang: str) -> None:  # type: ignore[no-untyped-def]
    for text, denial in DENIALS[lang]:
        context, page = check(browser, live_server, text, lang, 1280)
        try:
            assert page.locator("h1.tier").get_attribute("data-risk") in ("medium", "high")
            assert page.locator(".listing .field mark").count() >= 1  # the lure is marked
            field = page.locator(".listing .field").first
            start = text.index(denial)
            for s, e, kind in field.evaluate(OFFSETS):
                assert not (s < start + len(denial) and start < e), (kind, text[s:e])
            assert_on_jieba_words(page)
        finally:
            context.close()
