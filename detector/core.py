"""The one core every face calls: postings in, verdicts out, through one pipeline.

    from detector.core import get_detector
    verdict = get_detector().score(parse_posting({"text": "..."}))

`Detector.score_many` runs `PIPELINE`, a fixed order of named steps, each taking what the
earlier ones produced (`Batch`) and each living in the room that owns its work:

1. `read_texts` (`detector.textnorm`): each posting read once; every later step uses it;
2. `find_flags` (`detector.flags`): the red flags, with evidence spans;
3. `recall_campaigns` (`detector.campaigns`): reposts of known scams;
4. `tell_languages` (`detector.language`, as the model knows them);
5. `run_models` (`detector.model`): each language's text model, short texts pulled;
6. `combine` (`detector.model.combiner`): one estimate from the model's odds and the flags;
7. `explain` (`detector.model.explain`): the words the model weighed, for every alarm.

The model loads lazily, once per process (and per model directory), on first use.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from detector.campaigns.memory import CampaignMemory, CampaignResult, default_memory
from detector.flags import detect_flags, get_flag
from detector.model.artifact import load_bundle
from detector.model.bundle import ModelBundle
from detector.model.combiner import floors_only, has_signal
from detector.model.explain import Term
from detector.schema import Posting
from detector.settings import Settings
from detector.textnorm.reading import Reading, read
from detector.verdict import HIGH_AT, MEDIUM_AT, FlagHit, Verdict

RISKS = ("low", "medium", "high")
_thread_state = threading.local()


def _one_openmp_thread() -> None:
    """Limit OpenMP to one thread for the calling thread (OpenMP's setting is per thread).

    Scoring parallelises across processes and request threads (scan --jobs, server workers).
    A gradient-boosting OpenMP team per call only adds contention: 20 ms per posting became
    over a second on a busy 2-core machine.
    """
    if not getattr(_thread_state, "limited", False):
        threadpool_limits(limits=1, user_api="openmp")
        _thread_state.limited = True


class Detector:
    """Scores postings with the shipped model and the red-flag catalogue (`PIPELINE`).

    The estimate joins the text model's odds and every red flag's measured weight
    (`detector.model.combiner`); a flag too rare in the data to be weighed keeps its severity
    floor (high -> at least 50%, medium -> at least 20%). Tiers are fixed bands of the
    estimate, the same in every language (`detector.verdict`). Every medium or high verdict
    says why: its flags, and the words the text model weighed (`model_evidence`).
    """

    def __init__(self, bundle: ModelBundle, card: dict[str, Any],
                 campaigns: CampaignMemory | None = None) -> None:
        self.bundle = bundle
        self.card = card
        #: Campaign memory (known scams); None: the one DETECTOR_LABEL_DB names.
        self.campaigns = campaigns

    def using(self, campaigns: CampaignMemory | None) -> Detector:
        """The same model with another campaign memory (the API's store, an evaluation's)."""
        return Detector(self.bundle, self.card, campaigns)

    @property
    def model_version(self) -> str:
        """The bundle's version, which names a digest of the model's content (`detector
        train`), so it changes whenever the model does; the one string every face reports."""
        return self.bundle.version

    def thresholds(self, lang: str) -> tuple[float, float]:
        """The tier bands: the same in every language (see `detector.verdict`)."""
        return MEDIUM_AT, HIGH_AT

    def score(self, posting: Posting, explain: bool = False) -> Verdict:
        return self.score_many([posting], explain=explain)[0]

    def score_many(self, postings: Sequence[Posting], explain: bool = False) -> list[Verdict]:
        """Score a batch through `PIPELINE`; batching by language lets the models vectorise.

        `model_evidence` is computed for every medium or high verdict (an alarm needs its
        reasons) and, with `explain`, for every verdict.
        """
        if not postings:
            return []
        _one_openmp_thread()
        batch = Batch(self, list(postings), explain)
        for step in PIPELINE:
            step(batch)
        return batch.verdicts


@dataclass
class Batch:
    """What the pipeline knows about a batch so far: each step fills in its part."""

    detector: Detector
    postings: list[Posting]
    explain: bool = False
    #: `read_texts`: each posting read once (`detector.textnorm.reading`).
    readings: list[Reading] = field(default_factory=list)
    #: `find_flags` (+ `recall_campaigns`): the red flags of each posting.
    flags: list[list[FlagHit]] = field(default_factory=list)
    #: `recall_campaigns`: what campaign memory says of each posting (notes for moderators).
    known: list[CampaignResult] = field(default_factory=list)
    #: `tell_languages`: the model language of each posting.
    languages: list[str] = field(default_factory=list)
    #: `run_models`: the text model's estimate (after the short-text pull), the share of its
    #: log-odds each posting kept, whether it is too short to judge, and its feature row.
    probabilities: np.ndarray = field(default_factory=lambda: np.zeros(0))
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0))
    short: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    rows: list[Any] = field(default_factory=list)
    #: `combine`: the verdicts; `explain` adds their model evidence.
    verdicts: list[Verdict] = field(default_factory=list)

    def by_language(self, indices: Sequence[int] | None = None) -> dict[str, list[int]]:
        """Positions of the postings (or of `indices`) grouped by model language."""
        groups: dict[str, list[int]] = {}
        for i in range(len(self.postings)) if indices is None else indices:
            groups.setdefault(self.languages[i], []).append(i)
        return groups


def read_texts(batch: Batch) -> None:
    """Step 1: read each posting once (normalised fields with offset maps)."""
    batch.readings = [read(posting) for posting in batch.postings]


def find_flags(batch: Batch) -> None:
    """Step 2: the red flags, on the reading."""
    batch.flags = [detect_flags(reading) for reading in batch.readings]


def recall_campaigns(batch: Batch) -> None:
    """Step 3: reposts of known scams, from the same reading; a match is a high flag, placed
    after the other high flags (catalogue order)."""
    memory = batch.detector.campaigns or default_memory()
    batch.known = memory.lookup(batch.readings)
    for hits, found in zip(batch.flags, batch.known, strict=True):
        if found.hit is not None:
            hits.insert(sum(hit.severity == "high" for hit in hits), found.hit)


def tell_languages(batch: Batch) -> None:
    """Step 4: which language's model reads each posting."""
    bundle = batch.detector.bundle
    batch.languages = [bundle.language_of(reading.plain) for reading in batch.readings]


def run_models(batch: Batch) -> None:
    """Step 5: each language's text model on the postings as read. A short text is pulled
    towards the base rate (see `LanguageModel`), unless a red flag says it looks like a scam
    message (`has_signal`): then it is not discounted."""
    bundle = batch.detector.bundle
    n = len(batch.postings)
    batch.probabilities, batch.kept = np.zeros(n), np.ones(n)
    batch.short, batch.rows = np.zeros(n, dtype=bool), [None] * n
    for lang, idx in batch.by_language().items():
        model = bundle.languages[lang]
        sub = [batch.readings[i].plain for i in idx]
        shares = model.shares(sub)
        signal = np.array([has_signal(batch.flags[i], bundle.combiner) for i in idx],
                          dtype=bool)
        batch.kept[idx] = np.where(signal, 1.0, shares)
        found_rows: list[Any] = [None] * len(sub)
        batch.probabilities[idx] = model.pull(model.raw_predict(sub, found_rows),
                                              batch.kept[idx])
        for i, row in zip(idx, found_rows, strict=True):
            batch.rows[i] = row
        batch.short[idx] = model.short(sub)


def combine(batch: Batch) -> None:
    """Step 6: one estimate from the model's odds and the flags, and its tier."""
    detector = batch.detector
    combiner = detector.bundle.combiner
    batch.verdicts = []
    for posting, prob, lang, hits, unsure, known in zip(
            batch.postings, batch.probabilities, batch.languages, batch.flags, batch.short,
            batch.known, strict=True):
        prob = float(prob)
        final = combiner.combine(prob, hits) if combiner is not None else floors_only(prob, hits)
        risk_level = 2 if final >= HIGH_AT else 1 if final >= MEDIUM_AT else 0
        batch.verdicts.append(Verdict(
            id=posting.id,
            fraud_probability=round(final, 4),
            risk=RISKS[risk_level],  # type: ignore[arg-type]
            language=lang,
            model_version=detector.model_version,
            flags=hits,
            model_probability=round(prob, 4),
            # Too little text to tell: short, no red flag to go on, and nothing that raised it.
            confidence="low" if unsure and risk_level == 0
            and not any(h.severity != "low" for h in hits) else "normal",
            notes=known.notes,
        ))


def explain(batch: Batch) -> None:
    """Step 7: the words the model weighed, for every medium or high verdict (and every
    verdict when asked), reusing the feature rows the models made."""
    bundle = batch.detector.bundle
    wanted = [i for i, v in enumerate(batch.verdicts) if batch.explain or v.risk != "low"]
    for lang, idx in batch.by_language(wanted).items():
        model = bundle.languages[lang]
        terms = model.terms([batch.readings[i].plain for i in idx], batch.kept[idx],
                            [batch.rows[i] for i in idx])
        for i, found_terms in zip(idx, terms, strict=True):
            reading = batch.readings[i]
            if reading.plain is not reading.posting:  # words found in the undisguised text
                found_terms = [_in_original(reading, term) for term in found_terms]
            _attach_reasons(batch.verdicts[i], found_terms, model.prevalence)


def _in_original(reading: Reading, term: Term) -> Term:
    """A model word found in the posting as read, as a span of the posting as written."""
    start, end = reading.original_span(term.field, term.start, term.end)
    return Term(term.field, start, end, reading.posting.fields[term.field][start:end],
                term.weight)


#: The scoring pipeline, in order (see the module docstring).
PIPELINE: tuple[Callable[[Batch], None], ...] = (
    read_texts, find_flags, recall_campaigns, tell_languages, run_models, combine, explain,
)


#: The words shown must account for at least this share of the model's rise above the base
#: rate (in log-odds), or the verdict says that the estimate rests on no particular words.
EVIDENCE_SHARE = 0.5


def _attach_reasons(verdict: Verdict, terms: list[Term], prevalence: float) -> None:
    """Model evidence on the verdict, and whether it explains the model's part."""
    verdict.model_evidence = terms
    prior = math.log(prevalence / (1 - prevalence))
    p = min(max(verdict.model_probability or 0.0, 1e-6), 1 - 1e-6)
    rise = math.log(p / (1 - p)) - prior
    shown = sum(t.weight for t in terms if t.weight > 0)
    verdict.model_evidence_share = round(shown / rise, 3) if rise > 0 else None
    verdict.model_evidence_explains = rise <= 0 or shown >= EVIDENCE_SHARE * rise


def flag_details(hit: FlagHit, lang: str, private: bool = False) -> dict[str, Any]:
    """A flag hit with its title, explanation and advice in `lang`, ready to serialise.

    A lookup flag (campaign memory) shows its match and the spans shared with the known
    scam only when `private` (moderators, the CLI): a public caller learns that the posting
    matches a reported scam campaign, and nothing that tells how far it is from not
    matching."""
    flag = get_flag(hit.id)
    shown = hit.detail is None or private
    out = {
        "id": hit.id,
        "severity": hit.severity,
        "title": flag.text("title", lang),
        "explanation": flag.text("explanation", lang),
        "advice": flag.text("advice", lang),
        "evidence": [
            {"field": e.field, "start": e.start, "end": e.end, "text": e.text}
            for e in hit.evidence
        ] if shown else [],
    }
    if hit.detail is not None and private:
        out["match"] = hit.detail
    return out


def verdict_dict(verdict: Verdict, lang: str | None = None, private: bool = False
                 ) -> dict[str, Any]:
    """The JSON shape every face emits; flag texts in `lang` (default: the posting's).
    `private`: the caller is a moderator or the CLI (see `flag_details`); adds `notes`."""
    lang = lang or verdict.language
    out = {
        "id": verdict.id,
        "fraud_probability": verdict.fraud_probability,
        "risk": verdict.risk,
        "language": verdict.language,
        "model_version": verdict.model_version,
        "model_probability": verdict.model_probability,
        "confidence": verdict.confidence,
        "flags": [flag_details(hit, lang, private) for hit in verdict.flags],
        "model_evidence": [t.to_dict() for t in verdict.model_evidence],
        "basis": verdict.basis,
    }
    if private and verdict.notes:
        out["notes"] = verdict.notes
    return out


_lock = threading.Lock()
_detectors: dict[Path, Detector] = {}


def get_detector(model_dir: Path | None = None) -> Detector:
    """The process-wide detector for `model_dir` (default from settings), loaded once."""
    path = (model_dir or Settings.from_env().model_dir).resolve()
    with _lock:
        if path not in _detectors:
            bundle, card = load_bundle(path)
            _detectors[path] = Detector(bundle, card)
        return _detectors[path]
