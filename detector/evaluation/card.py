"""The model card (JSON + markdown), generated from the shipped artifact and its evaluation.

Never edited by hand: `detector train` writes it after saving the artifact, and
`detector evaluate --write-card` regenerates the figures from the artifact on disk.
"""

from __future__ import annotations

import json
import math
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from detector.evaluation.verdicts import format_figures
from detector.flags.qa import format_rule_report
from detector.hashing import sha256_file
from detector.model.artifact import (
    ARTIFACT_NAME,
    CARD_JSON,
    CARD_MD,
    artifact_path,
    load_bundle,
    save_bundle,
)
from detector.model.bundle import ModelBundle
from detector.verdict import HIGH_AT, MEDIUM_AT, PREVALENCE

LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "joblib", "jieba")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_card(
    bundle: ModelBundle,
    model_dir: Path,
    data_sha256: str,
    figures: dict[str, Any],
    rules: list[dict[str, Any]],
    pictures: list[str] | None = None,
    curves: dict[str, Any] | None = None,
) -> dict[str, Any]:
    artifact = artifact_path(model_dir)
    sha = sha256_file(artifact)
    return {
        "name": "job-scam-detector",
        "version": bundle.version,
        "model_version": bundle.version,
        "artifact": {"file": artifact.name, "sha256": sha, "bytes": artifact.stat().st_size},
        "training_data": {"file": "labeled_posts/posts.csv.gz", "sha256": data_sha256},
        "seed": bundle.meta.get("seed"),
        "libraries": library_versions(),
        "prevalence": PREVALENCE,
        "bands": {"medium": MEDIUM_AT, "high": HIGH_AT},
        "recipes": {lang: model.recipe for lang, model in bundle.languages.items()},
        "min_words": {lang: model.min_words for lang, model in bundle.languages.items()},
        "calibration": {
            lang: {"method": "platt on grouped out-of-fold scores",
                   "a": round(model.structured.calibration.a, 6),
                   "b": round(model.structured.calibration.b, 6)}
            for lang, model in bundle.languages.items()
        },
        "grouped_cv": bundle.meta.get("grouped_cv", {}),
        "combiner": _combiner(bundle),
        "flag_weights": ({row["flag"]: row["combiner_weight"] for row in bundle.combiner.table()}
                         if bundle.combiner is not None else {}),
        "test_figures": figures,
        "learning_curve": curves,
        "figures": pictures or [],
        "rule_report": [_json_safe(row) for row in rules],
    }


def _combiner(bundle: ModelBundle) -> dict[str, Any] | None:
    combiner = bundle.combiner
    if combiner is None:
        return None
    return {"method": combiner.method, "slope": round(combiner.slope, 4),
            "intercept": round(combiner.intercept, 4), "cap": combiner.cap,
            "flags": combiner.table(), "choice": combiner.report}


def _combiner_markdown(card: dict[str, Any]) -> str:
    """How the estimate is made: the grouped-CV comparison and each flag's weight."""
    info = card.get("combiner")
    if not info:
        return "(no combiner: red flags raise the estimate to their severity's floor)"
    choice = info["choice"]
    lines = [
        f"Shipped: `{info['method']}` (slope {info['slope']}, intercept {info['intercept']}, "
        f"cap {info['cap']:.0%}), chosen by grouped {choice['folds']}-fold CV on "
        f"{choice['n']:,} out-of-fold rows (core postings as posted, pasted and as excerpts, "
        "and the messages; flag rates re-counted without each held-out fold). Log loss, "
        "ECE, precision and recall are at real-world prevalence.", "",
        "| scope | method | log loss | ECE | ROC-AUC | P@high | R@high | P@medium+ | "
        "R@medium+ |", "|---|---|---|---|---|---|---|---|---|"]
    for scope in choice["methods"]["floors_only"]:
        for method, by_scope in choice["methods"].items():
            f = by_scope.get(scope)
            if not f:
                continue
            auc = "–" if f["roc_auc"] is None else f"{f['roc_auc']:.3f}"
            lines.append(
                f"| {scope} | {method} | {f['log_loss']:.4f} | {f['ece']:.3f} | {auc} | "
                f"{f['precision_high']:.3f} | {f['recall_high']:.3f} | "
                f"{f['precision_medium_or_high']:.3f} | {f['recall_medium_or_high']:.3f} |")
    lines += ["", "Each flag's weight: P(flag | scam) from the scam texts of every form "
              "(EMSCAD frauds, job-scam SMS in both languages, 58.com fakes), P(flag | legit) "
              "from every legit site, each source counted once (rates smoothed by half a hit); "
              "the log-ratio is shrunk by hits / (hits + 3). `known_scam_campaign` is counted "
              "as campaign memory would have fired it: each row against the other known "
              "scams of train + valid (never itself or its own copies; a sibling of its "
              "campaign, as a repost of a decided scam in use). Flags with fewer than 5 scam "
              "hits have no weight (such as `disguised_text`: real texts hold too few "
              "disguises to measure it); every medium or high flag also keeps its severity "
              "floor (high 50%, medium 20%) as a safety net. The interval of a weight is "
              "the 95% range of the weight refitted on out-of-fold rows resampled by group.",
              "",
              "| flag | scam hits | scam rate | legit hits | legit rate | likelihood ratio | "
              "used as | weight (log-odds) | 95% interval |",
              "|---|---|---|---|---|---|---|---|---|"]
    intervals = choice.get("weight_intervals", {})
    for row in info["flags"]:
        weight = "–" if row["combiner_weight"] is None else f"{row['combiner_weight']:.2f}"
        low_high = intervals.get(row["flag"])
        interval = "–" if low_high is None else f"[{low_high[0]:.2f}, {low_high[1]:.2f}]"
        lines.append(
            f"| `{row['flag']}` | {row['scam_hits']} | {row['scam_rate']:.4f} | "
            f"{row['legit_hits']} | {row['legit_rate']:.5f} | {row['likelihood_ratio']:.1f} | "
            f"{row['used_as']} | {weight} | {interval} |")
    return "\n".join(lines)


