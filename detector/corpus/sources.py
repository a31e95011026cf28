"""Map each real source in `shared/data/` into the posting schema.

One function per source, each returning a frame with the schema columns plus
`id`, `source`, `language`, `label` (1 scam, 0 legit) and `role`. The same
functions map withheld files of the same format, so anyone can rebuild or extend
the corpus with `detector corpus build`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from detector.schema import BOOL_FIELDS, TEXT_FIELDS

#: Roles: where a row may be used. `core` sources carry both labels and drive training
#: and the headline figures; `other_legit` and `sms_scam` rows are single-label sources
#: from other sites, used sparingly in training and reported separately; `msg_legit` rows
#: are legit texts of the scam messages' own shapes (recruiting SMS ads, web posts about
#: jobs), the negatives that keep a message model from learning "short text = scam".
CORE, OTHER_LEGIT, SMS_SCAM, MSG_LEGIT = "core", "other_legit", "sms_scam", "msg_legit"

#: `platform`: the site a row was posted on, where a source mixes several (BOSS直聘, 猎聘);
#: `grade`: the source's own confidence in a scam label (`high`/`medium`/`low`), where given.
META_COLUMNS = ("id", "source", "language", "label", "role", "source_group", "platform",
                "grade")
COLUMNS = (*META_COLUMNS, *TEXT_FIELDS, *BOOL_FIELDS)

# EMSCAD categories that the fraud_extra file's author invented or re-cased (see SOURCE.md);
# left as they are, "which file a row came from" would leak through them.
_EMSCAD_EXPERIENCE_FIXES = {"Senior": "Mid-Senior level"}
_EMSCAD_EMPLOYMENT_FIXES = {
    "full-time": "Full-time",
    "part-time": "Part-time",
    "contract": "Contract",
    "temporary": "Temporary",
    "other": "Other",
}


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    for column in COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame = frame.loc[:, list(COLUMNS)].copy()
    for column in TEXT_FIELDS:
        values = frame[column].astype("string").str.strip()
        frame[column] = values.mask(values == "")
    frame["label"] = frame["label"].astype("int8")
    return frame.reset_index(drop=True)


def _split_title(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`text` is "title\\n\\nbody" in the en_extra files."""
    parts = text.str.split("\n", n=1, expand=True)
    body = parts[1].fillna("").str.lstrip("\n") if 1 in parts else pd.Series("", index=text.index)
    return parts[0], body


def emscad(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"job_id": "string"})
    out = raw.rename(columns={"salary_range": "salary"})
    stem = path.name.split(".")[0]
    ids = raw["job_id"].fillna("").str.replace(r"\.0$", "", regex=True)
    out["id"] = [f"emscad_{j}" if j else f"{stem}_{i:04d}" for i, j in enumerate(ids)]
    out["required_experience"] = out["required_experience"].replace(_EMSCAD_EXPERIENCE_FIXES)
    out["employment_type"] = out["employment_type"].replace(_EMSCAD_EMPLOYMENT_FIXES)
    for column in BOOL_FIELDS:
        out[column] = out[column].astype("boolean")
    out["label"] = raw["fraudulent"]
    out["source"], out["language"], out["role"] = "emscad", "en", CORE
    return _finish(out)


def orfd(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str)
    raw = raw[raw["label"].isin(["real", "fake"])]
    subtitle = raw["job_subtitle"].fillna("")
    title = raw["job_title"].fillna("")
    out = pd.DataFrame(
        {
            "id": raw["id"],
            # The sub-title is the headline the seeker sees on 58.com; keep it with the title.
            "title": title.where((subtitle == "") | (subtitle == title), title + "｜" + subtitle),
            "company": raw["company_name"],
            "company_profile": raw["company_intro"],
            "description": raw["job_description"],
            "requirements": raw["job_requirement"].str.replace("_", "，", regex=False),
            "benefits": raw["job_welfare"].str.replace("_", "，", regex=False),
            "salary": raw["job_salary"],
            "location": raw["job_addr"].str.replace("_", " ", regex=False),
            "label": (raw["label"] == "fake").astype(int),
            "source_group": "orfd:" + raw["desc_group"].fillna(""),
        }
    )
    out["source"], out["language"], out["role"] = "orfd_58", "zh", CORE
    return _finish(out)


def boss_liepin(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str)
    out = raw.rename(
        columns={
            "company_name": "company",
            "company_intro": "company_profile",
            "welfare": "benefits",
            "education": "required_education",
            "experience": "required_experience",
        }
    )
    out["label"] = 0
    out["source"], out["language"], out["role"] = "boss_liepin", "zh", OTHER_LEGIT
    return _finish(out)


#: sms_scam_zh categories kept as legit messages: ordinary recruiting ads (SMS) and web posts.
_ZH_MESSAGE_LEGIT = ("recruitment_ad", "recruitment_service_ad", "recruitment_ad_nightlife",
                     "recruitment_ad_massage_spa", "web_sentence", "web_sentence_jobword")


def sms_scam_zh(path: Path) -> pd.DataFrame:
    """Hand-labelled job scams (`scam_job`, with their confidence as `grade`) and the legit
    texts of the same shapes: recruiting SMS ads and web posts. Other spam and non-job scams
    (loans, bank transfers) are left out: they are not job postings either way."""
    raw = pd.read_csv(path, dtype=str)
    scam = raw["label"] == "scam_job"
    keep = scam | ((raw["label"].isin(["legit", "spam_ad"]))
                   & raw["category"].isin(_ZH_MESSAGE_LEGIT))
    raw, scam = raw[keep], scam[keep]
    out = pd.DataFrame(
        {
            "id": "smszh_" + raw["id"].astype(str),
            "text": raw["text"],
            "label": scam.astype(int),
            "grade": raw["notes"].str.extract(r"confidence=(\w+)", expand=False).where(scam),
            "role": [SMS_SCAM if s else MSG_LEGIT for s in scam],
        }
    )
    out["source"], out["language"] = "sms_scam_zh", "zh"
    return _finish(out)


