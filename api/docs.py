"""Interactive API docs served from local files (no CDN, works offline), and the favicon.

Swagger UI 5 and Redoc come from the `fastapi-offline` package, which ships their bundles;
Swagger UI 4 (the `swagger-ui-bundle` package) cannot render OpenAPI 3.1, which FastAPI emits.
Nothing is loaded from elsewhere: Swagger UI's validator badge is off, and Redoc's bundle is
served with its one outside image (the Redocly logo from a CDN) pointing at our favicon.

The document states the API key (`securitySchemes`), so /docs has an Authorize button and
"Try it out" sends the key: `Authorization: Bearer <key>`, needed by the operations below
only when keys are configured (DETECTOR_API_KEYS), hence optional in the document.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
FAVICON = STATIC / "favicon.ico"
ASSETS_URL = "/docs-assets"
TITLE = "Job scam detector - API docs"


def assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


#: The security scheme's name in the document.
SCHEME = "apiKey"
#: Operations that check the key when keys are configured, and the role they need (None:
#: any key). A test sends each one without a key to a server with keys and expects 401.
KEYED: dict[tuple[str, str], str | None] = {
    ("/v1/score", "post"): None,
    ("/v1/score/batch", "post"): None,
    ("/v1/feedback", "post"): "moderator",
    ("/v1/feedback/batch", "post"): "moderator",
    ("/v1/admin/reload", "post"): "admin",
}
#: Redoc's bundle draws the Redocly logo from a CDN; the page's CSP would block it.
REDOC_OUTSIDE_IMAGE = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


def add_security_scheme(app: FastAPI) -> None:
    """`components.securitySchemes` and each keyed operation's `security` (optional: `{}`
    lets a call without a key through, as a server without keys does)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})[SCHEME] = {
            "type": "http", "scheme": "bearer",
            "description": "An API key from DETECTOR_API_KEYS (or DETECTOR_API_KEYS_FILE), "
            "sent as `Authorization: Bearer <key>`. Needed only when the server has keys; "
            "feedback needs a key with the `moderator` role, reload `admin`, /metrics "
            "`metrics`."}
        for (path, method), role in KEYED.items():
            operation = schema.get("paths", {}).get(path, {}).get(method)
            if operation is None:
                continue
            operation["security"] = [{SCHEME: []}, {}]
            note = ("Needs an API key when keys are configured" +
                    (f", with the `{role}` role." if role else "."))
            if note not in operation.get("description", ""):
                operation["description"] = (operation.get("description", "") + "\n\n"
                                            + note).strip()
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


@cache
def redoc_bundle() -> bytes:
    """Redoc's bundle with its outside image pointing at our favicon (read once)."""
    data = (assets_dir() / "redoc.standalone.js").read_bytes()
    return data.replace(REDOC_OUTSIDE_IMAGE, b"/favicon.ico")


def mount_docs(app: FastAPI) -> None:
    """/docs (Swagger UI, try requests out), /redoc (reading view), /favicon.ico."""
    add_security_scheme(app)

    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_js() -> Response:  # before the mount below, so it wins
        return Response(redoc_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=TITLE,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
            # No validator badge: it would fetch an image from validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title=TITLE,
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url="/favicon.ico",
            with_google_fonts=False,  # offline: no font CDN
        )

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})