def _pasted_cv_markdown(card: dict[str, Any]) -> str:
    """The pasted-text (message) models beside their baselines, grouped CV."""
    lines = ["| language | rows | n (scam) | metric | baseline | model | difference |",
             "|---|---|---|---|---|---|---|"]
    for lang, cv in card.get("grouped_cv", {}).items():
        for part, table in cv.get("pasted", {}).items():
            for metric in ("roc_auc", "pr_auc"):
                model, base = table["model"][metric], table["baseline"][metric]
                lo, hi = model["diff_ci"]
                lines.append(
                    f"| {lang} | {part} | {table['n']} ({table['n_scam']}) | {metric} | "
                    f"{base['value']:.3f} [{base['ci'][0]:.3f}, {base['ci'][1]:.3f}] | "
                    f"{model['value']:.3f} [{model['ci'][0]:.3f}, {model['ci'][1]:.3f}] | "
                    f"{model['diff_vs_baseline']:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    return "\n".join(lines)


def _json_safe(row: dict[str, Any]) -> dict[str, Any]:
    """NaN (a precision with no hits) is not JSON: store null."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}


def write_provisional_card(bundle: ModelBundle, model_dir: Path, sha: str) -> None:
    """The sha256 of a fresh artifact, so evaluation can load it through the check; the
    full card replaces it once the figures are measured."""
    card = {"name": "job-scam-detector", "version": bundle.version,
            "artifact": {"file": ARTIFACT_NAME, "sha256": sha}}
    (model_dir / CARD_JSON).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def write_card(card: dict[str, Any], model_dir: Path) -> None:
    (model_dir / CARD_JSON).write_text(
        json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (model_dir / CARD_MD).write_text(card_markdown(card), encoding="utf-8")


def resave_artifact(model_dir: Path) -> dict[str, Any]:
    """Re-write a model directory's artifact in the current format (same bundle, checked
    on the way in and out) and its card's `artifact` entry; the figures are untouched, since
    the model is the same. Returns the new card."""
    bundle, card = load_bundle(model_dir)
    sha = save_bundle(bundle, model_dir)
    path = model_dir / ARTIFACT_NAME
    card["artifact"] = {"file": ARTIFACT_NAME, "sha256": sha, "bytes": path.stat().st_size}
    write_card(card, model_dir)
    load_bundle(model_dir)  # proves the card and the new artifact agree
    return card


def _curve_table(curves: dict[str, Any] | None) -> str:
    if not curves:
        return "(run `detector evaluate --write-card --learning-curve` to measure it)"
    lines = ["| language | training rows | groups | baseline | model |", "|---|---|---|---|---|"]
    for lang, c in curves.items():
        for rows, groups, base, model in zip(c["rows"], c["groups"], c["baseline"],
                                             c["model"], strict=True):
            lines.append(f"| {lang} | {rows:,} | {groups:,} | {base:.3f} | {model:.3f} |")
    return "\n".join(lines)


def card_markdown(card: dict[str, Any]) -> str:
    import pandas as pd

    libs = ", ".join(f"{k} {v}" for k, v in card["libraries"].items())
    report = pd.DataFrame(card["rule_report"]).astype(object).fillna(float("nan"))
    rules = format_rule_report(report) if card["rule_report"] else ""
    pictures = "\n".join(f"![{name}]({name})" for name in card.get("figures", []))
    recipes = "; ".join(f"{lang}: " + ", ".join(f"{k} = `{v}`" for k, v in r.items())
                        for lang, r in card["recipes"].items())
    return f"""# Model card: job-scam-detector {card['model_version']}

