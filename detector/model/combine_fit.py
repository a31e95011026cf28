"""Fitting the combiner (`detector.model.combiner`) and choosing it by grouped CV.

Three ways to make one estimate are compared on the same grouped out-of-fold rows (the core
postings as posted, pasted and as excerpts, and the messages, each scored by the model that
would score it in use), in folds that never split a group; the flags' likelihood ratios are
counted again inside each fold, without the held-out groups:
- `floors_only`: the model's number, raised to a flag's severity floor (before the combiner);
- `likelihood_ratio`: the model's log-odds plus `scale` x each flag's log-ratio, `scale`
  chosen on the training folds;
- `logistic`: a logistic regression over the flags with the model's log-odds as an offset
  (the model is already calibrated), flag weights bounded at 0 (monotone) and penalised;
  flags that hardly fire in these rows get weights near 0.
Every scope (language x postings as posted / pasted postings / messages) counts once in the
log loss, so the few hundred scam messages weigh as much as the thousands of postings. The
one with the lowest such log loss at prevalence ships, among those whose decisions on the
postings (precision and recall at high, F1 at medium or high) are not below floors-only's;
the card shows all three. Whatever ships, a medium or high flag still raises the estimate
to its severity's floor (a safety net where the data are thin: it changes the figures by
less than a thousandth of log loss where the flags are weighed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from detector.flags import FLAG_IDS, detect_flags
from detector.model.bundle import logit
from detector.model.combiner import (
    CAP,
    Combiner,
    flag_rates,
    has_signal,
    measured,
)
from detector.model.fitting import HELD_OUT_PLATFORM, SEED, LanguageFit, prevalence_weights
from detector.schema import Posting
from detector.verdict import HIGH_AT, MEDIUM_AT, PREVALENCE, FlagHit

#: Produced by campaign memory; weighed when the caller says which rows it would flag.
CAMPAIGN_FLAG = "known_scam_campaign"
#: Per posting, is it a repost of a known scam other than itself?
Matcher = Callable[[Sequence[Posting]], list[bool]]

SCALES = tuple(round(0.1 * i, 1) for i in range(11))
#: L2 penalty on the logistic combiner's flag weights.
LOGISTIC_L2 = 1.0
FOLDS = 5


#: Real scam texts outside the corpus whose develop half also counts for P(flag | scam):
#: police and news reports of part-time/刷单 scams (they quote the lures). Their held-out
#: half is left for the rule QA's recall figures.
SHARED_SCAM_SOURCES = ("news_job_zh",)


def rate_rows(corpus: pd.DataFrame, shared_data: Path | None = None) -> pd.DataFrame:
    """The rows flag rates are counted on: the corpus's train + valid rows of every source
    (the held-out platform left out; `rate_source` names a site, BOSS直聘 and 猎聘 apart),
    plus the develop half of `SHARED_SCAM_SOURCES` when the shared data is there."""
    rows = corpus[corpus["split"].isin(["train", "valid"])
                  & (corpus["platform"].fillna("") != HELD_OUT_PLATFORM)].copy()
    platform = rows["platform"].fillna("")
    rows["rate_source"] = rows["source"].where(platform == "", rows["source"] + ":" + platform)
    extra = shared_scam_rows(shared_data) if shared_data is not None else None
    if extra is not None and len(extra):
        rows = pd.concat([rows, extra], ignore_index=True)
    return rows.reset_index(drop=True)


def shared_scam_rows(shared_data: Path) -> pd.DataFrame | None:
    """The develop half of each shared-only scam source, as scam rows (text only)."""
    from detector.flags.halves import DEVELOP, halves
    from detector.flags.sources import REAL_SCAM_SOURCES

    frames = []
    for source in REAL_SCAM_SOURCES:
        path = shared_data / source.relative
        if source.name not in SHARED_SCAM_SOURCES or not path.exists():
            continue
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        raw = raw[source.rows(raw)]
        texts, ids = raw["text"].tolist(), raw["id"].tolist()
        keep = [h == DEVELOP for h in halves(ids, texts)]
        frames.append(pd.DataFrame({
            "id": [f"{source.name}:{i}" for i, k in zip(ids, keep, strict=True) if k],
            "text": [t for t, k in zip(texts, keep, strict=True) if k],
            "label": 1, "rate_source": source.name, "group": f"shared:{source.name}",
            "language": source.language, "split": "train"}))
    return pd.concat(frames, ignore_index=True) if frames else None


#: The scope of each kind of out-of-fold row.
SCOPE_OF_KIND = {"core": "postings", "core_pasted": "pastes", "core_excerpt": "pastes"}


class EvalRows:
    """Grouped out-of-fold rows: model probability (short texts pulled as in use), flags,
    label, group, language, kind."""

    def __init__(self, fits: dict[str, LanguageFit], signal_rates: Combiner | None = None
                 ) -> None:

        probs, hits, labels, groups, langs, kinds = [], [], [], [], [], []
        self.postings: list[Posting] = []
        for lang, fit in fits.items():
            # Out-of-fold scores through the calibration each scorer ships with.
            structured = fit.model.structured.calibration(fit.structured_oof)
            parts = [(fit.rows.postings, structured, fit.rows.labels, fit.rows.groups,
                      np.array(["core"] * len(fit.rows.labels), dtype=object))]
            if fit.pasted is not None:
                p = fit.pasted
                parts.append((p.postings, p.scorer.calibration(p.oof), p.labels, p.groups,
                              p.kind))
            for postings, oof, y, g, kind in parts:
                found = [detect_flags(posting) for posting in postings]
                self.postings += list(postings)
                shares = fit.model.shares(postings)
                kept = np.where([has_signal(h, signal_rates) for h in found], 1.0, shares)
                probs.append(fit.model.pull(np.asarray(oof, float), kept))
                hits += found
                labels.append(np.asarray(y, int))
                groups.append(np.asarray(g))
                langs += [lang] * len(y)
                kinds.append(np.asarray(kind))
        self.prob = np.concatenate(probs)
        self.hits: list[list[FlagHit]] = hits
        self.labels = np.concatenate(labels)
        self.groups = np.concatenate(groups)
        self.langs = np.array(langs)
        self.kinds = np.concatenate(kinds)
        # Each scope (language x postings / pastes / messages) weighs the same, and within
        # it the scams are re-weighted to prevalence: 15,000 Chinese posting rows must not
        # outvote the 170 scam messages where the flags matter most.
        self.weights = np.zeros(len(self.labels))
        self.scope = np.array([f"{lang}_{SCOPE_OF_KIND.get(kind, 'messages')}"
                               for lang, kind in zip(self.langs, self.kinds, strict=True)])
        for scope in set(self.scope):
            mask = self.scope == scope
            lang = scope.split("_")[0]
            w = prevalence_weights(self.labels[mask], PREVALENCE[lang])
            self.weights[mask] = w / w.sum()


def _floors_only(prob: float, hits: Sequence[FlagHit]) -> float:
    floor = max(({"high": HIGH_AT, "medium": MEDIUM_AT}.get(h.severity, 0.0) for h in hits),
                default=0.0)
    return max(prob, floor)


def _indicators(hits: Sequence[Sequence[FlagHit]], flag_ids: Sequence[str]) -> np.ndarray:
    index = {fid: i for i, fid in enumerate(flag_ids)}
    x = np.zeros((len(hits), len(flag_ids)))
    for r, row in enumerate(hits):
        for h in row:
            if h.id in index:
                x[r, index[h.id]] = 1.0
    return x


def _log_loss(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=w))


def fit_logistic(prob: np.ndarray, hits: Sequence[Sequence[FlagHit]], labels: np.ndarray,
                 weights: np.ndarray, rates: dict[str, Any]) -> Combiner:
    """z = logit(model) + sum of flag weights, the weights fitted (>= 0, L2-penalised) with
    the model's log-odds as an offset: the model is already calibrated on grouped
    out-of-fold scores, so a posting without flags keeps its number."""
    flag_ids = [fid for fid in measured(rates)]
    x = _indicators(hits, flag_ids)
    z0 = logit(prob)
    w = weights / weights.sum()

    def loss(fw: np.ndarray) -> tuple[float, np.ndarray]:
        z = z0 + x @ fw
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        nll = -np.sum(w * (labels * np.log(p + 1e-12) + (1 - labels) * np.log(1 - p + 1e-12)))
        penalty = LOGISTIC_L2 * np.sum(fw ** 2) / len(labels)
        grad = x.T @ (w * (p - labels)) + 2 * LOGISTIC_L2 * fw / len(labels)
        return nll + penalty, grad

    result = minimize(loss, np.zeros(len(flag_ids)), jac=True, method="L-BFGS-B",
                      bounds=[(0.0, 6.0)] * len(flag_ids))
    weights_out = {fid: float(v) for fid, v in zip(flag_ids, result.x, strict=True)}
    return Combiner(weights_out, rates, method="logistic")


def fit_ratio(prob: np.ndarray, hits: Sequence[Sequence[FlagHit]], labels: np.ndarray,
              weights: np.ndarray, rates: dict[str, Any]) -> Combiner:
    """The likelihood-ratio combiner with the `scale` of lowest log loss on these rows
    (`weights`: each scope counts once, see `EvalRows`)."""
    base = measured(rates)
    best: tuple[float, float] | None = None
    for scale in SCALES:
        combiner = Combiner({k: scale * v for k, v in base.items()}, rates)
        loss = _log_loss(combiner.combine_many(prob, hits), labels, weights)
        if best is None or loss < best[1]:
            best = (scale, loss)
    assert best is not None
    combiner = Combiner({k: best[0] * v for k, v in base.items()}, rates)
    combiner.report["scale"] = best[0]
    return combiner


METHODS: dict[str, Callable[..., Combiner] | None] = {
    "floors_only": None, "likelihood_ratio": fit_ratio, "logistic": fit_logistic,
}


def _figures(p: np.ndarray, rows: EvalRows, mask: np.ndarray) -> dict[str, float]:
    """Figures of one scope, re-weighted to prevalence within it (per language)."""
    from detector.model.metrics import calibration_error

    y = rows.labels[mask]
    w = rows.weights[mask]
    if y.min() == y.max():
        w = np.ones(len(y))
    out = {"log_loss": round(_log_loss(p[mask], y, w), 4),
           "ece": calibration_error(p[mask], y, w),
           "roc_auc": round(float(roc_auc_score(y, p[mask], sample_weight=w)), 4)
           if y.min() != y.max() else None}
    for level, at in (("high", HIGH_AT), ("medium_or_high", MEDIUM_AT)):
        pred = p[mask] >= at
        tp, fp = w[pred & (y == 1)].sum(), w[pred & (y == 0)].sum()
        fn = w[~pred & (y == 1)].sum()
        out[f"precision_{level}"] = round(float(tp / (tp + fp)), 4) if tp + fp else 0.0
        out[f"recall_{level}"] = round(float(tp / (tp + fn)), 4) if tp + fn else 0.0
    return out


def fit_combiner(corpus: pd.DataFrame, fits: dict[str, LanguageFit],
                 log: Callable[[str], None] = print,
                 shared_data: Path | None = None, reposts: Matcher | None = None) -> Combiner:
    """Choose the combiner by grouped CV (module docstring) and fit it on all the rows.

    `reposts` tells which postings campaign memory would flag as reposts of a known scam
    (`detector.campaigns.reposts`, given by the caller: campaigns sit above the models); with
    it, `known_scam_campaign` is counted and weighed like every other flag."""
    table = rate_rows(corpus, shared_data)
    from detector.model.fitting import to_postings

    log(f"[combiner] red flags of {len(table):,} train+valid corpus rows")
    table_postings = to_postings(table)
    table_hits = [[h.id for h in detect_flags(p)] for p in table_postings]
    rates = flag_rates(table_hits, table["label"].to_numpy(int),
                       table["rate_source"].to_numpy(), FLAG_IDS)
    # Which flags count as a scam-message signal (no short-text pull) is read off the
    # ratios, as in use.
    rows = EvalRows(fits, Combiner({}, rates))
    log(f"[combiner] {len(rows.labels):,} out-of-fold rows; comparing "
        + ", ".join(METHODS))
    oof = {name: np.zeros(len(rows.labels)) for name in METHODS}
    splitter = GroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, held in splitter.split(rows.labels, rows.labels, rows.groups):
        held_groups = set(rows.groups[held])
        keep = ~table["group"].isin(held_groups).to_numpy()
        fold_rates = flag_rates([table_hits[i] for i in np.flatnonzero(keep)],
                                table["label"].to_numpy(int)[keep],
                                table["rate_source"].to_numpy()[keep], FLAG_IDS)
        for name, method in METHODS.items():
            if method is None:
                oof[name][held] = [_floors_only(float(rows.prob[i]), rows.hits[i])
                                   for i in held]
                continue
            combiner = method(rows.prob[train], [rows.hits[i] for i in train],
                              rows.labels[train], rows.weights[train], fold_rates)
            oof[name][held] = combiner.combine_many(rows.prob[held],
                                                   [rows.hits[i] for i in held])
    report: dict[str, Any] = {"folds": FOLDS, "n": len(rows.labels), "methods": {}}
    for name in METHODS:
        report["methods"][name] = {
            scope: _figures(oof[name], rows, mask) for scope, mask in _scopes(rows).items()}
    chosen = choose(report["methods"])
    log("[combiner] grouped CV log loss at prevalence: " + ", ".join(
        f"{m} {report['methods'][m]['all']['log_loss']:.4f}" for m in METHODS)
        + f"; shipping {chosen}")
    method = METHODS[chosen]
    assert method is not None
    combiner = method(rows.prob, rows.hits, rows.labels, rows.weights, rates)
    report["weight_intervals"] = weight_intervals(method, rows, rates)
    report["chosen"] = chosen
    report["cap"] = CAP
    report["rate_sources"] = table.groupby(["rate_source", "label"]).size().rename(
        "rows").reset_index().to_dict("records")
    report["reliability"] = reliability(oof[chosen], rows)
    report["reliability_floors_only"] = reliability(oof["floors_only"], rows)
    combiner.report.update(report)
    if reposts is not None:
        add_campaign_weight(combiner, rows, table, table_postings, table_hits, reposts, log)
    return combiner


def add_campaign_weight(combiner: Combiner, rows: EvalRows, table: pd.DataFrame,
                        table_postings: Sequence[Posting], table_hits: list[list[str]],
                        reposts: Matcher, log: Callable[[str], None] = print) -> None:
    """The weight of `known_scam_campaign`, fitted after the other flags' (which stay as
    they are, so a posting that matches no known scam is scored as without it): the flag
    as campaign memory would have fired on each out-of-fold row (`reposts`), one weight
    (>= 0) on top of the chosen combiner's log-odds, its out-of-fold figures by grouped CV
    and its interval by group bootstrap. Its rates join the card's table."""
    log("[combiner] campaign memory's matches (each posting against the other known scams)")
    fired = np.array(reposts(rows.postings), dtype=float)
    in_table = reposts(table_postings)
    counted = [[*hits, CAMPAIGN_FLAG] if hit else hits
               for hits, hit in zip(table_hits, in_table, strict=True)]
    full = flag_rates(counted, table["label"].to_numpy(int), table["rate_source"].to_numpy(),
                      FLAG_IDS)
    z0 = np.array([combiner.log_odds(float(p), h) for p, h in zip(rows.prob, rows.hits,
                                                                    strict=True)])
    oof = np.zeros(len(rows.labels))
    splitter = GroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, held in splitter.split(rows.labels, rows.labels, rows.groups):
        weight = _fit_offset_weight(z0[train], fired[train], rows.labels[train],
                                    rows.weights[train])
        oof[held] = [combiner.finish(z + weight * x, h) for z, x, h in zip(
            z0[held], fired[held], [rows.hits[i] for i in held], strict=True)]
    weight = _fit_offset_weight(z0, fired, rows.labels, rows.weights)
    rng = np.random.default_rng(SEED)
    groups, inverse = np.unique(rows.groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(groups))]
    draws = []
    for _ in range(BOOTSTRAP):
        picked = np.concatenate([members[g] for g in rng.integers(0, len(groups),
                                                                  len(groups))])
        draws.append(_fit_offset_weight(z0[picked], fired[picked], rows.labels[picked],
                                        rows.weights[picked]))
    interval = [round(float(np.percentile(draws, 2.5)), 3),
                round(float(np.percentile(draws, 97.5)), 3)]
    before = np.array([combiner.finish(z, h) for z, h in zip(z0, rows.hits, strict=True)])
    combiner.weights[CAMPAIGN_FLAG] = weight
    combiner.rates = {**combiner.rates, CAMPAIGN_FLAG: full[CAMPAIGN_FLAG]}
    combiner.report.setdefault("weight_intervals", {})[CAMPAIGN_FLAG] = interval
    combiner.report["campaign"] = {
        "weight": round(weight, 3), "interval": interval,
        "fired": {"scam": int(fired[rows.labels == 1].sum()),
                  "legit": int(fired[rows.labels == 0].sum())},
        "with_weight": {scope: _figures(oof, rows, mask)
                        for scope, mask in _scopes(rows).items()},
        "floor_only": {scope: _figures(before, rows, mask)
                       for scope, mask in _scopes(rows).items()},
    }
    log(f"[combiner] known_scam_campaign: weight {weight:.2f} [{interval[0]:.2f}, "
        f"{interval[1]:.2f}] on {int(fired.sum()):,} matched out-of-fold rows")


