"""How fast the detector learns from its moderators: recall at `high` on unseen campaigns
after 0, 10, 25, 50 and 100 moderator labels of those campaigns.

Campaigns are groups of the corpus's group-disjoint *test* split (never trained on), core
rows, both languages, with at least 2 postings. Each campaign's postings are split by a
seeded hash: the first half may be labelled, the second half is only ever scored. Labels
are drawn by whole campaign in seeded order (half the budget from scam campaigns, half from
legit ones: moderators confirm scams and clear false alarms), nested across budgets. The
evaluation set is fixed: the held-back halves of the campaigns labelled at the largest
budget. Every budget retrains with the real training code (`corpus_with_labels` +
`train_bundle`) on the same corpus slice (`--sample`, 0 = the whole corpus).

    .venv/bin/python benchmarks/bench_learning_curve.py                 # slice of 1500 rows
    .venv/bin/python benchmarks/bench_learning_curve.py --sample 0      # full corpus (slow)

Prints a table; writes the numbers (JSON) and the curve (PNG) to --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detector.core import Detector  # noqa: E402
from detector.corpus.build import load_corpus  # noqa: E402
from detector.labels.decisions import canonical_posting, content_hash  # noqa: E402
from detector.labels.store import LabeledPosting  # noqa: E402
from detector.labels.training import corpus_with_labels, sample_corpus, unit_hash  # noqa: E402
from detector.model.fitting import to_postings  # noqa: E402
from detector.model.train import train_bundle  # noqa: E402
from detector.settings import Settings  # noqa: E402
from detector.verdict import RISK_ORDER  # noqa: E402

BUDGETS = (0, 10, 25, 50, 100)
SEED = 13


def campaigns(corpus: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
    """(labelable rows, held-back rows, scam groups in draw order, legit groups in order)."""
    test = corpus[(corpus["split"] == "test") & (corpus["role"] == "core")].copy()
    test["order"] = [unit_hash(i, SEED) for i in test["id"]]
    sizes = test.groupby("group").size()
    test = test[test["group"].isin(sizes[sizes >= 2].index)].sort_values(["group", "order"])
    rank = test.groupby("group").cumcount()
    half = test.groupby("group")["id"].transform("size") // 2
    labelable, held = test[rank < half], test[rank >= half]
    scam = test.groupby("group")["label"].max()
    order = sorted(scam.index, key=lambda g: unit_hash(g, SEED))
    return (labelable, held, [g for g in order if scam[g] == 1],
            [g for g in order if scam[g] == 0])


def draw(labelable: pd.DataFrame, groups: list[str], budget: int, label: int) -> pd.DataFrame:
    """`budget` postings with `label`, campaign by campaign in the given order."""
    taken, parts = 0, []
    pool = labelable[labelable["label"] == label]
    for group in groups:
        if taken >= budget:
            break
        rows = pool[pool["group"] == group].iloc[: budget - taken]
        parts.append(rows)
        taken += len(rows)
    return pd.concat(parts) if parts else labelable.iloc[:0]


def as_labels(rows: pd.DataFrame) -> list[LabeledPosting]:
    out = []
    for posting, record in zip(to_postings(rows), rows.to_dict("records"), strict=True):
        out.append(LabeledPosting(content_hash(posting), record["id"], record["language"],
                                  canonical_posting(posting),
                                  "scam" if record["label"] == 1 else "legit", "", 1))
    return out


def recall_ci(high: np.ndarray, groups: np.ndarray, n_boot: int = 2000
              ) -> tuple[float, float, float]:
    unique = np.unique(groups)
    members = [np.flatnonzero(groups == g) for g in unique]
    rng = np.random.default_rng(SEED)
    values = [high[np.concatenate([members[p] for p in rng.integers(0, len(unique),
                                                                      len(unique))])].mean()
              for _ in range(n_boot)]
    return float(high.mean()), *(float(v) for v in np.percentile(values, [2.5, 97.5]))


def paired_diff_ci(base: np.ndarray, new: np.ndarray, groups: np.ndarray, n_boot: int = 2000
                   ) -> tuple[float, float, float]:
    unique = np.unique(groups)
    members = [np.flatnonzero(groups == g) for g in unique]
    rng = np.random.default_rng(SEED + 1)
    values = []
    for _ in range(n_boot):
        rows = np.concatenate([members[p] for p in rng.integers(0, len(unique), len(unique))])
        values.append(new[rows].mean() - base[rows].mean())
    return float(new.mean() - base.mean()), *(float(v) for v in np.percentile(values,
                                                                             [2.5, 97.5]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=1500,
                        help="corpus train+valid rows to train on (0: all; default 1500)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports",
                        help="where to write learning_curve.json and .png")
    args = parser.parse_args()
    corpus = load_corpus(Settings().data_dir)
    base = sample_corpus(corpus, args.sample) if args.sample else corpus
    labelable, held, scam_groups, legit_groups = campaigns(corpus)
    top = BUDGETS[-1]
    full = pd.concat([draw(labelable, scam_groups, top // 2, 1),
                      draw(labelable, legit_groups, top - top // 2, 0)])
    eval_rows = held[held["group"].isin(set(full["group"]))]
    scam_eval = eval_rows[eval_rows["label"] == 1]
    legit_eval = eval_rows[eval_rows["label"] == 0]
    print(f"evaluation: {len(scam_eval)} held-back scam postings of "
          f"{scam_eval['group'].nunique()} campaigns, {len(legit_eval)} legit postings of "
          f"{legit_eval['group'].nunique()} groups; training slice "
          f"{int(base['split'].ne('test').sum()):,} corpus rows", flush=True)
    results, highs = [], {}
    for budget in BUDGETS:
        started = time.perf_counter()
        labels = pd.concat([draw(labelable, scam_groups, budget // 2, 1),
                            draw(labelable, legit_groups, budget - budget // 2, 0)])
        combined, _ = corpus_with_labels(base, as_labels(labels), 0.0, log=lambda _: None)
        bundle = train_bundle(combined, version=f"curve-{budget}", log=lambda _: None,
                              force=True)
        detector = Detector(bundle, {})
        scam_high = np.array([RISK_ORDER[v.risk] == 2 for v in
                              detector.score_many(to_postings(scam_eval))], dtype=float)
        legit_high = np.array([RISK_ORDER[v.risk] == 2 for v in
                               detector.score_many(to_postings(legit_eval))], dtype=float)
        highs[budget] = scam_high
        recall, low, high = recall_ci(scam_high, scam_eval["group"].to_numpy())
        fa, fa_low, fa_high = recall_ci(legit_high, legit_eval["group"].to_numpy())
        diff = paired_diff_ci(highs[0], scam_high, scam_eval["group"].to_numpy())
        # The same figure on the campaigns that got labels at this budget only.
        mask = scam_eval["group"].isin(set(labels["group"])).to_numpy()
        on_labelled = (paired_diff_ci(highs[0][mask], scam_high[mask],
                                      scam_eval["group"].to_numpy()[mask])
                       if mask.any() else (0.0, 0.0, 0.0))
        row = {"labels": budget, "n_scam_labels": int((labels["label"] == 1).sum()),
               "recall_at_high": round(recall, 4), "recall_ci": [round(low, 4), round(high, 4)],
               "gain_vs_0": round(diff[0], 4), "gain_ci": [round(diff[1], 4), round(diff[2], 4)],
               "labelled_campaigns": int(scam_eval["group"][mask].nunique()),
               "labelled_campaigns_postings": int(mask.sum()),
               "recall_on_labelled_campaigns": round(float(scam_high[mask].mean()), 4)
               if mask.any() else None,
               "gain_on_labelled_campaigns": round(on_labelled[0], 4),
               "gain_on_labelled_ci": [round(on_labelled[1], 4), round(on_labelled[2], 4)],
               "false_alarms_at_high": round(fa, 4),
               "false_alarms_ci": [round(fa_low, 4), round(fa_high, 4)],
               "train_seconds": round(time.perf_counter() - started, 1)}
        results.append(row)
        print(json.dumps(row), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"budgets": results, "sample_rows": args.sample,
              "n_eval_scam": len(scam_eval),
              "n_eval_scam_campaigns": int(scam_eval["group"].nunique()),
              "n_eval_legit": len(legit_eval)}
    (args.out / "learning_curve.json").write_text(json.dumps(report, indent=2) + "\n")
    plot(results, args.out / "learning_curve.png", report)
    print("\n| moderator labels (scam) | recall@high, all held-back (95% CI) | gain vs 0 | "
          "campaigns labelled (postings) | gain on those | legit rated high |"
          "\n|---:|---|---|---|---|---|")
    for r in results:
        print(f"| {r['labels']} ({r['n_scam_labels']}) | {r['recall_at_high']:.3f} "
              f"[{r['recall_ci'][0]:.3f}, {r['recall_ci'][1]:.3f}] | {r['gain_vs_0']:+.3f} "
              f"[{r['gain_ci'][0]:+.3f}, {r['gain_ci'][1]:+.3f}] | {r['labelled_campaigns']} "
              f"({r['labelled_campaigns_postings']}) | {r['gain_on_labelled_campaigns']:+.3f} "
              f"[{r['gain_on_labelled_ci'][0]:+.3f}, {r['gain_on_labelled_ci'][1]:+.3f}] | "
              f"{r['false_alarms_at_high']:.3f} [{r['false_alarms_ci'][0]:.3f}, "
              f"{r['false_alarms_ci'][1]:.3f}] |")
    print(f"\nwrote {args.out / 'learning_curve.json'} and {args.out / 'learning_curve.png'}")
    return 0


def plot(results: list[dict], path: Path, report: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [r["labels"] for r in results]
    y = [r["recall_at_high"] for r in results]
    low = [r["recall_at_high"] - r["recall_ci"][0] for r in results]
    high = [r["recall_ci"][1] - r["recall_at_high"] for r in results]
    fa = [r["false_alarms_at_high"] for r in results]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    ax.errorbar(x, y, yerr=[low, high], marker="o", capsize=4,
                label="recall at high, held-back scam postings")
    ax.plot(x, fa, marker="s", linestyle="--", label="legit postings rated high")
    ax.set_xlabel("moderator labels of unseen campaigns")
    ax.set_ylabel("share")
    ax.set_ylim(0, 1)
    ax.set_title(f"Learning from moderators (n={report['n_eval_scam']} scam postings, "
                 f"{report['n_eval_scam_campaigns']} campaigns)", fontsize=9)
    ax.legend(fontsize=8, loc="center right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    sys.exit(main())
