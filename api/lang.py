"""Choosing the language of flag titles/advice and of the page: `?lang=` beats
Accept-Language, which beats the posting's own language (decided by the caller)."""

from __future__ import annotations

from fastapi import Request

from api.errors import ApiError

SUPPORTED = ("en", "zh")


def accept_language(header: str | None) -> str | None:
    """The supported language the client prefers most, or None if it names none of them."""
    if not header:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary not in SUPPORTED or quality <= 0:
            continue
        key = (quality, -position, primary)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def query_lang(request: Request) -> str | None:
    """`?lang=` if given; anything but en/zh is a 422 in the one error shape."""
    value = request.query_params.get("lang")
    if value is None or value == "":
        return None
    value = value.lower()
    if value not in SUPPORTED:
        raise ApiError(422, "validation_error", f"lang must be one of {', '.join(SUPPORTED)}")
    return value


def requested_lang(request: Request) -> str | None:
    """Explicit choice from the query, else the Accept-Language header, else None."""
    return query_lang(request) or accept_language(request.headers.get("accept-language"))
