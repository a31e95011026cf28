"""A rule may carry its own negations, which replace its flag's for that rule's matches only
(issue 26: "send us your ID photo ... to arrange your onboarding" is not cancelled by the
onboarding cue that cancels "bring your ID to your onboarding"). Hand-written flag."""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule
from detector.flags.engine import scan_posting
from detector.schema import posting_from_text

_FLAG = RedFlag(
    id="test_id_request",
    severity="high",
    title={"en": "t"}, explanation={"en": "e"}, advice={"en": "a"},
    examples=Examples(match={}, no_match={}),
    rules=(
        Rule(name="bring", patterns=(r"bring your id",), keywords=("bring",)),
        Rule(name="send", patterns=(r"send us your id",), keywords=("send",),
             negations=(r"never ",), post_negations=()),
    ),
    negations=(r"never ", r"at onboarding "),
    post_negations=(r" at onboarding",),
)
FLAGS = (_FLAG,)


def fired(text: str) -> list[str]:
    result = scan_posting(posting_from_text(text), FLAGS)
    return [ev.text for hit in result.hits for ev in hit.evidence]


def test_the_flags_negations_cancel_a_rule_without_its_own() -> None:
    assert fired("Please bring your ID.") == ["bring your ID"]
    assert fired("Please bring your ID at onboarding.") == []
    assert fired("You never bring your ID.") == []


def test_a_rules_own_negations_replace_the_flags() -> None:
    assert fired("Please send us your ID at onboarding.") == ["send us your ID"]
    assert fired("We never send us your ID.") == []
    assert fired("at onboarding send us your ID.") == ["send us your ID"]
