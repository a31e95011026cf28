"""Load labelled reference data into the posting schema, for measuring the rules.

The shared files (read-only, `/work/shared/data`) are mapped straight into schema columns
plus `label` (1 scam, 0 legit), `language` and `source`; rows whose label says nothing about
fraud (58.com `unlabelled`, SMS `job_spam_unverified`) and the news articles (reports about
scams, not postings) are left out. The lead's `labeled_posts/posts.csv.gz`, once it exists,
already has this shape.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from detector.schema import TEXT_FIELDS

LEAD_CORPUS = Path(__file__).resolve().parents[2] / "labeled_posts" / "posts.csv.gz"
_EMSCAD_MAP = {"salary_range": "salary"}


def _strip_title(text: pd.Series, title: pd.Series) -> pd.Series:
    """`text` is 'title\\n\\ndescription' in the en_extra files: keep the description."""
    out = []
    for body, head in zip(text.fillna(""), title.fillna(""), strict=True):
        out.append(body[len(head):].lstrip("\n") if head and body.startswith(head) else body)
    return pd.Series(out, index=text.index)


def _emscad(root: Path) -> pd.DataFrame:
    parts = []
    for name in ("emscad_raw_subset", "emscad_fraud_extra"):
        df = pd.read_csv(root / "emscad" / f"{name}.csv.gz").rename(columns=_EMSCAD_MAP)
        ids = df["job_id"].astype("Int64").astype(str)
        df["id"] = [f"emscad_{j}" if j != "<NA>" else f"{name}_{i}" for i, j in enumerate(ids)]
        df["label"] = df["fraudulent"].astype(int)
        df["source"] = name
        parts.append(df)
    return pd.concat(parts, ignore_index=True)


def _en_extra(root: Path) -> pd.DataFrame:
    parts = []
    for name in ("nhs_jobs_uk_2020", "linkedin_us_education_2025"):
        df = pd.read_csv(root / "en_extra" / f"{name}.csv.gz")
        df["description"] = _strip_title(df["text"], df["title"])
        keep = [c for c in ("id", "title", "company", "location", "salary", "employment_type",
                            "description") if c in df.columns]
        df = df[keep].copy()
        df["label"] = 0
        df["source"] = name
        parts.append(df)
    sms = pd.read_csv(root / "en_extra" / "sms_job_scams_en.csv.gz")
    sms = sms[sms["label"] == "scam"][["id", "text"]].copy()
    sms["label"] = 1
    sms["source"] = "sms_job_scams_en"
    parts.append(sms)
    return pd.concat(parts, ignore_index=True)


def _zh(root: Path) -> pd.DataFrame:
    o = pd.read_csv(root / "zh" / "orfd_58tongcheng_jobs.csv.gz")
    o = o[o["label"].isin(["real", "fake"])]
    parts = o["text"].str.partition("\n")
    head, body = parts[0], parts[2]
    orfd = pd.DataFrame({
        "id": o["id"], "title": head, "description": body.str.strip(),
        "salary": o["job_salary"], "requirements": o["job_requirement"],
        "benefits": o["job_welfare"], "company": o["company_name"],
        "company_profile": o["company_intro"], "location": o["job_addr"],
        "label": (o["label"] == "fake").astype(int), "source": "orfd_58tongcheng_jobs",
    })
    b = pd.read_csv(root / "zh" / "it_job_postings_boss_liepin_2019.csv.gz")
    boss = pd.DataFrame({
        "id": b["id"], "title": b["title"], "description": b["description"],
        "salary": b["salary"], "required_education": b["education"],
        "required_experience": b["experience"], "benefits": b["welfare"],
        "company": b["company_name"], "company_profile": b["company_intro"],
        "location": b["location"], "industry": b["industry"], "department": b["department"],
        "label": 0, "source": "it_job_postings_boss_liepin_2019",
    })
    c = pd.read_csv(root / "zh" / "chat_fraud_ocr_zh.csv.gz")
    chat = pd.DataFrame({"id": c["id"], "text": c["text"],
                         "label": (c["label"] == "fraud").astype(int),
                         "source": "chat_fraud_ocr_zh"})
    return pd.concat([orfd, boss, chat], ignore_index=True)


def load_reference_frame(data_dir: str | Path = "/work/shared/data") -> pd.DataFrame:
    """All labelled postings of the shared data in schema form (see module docstring)."""
    root = Path(data_dir)
    en = pd.concat([_emscad(root), _en_extra(root)], ignore_index=True)
    en["language"] = "en"
    zh = _zh(root)
    zh["language"] = "zh"
    frame = pd.concat([en, zh], ignore_index=True)
    keep = ["id", *TEXT_FIELDS, "has_company_logo", "telecommuting", "has_questions",
            "label", "language", "source"]
    return frame[[c for c in keep if c in frame.columns]]


def load_labeled_posts(path: str | Path = LEAD_CORPUS) -> pd.DataFrame:
    """The lead's labelled corpus (columns id, source, language, label, split, group, fields)."""
    return pd.read_csv(path)
