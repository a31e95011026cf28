"""Issue 26 items 3 and 4: claims, not adjacent words, and the scam families missed before.

The strings are the issue's own (hand-written by its author) plus hand-written variants and a
few excerpts of real texts, each marked. They live here as well as in the catalogue's examples
so that this file fails on the rules as they were (61f9a9c), whatever the catalogue says.
"""

from __future__ import annotations

import pytest

from tests.flags.flag_helpers import assert_exact_evidence, hits_of, posting_of

#: (flag, text) that must fire.
FIRES: list[tuple[str, str]] = [
    # Item 3: inserted modifiers do not break a claim (the strings).
    ("upfront_fee", "Pay a $50 upfront fee."),
    ("upfront_fee", "Data entry clerk, work from home. Pay a $50 upfront registration fee to "
                    "start."),
    ("upfront_fee", "a small one-time refundable onboarding and registration fee"),
    ("upfront_fee", "入职前需先行缴纳一笔300元的岗前统一培训费用"),
    # ... and in the other claims with parts (hand-written).
    ("upfront_fee", "You will need to pay a small one-time onboarding fee before your first "
                    "shift."),
    ("personal_data_request", "Please send us a clear photo of both sides of your ID card and "
                              "your bank card details."),
    ("payment_scheme", "Process incoming customer payments from our overseas clients through "
                       "your personal bank account."),
    ("payment_scheme", "出租自己名下闲置的银行卡，每天300元。"),
    ("unrealistic_pay", "手机兼职，每天轻轻松松赚500元。"),
    # Real scam post (job_messages_zh_extra): the fee and its amount apart.
    ("upfront_fee", "会费只要25元每单佣金4－10元只要你有电脑和手机就行"),
    # Item 4: the fake-check / overpayment scheme (the string, then hand-written).
    ("payment_scheme", "You will receive a check for $2,800; deposit it and wire the remainder "
                       "to our supplier in gift cards."),
    ("payment_scheme", "We will mail you a cheque; cash it at your bank, keep $300 for your time "
                       "and forward the rest by Western Union."),
    # Real scam posting (EMSCAD fraud): check printing at home.
    ("payment_scheme", "Colored Printer, MICR Ink { must have }3. Versa Check Business Paper"),
    # Buy-to-start gear, both languages (hand-written).
    ("upfront_fee", "You must purchase a new SIM card for the company line; cost is $30."),
    ("upfront_fee", "New agents are required to buy their own headset and a company SIM card "
                    "($45) before training."),
    ("upfront_fee", "To get started you need a work phone, which you buy from us for $80."),
    ("upfront_fee", "上岗前需自费购买公司统一的工作手机，费用800元。"),
    # ID card photos and bank card details in other Chinese wordings (the issue's, then
    # hand-written).
    ("personal_data_request", "请发送身份证照片和银行卡信息给我们办理入职"),
    ("personal_data_request", "把身份信息和银行卡号都发到群内，客服给你登记。"),
    ("personal_data_request", "请上传身份证复印件及储蓄卡卡号进行实名审核。"),
    ("personal_data_request", "身份证拍照发给客服审核。"),
    # "Approved / passed", then a link or a chat handle (hand-written, then real SMS excerpts).
    ("unsolicited_offer", "简历已通过，请加客服QQ：12345678领取任务。"),
    ("unsolicited_offer", "恭喜您已被录用，点击链接下载App完成入职。"),
    ("unsolicited_offer", "Your application has been reviewed and approved! Click the link to "
                          "start: https://x.co/j"),
    ("unsolicited_offer", "Hi dear, Your CV has passed, please receive a salary of 2000Taka per "
                          "day. Contact information: https://wa.me/"),
]

#: (flag, text) that must stay quiet.
QUIET: list[tuple[str, str]] = [
    # The non-matching examples.
    ("upfront_fee", "we reimburse your registration fee"),
    ("upfront_fee", "no registration or training fee of any kind"),
    ("upfront_fee", "不收取任何费用"),
    ("upfront_fee", "内推成功可获得推荐费2000元，欢迎推荐身边的优秀人才。"),
    # Fees paid to the worker (real NHS postings) and money given back (real message).
    ("upfront_fee", "A £750 relocation fee where a nurse is moving 20 miles from an address "
                    "that was 50 miles from your new work base;"),
    ("upfront_fee", "介绍新学员来学车有学费减免、考出的介绍来可以返学费x-xxx元话费或现金到银行卡"),
    ("upfront_fee", "Billing clerk: pay close attention to the fee schedule of each client."),
    ("upfront_fee", "You will be issued a company phone and SIM card on your first day."),
    ("upfront_fee", "工作需要的手机卡由公司统一办理，不收任何费用。"),
    ("payment_scheme", "Bank teller: cash checks and process deposits, then transfer funds "
                       "between accounts."),
    ("payment_scheme", "Accounts receivable clerk: receive checks, deposit them and forward "
                       "remittance advice to accounting."),
    ("payment_scheme", "在游戏中如实告知玩家游戏中虚拟货币的充值兑换比例、优惠、折扣和用途"),
    ("personal_data_request", "入职当天请携带身份证原件及银行卡复印件到人事部报到。"),
    ("personal_data_request", "不要向任何人发送身份证照片和银行卡信息。"),
    ("personal_data_request", "提供身份证办理入职手续，工资发到本人银行卡。"),
    ("personal_data_request", "Provide your customers with information about bank accounts, "
                              "credit cards and loans."),
    ("unsolicited_offer", "面试通过即可上岗，有意者加微信详聊。"),
    ("unsolicited_offer", "您的贷款申请已通过，请添加微信客服办理下款。"),
    ("unsolicited_offer", "If your CV has passed the first stage, we will contact you by phone."),
]


@pytest.mark.parametrize(("flag_id", "text"), FIRES, ids=[f"{f}-{i}" for i, (f, _) in
                                                          enumerate(FIRES)])
def test_claim_fires(flag_id: str, text: str) -> None:
    posting = posting_of(text)
    hits = hits_of(text)
    assert flag_id in hits, f"{flag_id} missing on {text!r}; got {sorted(hits)}"
    assert hits[flag_id].evidence
    assert_exact_evidence(posting, hits[flag_id])


@pytest.mark.parametrize(("flag_id", "text"), QUIET, ids=[f"{f}-{i}" for i, (f, _) in
                                                          enumerate(QUIET)])
def test_claim_stays_quiet(flag_id: str, text: str) -> None:
    hits = hits_of(text)
    assert flag_id not in hits, f"{flag_id} fired on {text!r}: {hits.get(flag_id)}"


def test_claim_evidence_spans_the_whole_claim() -> None:
    """The evidence quotes the claim from its first part to its last, modifiers included."""
    texts = {ev.text for ev in hits_of("Pay a $50 upfront registration fee to start.")[
        "upfront_fee"].evidence}
    assert "Pay a $50 upfront registration fee" in texts
