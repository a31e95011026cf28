"""Issue 13 and issue 10 (items 7, 9) at the flag level: whole-claim evidence, one flag per
concern, masked SMS wording, reassurances that must not cancel a scam. Hand-written texts
(rule tests, not data)."""

from __future__ import annotations

import pytest

from detector.flags import get_flag
from tests.flags.flag_helpers import assert_exact_evidence, hits_of, posting_of

SEED = ("招聘数据标注员，无需学历，小学生都能做，月入七八千轻轻松松。新人需缴纳2580元培训费，"
        "收入满一万元全额退还。加V：bz2580")


def test_seed_fee_evidence_has_fee_word_amount_and_refund_promise() -> None:
    hits = hits_of(SEED)
    fee = [ev.text for ev in hits["upfront_fee"].evidence]
    assert "需缴纳2580元" in fee and "培训费，收入满一万元全额退还" in fee, fee
    assert_exact_evidence(posting_of(SEED), hits["upfront_fee"])


def test_seed_effortless_pay_line_is_unrealistic_pay() -> None:
    pay = [ev.text for ev in hits_of(SEED)["unrealistic_pay"].evidence]
    assert any("小学生都能做" in t for t in pay) and "月入七八千轻轻松松" in pay, pay


def test_one_disguised_handle_raises_one_contact_flag_with_the_whole_handle() -> None:
    hits = hits_of(SEED)
    assert "chat_app_contact" not in hits
    assert [ev.text for ev in hits["off_platform_contact"].evidence] == ["加V：bz2580"]


def test_a_separate_plain_handle_still_counts_on_its_own() -> None:
    hits = hits_of("详情加V：bz2580。值班表请加 vx: job8888")
    assert [ev.text for ev in hits["chat_app_contact"].evidence] == ["vx: job8888"]
    assert [ev.text for ev in hits["off_platform_contact"].evidence] == ["加V：bz2580"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_contact_titles_claim_no_exclusivity(lang: str) -> None:
    for flag_id in ("off_platform_contact", "chat_app_contact"):
        title = get_flag(flag_id).text("title", lang)
        assert "only" not in title.lower() and "只" not in title and "仅" not in title


@pytest.mark.parametrize(("text", "flag_id"), [
    ("兼职刷单每单可赚DIGIT元加QQDIGIT", "task_scam"),
    ("无需押金兼职刷单日结", "task_scam"),
    ("不收任何费用 兼职刷单 每单可赚5元", "task_scam"),
    ("你的简历已通过请加QQDIGIT", "unsolicited_offer"),
    ("你的简历已通过请加QQDIGIT", "off_platform_contact"),
    ("手机兼职日赚DIGIT元", "unrealistic_pay"),
    ("招聘网络打字员在家手机操作工资日结联系CELLPHONE", "unrealistic_pay"),
    ("诚聘打字员日结押金DIGIT元联系NAME", "upfront_fee"),
])
def test_masked_unpunctuated_sms_wording(text: str, flag_id: str) -> None:
    assert flag_id in hits_of(text)


@pytest.mark.parametrize("text", ["谨防刷单诈骗，本公司不涉及任何刷单业务。", "严禁员工参与刷单。"])
def test_warnings_still_cancel_brushing(text: str) -> None:
    assert "task_scam" not in hits_of(text)


def test_registered_nurse_at_a_named_hospital_has_company_info() -> None:
    posting = {"title": "Registered nurse", "description": "Registered nurse for our cardiology "
               "ward at St Mary hospital. Band 5, full time."}
    assert "no_company_info" not in hits_of(posting)
    assert "no_company_info" in hits_of({"title": "Registered nurse",
                                         "description": "Band 5, full time, days."})


@pytest.mark.parametrize(("text", "flag_id"), [
    ("Text me on Signal: +1 555 0100 for the interview.", "off_platform_contact"),
    ("有意者加扣扣：12345678", "off_platform_contact"),
    ("平台消息不回，请加薇❤信：abc_123", "off_platform_contact"),
    ("New hires must buy a SIM card from our designated supplier before the first shift.",
     "upfront_fee"),
    ("入职前需在公司指定的平台购买工作手机卡，费用上岗后全额返还。", "upfront_fee"),
    ("需自费购买公司指定的培训课程，工作满三个月后报销。", "upfront_fee"),
    ("Please purchase the required software (Office 365) through our partner store; the cost "
     "is reimbursed in your first paycheck.", "upfront_fee"),
    ("A mandatory certification course ($199) from our training partner is required before "
     "you start.", "upfront_fee"),
    ("Work for a well-known company from home!", "vague_employer"),
    ("某大型企业，现招聘客服若干名。", "vague_employer"),
    ("画框标注员，3000个框150元，在家就能做，无需学历。", "unrealistic_pay"),
])
def test_issue13_kinds(text: str, flag_id: str) -> None:
    assert flag_id in hits_of(text)


@pytest.mark.parametrize(("text", "flag_id"), [
    ("All equipment is provided by the company, including a laptop.", "upfront_fee"),
    ("工作设备由公司提供，无需自费购买。", "upfront_fee"),
    ("上海申通快递有限公司，本公司直招分拣员。", "vague_employer"),
    ("图片审核员，每张图0.1元，计件工资，需本科学历。", "unrealistic_pay"),
])
def test_issue13_legit_controls(text: str, flag_id: str) -> None:
    assert flag_id not in hits_of(text)
