"""One version scheme for every model, shipped or retrained:

    <release>.<UTC time made, YYYYMMDDhhmmss>+<corpus sha, 8>[.m<moderator labels>].<content sha, 8>

e.g. `2.0.20261204153012+1a2b3c4d.m25.9f8e7d6c`. The release number and the time come
before the digests, so versions sort in the order they were made (`sort_key`) and a newer
retrain never reads as a downgrade; the content digest still changes whenever the model does.
Strings of the older schemes (`2.0+…`, `1.0+…`) sort before every dated one of their release.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: Bump when the model code changes what a version means (recipes, features).
RELEASE = "3.0"
_DATED = re.compile(r"^(?P<release>\d+(?:\.\d+)*?)\.(?P<stamp>\d{14})\+(?P<local>.*)$")
_LEGACY = re.compile(r"^(?P<release>\d+(?:\.\d+)*)\+(?P<local>.*)$")


def make_version(data_sha: str, content_sha: str, n_labels: int | None = None,
                 made: datetime | None = None, release: str = RELEASE) -> str:
    stamp = (made or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S")
    labels = f".m{n_labels}" if n_labels is not None else ""
    return f"{release}.{stamp}+{data_sha[:8]}{labels}.{content_sha[:8]}"


def sort_key(version: str) -> tuple[tuple[int, ...], str, str]:
    """Release (numerically), then the time made, then the rest: creation order."""
    for pattern, has_stamp in ((_DATED, True), (_LEGACY, False)):
        m = pattern.match(version)
        if m:
            release = tuple(int(part) for part in m["release"].split("."))
            return release, m["stamp"] if has_stamp else "", m["local"]
    return (), "", version


def made_at(version: str) -> datetime | None:
    """When a dated version was made (None for the older schemes)."""
    m = _DATED.match(version)
    return datetime.strptime(m["stamp"], "%Y%m%d%H%M%S").replace(tzinfo=UTC) if m else None
