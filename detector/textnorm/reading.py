"""One reading of a posting, made once and handed to every part that reads text.

The scoring pipeline (`detector.core`) reads each posting first: every text field through
`normalize` (case, width, obfuscation, disguises, the Chinese folding of key terms), with a
map back to exact offsets in the original text. The red flags match on this reading, the
campaign fingerprints are cut from it, and the models are handed `plain`: the posting as a
person reads it, its disguises undone (a lookalike letter, a dotted word, a reversed run)
and nothing else changed, so an undisguised posting reaches the models exactly as written.
Nobody reads the text again in their own way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from detector.schema import TEXT_FIELDS, Posting
from detector.textnorm.normalize import Normalized, OffsetMap, normalize

#: Short fields (location, employment type, industry, "Full-time") repeat across a feed; their
#: reading is cached. `Normalized` is immutable, so sharing it is safe.
SHORT_FIELD = 80
_normalize_short = lru_cache(maxsize=8192)(normalize)


def normalize_field(text: str) -> Normalized:
    return _normalize_short(text) if len(text) <= SHORT_FIELD else normalize(text)


@dataclass
class Reading:
    """One posting as read: each text field normalised (in schema order), with offset maps."""

    posting: Posting
    fields: dict[str, Normalized] = field(default_factory=dict)

    @classmethod
    def of(cls, posting: Posting) -> Reading:
        return cls(posting, {name: normalize_field(posting.fields[name])
                             for name in TEXT_FIELDS if name in posting.fields})

    @cached_property
    def _plain(self) -> tuple[Posting, dict[str, OffsetMap]]:
        texts: dict[str, str] = {}
        maps: dict[str, OffsetMap] = {}
        for name, norm in self.fields.items():
            text, offset_map = norm.plain_text()
            if offset_map is not None:
                texts[name], maps[name] = text, offset_map
        if not texts:
            return self.posting, maps
        return replace(self.posting, fields={**self.posting.fields, **texts}), maps

    @property
    def plain(self) -> Posting:
        """The posting as a person reads it, disguises undone: what the models are given
        (the posting itself when nothing was disguised)."""
        return self._plain[0]

    def original_span(self, name: str, start: int, end: int) -> tuple[int, int]:
        """Where a span of `plain`'s field `name` lies in the original field."""
        offset_map = self._plain[1].get(name)
        if offset_map is None or end <= start:
            return start, end
        return offset_map.start(start), offset_map.end(end - 1)

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


def read(posting: Posting | Reading) -> Reading:
    """The reading of `posting` (a reading is returned as it is: it was made once already)."""
    return posting if isinstance(posting, Reading) else Reading.of(posting)
