"""The page's templates (autoescaped: nothing a user pastes is rendered raw), shared by the
result page and the error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.i18n import UI

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, lang: str, status: int = 200, **context: Any) -> HTMLResponse:
    values = context.get("values") or {}
    # The language switch re-posts what was typed, when there is something to re-post.
    repost = any(str(value).strip() for value in values.values())
    html = _env.get_template(name).render(ui=UI[lang], lang=lang, repost=repost, **context)
    return HTMLResponse(html, status_code=status)