def _fit_offset_weight(z0: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """One weight >= 0 for indicator `x` on top of log-odds `z0` (weighted, L2-penalised
    like the logistic combiner's)."""
    from scipy.optimize import minimize_scalar

    w = w / w.sum()

    def loss(weight: float) -> float:
        p = 1 / (1 + np.exp(-np.clip(z0 + weight * x, -30, 30)))
        return float(-np.sum(w * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)))
                     + LOGISTIC_L2 * weight ** 2 / len(y))

    return float(minimize_scalar(loss, bounds=(0.0, 6.0), method="bounded").x)


#: Group-bootstrap resamples behind each flag weight's interval.
BOOTSTRAP = 100


def weight_intervals(method: Callable[..., Combiner], rows: EvalRows, rates: dict[str, Any],
                     resamples: int = BOOTSTRAP) -> dict[str, list[float]]:
    """95% interval of each weighed flag's weight: the combiner refitted on rows resampled
    by group (with replacement), the 2.5th and 97.5th percentiles."""
    rng = np.random.default_rng(SEED)
    groups, inverse = np.unique(rows.groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(groups))]
    found: dict[str, list[float]] = {}
    for _ in range(resamples):
        picked = np.concatenate([members[g] for g in rng.integers(0, len(groups),
                                                                  len(groups))])
        fitted = method(rows.prob[picked], [rows.hits[i] for i in picked],
                        rows.labels[picked], rows.weights[picked], rates)
        for fid, weight in fitted.weights.items():
            found.setdefault(fid, []).append(weight)
    return {fid: [round(float(np.percentile(v, 2.5)), 3), round(float(np.percentile(v, 97.5)), 3)]
            for fid, v in found.items()}


