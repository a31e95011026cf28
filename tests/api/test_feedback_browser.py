"""The page's "report this listing" button in headless Chromium (no JavaScript on the
page): check a listing, press the button, land on the thank-you page; the store holds an
unverified report, not a label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from detector.labels.store import LabelStore
from tests.api.conftest import SHOTS, LiveServer, base_settings, needs_model

pytestmark = needs_model
#: Hand-written demo listing (not data).
LISTING = "Warehouse helper wanted. Pay a £45 registration fee by bank transfer before day one."


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    db = str(tmp_path / "labels.sqlite")
    with LiveServer(base_settings(label_db=db)) as live:
        yield live, db


def test_report_button(browser, server) -> None:  # type: ignore[no-untyped-def]
    live, db = server
    context = browser.new_context(base_url=live.url, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Job listing").fill(LISTING)
    page.get_by_role("button", name="Check this listing").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Report this listing as a scam").click()
    page.wait_for_load_state()
    assert page.url.endswith("/reported?lang=en")
    assert page.locator("h1").inner_text().startswith("Thank you")
    page.screenshot(path=str(SHOTS / "reported.png"), full_page=True)
    context.close()
    store = LabelStore(db)
    (row,) = store.decisions()
    assert row["source"] == "report" and store.labeled() == []
    assert store.posting(row["posting_hash"])["text"] == LISTING


def test_report_button_is_styled_and_big_enough_on_a_phone(browser, server) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: it was the browser's default button, tiny on a phone."""
    live, _ = server
    context = browser.new_context(base_url=live.url, locale="en-US", is_mobile=True,
                                  has_touch=True, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Job listing").fill(LISTING)
    page.get_by_role("button", name="Check this listing").click()
    page.wait_for_load_state()
    button = page.get_by_role("button", name="Report this listing as a scam")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 0.8 * 343
    style = button.evaluate("b => [getComputedStyle(b).borderTopWidth, "
                            "getComputedStyle(b).fontWeight, getComputedStyle(b).color]")
    assert style[0] == "2px" and int(style[1]) >= 700 and style[2] == "rgb(122, 0, 0)"
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report_button_phone.png"))
    context.close()
