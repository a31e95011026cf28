"""One posting as the rules see it: the pipeline's reading (`detector.textnorm.reading`).

Custom checks (pay against requirements, missing employer) get this object, so they reuse the
reading made for the regex rules (and for the fingerprints and models) instead of redoing it.
"""

from __future__ import annotations

from detector.textnorm.reading import SHORT_FIELD, Reading

#: The name the rules use for a reading.
PostingText = Reading

__all__ = ["SHORT_FIELD", "PostingText", "is_cjk_heavy"]


def is_cjk_heavy(text: str) -> bool:
    """Mostly Han text? UTF-8 length is a C-speed proxy: Han characters take 3 bytes."""
    if text.isascii():
        return False
    return len(text.encode("utf-8")) - len(text) > len(text)
