"""The one core every face calls: postings in, verdicts out.

    from detector.core import get_detector
    verdict = get_detector().score(parse_posting({"text": "..."}))

The model loads lazily, once per process (and per model directory), on first use.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from detector.campaigns.memory import CampaignMemory, default_memory
from detector.flags import get_flag
from detector.model.artifact import load_bundle
from detector.model.bundle import ModelBundle, flags_of
from detector.model.combiner import Combiner
from detector.model.explain import Term
from detector.schema import Posting
from detector.settings import Settings
from detector.verdict import HIGH_AT, MEDIUM_AT, RISK_ORDER, FlagHit, Verdict

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
    """Scores postings with the shipped model and the red-flag catalogue.

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
        """Score a batch; batching by language lets the model vectorise.

        `model_evidence` is computed for every medium or high verdict (an alarm needs its
        reasons) and, with `explain`, for every verdict.
        """
        if not postings:
            return []
        _one_openmp_thread()
        flags = flags_of(postings)
        known = (self.campaigns or default_memory()).lookup(postings)
        for hits, found in zip(flags, known, strict=False):
            if found.hit is not None:  # after the other high flags (catalogue order)
                hits.insert(sum(hit.severity == "high" for hit in hits), found.hit)
        langs = [self.bundle.language_of(p) for p in postings]
        probs = np.zeros(len(postings))
        kept = np.ones(len(postings))
        short = np.zeros(len(postings), dtype=bool)
        rows: list[Any] = [None] * len(postings)  # feature rows, reused to explain
        for lang in set(langs):
            idx = [i for i, code in enumerate(langs) if code == lang]
            model = self.bundle.languages[lang]
            sub = [postings[i] for i in idx]
            shares = model.shares(sub)
            # A short text is pulled towards the base rate (see LanguageModel), unless a red
            # flag says it looks like a scam message (`has_signal`): then it is not discounted.
            signal = np.array([has_signal(flags[i], self.bundle.combiner) for i in idx],
                              dtype=bool)
            kept[idx] = np.where(signal, 1.0, shares)
            found_rows: list[Any] = [None] * len(sub)
            probs[idx] = model.pull(model.raw_predict(sub, found_rows), kept[idx])
            for i, row in zip(idx, found_rows, strict=True):
                rows[i] = row
            short[idx] = model.short(sub)
        verdicts = [
            self._verdict(posting, float(prob), lang, hits, bool(unsure))
            for posting, prob, lang, hits, unsure in zip(postings, probs, langs, flags, short,
                                                          strict=True)
        ]
        wanted = [i for i, v in enumerate(verdicts) if explain or v.risk != "low"]
        for lang in {langs[i] for i in wanted}:
            idx = [i for i in wanted if langs[i] == lang]
            model = self.bundle.languages[lang]
            terms = model.terms([postings[i] for i in idx], kept[idx], [rows[i] for i in idx])
            for i, found_terms in zip(idx, terms, strict=True):
                _attach_reasons(verdicts[i], found_terms, model.prevalence)
        for verdict, found in zip(verdicts, known, strict=False):
            verdict.notes = found.notes
        return verdicts

    def _verdict(self, posting: Posting, prob: float, lang: str, hits: list[FlagHit],
                 unsure: bool) -> Verdict:
        combiner = self.bundle.combiner
        final = combiner.combine(prob, hits) if combiner is not None else floors_only(prob, hits)
        risk_level = 2 if final >= HIGH_AT else 1 if final >= MEDIUM_AT else 0
        return Verdict(
            id=posting.id,
            fraud_probability=round(final, 4),
            risk=RISKS[risk_level],  # type: ignore[arg-type]
            language=lang,
            model_version=self.model_version,
            flags=hits,
            model_probability=round(prob, 4),
            # Too little text to tell: short, no red flag to go on, and nothing that raised it.
            confidence="low" if unsure and risk_level == 0
            and not any(h.severity != "low" for h in hits) else "normal",
        )


#: A flag on the wording at least this many times as common in real scam texts as in legit
#: postings (its measured likelihood ratio) says a short text looks like a scam message,
#: whatever its severity.
SIGNAL_RATIO = 2.0


def has_signal(hits: Sequence[FlagHit], combiner: Combiner | None = None) -> bool:
    """A red flag that says the text looks like a scam message, however short: a medium or
    high one, or one on the wording (not on something missing, such as a company name)
    whose measured likelihood ratio is at least `SIGNAL_RATIO`."""
    for hit in hits:
        if hit.severity != "low":
            return True
        rate = combiner.rates.get(hit.id) if combiner is not None else None
        if (rate is not None and math.exp(rate.weight) >= SIGNAL_RATIO
                and not get_flag(hit.id).fires_on_absence):
            return True
    return False


def floors_only(prob: float, hits: Sequence[FlagHit]) -> float:
    """The estimate without a combiner: a flag raises it to its severity's floor."""
    floor = max((RISK_ORDER[hit.severity] for hit in hits if hit.severity != "low"), default=0)
    return max(prob, (0.0, MEDIUM_AT, HIGH_AT)[floor])


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
