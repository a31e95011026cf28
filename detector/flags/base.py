"""Declarative red flags: what a flag is (data) and how its rules are compiled (lazily).

A flag is a list of `Rule`s plus the negations and exceptions that cancel a match. Rules are
regexes over the *normalised* text (lower case, NFKC, obfuscation folded; see
`normalize.py`). Each rule also lists literal `keywords`, one of which every match contains:
the engine scans for all keywords of all flags in one pass and only runs the rules whose
keywords occur, in a window around the keyword. That keeps a scan linear and cheap.

Conventions for patterns (they keep matching linear and predictable):
- no unbounded `.*`/`.+`; gaps are bounded (`.{0,20}`), so a match is at most `Rule.reach`
  characters from its keyword;
- English words are guarded with `(?<![a-z])`/`(?![a-z])` rather than `\\b`, because Han
  characters count as word characters for `\\b`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from detector.flags.context import PostingText
    from detector.verdict import Evidence

Severity = Literal["low", "medium", "high"]
SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
LANGS: tuple[str, ...] = ("en", "zh")

#: Where a check's keywords occurred: field -> (start, end) spans in normalised text.
Triggers = Mapping[str, list[tuple[int, int]]]
#: A custom, posting-level check, given the posting and its keyword hits: None when it does
#: not fire, else the evidence as (field, normalised start, normalised end) spans, or as
#: `Evidence` already in original offsets (possibly none, for an absence).
Check = Callable[["PostingText", Triggers], "Sequence[tuple[str, int, int] | Evidence] | None"]
#: Where a rule match's claim is: given the posting, the rule's name, the field and the match's
#: normalised span, the span to show as evidence (the match itself, or the claim it stands for).
Claim = Callable[["PostingText", str, str, int, int], tuple[int, int]]


class LazyPattern:
    """A regex compiled on first use, so importing the catalogue does no work."""

    __slots__ = ("_compiled", "_pattern")

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def pattern(self) -> str:
        return self._pattern

    def get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern)
        return self._compiled

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.get().search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.get().match(text, pos, endpos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.get().fullmatch(text)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.get().finditer(text, pos, endpos)


def alt(*parts: str) -> str:
    """A non-capturing alternation of regex parts."""
    return "(?:" + "|".join(parts) + ")"


def _compile_any(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@dataclass(frozen=True)
class Rule:
    """One way a flag shows up: regexes that all share the same keyword prefilter and context.

    `context`: if given, one of these regexes must also match within `window` characters of
    the match (same field) — e.g. 点赞 only counts next to pay/commission wording.
    `negatable`: whether the flag's negations/exceptions apply (off for wording that is
    never innocent, e.g. 刷单).
    `negations`/`post_negations`: when given, they replace the flag's own for this rule's
    matches (its exceptions and vetoes still apply). A claim that is a scam whatever it is
    for needs fewer cues: "send us photos of your ID card and bank card" is not cancelled by
    "to arrange your onboarding" (办理入职), which cancels "bring your ID card".
    `spread`: the patterns match a claim's words with a bounded window where they meet
    ("daily *fixed* salary", 刷*一笔*单; see `claims.py`), and the keywords are cut to match;
    off for a rule whose words must stand together. `min_part`: the shortest Chinese part a
    window may stand beside; 1 lets windows stand beside single characters too (刷|单), for
    claims made of one-character words.
    """

    name: str
    patterns: tuple[str, ...]
    keywords: tuple[str, ...]
    context: tuple[str, ...] = ()
    window: int = 60
    negatable: bool = True
    reach: int = 160
    negations: tuple[str, ...] | None = None
    post_negations: tuple[str, ...] | None = None
    spread: bool = True
    min_part: int = 1

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.matched_patterns))

    @property
    def matched_patterns(self) -> tuple[str, ...]:
        """The patterns as matched: spread over a claim's words when `spread` is on."""
        if not self.spread:
            return self.patterns
        from detector.flags.claims import spread

        return tuple(spread(p, min_part=self.min_part) for p in self.patterns)

    @property
    def scan_reach(self) -> int:
        """How far around a keyword a match may reach (a spread match is longer)."""
        if not self.spread:
            return self.reach
        from detector.flags.claims import MARGIN

        return self.reach + MARGIN

    @cached_property
    def context_regex(self) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in self.context)) if self.context else None

    @cached_property
    def negation_regex(self) -> re.Pattern[str] | None:
        return None if self.negations is None else _compile_any(self.negations)

    @cached_property
    def post_negation_regex(self) -> re.Pattern[str] | None:
        return None if self.post_negations is None else _compile_any(self.post_negations)


