"""Issue 27 item 3: errors on the page are pages. A rate-limited or failed report (the
page's button posts a plain form) or check shows a translated message in the page's
language, never the API's JSON; the JSON API keeps its one error shape."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.page_errors import MESSAGES
from tests.api.conftest import SHOTS, LiveServer, base_settings, needs_model

pytestmark = needs_model
#: Hand-written demo listing (not data).
LISTING = "Warehouse helper wanted. Pay a £45 registration fee by bank transfer before day one."
FORM = "application/x-www-form-urlencoded"


def _no_json(html: str) -> None:
    assert '{"error"' not in html and "rate_limited" not in re.sub(r'data-code="\w+"', "", html)


def test_rate_limited_report_is_a_chinese_page(make_client: Callable[..., TestClient],
                                               tmp_path: Path) -> None:
    client = make_client(report_rate_limit_per_minute=2,
                         label_db=str(tmp_path / "labels.sqlite"))
    form = {"text": LISTING, "company": "", "salary": "", "contact": "", "lang": "zh"}
    for _ in range(2):
        ok = client.post("/v1/report?lang=zh", data=form, follow_redirects=False)
        assert ok.status_code == 303
    limited = client.post("/v1/report?lang=zh", data=form, follow_redirects=False)
    assert limited.status_code == 429 and limited.headers["content-type"].startswith("text/html")
    assert int(limited.headers["retry-after"]) >= 1
    html = limited.text
    _no_json(html)
    assert '<html lang="zh-CN">' in html and "举报未能提交" in html
    assert f"请在 {limited.headers['retry-after']} 秒后再试" in html
    # The listing is kept: one button sends it again.
    assert "重新提交举报" in html and 'name="text" value="Warehouse helper wanted.' in html
    assert "default-src 'none'" in limited.headers["content-security-policy"]
    # The JSON API keeps its error shape.
    api = client.post("/v1/report", json={"posting": {"text": LISTING}})
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"


def test_page_language_comes_from_the_form_or_the_browser(
        make_client: Callable[..., TestClient], tmp_path: Path) -> None:
    client = make_client(report_rate_limit_per_minute=1,
                         label_db=str(tmp_path / "labels.sqlite"))
    client.post("/v1/report", data={"text": LISTING}, follow_redirects=False)
    en = client.post("/v1/report", data={"text": LISTING, "lang": "en"},
                     follow_redirects=False)
    assert en.status_code == 429 and "The report was not sent" in en.text
    zh = client.post("/v1/report", data={"text": LISTING},
                     headers={"Accept-Language": "zh-CN,zh;q=0.9"}, follow_redirects=False)
    assert zh.status_code == 429 and "举报未能提交" in zh.text
    _no_json(en.text)
    _no_json(zh.text)


def test_store_down_and_empty_listing_are_pages(make_client: Callable[..., TestClient],
                                                tmp_path: Path) -> None:
    down = make_client(label_db="postgresql://detector@127.0.0.1:9/none")
    failed = down.post("/v1/report?lang=en", data={"text": LISTING}, follow_redirects=False)
    assert failed.status_code == 503
    assert MESSAGES["en"]["store_unavailable"] in failed.text
    _no_json(failed.text)
    ok = make_client(label_db=str(tmp_path / "labels.sqlite"))
    empty = ok.post("/v1/report?lang=zh", data={"text": "  "}, follow_redirects=False)
    assert empty.status_code == 422 and MESSAGES["zh"]["invalid_decision"] in empty.text
    binary = ok.post("/v1/report?lang=en", content=b"text=\xff\xfe", headers={"content-type": FORM},
                     follow_redirects=False)
    assert binary.status_code == 400 and MESSAGES["en"]["unreadable"] in binary.text


def test_rate_limited_check_shows_the_form_with_the_listing(
        make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_minute=1)
    assert client.post("/?lang=zh", data={"text": LISTING}).status_code == 200
    limited = client.post("/?lang=zh", data={"text": LISTING, "company": "Acme"})
    assert limited.status_code == 429 and "retry-after" in limited.headers
    assert "检测过多" in limited.text and 'role="alert"' in limited.text
    assert "Warehouse helper wanted." in limited.text and 'value="Acme"' in limited.text
    _no_json(limited.text)


@pytest.fixture
def limited_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = base_settings(label_db=str(tmp_path / "labels.sqlite"),
                             report_rate_limit_per_minute=1)
    with LiveServer(settings) as live:
        yield live


@pytest.mark.parametrize("width", [1280, 375])
def test_report_button_over_the_limit_in_chromium(browser, limited_server,  # type: ignore[no-untyped-def]
                                                  width: int) -> None:
    """The issue's case: the Chinese page, the Report button pressed past the limit."""
    context = browser.new_context(base_url=limited_server.url, locale="zh-CN",
                                  viewport={"width": width, "height": 900},
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        for attempt in range(2):
            page.goto("/?lang=zh")
            page.locator("#text").fill(LISTING)
            page.get_by_role("button", name="检测这则招聘").click()
            page.get_by_role("button", name="举报此招聘信息（疑似诈骗）").click()
            page.wait_for_load_state()
            if attempt == 0:
                assert page.url.endswith("/reported?lang=zh")
        assert page.locator("h1").inner_text() == "举报未能提交"
        shown = page.locator("main").inner_text()
        assert "秒后再试" in shown and "{" not in shown
        assert page.get_by_role("button", name="重新提交举报").is_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"report_rate_limited_zh_{width}.png"),
                        full_page=True)
    finally:
        context.close()
