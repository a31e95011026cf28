"""`detector models compare OLD NEW`: both models side by side, with bootstrap intervals.

Sections, per language where it applies:
- `test_split`: the corpus's fixed group-disjoint test split (core rows), minus the groups
  either model's moderator labels share a campaign with (see detector.labels.training);
- `pasted_text`: the same postings pasted as one text;
- `moderator_holdout`: the labels the new model held out of its training;
- `flag_examples`: every red flag's own examples through both detectors (a matching example
  passes when the verdict carries the flag at its severity or above, a non-matching one when
  it does not carry it).
Intervals: 95% percentile bootstrap, resampling whole groups (examples for flag examples),
the same resample for both models, so the interval of the difference is paired.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from detector.core import Detector
from detector.verdict import RISK_ORDER

#: metric -> +1 if higher is better, -1 if lower is better.
DIRECTION = {"recall_at_high": 1, "false_alarms_at_high": -1, "pr_auc_at_prevalence": 1,
             "pass_rate": 1, "mean_model_probability_on_matches": 1}
#: What `promote` refuses on: new worse than old beyond the interval of the difference.
GATED = {"test_split": ("recall_at_high", "false_alarms_at_high", "pr_auc_at_prevalence"),
         "flag_examples": ("pass_rate",)}
N_BOOT = 1000
SEED = 13
#: Held-out moderator decisions of one class, in one language, needed before that language's
#: held-out slice gates a figure on it: recall at high needs this many scams, false alarms
#: at high this many legit postings. With 20% held out, about five times as many decided.
MIN_HOLDOUT_PER_CLASS = 10
#: How a refusal for a held-out slice too small to gate begins.
TOO_FEW = "moderator_holdout: too few held-out decisions to gate"


@dataclass
class Scored:
    """One section's rows scored by both models."""

    labels: np.ndarray
    groups: np.ndarray
    prob: dict[str, np.ndarray]
    risk: dict[str, np.ndarray]
    lang: str


def _metric(name: str, labels: np.ndarray, prob: np.ndarray, risk: np.ndarray, lang: str
            ) -> float:
    from sklearn.metrics import average_precision_score

    from detector.model.fitting import prevalence_weights
    from detector.verdict import PREVALENCE

    scam, high = labels == 1, risk == 2
    if name == "recall_at_high":
        return float(high[scam].mean()) if scam.any() else float("nan")
    if name == "false_alarms_at_high":
        return float(high[~scam].mean()) if (~scam).any() else float("nan")
    if name == "pr_auc_at_prevalence":
        if scam.all() or not scam.any():
            return float("nan")
        weights = prevalence_weights(labels, PREVALENCE.get(lang, 0.05))
        return float(average_precision_score(labels, prob, sample_weight=weights))
    if name == "pass_rate":
        return float(labels.mean())  # flag examples: `labels` holds pass/fail per example
    raise KeyError(name)


def bootstrap(section: Scored, metrics: Sequence[str], n_boot: int = N_BOOT, seed: int = SEED
              ) -> dict[str, dict[str, Any]]:
    unique, inverse = np.unique(section.groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(unique))]
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        picks = rng.integers(0, len(unique), len(unique))
        draws.append(np.concatenate([members[p] for p in picks]))
    out: dict[str, dict[str, Any]] = {}
    for name in metrics:
        def value(model: str, rows: np.ndarray | slice, name: str = name) -> float:
            labels = section.labels if name != "pass_rate" else section.prob[model]
            return _metric(name, labels[rows], section.prob[model][rows],
                           section.risk[model][rows], section.lang)

        point = {m: value(m, slice(None)) for m in ("old", "new")}
        samples = np.array([[value("old", rows), value("new", rows)] for rows in draws])
        diffs = samples[:, 1] - samples[:, 0]

        def interval(values: np.ndarray) -> list[float] | None:
            values = values[np.isfinite(values)]
            return [round(float(v), 4) for v in np.percentile(values, [2.5, 97.5])] \
                if len(values) else None

        out[name] = {"old": round(point["old"], 4), "new": round(point["new"], 4),
                     "old_ci": interval(samples[:, 0]), "new_ci": interval(samples[:, 1]),
                     "diff": round(point["new"] - point["old"], 4),
                     "diff_ci": interval(diffs), "n": len(section.labels),
                     "n_groups": len(unique)}
    return out


def _score(detectors: dict[str, Detector], postings: list[Any]) -> tuple[dict, dict]:
    prob, risk = {}, {}
    for name, detector in detectors.items():
        verdicts = detector.score_many(postings)
        prob[name] = np.array([v.fraud_probability for v in verdicts])
        risk[name] = np.array([RISK_ORDER[v.risk] for v in verdicts])
    return prob, risk


