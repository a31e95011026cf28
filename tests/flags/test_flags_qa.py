"""The rule-quality report on a small hand-made frame (exact numbers are checkable)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from detector.flags import FLAG_IDS
from detector.flags.qa import PREVALENCE, format_rule_report, rule_report


@pytest.fixture()
def frame() -> pd.DataFrame:
    rows = [
        # scams
        {"text": "招聘刷单员，一单一结，先垫付", "label": 1, "language": "zh"},
        {"text": "入职需交押金300元", "label": 1, "language": "zh"},
        {"title": "Reshipper", "description": "Receive parcels at home and reship them.",
         "label": 1, "language": "en"},
        {"text": "Text us on WhatsApp wa.me/1555", "label": 1, "language": "en"},
        # legit
        {"text": "本公司不收押金，不收取任何费用", "label": 0, "language": "zh"},
        {"text": "仓库管理员，负责收发货", "label": 0, "language": "zh"},
        {"title": "Nurse", "company": "NHS Trust",
        "description": "We never ask for a $50 registration fee.",
         "label": 0, "language": "en"},
        {"title": "Driver", "company": "Acme", "description": "Deliver parcels; contact us on "
         "WhatsApp for the rota.", "label": 0, "language": "en"},
        {"title": "  ", "label": 0, "language": "en"},  # no text: invalid, skipped
    ]
    df = pd.DataFrame(rows)
    df["source"] = "handmade"
    return df


def test_shape(frame: pd.DataFrame) -> None:
    report = rule_report(frame)
    assert len(report) == len(FLAG_IDS) * 2
    assert {"flag", "language", "n_scam", "n_legit", "scam_hits", "legit_hits", "precision",
            "coverage", "legit_hit_rate", "negated_in_legit",
            "precision_at_prevalence"} <= set(report.columns)


def row(report: pd.DataFrame, flag: str, lang: str) -> pd.Series:
    return report[(report.flag == flag) & (report.language == lang)].iloc[0]


def test_counts(frame: pd.DataFrame) -> None:
    report = rule_report(frame)
    fee = row(report, "upfront_fee", "zh")
    assert (fee.n_scam, fee.n_legit, fee.scam_hits, fee.legit_hits) == (2, 2, 1, 0)
    assert fee.precision == 1.0 and fee.coverage == 0.5
    assert fee.negated_in_legit == 1
    chat = row(report, "off_platform_contact", "en")
    assert (chat.n_scam, chat.n_legit, chat.scam_hits, chat.legit_hits) == (2, 2, 1, 1)
    assert chat.precision == 0.5
    tp, fp, p = 0.5, 0.5, PREVALENCE["en"]
    assert chat.precision_at_prevalence == pytest.approx(tp * p / (tp * p + fp * (1 - p)))
    en_fee = row(report, "upfront_fee", "en")
    assert en_fee.negated_in_legit == 1
    assert math.isnan(en_fee.precision)


def test_markdown(frame: pd.DataFrame) -> None:
    text = format_rule_report(rule_report(frame))
    lines = text.splitlines()
    assert lines[0].startswith("| flag |")
    assert len(lines) == 2 + len(FLAG_IDS) * 2
    assert "–" in text  # NaN shown as a dash


def test_legit_false_alarms_per_set(frame: pd.DataFrame) -> None:
    from detector.flags.qa import flag_frame, legit_false_alarms

    frame = pd.concat([frame, pd.DataFrame([
        {"title": "数据标注员", "description": "入职需交押金300元", "label": 0, "language": "zh",
         "source": "other", "platform": "猎聘"},
    ])], ignore_index=True)
    legit = frame[frame["label"] == 0]
    flags = flag_frame(legit)
    # An "excerpt" that keeps only the title: the fee is cut off.
    from detector.schema import Posting

    def title_only(posting: Posting) -> Posting:
        return Posting(fields={"text": posting.fields.get("title") or "?"}, id=posting.id)

    table = legit_false_alarms(legit, flags, flag_frame(legit, title_only)).set_index(
        "legit_set")
    assert table.loc["handmade (zh)", "n"] == 2
    assert table.loc["handmade (zh)", "full_high"] == 0.0
    assert table.loc["handmade (en)", "full_medium_high"] == 0.5  # the WhatsApp rota
    lookalike = table.loc["annotation / AI-trainer / typing / data-entry postings, all sites"]
    assert lookalike["n"] == 1 and lookalike["full_high"] == 1.0
    assert lookalike["excerpt_medium_high"] == 0.0
    assert table.loc["other/猎聘 (zh)", "n"] == 1
