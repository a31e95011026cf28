"""The public API other modules code against."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from detector.flags import CATALOGUE, FLAG_IDS, RedFlag, detect_flags, get_flag
from detector.flags.engine import MAX_SPANS
from detector.schema import parse_posting
from detector.verdict import Evidence, FlagHit
from tests.flags.flag_helpers import assert_exact_evidence, posting_of

REQUIRED = ("upfront_fee", "unrealistic_pay", "vague_employer", "off_platform_contact",
            "personal_data_request", "payment_scheme", "task_scam", "pressure_tactics")


def test_catalogue_ids() -> None:
    assert tuple(flag.id for flag in CATALOGUE) == FLAG_IDS
    assert len(set(FLAG_IDS)) == len(FLAG_IDS)
    for flag_id in REQUIRED:
        assert flag_id in FLAG_IDS
    for flag in CATALOGUE:
        assert isinstance(flag, RedFlag)
        assert flag.severity in ("low", "medium", "high")
        if flag.produced_by == "rules":
            assert flag.patterns or flag.check is not None
        else:  # produced by a lookup (campaign memory): the engine never fires it
            assert not flag.patterns and flag.check is None


def test_required_severities() -> None:
    for flag_id in ("upfront_fee", "personal_data_request", "payment_scheme", "task_scam"):
        assert get_flag(flag_id).severity == "high"
    for flag_id in ("unrealistic_pay", "off_platform_contact"):
        assert get_flag(flag_id).severity == "medium"
    assert get_flag("vague_employer").severity in ("low", "medium")
    assert get_flag("pressure_tactics").severity in ("low", "medium")


def test_get_flag_unknown() -> None:
    with pytest.raises(KeyError):
        get_flag("no_such_flag")


@pytest.mark.parametrize("flag", CATALOGUE, ids=lambda f: f.id)
def test_to_dict(flag: RedFlag) -> None:
    both = flag.to_dict()
    assert both["id"] == flag.id and both["severity"] == flag.severity
    for key in ("title", "explanation", "advice"):
        assert set(both[key]) >= {"en", "zh"}
        assert all(both[key][lang].strip() for lang in ("en", "zh"))
    zh = flag.to_dict("zh")
    assert zh["title"] == flag.title["zh"]
    json.dumps(both, ensure_ascii=False)
    json.dumps(zh, ensure_ascii=False)


def test_result_order_and_types() -> None:
    posting = posting_of(
        "Limited slots! Send $50 registration fee, then text us on WhatsApp. "
        "No experience needed, earn $500 per day from home."
    )
    hits = detect_flags(posting)
    assert all(isinstance(h, FlagHit) for h in hits)
    ids = [h.id for h in hits]
    assert len(ids) == len(set(ids))
    rank = {"high": 0, "medium": 1, "low": 2}
    keys = [(rank[h.severity], FLAG_IDS.index(h.id)) for h in hits]
    assert keys == sorted(keys)
    assert ids[0] == "upfront_fee"
    for hit in hits:
        assert all(isinstance(e, Evidence) for e in hit.evidence)
        assert_exact_evidence(posting, hit)


def test_scans_every_field() -> None:
    posting = parse_posting({
        "title": "Data entry",
        "company_profile": "A leading company is hiring remote assistants",
        "benefits": "Salary paid in USDT to your crypto wallet",
        "contact": "wa.me/15550100",
    })
    hits = {h.id: h for h in detect_flags(posting)}
    assert hits["payment_scheme"].evidence[0].field == "benefits"
    assert hits["off_platform_contact"].evidence[0].field == "contact"
    assert hits["vague_employer"].evidence[0].field == "company_profile"


def test_evidence_capped_and_deduped() -> None:
    text = " ".join(f"Contact {i} on WhatsApp." for i in range(40))
    posting = posting_of(text)
    (hit,) = [h for h in detect_flags(posting) if h.id == "off_platform_contact"]
    assert 1 <= len(hit.evidence) <= MAX_SPANS
    spans = [(e.start, e.end) for e in hit.evidence]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_overlapping_spans_are_merged() -> None:
    posting = posting_of("请发身份证正反面照片和银行卡号")
    (hit,) = [h for h in detect_flags(posting) if h.id == "personal_data_request"]
    spans = sorted((e.start, e.end) for e in hit.evidence)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    assert_exact_evidence(posting, hit)


def test_negation_is_local() -> None:
    """'No fees' early on must not hide a fee demanded later in another sentence."""
    hits = {h.id for h in detect_flags(posting_of(
        "No fees to apply. After the interview you must pay a $120 training fee."))}
    assert "upfront_fee" in hits
    hits = {h.id for h in detect_flags(posting_of("不收押金。入职需交服装费100元。"))}
    assert "upfront_fee" in hits


def test_negated_forms_are_suppressed() -> None:
    from detector.flags import scan

    result = scan(posting_of("本公司不收押金，不收取任何费用，免费带薪培训。"))
    assert "upfront_fee" not in {h.id for h in result.hits}
    assert "upfront_fee" in result.suppressed


def test_structured_without_company() -> None:
    posting = parse_posting({"title": "Data entry", "description": "Work from home."})
    (hit,) = [h for h in detect_flags(posting) if h.id == "no_company_info"]
    assert hit.evidence == () and hit.severity == "low"


def test_huge_input_is_bounded() -> None:
    text = "不收押金，加微信，刷单返利。" * 20000 + "Earn $500 per day, no experience needed."
    hits = {h.id: h for h in detect_flags(posting_of(text))}
    assert "task_scam" in hits and len(hits["task_scam"].evidence) <= MAX_SPANS
