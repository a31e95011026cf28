"""Interactive API docs served from local files (no CDN, works offline), and the favicon.

Swagger UI 5 and Redoc come from the `fastapi-offline` package, which ships their bundles;
Swagger UI 4 (the `swagger-ui-bundle` package) cannot render OpenAPI 3.1, which FastAPI emits.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
FAVICON = STATIC / "favicon.ico"
ASSETS_URL = "/docs-assets"
TITLE = "Job scam detector - API docs"


def assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def mount_docs(app: FastAPI) -> None:
    """/docs (Swagger UI, try requests out), /redoc (reading view), /favicon.ico."""
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=TITLE,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
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
