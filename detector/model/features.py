"""scikit-learn transformers that turn postings into model features.

The pipeline input is a DataFrame with the schema columns plus `flags` (space-separated
red-flag ids). `PreparePostings` cleans the text once; the column transformer then reads
the space-joined `tokens` and `title_clean` and the structured columns it adds.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from detector.model.text import clean_text, tokenize
from detector.schema import BOOL_FIELDS, TEXT_FIELDS

#: Fields whose absence means something in a structured posting (EMSCAD's finding:
#: scams more often lack a company profile, logo or requirements).
PRESENCE_FIELDS = (
    "company",
    "company_profile",
    "requirements",
    "benefits",
    "salary",
    "required_education",
    "required_experience",
    "employment_type",
    "industry",
    "function",
    "department",
)
BODY_FIELDS = tuple(name for name in TEXT_FIELDS if name != "title")
_EXCLAIM = re.compile(r"[!！]")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_MONEY = re.compile(r"[$£€¥￥]|\b(?:usd|rs|inr|gbp|eur)\b|元|万|块", re.IGNORECASE)

RATE_MIN_CHARS = 500

STRUCTURED_COLUMNS: tuple[str, ...] = (
    "is_structured",
    *(f"has_{name}" for name in PRESENCE_FIELDS),
    *(f"{name}_{state}" for name in BOOL_FIELDS for state in ("yes", "no")),
    "log_length",
    "exclaim_rate",
    "caps_rate",
    "money_rate",
    "contact_tokens",
)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _structured_row(row: dict[str, object], raw: str, body: str) -> list[float]:
    """Presence of fields, yes/no metadata, length, and shouting/money/contact rates of the
    (budgeted) raw text `raw`; `body` is its cleaned form."""
    texts = {name: _text(row.get(name)) for name in TEXT_FIELDS}
    structured = float(any(texts[name] for name in TEXT_FIELDS if name != "text"))
    total = max(sum(len(t) for t in texts.values()), 1)
    # Rates over at least RATE_MIN_CHARS: two "$" in a one-line paste are not a money-heavy
    # posting, and unsmoothed rates made every short pasted text look like a scam.
    sample = max(len(raw), RATE_MIN_CHARS)
    values = [structured]
    # Presence only speaks for structured postings; a pasted text has no "missing fields".
    values += [structured * float(bool(texts[name])) for name in PRESENCE_FIELDS]
    for name in BOOL_FIELDS:
        flag = row.get(name)
        known = isinstance(flag, bool | np.bool_)
        values += [float(known and bool(flag)), float(known and not bool(flag))]
    values += [
        math.log1p(total) / 10.0,
        min(len(_EXCLAIM.findall(raw)) * 100.0 / sample, 5.0),
        min(len(_CAPS.findall(raw)) * 100.0 / sample, 5.0),
        min(len(_MONEY.findall(raw)) * 100.0 / sample, 5.0),
        min(body.count("token ") / 5.0, 2.0),
    ]
    return values


class PreparePostings(BaseEstimator, TransformerMixin):
    """Clean and tokenise text once: adds `tokens` (space-joined words of title and body),
    `title_clean` and the structured columns. Tokenising here, not in the vectoriser, means
    jieba runs once per posting however many folds or vectorisers read the result."""

    def __init__(self, max_chars: int = 4_000) -> None:
        # The model reads at most `max_chars` of body text (fields in schema order): the
        # first few thousand characters carry the signal, and cost stays bounded for a
        # megabyte-long posting. Red flags still read everything.
        self.max_chars = max_chars

    def fit(self, frame: pd.DataFrame, y: object = None) -> PreparePostings:
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        columns = list(frame.columns)
        # Plain lists, not DataFrame.to_dict: pandas' per-call overhead dominates small batches.
        records = [dict(zip(columns, values, strict=True))
                   for values in zip(*(frame[c].tolist() for c in columns), strict=True)]
        bodies, titles, structured = [], [], []
        for row in records:
            parts, budget = [], self.max_chars
            for name in BODY_FIELDS:
                value = _text(row.get(name))[:budget]
                if value:
                    parts.append(value)
                    budget -= len(value)
            raw_title = _text(row.get("title"))[:500]
            raw = "\n".join([raw_title, *parts])
            # One cleaning pass over the joined text: per-field passes cost 16 regex setups.
            body = clean_text(raw)
            bodies.append(body)
            titles.append(clean_text(raw_title))
            structured.append(_structured_row(row, raw, body))
        out = pd.DataFrame(np.asarray(structured, dtype=np.float32), columns=STRUCTURED_COLUMNS)
        out["tokens"] = [" ".join(tokenize(body)) for body in bodies]
        out["title_clean"] = titles
        flags = frame["flags"] if "flags" in frame else pd.Series("", index=frame.index)
        out["flags"] = flags.fillna("").to_numpy()
        return out


class SparseColumns(BaseEstimator, TransformerMixin):
    """Numeric columns as a sparse matrix, scaled by a constant weight."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, frame: pd.DataFrame, y: object = None) -> SparseColumns:
        return self

    def transform(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        return sparse.csr_matrix(frame.to_numpy(dtype=np.float32) * self.weight)
