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
from collections.abc import Iterable
from typing import Any

import pandas as pd

from detector.flags import CATALOGUE, scan
from detector.model.bundle import PREVALENCE
from detector.schema import ALL_FIELDS, InvalidPosting, parse_posting

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


def flag_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per posting: `fired` and `negated` (sets of flag ids), aligned with `frame`.

    Rows that are not valid postings (e.g. every text field empty) get `valid=False`.
    """
    fired: list[frozenset[str]] = []
    negated: list[frozenset[str]] = []
    valid: list[bool] = []
    for record in _records(frame):
        try:
            posting = parse_posting(record)
        except InvalidPosting:
            fired.append(frozenset())
            negated.append(frozenset())
            valid.append(False)
            continue
        result = scan(posting)
        fired.append(frozenset(h.id for h in result.hits))
        negated.append(frozenset(result.suppressed))
        valid.append(True)
    return pd.DataFrame({"fired": fired, "negated": negated, "valid": valid}, index=frame.index)


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
