"""The one core every face calls: postings in, verdicts out.

    from detector.core import get_detector
    verdict = get_detector().score(parse_posting({"text": "..."}))

The model loads lazily, once per process (and per model directory), on first use.
"""

from __future__ import annotations

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

    Flags drive the risk directly: a `high`-severity flag makes the posting high risk and a
    `medium` one at least medium, whatever the text model says (it may never have seen that
    scam); the probability is raised to the tier's floor so tier and number agree. Tiers
    are fixed bands of the probability, the same in every language (`detector.verdict`).
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

    def score(self, posting: Posting) -> Verdict:
        return self.score_many([posting])[0]

    def score_many(self, postings: Sequence[Posting]) -> list[Verdict]:
        """Score a batch; batching by language lets the model vectorise."""
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
        low = np.zeros(len(postings), dtype=bool)
        for lang in set(langs):
            idx = [i for i, code in enumerate(langs) if code == lang]
            probs[idx], low[idx] = self.bundle.languages[lang].predict([postings[i] for i in idx])
        verdicts = [
            self._verdict(posting, float(prob), lang, hits, bool(unsure))
            for posting, prob, lang, hits, unsure in zip(postings, probs, langs, flags, low,
                                                          strict=True)
        ]
        for verdict, found in zip(verdicts, known, strict=False):
            verdict.notes = found.notes
        return verdicts

    def _verdict(self, posting: Posting, prob: float, lang: str, hits: list[FlagHit],
                 unsure: bool) -> Verdict:
        tier = 2 if prob >= HIGH_AT else 1 if prob >= MEDIUM_AT else 0
        floor = max((RISK_ORDER[hit.severity] for hit in hits if hit.severity != "low"),
                    default=0)
        risk_level = max(tier, floor)
        final = prob
        if risk_level > tier:
            final = max(prob, HIGH_AT if risk_level == 2 else MEDIUM_AT)
        return Verdict(
            id=posting.id,
            fraud_probability=round(final, 4),
            risk=RISKS[risk_level],  # type: ignore[arg-type]
            language=lang,
            model_version=self.model_version,
            flags=hits,
            model_probability=round(prob, 4),
            # Too little text to tell, and no red flag to go on.
            confidence="low" if unsure and not floor else "normal",
        )


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