def corpus_sections(detectors: dict[str, Detector], corpus: pd.DataFrame,
                    exclude_groups: set[str], log: Callable[[str], None]) -> dict[str, Any]:
    from detector.model.fitting import pasted, to_postings

    out: dict[str, Any] = {"test_split": {}, "pasted_text": {}}
    test = corpus[(corpus["split"] == "test") & (corpus["role"] == "core")]
    test = test[~test["group"].isin(exclude_groups)]
    for lang, rows in test.groupby("language"):
        log(f"[{lang}] scoring {len(rows)} test-split postings with both models")
        postings = to_postings(rows)
        labels, groups = rows["label"].to_numpy(int), rows["group"].to_numpy()
        for key, items in (("test_split", postings),
                           ("pasted_text", [pasted(p) for p in postings])):
            prob, risk = _score(detectors, items)
            out[key][lang] = Scored(labels, groups, prob, risk, str(lang))
    return out


def flag_examples(detectors: dict[str, Detector]) -> Scored:
    from detector.flags import CATALOGUE
    from detector.flags.base import LANGS
    from detector.schema import parse_posting

    postings, expected = [], []
    for flag in CATALOGUE:
        for kind in ("match", "no_match"):
            for lang in LANGS:
                for example in getattr(flag.examples, kind).get(lang, ()):
                    data = {"text": example} if isinstance(example, str) else dict(example)
                    postings.append(parse_posting(data))
                    expected.append((flag.id, RISK_ORDER[flag.severity], kind == "match"))
    passed: dict[str, np.ndarray] = {}
    risk: dict[str, np.ndarray] = {}
    for name, detector in detectors.items():
        verdicts = detector.score_many(postings)
        ok = []
        for verdict, (flag_id, severity, should) in zip(verdicts, expected, strict=True):
            fired = any(hit.id == flag_id for hit in verdict.flags)
            ok.append(fired and RISK_ORDER[verdict.risk] >= severity if should else not fired)
        passed[name] = np.array(ok, dtype=float)
        risk[name] = np.array([RISK_ORDER[v.risk] for v in verdicts])
    return Scored(np.ones(len(postings)), np.arange(len(postings)), passed, risk, "all")


def holdout_section(detectors: dict[str, Detector], rows: pd.DataFrame) -> dict[str, Scored]:
    from detector.corpus.groups import assign_groups
    from detector.model.fitting import to_postings

    out = {}
    if rows.empty:
        return out
    rows = rows.reset_index(drop=True)
    rows["group"] = assign_groups(rows.reindex(columns=[
        "language", "source_group", "company", "company_profile", "description", "text"]))
    for lang, part in rows.groupby("language"):
        prob, risk = _score(detectors, to_postings(part))
        out[str(lang)] = Scored(part["label"].to_numpy(int), part["group"].to_numpy(), prob,
                                risk, str(lang))
    return out


def holdout_counts(holdout: dict[str, Scored]) -> dict[str, dict[str, int]]:
    """Held-out moderator decisions per language and class."""
    return {lang: {"scam": int((s.labels == 1).sum()), "legit": int((s.labels == 0).sum())}
            for lang, s in holdout.items()}


def holdout_gate(counts: dict[str, dict[str, int]], trained_labels: int) -> dict[str, Any]:
    """Which held-out figures can gate, per language, and whether the slice as a whole is
    too small to tell anything: a new model that learned from moderators' decisions must be
    measured on some of theirs it did not see (issue 24: a first retrain's few held-out
    labels crashed the comparison instead of saying so)."""
    gated = {lang: [name for name, cls in (("recall_at_high", "scam"),
                                           ("false_alarms_at_high", "legit"))
                    if n[cls] >= MIN_HOLDOUT_PER_CLASS]
             for lang, n in counts.items()}
    gated = {lang: names for lang, names in gated.items() if names}
    return {"trained_labels": trained_labels, "counts": counts, "gated": gated,
            "too_small": trained_labels > 0 and not gated,
            "min_per_class": MIN_HOLDOUT_PER_CLASS}


def _too_small_reason(info: dict[str, Any]) -> str:
    counts = info["counts"]
    held = sum(n["scam"] + n["legit"] for n in counts.values())
    shown = "; ".join(f"{lang}: {n['scam']} scam, {n['legit']} legit"
                      for lang, n in sorted(counts.items())) or "none"
    need = info["min_per_class"]
    return (f"{TOO_FEW}: NEW learned from "
            f"{info['trained_labels']} moderator decisions and {held} are held out ({shown}); "
            f"telling whether it is worse on your own postings needs at least {need} scams "
            f"or {need} legit postings held out in a language (about {need * 5} of that class "
            "decided, as a fifth are held out). Record more decisions and retrain "
            "(`detector train --with-labels`), or, if the other figures are enough for you, "
            "promote with --force (it is logged)")


