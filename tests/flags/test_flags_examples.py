"""Every flag's own examples: matching ones fire it with exact evidence, the others do not.

A flag produced by a lookup (`produced_by`, e.g. the campaign memory) is walked the same
way, with its `known` examples recorded as moderator decisions in a fresh label store first
(no corpus seeds): the text rules alone must never fire it."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.campaigns.memory import CampaignMemory
from detector.flags import CATALOGUE, RedFlag, detect_flags
from detector.flags.base import LANGS
from detector.labels.decisions import Decision
from detector.labels.store import LabelStore
from detector.verdict import FlagHit
from tests.flags.flag_helpers import assert_exact_evidence, posting_of

CASES = [
    pytest.param(flag, lang, kind, example, id=f"{flag.id}-{lang}-{kind}-{i}")
    for flag in CATALOGUE
    for kind in ("match", "no_match")
    for lang in LANGS
    for i, example in enumerate(getattr(flag.examples, kind).get(lang, ()))
]


_MEMORIES: dict[str, CampaignMemory] = {}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lookup-flags")


def memory_of(flag: RedFlag, where: Path) -> CampaignMemory:
    """A memory of a fresh store holding the flag's known examples as scam decisions."""
    if flag.id not in _MEMORIES:
        location = str(where / f"{flag.id}.sqlite")
        LabelStore(location).record([
            Decision(posting_of(example), "scam", "moderator")
            for lang in LANGS for example in flag.examples.known[lang]])
        _MEMORIES[flag.id] = CampaignMemory(location, None, poll=0, seeds=False)
    return _MEMORIES[flag.id]


def hits_of(flag: RedFlag, example, where: Path) -> dict[str, FlagHit]:  # type: ignore[no-untyped-def]
    posting = posting_of(example)
    hits = {hit.id: hit for hit in detect_flags(posting)}
    if flag.produced_by == "rules":
        return hits
    assert flag.id not in hits, "the text rules must never fire a lookup flag"
    found = memory_of(flag, where).lookup([posting])[0].hit
    return {**hits, **({found.id: found} if found else {})}


@pytest.mark.parametrize(("flag", "lang", "kind", "example"), CASES)
def test_example(flag, lang, kind, example, store_dir: Path) -> None:
    posting = posting_of(example)
    hits = hits_of(flag, example, store_dir)
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
