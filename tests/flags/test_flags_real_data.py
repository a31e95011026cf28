"""Real legit postings from the shared data must not raise high (or medium) flags.

The files are read-only shared data; the test is skipped when they are not mounted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from detector.flags import detect_flags
from detector.schema import parse_posting

DATA = Path("/work/shared/data")
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared data not available")

#: Typical legit postings (ids in the shared files) that use fee, ID, chat and pay wording.
NHS_IDS = ("nhs_916226359", "nhs_916212233", "nhs_916218288", "nhs_916252845")
ORFD_IDS = ("orfd58_01714", "orfd58_01737", "orfd58_04094", "orfd58_07019", "orfd58_02661",
            "orfd58_01606", "orfd58_03483")
EMSCAD_IDS = (72, 229, 26, 47, 1057, 19)


def _check(record: dict, allow_medium: bool = False) -> None:
    clean = {k: v for k, v in record.items() if isinstance(v, str) and v.strip()}
    hits = detect_flags(parse_posting(clean))
    worst = {h.id: h.severity for h in hits if h.severity == "high" or
             (h.severity == "medium" and not allow_medium)}
    assert not worst, (record.get("id"), worst)


def test_nhs_postings() -> None:
    df = pd.read_csv(DATA / "en_extra" / "nhs_jobs_uk_2020.csv.gz")
    rows = df[df["id"].isin(NHS_IDS)]
    assert len(rows) == len(NHS_IDS)
    for record in rows.to_dict("records"):
        _check({"id": record["id"], "title": record["title"], "company": record["company"],
                "description": record["text"]})


def test_58_postings() -> None:
    df = pd.read_csv(DATA / "zh" / "orfd_58tongcheng_jobs.csv.gz")
    rows = df[df["id"].isin(ORFD_IDS)]
    assert len(rows) == len(ORFD_IDS)
    for record in rows.to_dict("records"):
        assert record["label"] == "real"
        _check({"id": record["id"], "text": record["text"], "salary": record["job_salary"],
                "company": record["company_name"]})


def test_emscad_postings() -> None:
    df = pd.read_csv(DATA / "emscad" / "emscad_raw_subset.csv.gz")
    rows = df[df["job_id"].isin(EMSCAD_IDS)]
    assert len(rows) == len(EMSCAD_IDS)
    for record in rows.to_dict("records"):
        assert record["fraudulent"] == 0
        fields = {k: record[k] for k in ("title", "company_profile", "description",
                                         "requirements", "benefits")}
        _check({"id": str(record["job_id"]), **fields})