#: The hand grades of `job_messages_zh_extra` as the corpus's confidence grades.
_MESSAGE_GRADES = {"clear": "high", "likely": "medium", "unsure": "low"}


def job_messages_zh(path: Path) -> pd.DataFrame:
    """Hand-labelled Chinese job-scam texts (`scam_job`, graded) and real legit recruiting
    messages of the same shapes (`legit_job`); `other` rows (insurance-agent recruiting,
    schools, warnings) are neither and are left out. `campaign` groups near-duplicates:
    rows of one campaign share a split. The form (`sms`/`post`) is not kept: most scams
    here are posts and most legit rows SMS, the reverse of `sms_scam_zh`, and the model must
    not learn the shape (zh/SOURCE.md)."""
    raw = pd.read_csv(path, dtype=str)
    raw = raw[raw["label"].isin(["scam_job", "legit_job"])]
    scam = raw["label"] == "scam_job"
    out = pd.DataFrame(
        {
            "id": "zhmsg_" + raw["id"].astype(str),
            "text": raw["text"],
            "label": scam.astype(int),
            "grade": raw["grade"].map(_MESSAGE_GRADES).where(scam),
            "role": [SMS_SCAM if s else MSG_LEGIT for s in scam],
            "source_group": "zhmsg:" + raw["campaign"].fillna(raw["id"]).astype(str),
        }
    )
    out["source"], out["language"] = "job_messages_zh_extra", "zh"
    return _finish(out)


def en_extra_legit(path: Path) -> pd.DataFrame:
    """NHS Jobs, LinkedIn, Indeed, Uber: `text` is title + description."""
    raw = pd.read_csv(path, dtype=str)
    title, body = _split_title(raw["text"])
    out = pd.DataFrame({"id": raw["id"], "title": raw.get("title", title), "description": body})
    for column in ("company", "location", "salary", "employment_type", "department"):
        if column in raw:
            out[column] = raw[column]
    if "job_type" in raw:
        out["employment_type"] = raw["job_type"]
    out["label"] = 0
    out["source"] = path.name.split(".")[0]
    out["language"], out["role"] = "en", OTHER_LEGIT
    return _finish(out)


def sms_job_scams(path: Path) -> pd.DataFrame:
    """Only `scam` rows: `job_spam_unverified` cannot be told from the text (SOURCE.md)."""
    raw = pd.read_csv(path, dtype=str)
    raw = raw[raw["label"] == "scam"]
    out = pd.DataFrame(
        {
            "id": raw["id"],
            "text": raw["text"],
            "label": 1,
            "source_group": "sms:" + raw["near_dup_group"].fillna(""),
        }
    )
    out["source"], out["language"], out["role"] = "sms_job_scams_en", "en", SMS_SCAM
    return _finish(out)


#: file name (relative to shared/data) -> mapper. The corpus is exactly these files, in two
#: releases: rows of the first keep the groups and splits they were given then (adding a
#: source never moves an existing row between train and test); rows of a later release are
#: grouped and split among themselves, and inherit the split of a first-release row they
#: duplicate.
SOURCES: dict[str, Callable[[Path], pd.DataFrame]] = {
    "emscad/emscad_raw_subset.csv.gz": emscad,
    "emscad/emscad_fraud_extra.csv.gz": emscad,
    "zh/orfd_58tongcheng_jobs.csv.gz": orfd,
    "zh/it_job_postings_boss_liepin_2019.csv.gz": boss_liepin,
    "en_extra/nhs_jobs_uk_2020.csv.gz": en_extra_legit,
    "en_extra/linkedin_us_education_2025.csv.gz": en_extra_legit,
    "en_extra/sms_job_scams_en.csv.gz": sms_job_scams,
}
ADDED_SOURCES: dict[str, Callable[[Path], pd.DataFrame]] = {
    "zh/sms_scam_zh.csv.gz": sms_scam_zh,
}
#: Added on 2026-12-07 (issue 26): a third release, grouped and split among its own rows
#: (by `campaign`), inheriting the split of any earlier row it near-duplicates.
ADDED_MESSAGES: dict[str, Callable[[Path], pd.DataFrame]] = {
    "zh/job_messages_zh_extra.csv.gz": job_messages_zh,
}
#: The releases after the first, in order.
LATER_RELEASES = (ADDED_SOURCES, ADDED_MESSAGES)

#: Other files of the same formats (withheld sets) map with these, chosen by name prefix.
MAPPERS_BY_PREFIX: dict[str, Callable[[Path], pd.DataFrame]] = {
    "emscad": emscad,
    "orfd": orfd,
    "it_job_postings": boss_liepin,
    "nhs_jobs": en_extra_legit,
    "linkedin": en_extra_legit,
    "indeed": en_extra_legit,
    "uber": en_extra_legit,
    "sms_job_scams": sms_job_scams,
    "sms_scam_zh": sms_scam_zh,
    "job_messages_zh": job_messages_zh,
}


def mapper_for(path: Path) -> Callable[[Path], pd.DataFrame]:
    for prefix, mapper in MAPPERS_BY_PREFIX.items():
        if path.name.startswith(prefix):
            return mapper
    known = ", ".join(MAPPERS_BY_PREFIX)
    raise ValueError(f"no mapper for {path.name}: file names must start with one of {known}")
