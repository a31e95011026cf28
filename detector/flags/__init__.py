"""Red-flag catalogue: named, explainable reasons (with evidence spans) a job posting looks
like a scam. They are shown to users, fed to the model as features, and raise the risk tier.

    from detector.flags import CATALOGUE, FLAG_IDS, get_flag, detect_flags
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule
from detector.flags.catalogue import CATALOGUE, FLAG_IDS, get_flag
from detector.flags.engine import ScanResult, scan_posting
from detector.schema import Posting
from detector.textnorm.reading import Reading
from detector.verdict import FlagHit

__all__ = [
    "CATALOGUE", "FLAG_IDS", "Examples", "RedFlag", "Rule", "ScanResult", "compile_rules",
    "detect_flags", "get_flag", "scan",
]


def scan(posting: Posting | Reading) -> ScanResult:
    """Hits plus the matches that negations/exceptions cancelled (used by the QA report)."""
    return scan_posting(posting, CATALOGUE)


def detect_flags(posting: Posting | Reading) -> list[FlagHit]:
    """The flags that fire on `posting`: high severity first, then catalogue order; one hit per
    flag with all its evidence (exact slices of the original field text, at most 10)."""
    return scan_posting(posting, CATALOGUE).hits


def compile_rules() -> int:
    """Compile every rule's patterns now, and say how many: the claims' windows make them
    large (about 3 s for the catalogue), and a server that left this to its first requests
    answered them seconds late. Rules compile lazily otherwise (one posting from the CLI
    pays only for the rules its keywords reach)."""
    count = 0
    for flag in CATALOGUE:
        for rule in flag.rules:
            count += rule.regex is not None
            _ = rule.context_regex
    return count
