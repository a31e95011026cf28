"""Rule recall on real scam texts: how many real scams each flag catches, and which none does.

Precision on `labeled_posts/` (see `qa.py`) protects real jobs, but the labelled postings
barely contain fee, ID or task scams, so it cannot say what the catalogue misses. This module
runs the catalogue over real scam texts kept in the shared real-data folder (`../shared/data/`
beside the clone; read at QA time, never copied into the project: the news bodies belong to
their publishers):

- `sms_job_zh`: hand-labelled Chinese job-scam SMS and web posts (`sms_scam_zh`, `scam_job`
  rows), graded by the labeller's confidence;
- `chat_zh`: OCR text of real fraud chats (`label == fraud`, mostly not job scams);
- `news_job_zh`: police/news reports filed under 兼职刷单诈骗 (`is_job_related_category`);
- `news_all_zh`: every report in that file (all twelve scam categories, most not job scams);
- `sms_en`: real job-scam SMS/WhatsApp lures (`label == scam`).

Every source is split into a develop half and a held-out half by near-duplicate group (see
`halves.py`): rules are written from the develop half, and recall is printed on both.

The Chinese sources are also scanned as *copies*: converted to traditional script with OpenCC
configurations the shipped folding does not use (s2tw, s2hk, s2twp), and with lookalike
characters from the held-out half of the substitution table (see `robustness.py`). A rule set
that only works on the simplified originals shows it there.

The report must also run without the shared folder (a clone on its own): each source then
says what file it needs and where that comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from detector.flags import CATALOGUE, detect_flags
from detector.flags.halves import DEVELOP, HELD_OUT, halves
from detector.flags.sources import REAL_SCAM_SOURCES, ScamSource
from detector.schema import ALL_FIELDS, InvalidPosting, parse_posting, posting_from_text

SERIOUS = frozenset({"medium", "high"})
ORIGINAL = "original"
#: What the shared folder is, for the message of a source that cannot be read.
SHARED_DATA_NOTE = (
    "the shared real-data folder (real scam texts gathered from public research corpora, each "
    "file described in its SOURCE.md; not distributed with the project). Put it at "
    "../shared/data beside the clone or pass --shared-data DIR"
)


@dataclass(frozen=True)
class ScannedSource:
    """The flags fired on every scam text of one source (or why the source was skipped).

    `variant` is `ORIGINAL` or the name of a robustness copy ("s2tw", "lookalikes", ...);
    `halves` and `grades` are aligned with `fired` (see module docstring).
    """

    name: str
    language: str
    description: str
    fired: tuple[dict[str, str], ...] = ()  # per text: flag id -> severity
    texts: tuple[str, ...] = ()  # the scanned texts, aligned with `fired` (never saved)
    halves: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    variant: str = ORIGINAL
    skipped: str | None = None

    @property
    def n(self) -> int:
        return len(self.fired)

    def _rows(self, half: str | None, grade: str | None) -> Iterable[dict[str, str]]:
        for i, hits in enumerate(self.fired):
            if half is not None and self.halves and self.halves[i] != half:
                continue
            if grade is not None and (not self.grades or self.grades[i] != grade):
                continue
            yield hits

    def count(self, half: str | None = None, grade: str | None = None) -> int:
        return sum(1 for _ in self._rows(half, grade))

    def caught(self, severities: frozenset[str] = SERIOUS, half: str | None = None,
               grade: str | None = None) -> int:
        return sum(1 for hits in self._rows(half, grade)
                   if any(s in severities for s in hits.values()))

    def flag_hits(self, flag_id: str) -> int:
        return sum(1 for hits in self.fired if flag_id in hits)

    def uncaught(self, half: str | None = None) -> list[tuple[str, dict[str, str]]]:
        """(text, low flags) of every text no medium/high flag catches: what to read next."""
        return [(text, hits) for i, (text, hits) in enumerate(zip(self.texts, self.fired,
                                                                  strict=True))
                if not any(s in SERIOUS for s in hits.values())
                and (half is None or not self.halves or self.halves[i] == half)]


@dataclass
class _Scanner:
    """Flags per text, memoised: news_job_zh is a subset of news_all_zh, and copies repeat
    texts that have no Han characters."""

    memo: dict[str, dict[str, str] | None] = field(default_factory=dict)

    def __call__(self, text: str) -> dict[str, str] | None:
        if text not in self.memo:
            try:
                posting = posting_from_text(text)
            except InvalidPosting:
                self.memo[text] = None
            else:
                self.memo[text] = {hit.id: hit.severity for hit in detect_flags(posting)}
        return self.memo[text]


def _scan(source: ScamSource, scanner: _Scanner, texts: Sequence[Any], ids: Sequence[str],
          split: Sequence[str], grades: Sequence[str], variant: str = ORIGINAL) -> ScannedSource:
    fired, kept, kept_halves, kept_grades = [], [], [], []
    for text, half, grade in zip(texts, split, grades, strict=True):
        if not isinstance(text, str) or not text.strip():
            continue
        hits = scanner(text)
        if hits is None:
            continue
        fired.append(hits)
        kept.append(text)
        kept_halves.append(half)
        kept_grades.append(grade)
    return ScannedSource(source.name, source.language, source.description, tuple(fired),
                         tuple(kept), tuple(kept_halves), tuple(kept_grades), variant)


NEEDS = "needs "


def missing_data_note(shared_data: Path) -> str:
    """Where the files of the sources marked "needs ..." come from."""
    return f"Sources marked \"needs FILE\" read FILE from {SHARED_DATA_NOTE} (looked in " \
           f"{shared_data})."


def scan_real_scams(shared_data: Path, copies: bool = False) -> list[ScannedSource]:
    """Scan every real scam source; a missing file or column is skipped with what it needs.

    With `copies`, each Chinese source is also scanned as its robustness copies (module
    docstring); a copy that cannot be made is a skipped entry saying why."""
    out: list[ScannedSource] = []
    frames: dict[str, pd.DataFrame] = {}
    scanner = _Scanner()
    for source in REAL_SCAM_SOURCES:
        path = shared_data / source.relative
        if not path.exists():
            out.append(ScannedSource(source.name, source.language, source.description,
                                     skipped=f"{NEEDS}{source.relative}"))
            continue
        try:
            frame = frames.get(source.relative)
            if frame is None:
                frame = frames[source.relative] = pd.read_csv(path, dtype=str)
            rows = frame.loc[source.rows(frame).to_numpy()]
            texts = rows["text"].fillna("").tolist()
            ids = rows["id"].astype(str).tolist()
            grades = (source.grade(rows).tolist() if source.grade is not None
                      else [""] * len(rows))
            also = (rows[source.campaign].tolist()
                    if source.campaign and source.campaign in rows else None)
        except (KeyError, ValueError, OSError) as exc:
            out.append(ScannedSource(source.name, source.language, source.description,
                                     skipped=f"{path} unreadable: {exc}"))
            continue
        split = halves(ids, texts, also)
        out.append(_scan(source, scanner, texts, ids, split, grades))
        if copies and source.language == "zh":
            out.extend(_scan_copies(source, scanner, texts, ids, split, grades))
    return out


def _scan_copies(source: ScamSource, scanner: _Scanner, texts: list[str], ids: list[str],
                 split: list[str], grades: list[str]) -> list[ScannedSource]:
    from detector.flags import robustness

    out = []
    for variant, make in robustness.copy_makers().items():
        if isinstance(make, str):  # why this copy cannot be made
            out.append(ScannedSource(source.name, source.language, source.description,
                                     variant=variant, skipped=make))
            continue
        out.append(_scan(source, scanner, make(texts), ids, split, grades, variant))
    return out


def scan_labelled_scams(frame: pd.DataFrame) -> list[ScannedSource]:
    """The scam rows of `labeled_posts/`, one pseudo-source per (source, language)."""
    out: list[ScannedSource] = []
    scams = frame[frame["label"] == 1]
    cols = [c for c in scams.columns if c in ALL_FIELDS]
    for (source, lang), group in scams.groupby(["source", "language"], sort=True):
        fired, kept = [], []
        for record in group[cols].to_dict("records"):
            clean = {k: v for k, v in record.items() if isinstance(v, str) and v.strip()}
            try:
                posting = parse_posting(clean)
            except InvalidPosting:
                continue
            fired.append({hit.id: hit.severity for hit in detect_flags(posting)})
            kept.append(posting.full_text())
        out.append(ScannedSource(f"posts_{source}", str(lang), f"labeled_posts/ scam rows "
                                 f"from {source}", tuple(fired), tuple(kept)))
    return out


def originals(scanned: Iterable[ScannedSource]) -> list[ScannedSource]:
    return [s for s in scanned if s.variant == ORIGINAL]


def recall_columns(scanned: list[ScannedSource]) -> pd.DataFrame:
    """Per (flag, language): recall on each real source of that language (NaN otherwise)."""
    rows = []
    live = [s for s in originals(scanned)
            if s.skipped is None and not s.name.startswith("posts_")]
    for flag in CATALOGUE:
        for lang in ("en", "zh"):
            row: dict[str, Any] = {"flag": flag.id, "language": lang}
            for source in live:
                value = math.nan
                if source.language == lang and source.n:
                    value = source.flag_hits(flag.id) / source.n
                row[f"recall_{source.name}"] = value
            rows.append(row)
    return pd.DataFrame(rows)


def _share(caught: int, n: int) -> float:
    return caught / n if n else math.nan


def source_summary(scanned: list[ScannedSource]) -> pd.DataFrame:
    """Per source (and per grade, where a source has grades): texts, share caught by a
    medium/high flag overall and in each half, by any flag, and how many are uncaught."""
    rows = []
    for s in originals(scanned):
        if s.skipped is not None:
            rows.append({"source": s.name, "language": s.language, "what": s.description,
                         "n": 0, "caught_medium_high": math.nan, "develop": math.nan,
                         "held_out": math.nan, "caught_any": math.nan,
                         "uncaught_medium_high": 0, "note": s.skipped})
            continue
        grades = sorted({g for g in s.grades if g}, key=_grade_order)
        for grade in [None, *grades]:
            n = s.count(grade=grade)
            serious = s.caught(grade=grade)
            rows.append({
                "source": s.name if grade is None else f"{s.name} ({grade} confidence)",
                "language": s.language, "what": s.description, "n": n,
                "caught_medium_high": _share(serious, n),
                "develop": _share(s.caught(half=DEVELOP, grade=grade),
                                  s.count(half=DEVELOP, grade=grade)) if s.halves else math.nan,
                "held_out": _share(s.caught(half=HELD_OUT, grade=grade),
                                   s.count(half=HELD_OUT, grade=grade)) if s.halves else math.nan,
                "caught_any": _share(s.caught(frozenset({"low", "medium", "high"}),
                                              grade=grade), n),
                "uncaught_medium_high": n - serious, "note": "",
            })
    return pd.DataFrame(rows)


def _grade_order(grade: str) -> tuple[int, str]:
    return ({"high": 0, "medium": 1, "low": 2}.get(grade, 3), grade)


def robustness_summary(scanned: list[ScannedSource]) -> pd.DataFrame:
    """Per Chinese source: share caught by a medium/high flag on the originals and on each
    copy (NaN with a note when a copy could not be made)."""
    rows: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for s in scanned:
        if s.language != "zh" or s.name.startswith("posts_"):
            continue
        row = rows.setdefault(s.name, {"source": s.name})
        if s.skipped is not None:
            row[s.variant] = math.nan
            if s.variant != ORIGINAL:
                notes[s.variant] = s.skipped
            continue
        row[s.variant] = _share(s.caught(), s.n)
        if s.variant == ORIGINAL:
            row["n"] = s.n
    frame = pd.DataFrame(list(rows.values()))
    frame.attrs["notes"] = notes
    return frame


_SAFE = re.compile(r"\s+")


def one_line(text: str, chars: int) -> str:
    return _SAFE.sub(" ", text)[:chars]