def compare_models(old: Detector, new: Detector, corpus: pd.DataFrame,
                   holdout_rows: pd.DataFrame | None = None,
                   exclude_groups: set[str] | None = None, n_boot: int = N_BOOT,
                   log: Callable[[str], None] = print,
                   trained_labels: int = 0) -> dict[str, Any]:
    """Both models side by side (see the module docstring). `trained_labels`: how many
    moderator decisions NEW learned from (its card), for the held-out slice's gate."""
    detectors = {"old": old, "new": new}
    excluded = exclude_groups or set()
    sections = corpus_sections(detectors, corpus, excluded, log)
    test_metrics = ("recall_at_high", "false_alarms_at_high", "pr_auc_at_prevalence")
    result: dict[str, Any] = {
        "old": old.model_version, "new": new.model_version, "n_boot": n_boot,
        "excluded_test_groups": len(excluded),
    }
    for key in ("test_split", "pasted_text"):
        result[key] = {lang: bootstrap(s, test_metrics, n_boot)
                       for lang, s in sections[key].items()}
    holdout = holdout_section(detectors, holdout_rows if holdout_rows is not None
                              else pd.DataFrame())
    result["moderator_holdout"] = {
        lang: bootstrap(s, ("recall_at_high", "false_alarms_at_high"), n_boot)
        for lang, s in holdout.items()}
    result["holdout_gate"] = holdout_gate(holdout_counts(holdout), trained_labels)
    log("scoring the red-flag examples with both models")
    result["flag_examples"] = {"all": bootstrap(flag_examples(detectors), ("pass_rate",),
                                                n_boot)}
    result["refusals"] = gate(result)
    return result


def gate(result: dict[str, Any]) -> list[str]:
    """Why the new model must not be promoted: worse beyond the interval on a gated figure."""
    reasons = []
    info = result.get("holdout_gate") or {}
    gated: dict[str, dict[str, Any]] = {section: {lang: metrics for lang in
                                                  result.get(section, {})}
                                        for section, metrics in GATED.items()}
    gated["moderator_holdout"] = info.get("gated", {})
    for section, by_lang in gated.items():
        for lang, metrics in by_lang.items():
            figures = result.get(section, {}).get(lang, {})
            for name in metrics:
                figure = figures.get(name)
                if not figure or not figure["diff_ci"]:
                    continue
                low, high = figure["diff_ci"]
                worse = high < 0 if DIRECTION[name] > 0 else low > 0
                if worse:
                    reasons.append(f"{section} {lang} {name}: {figure['old']:.3f} -> "
                                   f"{figure['new']:.3f} (difference {figure['diff']:+.3f}, "
                                   f"95% interval [{low:+.3f}, {high:+.3f}])")
    if info.get("too_small"):
        reasons.append(_too_small_reason(info))
    return reasons


def worse_on(refusals: list[str]) -> list[str]:
    """The refusals that say NEW is worse on a figure (the others say it cannot be told)."""
    return [r for r in refusals if not r.startswith(TOO_FEW)]


def format_comparison(result: dict[str, Any]) -> str:
    def cell(value: float, ci: list[float] | None) -> str:
        if value != value:  # NaN
            return "–"
        return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f}"

    lines = [f"OLD {result['old']}  vs  NEW {result['new']}  "
             f"({result['n_boot']} bootstrap resamples of groups; 95% intervals; "
             f"{result['excluded_test_groups']} test groups left out: labelled campaigns)",
             "", "| section | lang | figure | n (groups) | OLD | NEW | NEW - OLD |",
             "|---|---|---|---|---|---|---|"]
    for section in ("test_split", "pasted_text", "moderator_holdout", "flag_examples"):
        for lang, figures in result.get(section, {}).items():
            for name, f in figures.items():
                lines.append(f"| {section} | {lang} | {name} | {f['n']} ({f['n_groups']}) | "
                             f"{cell(f['old'], f['old_ci'])} | {cell(f['new'], f['new_ci'])} | "
                             f"{cell(f['diff'], f['diff_ci'])} |")
    if not result.get("moderator_holdout"):
        lines.append("| moderator_holdout | – | (no held-out moderator labels) | 0 | – | – | – |")
    lines.append("")
    info = result.get("holdout_gate") or {}
    if info.get("gated"):
        lines.append("moderator_holdout gates: " + "; ".join(
            f"{lang} {', '.join(names)}" for lang, names in sorted(info["gated"].items()))
            + f" (at least {info['min_per_class']} held out of the class it counts)")
    elif info.get("counts"):
        lines.append(f"moderator_holdout is too small to gate (fewer than "
                     f"{info['min_per_class']} scams and legit postings held out per "
                     "language): its figures above are shown, not judged")
    refusals = result.get("refusals", [])
    worse = worse_on(refusals)
    lines.append("gate: NEW is worse beyond the interval on: " + "; ".join(worse)
                 if worse else "gate: NEW is not worse beyond the interval on any gated "
                 "figure (test split per language, red-flag examples"
                 + (", moderator hold-out" if info.get("gated") else "") + ")")
    lines.extend(f"gate: {r}" for r in refusals if r not in worse)
    return "\n".join(lines)
