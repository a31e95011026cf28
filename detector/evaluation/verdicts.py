"""`detector evaluate`: the figures, on the group-disjoint test split, beside the baseline.

Per language, on the core test rows (EMSCAD / 58.com), for the shipped verdict (model + red
flags), the model alone, and the plain baseline (word TF-IDF + LR trained on the same rows):
- ranking: ROC-AUC and PR-AUC with 95% intervals from a bootstrap over groups, and the
  paired difference from the baseline;
- decisions at the `high` band: precision, recall, F1, raw and re-weighted to prevalence;
- calibration at prevalence (Brier score, expected calibration error);
- the same test postings pasted as one text, and as short excerpts (what a job seeker sends);
- legit excerpts (core and other sites) rated medium or higher: false alarms on pastes;
- other sites' legit postings rated high, and scam SMS rated medium or high.
Grouped CV on train+valid (from training) stands beside them in the card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from detector.core import Detector
from detector.flags.qa import LOOKALIKE_WORK
from detector.model.bundle import LanguageModel
from detector.model.fitting import (
    HELD_OUT_PLATFORM,
    excerpt,
    group_weights,
    pasted,
    prevalence_weights,
    to_postings,
)
from detector.model.metrics import calibration_error, decision_metrics, round4
from detector.model.selection import group_bootstrap
from detector.schema import Posting
from detector.verdict import HIGH_AT, MEDIUM_AT, PREVALENCE, RISK_ORDER

SHAPES: dict[str, Callable[[Posting], Posting] | None] = {
    "structured": None, "pasted_text": pasted, "excerpt": excerpt,
}


def score_figures(prob: np.ndarray, labels: np.ndarray, high: np.ndarray, lang: str,
                  medium: np.ndarray | None = None) -> dict[str, Any]:
    """Headline figures for one set of scores; `high` (and `medium`: medium or high) are the
    boolean decisions."""
    weights = prevalence_weights(labels, PREVALENCE[lang])
    medium = prob >= MEDIUM_AT if medium is None else medium
    return {
        "n": len(labels),
        "n_scam": int(labels.sum()),
        "roc_auc": round4(roc_auc_score(labels, prob)),
        "pr_auc": round4(average_precision_score(labels, prob)),
        "pr_auc_at_prevalence": round4(
            average_precision_score(labels, prob, sample_weight=weights)),
        "at_high": decision_metrics(high, labels, np.ones(len(labels))),
        "at_high_at_prevalence": decision_metrics(high, labels, weights),
        "at_medium_or_high_at_prevalence": decision_metrics(medium, labels, weights),
        "brier_at_prevalence": round4(np.average((prob - labels) ** 2, weights=weights)),
        "ece_at_prevalence": calibration_error(prob, labels, weights),
    }


def _verdicts(detector: Detector, postings: Sequence[Posting]) -> dict[str, np.ndarray]:
    verdicts = detector.score_many(postings)
    return {
        "final": np.array([v.fraud_probability for v in verdicts]),
        "model": np.array([v.model_probability for v in verdicts]),
        "risk": np.array([RISK_ORDER[v.risk] for v in verdicts]),
        "low_confidence": np.array([v.confidence == "low" for v in verdicts]),
        # An alarm with a reason: a flag, or model evidence that explains the model's part,
        # or a plain statement that the estimate rests on no particular words.
        "no_reason": np.array([v.risk != "low" and not v.flags and not v.model_evidence
                               for v in verdicts]),
        "no_particular_words": np.array([v.basis == "no_particular_words"
                                         for v in verdicts]),
    }


def compare_on(
    detector: Detector, baseline: LanguageModel, postings: list[Posting], labels: np.ndarray,
    groups: np.ndarray, lang: str,
) -> dict[str, Any]:
    """Verdict, model alone and baseline on the same postings, with group-bootstrap CIs."""
    v = _verdicts(detector, postings)
    base, _ = baseline.predict(postings)
    result = {
        "verdict": score_figures(v["final"], labels, v["risk"] == 2, lang, v["risk"] >= 1),
        "model_only": score_figures(v["model"], labels, v["model"] >= HIGH_AT, lang),
        "baseline": score_figures(base, labels, base >= HIGH_AT, lang),
    }
    scores = {"baseline": base, "verdict": v["final"], "model_only": v["model"]}
    intervals = group_bootstrap(labels, scores, groups)
    # Each group counted once: one reposted template of 44 ads must not outweigh 44
    # campaigns (unseen platforms' feeds hold about 1.5 ads per campaign).
    by_group = group_bootstrap(labels, scores, groups, weights=group_weights(groups))
    for name in scores:
        result[name]["intervals"] = intervals[name]
        result[name]["intervals_groups_once"] = by_group[name]
    return result


def rates(detector: Detector, postings: list[Posting]) -> dict[str, Any]:
    v = _verdicts(detector, postings)
    alarms = int((v["risk"] >= 1).sum())
    return {
        "n": len(postings),
        "rated_high": round4((v["risk"] == 2).mean()),
        "rated_medium_or_high": round4((v["risk"] >= 1).mean()),
        "low_confidence": round4(v["low_confidence"].mean()),
        "alarms": alarms,
        "alarms_without_reason": int(v["no_reason"].sum()),
        "alarms_on_no_particular_words": int(v["no_particular_words"].sum()),
    }


def message_figures(detector: Detector, baseline: LanguageModel, frame: pd.DataFrame,
                    lang: str) -> dict[str, Any]:
    """Scam and legit messages of the test split: rated medium or high, per role and per the
    source's confidence grade, beside the baseline on the same texts."""
    postings = to_postings(frame)
    v = _verdicts(detector, postings)
    base, _ = baseline.predict(postings)
    out: dict[str, Any] = {}
    roles = frame["role"].to_numpy()
    grades = frame["grade"].fillna("").to_numpy()
    for role in sorted(set(roles)):
        parts = {"all": roles == role}
        if role == "sms_scam":
            parts.update({g: (roles == role) & (grades == g) for g in sorted(set(grades)) if g})
        for part, mask in parts.items():
            key = role if part == "all" else f"{role}_{part}"
            out[key] = {"n": int(mask.sum()),
                        "rated_medium_or_high": round4((v["risk"][mask] >= 1).mean()),
                        "rated_high": round4((v["risk"][mask] == 2).mean()),
                        "baseline_medium_or_high": round4((base[mask] >= MEDIUM_AT).mean())}
    labels = frame["label"].to_numpy(int)
    if labels.min() != labels.max():
        groups = frame["group"].to_numpy()
        out["ranking"] = group_bootstrap(labels, {"baseline": base, "verdict": v["final"]},
                                         groups, weights=group_weights(groups))
    return out


