"""Every flag's own examples: matching ones fire it with exact evidence, the others do not."""

from __future__ import annotations

import pytest

from detector.flags import CATALOGUE, detect_flags
from detector.flags.base import LANGS
from tests.flags.flag_helpers import assert_exact_evidence, posting_of

CASES = [
    pytest.param(flag, lang, kind, example, id=f"{flag.id}-{lang}-{kind}-{i}")
    for flag in CATALOGUE
    for kind in ("match", "no_match")
    for lang in LANGS
    for i, example in enumerate(getattr(flag.examples, kind).get(lang, ()))
]


@pytest.mark.parametrize(("flag", "lang", "kind", "example"), CASES)
def test_example(flag, lang, kind, example) -> None:
    posting = posting_of(example)
    hits = {hit.id: hit for hit in detect_flags(posting)}
    if kind == "match":
        assert flag.id in hits, f"{flag.id} should fire on {example!r}"
        hit = hits[flag.id]
        assert hit.severity == flag.severity
        assert hit.evidence or flag.fires_on_absence
        assert_exact_evidence(posting, hit)
    else:
        assert flag.id not in hits, f"{flag.id} should not fire on {example!r}: {hits.get(flag.id)}"


@pytest.mark.parametrize("flag", CATALOGUE, ids=lambda f: f.id)
def test_enough_examples(flag) -> None:
    for lang in LANGS:
        assert len(flag.examples.match.get(lang, ())) >= 3, (flag.id, lang)
        assert len(flag.examples.no_match.get(lang, ())) >= 3, (flag.id, lang)