Generated by `detector train` / `detector evaluate --write-card` from the artifact on disk;
do not edit by hand.

- Artifact: `models/{card['artifact']['file']}`, {card['artifact']['bytes']:,} bytes,
  sha256 `{card['artifact']['sha256']}` (checked before loading).
- Training data: `{card['training_data']['file']}`, sha256 `{card['training_data']['sha256']}`
  (see `labeled_posts/DATA_CARD.md`). Seed {card['seed']}. Libraries: {libs}.

## Model
Recipes ({recipes}) are defined in `detector/model/recipes.py` and were chosen by grouped
cross-validation on train+valid (table below), never by the test split.
- English, structured postings: a word TF-IDF per field (title, company profile,
  description, requirements, benefits, the rest) plus one over the whole text, words after
  a negation in the same clause marked (so "no fee" does not read as a fee), into a
  logistic regression. Pasted text (what a job seeker sends) goes to a second model, word
  uni/bi-gram TF-IDF trained on pasted and excerpt copies of the same postings, the
  reported scam SMS and other sites' legit pastes.
- Chinese, structured postings: character 1-3-gram TF-IDF of the whole text, folded
  (traditional script and lookalike key terms, `detector/textnorm`; the fitted model keeps
  the tables it was trained with), into a logistic regression, on the 58.com rows alone.
  The 58.com label is one annotator's and weak, so this is deliberately simple.
- Chinese pasted text and messages: the same features, trained on the 58.com postings
  pasted and as excerpts, the hand-labelled job-scam messages, legit messages of the same
  shapes (recruiting SMS ads, web posts) and BOSS直聘 pastes. 猎聘 is kept out of every
  model's training, so its figures measure a site no model saw.
- English structured postings also learn from 2,000 legit postings of other sites (NHS,
  LinkedIn; train split): EMSCAD's frauds are mostly data-entry and admin jobs, and a model
  of EMSCAD alone read "typist" as a scam sign.
- Calibration: Platt scaling of grouped out-of-fold scores, at real-world prevalence
  ({card['prevalence']['en']:.2%} English, {card['prevalence']['zh']:.0%} Chinese). A
  pasted-text model that learned short legit messages as well as short scams (Chinese:
  thousands of recruiting SMS ads and web posts) is calibrated on every shape it meets,
  messages included, and its scores of short texts stand; otherwise (English: no legit
  short messages in the data) it is calibrated on the pasted postings and excerpts, and a
  text of fewer than {card['min_words']['en']} words is pulled towards the base rate in
  proportion, unless a red flag on its wording says it looks like a scam (a medium or high
  flag, or one at least twice as common in scams). A short text that stays low says
  `confidence: low`.
- The estimate joins the model's odds and the red flags (next section). Tiers are fixed
  bands of `fraud_probability` in every language: low below {card['bands']['medium']:.0%},
  medium from {card['bands']['medium']:.0%}, high from {card['bands']['high']:.0%}.

## How the estimate is made: model and red flags
{_combiner_markdown(card)}

## Pasted text and messages: grouped CV beside the baseline
The pasted-text models and the plain baseline on the same rows (5 group-disjoint folds;
`core_pastes` = the core postings pasted and as excerpts, `messages` = scam and legit
messages and other sites' legit pastes).

{_pasted_cv_markdown(card)}

## Figures: model beside the plain baseline
The baseline is a plain word TF-IDF (jieba words for Chinese) + logistic regression on the
whole text, trained on the same rows and calibrated the same way. Test figures are on the
group-disjoint test split (no company or reposted template seen in training), read once
per release; intervals are 95% from a bootstrap over groups; "groups once" weights each
group (company, template, campaign) equally, as a feed of unseen campaigns does (the plain
columns let one 44-ad template count 44 times); `@prev` = re-weighted to real-world
prevalence; `high` = the fixed band, probability >= 50%; `structured` = the postings as
fields, `pasted_text` = the same postings pasted as one text, `excerpt` = title and the
opening 60-700 characters.

{format_figures(card['test_figures'], card.get('grouped_cv'))}

`verdict` is what the tool outputs (model and red flags combined); `model_only` the
calibrated text model alone. The reliability pictures include the test messages.

{pictures}

## Learning curve
Grouped CV ROC-AUC (each group counted once) on growing shares of the train+valid groups.

{_curve_table(card.get('learning_curve'))}

## Red-flag rule QA (all of `labeled_posts/`)
{rules}

## Limits
- Trained on EMSCAD (2012-2014 English ads), 58.com (Chinese) postings, and 2015 Chinese and
  2012-2023 English scam messages; other sites, eras and scam styles are weaker. No Chinese
  training-fee / data-annotation scams exist in the data: the red-flag rules carry those.
- It reads text only: it cannot verify the employer, a phone number or a website.
- 58.com labels are one annotator's judgement of "deceptive recruitment"; Chinese figures
  are limited by that label noise.
"""
