"""Issue 27 item 7: the OpenAPI document states the API key (a bearer security scheme), so
/docs has an Authorize button and "Try it out" works on a server with keys; /redoc loads
nothing from elsewhere (Redoc's bundle drew the Redocly logo from a CDN, which the page's
own CSP blocked)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.docs import KEYED, SCHEME, redoc_bundle
from tests.api.conftest import SHOTS, LiveServer, base_settings, needs_model

KEY = "docs-test-key"
KEYS = {"api_keys": frozenset({KEY, "mod-key", "admin-key"}),
        "key_roles": frozenset({("mod-key", "moderator"), ("admin-key", "admin")})}
#: A minimal valid body per operation (hand-written, not data).
BODIES = {"/v1/score": {"text": "Warehouse helper, day shifts."},
          "/v1/score/batch": {"postings": [{"text": "Warehouse helper, day shifts."}]},
          "/v1/feedback": {"posting": {"text": "Warehouse helper."}, "label": "legit"},
          "/v1/feedback/batch": {"items": [{"posting": {"text": "x y"}, "label": "legit"}]},
          "/v1/report": {"posting": {"text": "Warehouse helper."}}, "/v1/admin/reload": {}}


def test_the_document_states_the_key() -> None:
    schema = create_app(base_settings()).openapi()
    scheme = schema["components"]["securitySchemes"][SCHEME]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "Authorization: Bearer" in scheme["description"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if (path, method) in KEYED:
                assert operation["security"] == [{SCHEME: []}, {}], (path, method)
                role = KEYED[(path, method)]
                assert ("Needs an API key" in operation["description"]
                        and (role is None or f"`{role}` role" in operation["description"]))
            else:
                assert "security" not in operation, (path, method)
    assert all(path in schema["paths"] for path, _ in KEYED)


@needs_model
def test_what_the_document_says_is_what_the_server_does(
        make_client: Callable[..., TestClient], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every operation the document marks as keyed answers 401 without a key on a server
    with keys; every other one does not."""
    client = make_client(label_db=str(tmp_path / "labels.sqlite"), **KEYS)
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            kwargs = {"json": BODIES[path]} if method == "post" else {}
            answer = client.request(method, path, **kwargs)
            keyed = "security" in operation
            assert (answer.status_code == 401) is keyed, (path, method, answer.status_code)
            if keyed:
                key = {None: KEY, "moderator": "mod-key", "admin": "admin-key"}[
                    KEYED[(path, method)]]
                with_key = client.request(method, path, headers={
                    "Authorization": f"Bearer {key}"}, **kwargs)
                assert with_key.status_code != 401, (path, with_key.text)


def test_redoc_bundle_points_nowhere_outside() -> None:
    bundle = redoc_bundle()
    assert b"cdn.redoc.ly" not in bundle and b"/favicon.ico" in bundle
    client = TestClient(create_app(base_settings()))
    served = client.get("/docs-assets/redoc.standalone.js")
    assert served.status_code == 200 and served.content == bundle
    assert "validatorUrl" in client.get("/docs").text  # no validator badge from outside


@pytest.fixture
def keyed_server(tmp_path) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    settings = replace(base_settings(label_db=str(tmp_path / "labels.sqlite")), **KEYS)
    with LiveServer(settings) as live:
        yield live


def _blocking_context(browser, base_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, locale="en-US")
    outside: list[str] = []

    def only_loopback(route) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:",
                                                                               "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    return context, outside


@needs_model
def test_authorize_then_try_it_out_in_swagger_ui(browser, keyed_server) -> None:  # type: ignore[no-untyped-def]
    context, outside = _blocking_context(browser, keyed_server.url)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/docs")
        page.locator("button.authorize").first.wait_for(timeout=20_000)
        page.locator("button.authorize").first.click()
        page.locator(".modal-ux input").first.fill(KEY)
        page.locator(".modal-ux button.authorize").first.click()
        page.locator(".modal-ux button.close-modal").first.click()
        block = page.locator(".opblock", has=page.locator(".opblock-summary-path",
                                                          has_text="/v1/score")).first
        block.locator(".opblock-summary").click()
        block.get_by_role("button", name="Try it out").click()
        block.get_by_role("button", name="Execute").click()
        status = block.locator(".live-responses-table tbody .response-col_status").first
        status.wait_for(timeout=20_000)
        assert status.inner_text().strip() == "200", block.inner_text()[:2000]
        page.screenshot(path=str(SHOTS / "docs_authorized.png"), full_page=False)
        assert outside == []
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        context.close()


@needs_model
def test_redoc_makes_no_outside_request(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context, outside = _blocking_context(browser, live_server.url)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        page.goto("/redoc")
        page.get_by_text("Score one posting").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert outside == []
        assert not [m for m in console if "Content Security Policy" in m
                    or "Refused to load" in m], console
        assert page.locator("img[src*='cdn.redoc.ly']").count() == 0
    finally:
        context.close()