#: An example is a pasted text, or a structured posting (field -> text).
Example = str | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Examples:
    """Hand-written examples (tests and demos only, not data): per language, postings that
    must fire the flag and postings that must not."""

    match: Mapping[str, tuple[Example, ...]]
    no_match: Mapping[str, tuple[Example, ...]]
    #: For a flag produced by a lookup (`RedFlag.produced_by`): the known texts its index
    #: holds while the examples run (hand-written too).
    known: Mapping[str, tuple[Example, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RedFlag:
    """A named, explainable reason to distrust a posting (see module docstring).

    `negations`: cues that cancel a match when they occur shortly *before* it in the same
    clause (不收押金, "no fee"); `post_negations`: the same *after* it (押金全免,
    "fees are reimbursed"); `exceptions`: phrases that cancel any match they overlap
    (免费培训, "paid training"); `vetoes`: context that cancels a match anywhere within
    `veto_window_zh`/`_en` characters, across clauses (a DBS check cost, a dormitory fee, a scam
    warning). `check` is an optional posting-level test (pay against
    requirements, missing employer) for what a regex cannot judge; it runs only when one of
    `check_keywords` occurs (always, when there are none).
    """

    id: str
    severity: Severity
    title: Mapping[str, str]
    explanation: Mapping[str, str]
    advice: Mapping[str, str]
    examples: Examples
    rules: tuple[Rule, ...] = ()
    negations: tuple[str, ...] = ()
    post_negations: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    vetoes: tuple[str, ...] = ()
    veto_window_zh: int = 30
    veto_window_en: int = 120
    check: Check | None = field(default=None, compare=False)
    check_keywords: tuple[str, ...] = ()
    neg_window_zh: int = 12
    neg_window_en: int = 40
    #: True for flags about something missing (no company): they fire without evidence.
    fires_on_absence: bool = False
    #: "rules": the engine fires it from `rules`/`check`; anything else names what produces it
    #: instead (`campaign_memory`: a lookup of known scams, see detector.campaigns), and the
    #: engine never fires it. Its metadata lives here so every face can render it.
    produced_by: str = "rules"
    #: Flags about the same concern that this one outranks: when both fire on the same words,
    #: the other flag's overlapping evidence is dropped (and the flag, if nothing is left).
    #: One 加V: "moves you to a chat app", not also "gives a chat account".
    supersedes: tuple[str, ...] = ()
    #: Optional: the span each rule match shows as evidence, so that it covers the claim
    #: (a pay mismatch shows the pay, 日结200-500, not the job title it matched on).
    claim: Claim | None = field(default=None, compare=False)

    #: Whether the rules match a claim's words with windows between them (`Rule.spread`);
    #: off for the low, informational flags, which the disguise suite does not weigh and
    #: whose wording genuine recruiters share ("添加郭小姐微信").
    spread: bool = True

    def __post_init__(self) -> None:
        if not self.spread:
            object.__setattr__(self, "rules", tuple(
                replace(rule, spread=False) for rule in self.rules))

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def patterns(self) -> tuple[str, ...]:
        """Every regex of every rule (normalised-text regex source), for inspection."""
        return tuple(p for rule in self.rules for p in rule.patterns)

    @cached_property
    def negation_regex(self) -> re.Pattern[str] | None:
        return _compile_any(self.negations)

    @cached_property
    def post_negation_regex(self) -> re.Pattern[str] | None:
        return _compile_any(self.post_negations)

    @cached_property
    def exception_regex(self) -> re.Pattern[str] | None:
        return _compile_any(self.exceptions)

    @cached_property
    def veto_regex(self) -> re.Pattern[str] | None:
        return _compile_any(self.vetoes)

    def text(self, what: str, lang: str) -> str:
        """One of title/explanation/advice in `lang` (English when unknown)."""
        values: Mapping[str, str] = getattr(self, what)
        return values.get(lang) or values["en"]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """JSON-ready metadata; one language when `lang` is given, else both."""
        out: dict[str, Any] = {"id": self.id, "severity": self.severity}
        for what in ("title", "explanation", "advice"):
            out[what] = self.text(what, lang) if lang else dict(getattr(self, what))
        return out