#: Scopes where the decisions a platform acts on must not get worse than the floors'.
POSTING_SCOPES = ("en_postings", "zh_postings")
TOLERANCE = 0.01


def _keeps_decisions(figures: dict[str, dict[str, float]],
                     floors: dict[str, dict[str, float]]) -> bool:
    """Precision and recall at high, and F1 at medium or high, not below floors-only's on
    the postings (the issue's "neither may fall")."""
    def f1(f: dict[str, float]) -> float:
        p, r = f["precision_medium_or_high"], f["recall_medium_or_high"]
        return 2 * p * r / (p + r) if p + r else 0.0

    for scope in POSTING_SCOPES:
        mine, base = figures.get(scope), floors.get(scope)
        if not mine or not base:
            continue
        for key in ("precision_high", "recall_high"):
            if mine[key] < base[key] - TOLERANCE:
                return False
        if f1(mine) < f1(base) - TOLERANCE:
            return False
    return True


def choose(methods: dict[str, dict[str, dict[str, float]]]) -> str:
    """The combiner with the lowest log loss (every scope counted once) among those that
    keep the postings' decisions (`_keeps_decisions`); the lowest overall if none does."""
    candidates = [m for m in METHODS if METHODS[m] is not None]
    keeping = [m for m in candidates if _keeps_decisions(methods[m], methods["floors_only"])]
    return min(keeping or candidates, key=lambda m: methods[m]["all"]["log_loss"])