def lookalike_work(corpus: pd.DataFrame, test: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Legit postings about annotation, AI-trainer, typing or data-entry work that no model
    trained on: the test split's, and every row of the held-out site."""
    held = corpus[(corpus["language"] == lang)
                  & (corpus["platform"].fillna("") == HELD_OUT_PLATFORM)]
    rows = pd.concat([test, held[held["split"] != "test"]])
    rows = rows[(rows["label"] == 0) & rows["role"].isin(["core", "other_legit"])]
    text = rows.reindex(columns=["title", "description"]).fillna("").astype(str).agg(
        " ".join, axis=1)
    return rows[text.str.contains(LOOKALIKE_WORK).to_numpy()]


def evaluate_language(detector: Detector, baseline: LanguageModel, corpus: pd.DataFrame,
                      lang: str) -> dict[str, Any]:
    test = corpus[(corpus["language"] == lang) & (corpus["split"] == "test")]
    core = test[test["role"] == "core"]
    labels = core["label"].to_numpy(int)
    groups = core["group"].to_numpy()
    originals = to_postings(core)
    result: dict[str, Any] = {"bands": {"medium": MEDIUM_AT, "high": HIGH_AT}}
    for shape_name, shape in SHAPES.items():
        shaped = originals if shape is None else [shape(p) for p in originals]
        result[shape_name] = compare_on(detector, baseline, shaped, labels, groups, lang)
    legit = [excerpt(p) for p, y in zip(originals, labels, strict=True) if y == 0]
    result["core_legit_excerpts"] = rates(detector, legit)
    other = test[test["role"] == "other_legit"]
    if not other.empty:
        other_postings = to_postings(other)
        result["other_sites_legit"] = {"sources": sorted(other["source"].unique().tolist()),
                                       **rates(detector, other_postings)}
        result["other_sites_legit_excerpts"] = rates(
            detector, [excerpt(p) for p in other_postings])
    held = corpus[(corpus["language"] == lang)
                  & (corpus["platform"].fillna("") == HELD_OUT_PLATFORM)]
    if not held.empty:
        # A site no model trained on: every row of it, all splits.
        held_postings = to_postings(held)
        result["held_out_site"] = {"site": HELD_OUT_PLATFORM, **rates(detector, held_postings)}
        result["held_out_site_excerpts"] = rates(detector, [excerpt(p) for p in held_postings])
    work = lookalike_work(corpus, test, lang)
    if not work.empty:
        # Real work that looks like the scams' (annotation, AI training, typing, data entry):
        # none may be rated high, few medium, in any shape a person pastes it.
        work_postings = to_postings(work)
        result["lookalike_work"] = {
            shape_name: rates(detector, work_postings if shape is None
                              else [shape(p) for p in work_postings])
            for shape_name, shape in SHAPES.items()}
    sms = test[test["role"] == "sms_scam"]
    if not sms.empty:
        result["sms_scams"] = {"sources": sorted(sms["source"].unique().tolist()),
                               **rates(detector, to_postings(sms))}
    messages = test[test["role"].isin(["sms_scam", "msg_legit"])]
    if not messages.empty:
        result["messages"] = message_figures(detector, baseline, messages, lang)
    return result


def evaluate(detector: Detector, baselines: dict[str, LanguageModel], corpus: pd.DataFrame,
             log: Callable[[str], None] = print) -> dict[str, Any]:
    figures = {}
    for lang in ("en", "zh"):
        log(f"[{lang}] evaluating on the test split")
        figures[lang] = evaluate_language(detector, baselines[lang], corpus, lang)
    return figures


def _ci(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "–"
    lo, hi = entry["ci"]
    return f"{entry['value']:.3f} [{lo:.3f}, {hi:.3f}]"


def format_figures(figures: dict[str, Any], cv: dict[str, Any] | None = None) -> str:
    """Readable markdown tables of the headline figures, model beside baseline."""
    lines = [
        "| language | input | scores | n (scam) | ROC-AUC [95% CI] | PR-AUC [95% CI] | "
        "ROC-AUC, groups once | PR-AUC, groups once | PR-AUC @prev | P@high | R@high | "
        "F1@high @prev | ECE @prev |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, result in figures.items():
        for shape in SHAPES:
            for name in ("baseline", "model_only", "verdict"):
                m = result.get(shape, {}).get(name)
                if not m:
                    continue
                iv = m.get("intervals", {})
                gw = m.get("intervals_groups_once", {})
                at, atp = m["at_high"], m["at_high_at_prevalence"]
                lines.append(
                    f"| {lang} | {shape} | {name} | {m['n']} ({m['n_scam']}) | "
                    f"{_ci(iv.get('roc_auc'))} | {_ci(iv.get('pr_auc'))} | "
                    f"{_ci(gw.get('roc_auc'))} | {_ci(gw.get('pr_auc'))} | "
                    f"{m['pr_auc_at_prevalence']:.3f} | {at['precision']:.3f} | "
                    f"{at['recall']:.3f} | {atp['f1']:.3f} | {m['ece_at_prevalence']:.3f} |")
    lines.append("")
    for lang, result in figures.items():
        for key, label in (
            ("core_legit_excerpts", "legit test excerpts (title + opening) rated medium or high"),
            ("other_sites_legit_excerpts", "other-site legit excerpts rated medium or high"),
            ("other_sites_legit", "other-site legit postings rated high"),
            ("held_out_site_excerpts", "legit excerpts of a site no model trained on "
             "(猎聘) rated medium or high"),
            ("held_out_site", "legit postings of a site no model trained on (猎聘) rated high"),
            ("sms_scams", "reported scam SMS rated medium or high"),
        ):
            if key not in result:
                continue
            r = result[key]
            value = (r["rated_high"] if key in ("other_sites_legit", "held_out_site")
                     else r["rated_medium_or_high"])
            extra = (f" (high {r['rated_high']:.1%}, low confidence {r['low_confidence']:.1%})"
                     if "excerpts" in key else "")
            lines.append(f"- {lang} {label}, n={r['n']}: {value:.1%}{extra}")
        for shape, r in result.get("lookalike_work", {}).items():
            lines.append(f"- {lang} legit annotation / AI-trainer / typing / data-entry postings "
                         f"no model trained on, {shape}, n={r['n']}: high {r['rated_high']:.1%}, "
                         f"medium or high {r['rated_medium_or_high']:.1%}")
        for key, m in result.get("messages", {}).items():
            if key == "ranking":
                continue
            lines.append(f"- {lang} test messages `{key}`, n={m['n']}: medium or high "
                         f"{m['rated_medium_or_high']:.1%} (high {m['rated_high']:.1%}; "
                         f"baseline medium or high {m['baseline_medium_or_high']:.1%})")
    if cv:
        lines += ["", "Grouped 5-fold CV on train+valid (each group counted once; "
                  "difference = model - baseline, paired bootstrap over groups):", "",
                  "| language | n (scam, groups) | metric | baseline | model | difference |",
                  "|---|---|---|---|---|---|"]
        for lang, c in cv.items():
            for metric in ("roc_auc", "pr_auc"):
                model = c["model"][metric]
                lo, hi = model["diff_ci"]
                lines.append(
                    f"| {lang} | {c['n']} ({c['n_scam']}, {c['n_groups']}) | {metric} | "
                    f"{_ci(c['baseline'][metric])} | {_ci(model)} | "
                    f"{model['diff_vs_baseline']:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    return "\n".join(lines)
