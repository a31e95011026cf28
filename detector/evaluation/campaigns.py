"""`detector campaigns evaluate`: is the campaign memory worth its threshold?

Everything here is measured on the corpus's own splits (see the data card):

1. **Campaigns** are the data's own near-duplicate groups of scam rows, per split: rows
   joined by a source duplicate group (58.com `desc_group`, SMS `near_dup_group`) or by a
   near-identical description (the corpus's grouping criterion: character 5-gram TF-IDF
   cosine >= 0.8, fitted on every row of the language in that split, from 20 characters
   on as for messages). Company groups alone
   are not campaigns; a source group that also holds legit rows is left out (one label).
2. **Threshold study**, on the train and valid splits only: the similarity of each
   campaign's other postings to its first (the protocol of a moderator deciding on the
   first one) against (a) each posting's most similar posting of the same site from
   another corpus group (company or template), and (b) each legit posting's most similar
   strong-label scam from another group (what the shipped seeds could wrongly match).
   The study's choice: the highest threshold keeping RECALL_TARGET of the near-duplicate
   pairs.
3. **Held-out campaigns** (test split): one moderator decision on the first posting of
   each campaign goes into a fresh label store, the rest are scored by the real detector
   without retraining; the share that comes out high, overall, per source and per band of
   similarity to the decided posting, beside the same postings scored without the decisions.
4. **False highs**: the test split's legit postings of other sites scored with all those
   decisions (and the seeds) in the store, beside the detector without campaign memory.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from detector.campaigns.fingerprint import key_codes, signatures
from detector.campaigns.memory import THRESHOLD, CampaignMemory
from detector.campaigns.seeds import WEAK_SOURCES, strong_scams
from detector.corpus.groups import (
    MESSAGE_MIN_CHARS,
    UnionFind,
    _join_near_duplicates,
    _template_text,
)

#: The study keeps at least this share of near-duplicate pairs (train + valid).
RECALL_TARGET = 0.98
GRID = tuple(round(0.30 + 0.05 * i, 2) for i in range(12))  # 0.30 .. 0.85
BANDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
#: Postings per site whose nearest other-group neighbour is searched (seeded sample).
NN_SAMPLE = 3000
SEED = 13


def _text_frame(corpus: pd.DataFrame) -> pd.DataFrame:
    """Columns the corpus grouping reads, with NaN as empty text."""
    frame = corpus.copy()
    for name in ("description", "text", "source_group"):
        frame[name] = frame[name].fillna("") if name in frame else ""
    return frame


def campaigns(pool: pd.DataFrame) -> pd.Series:
    """A campaign id for each scam row of `pool` (one split) that belongs to one."""
    pool = _text_frame(pool)
    out: dict[Any, str] = {}
    for language, rows in pool.groupby("language"):
        index = list(rows.index)
        uf = UnionFind(len(index))
        first: dict[str, int] = {}
        for i, group in enumerate(rows["source_group"]):
            if group:
                uf.union(first.setdefault(group, i), i)
        near = UnionFind(len(index))
        _join_near_duplicates(near, [_template_text(rows.loc[j]) for j in index],
                              min_chars=MESSAGE_MIN_CHARS)  # messages are short
        scam = rows["label"].to_numpy() == 1
        # Near-duplicate links count between scam rows only: a scam template copied from a
        # legit posting does not make the legit one part of the campaign.
        roots: dict[int, list[int]] = {}
        for i in np.flatnonzero(scam):
            roots.setdefault(near.find(int(i)), []).append(int(i))
        for members in roots.values():
            for i in members[1:]:
                uf.union(members[0], i)
        mixed = set(rows.loc[rows["label"] == 0, "source_group"]) - {""}
        components: dict[int, list[int]] = {}
        for i in np.flatnonzero(scam):
            components.setdefault(uf.find(int(i)), []).append(int(i))
        for root, members in components.items():
            if len(members) < 2:
                continue
            if any(rows["source_group"].iloc[i] in mixed for i in members):
                continue
            for i in members:
                out[index[i]] = f"{language}-{rows['split'].iloc[root]}-{index[root]}"
    return pd.Series(out, dtype=object)


def _first_and_rest(frame: pd.DataFrame, members: pd.Series) -> list[tuple[Any, list[Any]]]:
    """(first row, other rows) per campaign, the first by id (a fixed, label-blind rule)."""
    out = []
    for _, rows in members.groupby(members):
        ordered = sorted(rows.index, key=lambda j: str(frame.loc[j, "id"]))
        out.append((ordered[0], ordered[1:]))
    return out


def _nearest_other_group(sig: np.ndarray, groups: np.ndarray, queries: np.ndarray,
                         targets: np.ndarray, chunk: int = 100) -> np.ndarray:
    """For each query row, the highest similarity to a target row of another group."""
    best = np.zeros(len(queries))
    if not len(targets):
        return best
    t_sig, t_group = sig[targets].astype(np.uint16), groups[targets]
    for start in range(0, len(queries), chunk):
        q = queries[start:start + chunk]
        equal = (sig[q].astype(np.uint16)[:, None, :] == t_sig[None, :, :]).sum(
            axis=2, dtype=np.uint8)
        equal[groups[q][:, None] == t_group[None, :]] = 0
        best[start:start + chunk] = equal.max(axis=1) / sig.shape[1]
    return best


def threshold_study(corpus: pd.DataFrame, sig: np.ndarray, usable: np.ndarray,
                    log: Callable[[str], None]) -> dict[str, Any]:
    fit = corpus["split"].isin(["train", "valid"]).to_numpy()
    positives = []
    for split in ("train", "valid"):
        pool = corpus[corpus["split"] == split]
        members = campaigns(pool)
        for first, rest in _first_and_rest(corpus, members):
            a = corpus.index.get_loc(first)
            for j in rest:
                b = corpus.index.get_loc(j)
                if usable[a] and usable[b]:
                    positives.append((corpus.loc[j, "source"], members[j],
                                      float(np.mean(sig[a] == sig[b]))))
    pos = pd.DataFrame(positives, columns=["source", "campaign", "similarity"])
    log(f"threshold study: {len(pos)} near-duplicate pairs in {pos['campaign'].nunique()} "
        f"train/valid campaigns")
    groups = corpus["group"].to_numpy()
    rng = np.random.default_rng(SEED)
    same_site = {}
    for source in sorted(corpus.loc[fit, "source"].unique()):
        rows = np.flatnonzero(fit & usable & (corpus["source"] == source).to_numpy())
        queries = rows if len(rows) <= NN_SAMPLE else np.sort(rng.choice(rows, NN_SAMPLE,
                                                                         replace=False))
        same_site[source] = _nearest_other_group(sig, groups, queries, rows)
        log(f"  nearest other-group posting on {source}: {len(queries)} postings")
    strong = fit & usable & strong_scams(corpus).to_numpy()
    legit = np.flatnonzero(fit & usable & (corpus["label"] == 0).to_numpy())
    legit_vs_scam = _nearest_other_group(sig, groups, legit, np.flatnonzero(strong))
    rows = []
    for t in GRID:
        row = {"threshold": t, "pairs_recall": float((pos["similarity"] >= t).mean())}
        for source, sims in pos.groupby("source")["similarity"]:
            row[f"recall_{source}"] = float((sims >= t).mean())
        for source, best in same_site.items():
            row[f"same_site_{source}"] = float((best >= t).mean())
        row["legit_vs_scams"] = int((legit_vs_scam >= t).sum())
        rows.append(row)
    table = pd.DataFrame(rows)
    ok = table[table["pairs_recall"] >= RECALL_TARGET]
    chosen = float(ok["threshold"].max()) if len(ok) else float(GRID[0])
    return {"table": table, "chosen": chosen, "n_pairs": len(pos),
            "n_campaigns": int(pos["campaign"].nunique()), "n_legit": len(legit),
            "n_strong_scams": int(strong.sum()),
            "same_site_n": {k: len(v) for k, v in same_site.items()}}


def _weak_seed_check(corpus: pd.DataFrame, sig: np.ndarray, usable: np.ndarray,
                     threshold: float) -> dict[str, Any]:
    """Would 58.com "fake" rows earn a seed? Among train/valid 58.com postings, those whose
    most similar fake of another group passes the threshold: how many are fakes."""
    fit = corpus["split"].isin(["train", "valid"]).to_numpy() & usable
    site = fit & corpus["source"].isin(WEAK_SOURCES).to_numpy()
    fakes = np.flatnonzero(site & (corpus["label"] == 1).to_numpy())
    rows = np.flatnonzero(site)
    best = _nearest_other_group(sig, corpus["group"].to_numpy(), rows, fakes)
    hit = rows[best >= threshold]
    labels = corpus["label"].to_numpy()[hit]
    return {"matched": len(hit), "of_which_fake": int(labels.sum()), "postings": len(rows)}


def _score(detector: Any, postings: list[Any]) -> list[Any]:
    out = []
    for start in range(0, len(postings), 200):
        out.extend(detector.score_many(postings[start:start + 200]))
    return out


def held_out(corpus: pd.DataFrame, sig: np.ndarray, usable: np.ndarray, data_dir: Path,
             model_dir: Path, log: Callable[[str], None]) -> dict[str, Any]:
    from detector.campaigns.memory import OFF
    from detector.core import get_detector
    from detector.labels.decisions import Decision
    from detector.labels.store import LabelStore
    from detector.model.fitting import to_postings

    test = corpus[corpus["split"] == "test"]
    members = campaigns(test)
    pairs = _first_and_rest(corpus, members)
    firsts = [first for first, _ in pairs]
    rest = [(first, j) for first, others in pairs for j in others]
    log(f"held-out campaigns: {len(pairs)} in the test split, {len(rest)} postings beyond "
        "the first of each")
    base = get_detector(model_dir)
    with tempfile.TemporaryDirectory(prefix="campaign-eval-") as tmp:
        location = str(Path(tmp) / "labels.sqlite")
        store = LabelStore(location)
        store.record([Decision(p, "scam", "moderator")
                      for p in to_postings(corpus.loc[firsts])])
        memory = CampaignMemory(location, data_dir, poll=0)
        with_decisions = base.using(memory)
        seeds_only = base.using(CampaignMemory(None, data_dir, poll=0))
        without = base.using(OFF)
        rest_rows = corpus.loc[[j for _, j in rest]]
        postings = to_postings(rest_rows)
        started = time.perf_counter()
        after = _score(with_decisions, postings)
        before_seeds = _score(seeds_only, postings)
        before = _score(without, postings)
        log(f"  scored {len(postings)} held-out campaign postings three ways "
            f"({time.perf_counter() - started:.0f} s)")
        sims = np.array([float(np.mean(sig[corpus.index.get_loc(a)]
                                       == sig[corpus.index.get_loc(b)]))
                         if usable[corpus.index.get_loc(a)] and usable[corpus.index.get_loc(b)]
                         else np.nan for a, b in rest])
        frame = pd.DataFrame({
            "source": rest_rows["source"].to_numpy(), "similarity": sims,
            "high_after": [v.risk == "high" for v in after],
            "flag_after": [any(h.id == "known_scam_campaign" for h in v.flags) for v in after],
            "high_seeds_only": [v.risk == "high" for v in before_seeds],
            "high_before": [v.risk == "high" for v in before],
        })
        test_legit = corpus[(corpus["split"] == "test") & (corpus["label"] == 0)]
        groups_of_legit = (
            ("other sites", test_legit[test_legit["role"] == "other_legit"]),
            ("legit messages (shapes of the scam messages)",
             test_legit[test_legit["role"] == "msg_legit"]),
            ("same sites (EMSCAD, 58.com)", test_legit[test_legit["role"] == "core"]),
        )
        false_high = {}
        for name, rows in groups_of_legit:
            if rows.empty:
                continue
            legit = to_postings(rows)
            started = time.perf_counter()
            on = _score(with_decisions, legit)
            off = _score(without, legit)
            log(f"  scored {len(legit)} legit postings of {name} twice "
                f"({time.perf_counter() - started:.0f} s)")
            false_high[name] = {
                "n": len(legit),
                "high_without": float(np.mean([v.risk == "high" for v in off])),
                "high_with": float(np.mean([v.risk == "high" for v in on])),
                "flagged": int(sum(any(h.id == "known_scam_campaign" for h in v.flags)
                                   for v in on)),
                "by_source": {
                    source: {"n": int(mask.sum()),
                             "flagged": int(sum(any(h.id == "known_scam_campaign"
                                                    for h in v.flags)
                                                for v, m in zip(on, mask, strict=True) if m))}
                    for source, mask in ((s, (rows["source"] == s).to_numpy())
                                         for s in sorted(rows["source"].unique()))},
            }
        memory.close()
        store.close()
    return {"frame": frame, "n_campaigns": len(pairs), "false_high": false_high}


def run(corpus: pd.DataFrame, data_dir: Path, model_dir: Path,
        log: Callable[[str], None] = print) -> dict[str, Any]:
    from detector.model.fitting import to_postings

    started = time.perf_counter()
    corpus = corpus.reset_index(drop=True)
    postings = to_postings(corpus)
    keys = [key for start in range(0, len(postings), 500)
            for key in key_codes(postings[start:start + 500])]
    sig, usable = signatures(keys)
    log(f"fingerprinted {len(corpus):,} corpus rows ({int(usable.sum()):,} long enough) in "
        f"{time.perf_counter() - started:.0f} s")
    study = threshold_study(corpus, sig, usable, log)
    weak = _weak_seed_check(corpus, sig, usable, THRESHOLD)
    held = held_out(corpus, sig, usable, data_dir, model_dir, log)
    return {"study": study, "weak_seeds": weak, "held_out": held,
            "seconds": round(time.perf_counter() - started, 1)}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def report(result: dict[str, Any]) -> str:
    study, held = result["study"], result["held_out"]
    table: pd.DataFrame = study["table"]
    lines = ["## Threshold study (train + valid only)",
             f"{study['n_pairs']} near-duplicate pairs (each campaign's postings against its "
             f"first) in {study['n_campaigns']} campaigns; nearest posting of another group "
             f"on the same site for {sum(study['same_site_n'].values()):,} postings; "
             f"{study['n_legit']:,} legit postings against {study['n_strong_scams']} "
             "strong-label scams of other groups.", ""]
    recall_cols = [c for c in table.columns if c.startswith("recall_")]
    site_cols = [c for c in table.columns if c.startswith("same_site_")]
    head = (["threshold", "pairs kept"] + [c.removeprefix("recall_") for c in recall_cols]
            + [f"NN {c.removeprefix('same_site_')}" for c in site_cols]
            + ["legit ~ scam"])
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---:|" * len(head))
    for _, row in table.iterrows():
        cells = [f"{row['threshold']:.2f}", _pct(row["pairs_recall"])]
        cells += [_pct(row[c]) for c in recall_cols]
        cells += [_pct(row[c]) for c in site_cols]
        cells.append(str(int(row["legit_vs_scams"])))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "pairs kept: share of near-duplicate pairs at or above the threshold (per "
              "source beside); NN site: share of that site's postings whose most similar "
              "posting of another company/template reaches it; legit ~ scam: legit postings "
              "(all sites) reaching it against a strong-label scam of another group.",
              f"Study's choice (highest threshold keeping >= {RECALL_TARGET:.0%} of pairs): "
              f"{study['chosen']:.2f}; shipped THRESHOLD = {THRESHOLD:.2f}.", ""]
    weak = result["weak_seeds"]
    lines += [f"58.com 'fake' rows as seeds (weak label; not shipped): of "
              f"{weak['postings']:,} train/valid 58.com postings, {weak['matched']} reach "
              f"{THRESHOLD:.2f} against a fake of another group, {weak['of_which_fake']} of "
              "them fakes.", ""]
    frame: pd.DataFrame = held["frame"]
    lines += ["## Held-out campaigns (test split; one moderator decision on the first "
              "posting of each)",
              f"{held['n_campaigns']} campaigns, {len(frame)} postings beyond the first.", "",
              "| postings | n | high, no campaign memory | high, corpus seeds only | "
              "high, with the decisions | flagged known_scam_campaign |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, rows in [("all", frame), *frame.groupby("source")]:
        lines.append(f"| {name} | {len(rows)} | {_pct(rows['high_before'].mean())} | "
                     f"{_pct(rows['high_seeds_only'].mean())} | "
                     f"{_pct(rows['high_after'].mean())} | {_pct(rows['flag_after'].mean())} |")
    lines += ["", "Recall by similarity to the decided posting:", "",
              "| similarity | n | high | flagged |", "|---|---:|---:|---:|"]
    sims = frame["similarity"]
    short = frame[sims.isna()]
    if len(short):
        lines.append(f"| too short to fingerprint | {len(short)} | "
                     f"{_pct(short['high_after'].mean())} | {_pct(short['flag_after'].mean())} |")
    for lo, hi in pairwise(BANDS):
        rows = frame[(sims >= lo) & (sims < hi)]
        if len(rows):
            lines.append(f"| {lo:.1f}-{min(hi, 1.0):.1f} | {len(rows)} | "
                         f"{_pct(rows['high_after'].mean())} | "
                         f"{_pct(rows['flag_after'].mean())} |")
    lines += ["", "## False highs: test-split legit postings, all those decisions and the "
              "seeds in memory", "",
              "| postings | n | high without | high with | change | flagged |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, entry in held["false_high"].items():
        change = 100 * (entry["high_with"] - entry["high_without"])
        lines.append(f"| {name} | {entry['n']:,} | {_pct(entry['high_without'])} | "
                     f"{_pct(entry['high_with'])} | {change:+.2f} points | "
                     f"{entry['flagged']} |")
    lines.append(f"\n({result['seconds']:.0f} s)")
    return "\n".join(lines)


def to_json(result: dict[str, Any]) -> str:
    held = result["held_out"]
    frame = held["frame"]
    out = {
        "study": {**{k: v for k, v in result["study"].items() if k != "table"},
                  "table": result["study"]["table"].to_dict("records")},
        "weak_seeds": result["weak_seeds"],
        "held_out": {"n_campaigns": held["n_campaigns"], "n_postings": len(frame),
                     "high_after": float(frame["high_after"].mean()),
                     "high_before": float(frame["high_before"].mean()),
                     "rows": frame.astype(object).where(frame.notna(), None)
                     .to_dict("records"),
                     "false_high": held["false_high"]},
        "threshold": THRESHOLD, "seconds": result["seconds"],
    }
    return json.dumps(out, indent=2, ensure_ascii=False)