def _scopes(rows: EvalRows) -> dict[str, np.ndarray]:
    scopes = {"all": np.ones(len(rows.labels), dtype=bool)}
    for lang in sorted(set(rows.langs)):
        scopes[f"{lang}_postings"] = (rows.langs == lang) & (rows.kinds == "core")
        scopes[f"{lang}_pastes"] = (rows.langs == lang) & np.isin(
            rows.kinds, ["core_pasted", "core_excerpt"])
        scopes[f"{lang}_messages"] = (rows.langs == lang) & np.isin(
            rows.kinds, ["sms_scam", "msg_legit", "other_legit"])
    return {k: v for k, v in scopes.items() if v.any()}


def reliability(p: np.ndarray, rows: EvalRows, bins: int = 10) -> dict[str, Any]:
    """Mean estimate vs observed share of scams per bin, at prevalence, per scope."""
    edges = np.linspace(0, 1, bins + 1)
    out: dict[str, Any] = {}
    for scope, mask in _scopes(rows).items():
        which = np.clip(np.digitize(p[mask], edges) - 1, 0, bins - 1)
        y, w = rows.labels[mask], rows.weights[mask]
        points = []
        for b in range(bins):
            sel = which == b
            if sel.sum() >= 5:
                points.append({"mean_estimate": round(float(np.average(p[mask][sel],
                                                                       weights=w[sel])), 4),
                               "observed": round(float(np.average(y[sel], weights=w[sel])), 4),
                               "n": int(sel.sum())})
        out[scope] = points
    return out


def describe(combiner: Combiner) -> str:
    """One line on how the estimate is made, for logs."""
    n = len(combiner.weights)
    return (f"{combiner.method}: {n} weighed flags, slope {combiner.slope:.2f}, "
            f"intercept {combiner.intercept:+.2f}, cap {combiner.cap:.0%}, e.g. "
            + ", ".join(f"{k} x{math.exp(v):.1f}" for k, v in
                        sorted(combiner.weights.items(), key=lambda kv: -kv[1])[:3]))
