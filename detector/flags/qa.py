"""Rule quality on labelled data: per flag and language, how often it fires on scams vs legit.

Precision on a labelled corpus depends on its scam share, which in our data is far above the
real world, so the report also re-weights precision to real-world prevalence (4.84% of
EMSCAD-era English postings are scams; about 6% of Chinese ones):
    precision_at_prevalence = tp_rate * p / (tp_rate * p + fp_rate * (1 - p)).
`negated_in_legit` counts legit postings where a negated/excepted form of the flag (不收押金,
"no fees") was found and suppressed: it shows how much the negation handling is doing.

Run it with `detector rules report` (on `labeled_posts/`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from detector.flags import CATALOGUE, scan
from detector.schema import ALL_FIELDS, InvalidPosting, Posting, parse_posting
from detector.verdict import PREVALENCE

REPORT_COLUMNS = [
    "flag", "severity", "language", "n_scam", "n_legit", "scam_hits", "legit_hits", "precision",
    "coverage", "legit_hit_rate", "precision_at_prevalence", "negated_in_legit",
]


def _records(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
    cols = [c for c in frame.columns if c in ALL_FIELDS]
    for values in frame[cols].itertuples(index=False, name=None):
        yield {c: v for c, v in zip(cols, values, strict=True) if not _missing(v)}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def flag_frame(frame: pd.DataFrame, shape: Callable[[Posting], Posting] | None = None
               ) -> pd.DataFrame:
    """One row per posting: `fired` and `negated` (sets of flag ids) and `worst` (the most
    severe flag's severity, "" for none), aligned with `frame`. `shape` rewrites each posting
    first (e.g. to the excerpt a job seeker would paste).

    Rows that are not valid postings (e.g. every text field empty) get `valid=False`.
    """
    fired: list[frozenset[str]] = []
    negated: list[frozenset[str]] = []
    worst: list[str] = []
    valid: list[bool] = []
    for record in _records(frame):
        try:
            posting = parse_posting(record)
        except InvalidPosting:
            fired.append(frozenset())
            negated.append(frozenset())
            worst.append("")
            valid.append(False)
            continue
        result = scan(posting if shape is None else shape(posting))
        fired.append(frozenset(h.id for h in result.hits))
        negated.append(frozenset(result.suppressed))
        worst.append(result.hits[0].severity if result.hits else "")
        valid.append(True)
    return pd.DataFrame({"fired": fired, "negated": negated, "worst": worst, "valid": valid},
                        index=frame.index)


#: Legit postings whose work resembles the scams' (annotation, AI training, typing, data
#: entry): real ones must not be rated high.
LOOKALIKE_WORK = re.compile(
    r"数据标注|标注员|图像标注|语音标注|ai训练师|人工智能训练师|打字员|录入员|数据录入|文字录入|"
    r"(?<![a-z])(?:data annotat\w*|annotators?|ai trainers?|data entry|typists?)(?![a-z])",
    re.IGNORECASE,
)


def legit_false_alarms(frame: pd.DataFrame, flags: pd.DataFrame, excerpts: pd.DataFrame
                       ) -> pd.DataFrame:
    """Per legit set (each source, plus postings about annotation/typing work across sites):
    share of full postings with a high flag and with a medium/high flag, and of their
    excerpts (title and opening, as pasted) with a medium/high flag. `flags` and `excerpts`
    come from `flag_frame` (the latter with an excerpt `shape`)."""
    legit = (frame["label"] == 0).to_numpy() & flags["valid"].to_numpy()
    text = frame.reindex(columns=["title", "description"]).fillna("").astype(str).agg(
        " ".join, axis=1)
    # One set per site: a source's `platform` (BOSS直聘, 猎聘) where it has one.
    site = frame["source"].astype(str)
    if "platform" in frame:
        platform = frame["platform"].fillna("").astype(str)
        site = site.where(platform == "", site + "/" + platform)
    sets = [(f"{name} ({lang})", ((site == name) & (frame["language"] == lang)).to_numpy()
             & legit)
            for (name, lang), _ in frame[legit].assign(site=site).groupby(["site", "language"],
                                                                           sort=True)]
    sets.append(("annotation / AI-trainer / typing / data-entry postings, all sites",
                 text.str.contains(LOOKALIKE_WORK).to_numpy() & legit))
    rows = []
    for name, mask in sets:
        n = int(mask.sum())
        full, cut = flags["worst"].to_numpy()[mask], excerpts["worst"].to_numpy()[mask]
        rows.append({
            "legit_set": name, "n": n,
            "full_high": _rate((full == "high").sum(), n),
            "full_medium_high": _rate(((full == "high") | (full == "medium")).sum(), n),
            "excerpt_medium_high": _rate(((cut == "high") | (cut == "medium")).sum(), n),
        })
    return pd.DataFrame(rows)


def _rate(count: int, n: int) -> float:
    return int(count) / n if n else float("nan")


def rule_report(frame: pd.DataFrame, flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (flag, language): counts, precision, coverage, prevalence-weighted precision.

    `frame` has the posting schema columns (NaN allowed) plus `label` (1 scam, 0 legit; rows
    without a label are skipped), `language` ("en"/"zh") and `source`. Pass `flags` (from
    `flag_frame`) to reuse a scan.
    """
    flags = flag_frame(frame) if flags is None else flags
    labelled = frame["label"].notna().to_numpy() & flags["valid"].to_numpy()
    data = pd.DataFrame(
        {
            "label": frame["label"].fillna(-1).astype(int).to_numpy(),
            "language": frame["language"].astype(str).to_numpy(),
            "fired": flags["fired"].to_numpy(),
            "negated": flags["negated"].to_numpy(),
        }
    )[labelled]
    rows: list[dict[str, Any]] = []
    for flag in CATALOGUE:
        for lang, group in data.groupby("language", sort=True):
            scam = group["label"] == 1
            hit = group["fired"].map(lambda s, fid=flag.id: fid in s)
            neg = group["negated"].map(lambda s, fid=flag.id: fid in s)
            rows.append(
                _row(flag.id, flag.severity, str(lang), int(scam.sum()), int((~scam).sum()),
                     int((hit & scam).sum()), int((hit & ~scam).sum()), int((neg & ~scam).sum()))
            )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _row(
    flag_id: str, severity: str, lang: str, n_scam: int, n_legit: int, tp: int, fp: int, neg: int
) -> dict[str, Any]:
    nan = float("nan")
    tp_rate = tp / n_scam if n_scam else nan
    fp_rate = fp / n_legit if n_legit else nan
    p = PREVALENCE.get(lang, nan)
    denominator = tp_rate * p + fp_rate * (1 - p)
    return {
        "flag": flag_id,
        "severity": severity,
        "language": lang,
        "n_scam": n_scam,
        "n_legit": n_legit,
        "scam_hits": tp,
        "legit_hits": fp,
        "precision": tp / (tp + fp) if tp + fp else nan,
        "coverage": tp_rate,
        "legit_hit_rate": fp_rate,
        "precision_at_prevalence": tp_rate * p / denominator if denominator > 0 else nan,
        "negated_in_legit": neg,
    }


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def format_rule_report(df: pd.DataFrame) -> str:
    """The report as a markdown table (the standard columns first, then any extra ones,
    such as the recall columns of `recall.py`)."""
    cols = [c for c in REPORT_COLUMNS if c in df.columns]
    cols += [c for c in df.columns if c not in cols]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for record in df[cols].itertuples(index=False, name=None):
        lines.append("| " + " | ".join(_fmt(v) for v in record) + " |")
    return "\n".join(lines)
