"""One posting as the rules see it: every field normalised once, plus cheap posting-wide facts.

Custom checks (pay against requirements, missing employer) get this object, so they reuse the
normalisation done for the regex rules instead of redoing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from detector.flags.normalize import Normalized, normalize
from detector.schema import TEXT_FIELDS, Posting

#: Short fields (location, employment type, industry, "Full-time") repeat across a feed; their
#: normalisation is cached. `Normalized` is immutable, so sharing it is safe.
SHORT_FIELD = 80
_normalize_short = lru_cache(maxsize=8192)(normalize)


def normalize_field(text: str) -> Normalized:
    return _normalize_short(text) if len(text) <= SHORT_FIELD else normalize(text)


def is_cjk_heavy(text: str) -> bool:
    """Mostly Han text? UTF-8 length is a C-speed proxy: Han characters take 3 bytes."""
    if text.isascii():
        return False
    return len(text.encode("utf-8")) - len(text) > len(text)


#: The postings normalised last (id -> PostingText), so that the next reader of the same
#: batch (the campaign memory's fingerprints) does not normalise them again. A cached entry
#: holds its posting, so the id cannot be reused while it is here; postings are immutable.
_RECENT: dict[int, PostingText] = {}
_RECENT_MAX = 1024
#: ... and at most this many characters of text (a batch of huge postings is not kept).
_RECENT_CHARS = 4_000_000
_recent_chars = [0]


@dataclass
class PostingText:
    """Normalised fields of one posting, in schema order."""

    posting: Posting
    fields: dict[str, Normalized] = field(default_factory=dict)

    @classmethod
    def of(cls, posting: Posting) -> PostingText:
        cached = _RECENT.get(id(posting))
        if cached is not None and cached.posting is posting:
            return cached
        fields = {
            name: normalize_field(posting.fields[name])
            for name in TEXT_FIELDS
            if name in posting.fields
        }
        made = cls(posting, fields)
        size = sum(len(norm.original) for norm in fields.values())
        if len(_RECENT) >= _RECENT_MAX or _recent_chars[0] + size > _RECENT_CHARS:
            _RECENT.clear()
            _recent_chars[0] = 0
        if size <= _RECENT_CHARS:
            _RECENT[id(posting)] = made
            _recent_chars[0] += size
        return made

    def items(self) -> Iterator[tuple[str, str]]:
        """(field, normalised text) pairs."""
        for name, norm in self.fields.items():
            yield name, norm.text

    @cached_property
    def is_zh(self) -> bool:
        """Posting mostly in Chinese (decides the default currency and thresholds)."""
        han = sum(len(t.encode("utf-8")) - len(t) for _, t in self.items())
        total = sum(len(t) for _, t in self.items())
        return han > total

    def search(self, regex: re.Pattern[str]) -> tuple[str, int, int] | None:
        """First match of `regex` in any field, as (field, start, end) in normalised text."""
        for name, text in self.items():
            m = regex.search(text)
            if m:
                return name, m.start(), m.end()
        return None

    def finditer(self, regex: re.Pattern[str]) -> Iterator[tuple[str, re.Match[str]]]:
        for name, text in self.items():
            for m in regex.finditer(text):
                yield name, m
