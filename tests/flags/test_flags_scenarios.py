"""Acceptance scenarios from the product brief, in both languages (hand-written postings).

Scams must raise the named flag; legit postings must raise no medium/high flag.
"""

from __future__ import annotations

import pytest

from detector.flags import detect_flags
from tests.flags.flag_helpers import assert_exact_evidence, hits_of, posting_of

SCAMS: list[tuple[str, str]] = [
    # data-annotation training fee refunded after earning
    ("upfront_fee", "招聘数据标注员，在家可做。上岗前需缴纳培训费2580元，收入满一万后全额退还。"),
    ("upfront_fee", "AI数据标注兼职，先交学费1980元，入职后返还，名额有限。"),
    ("upfront_fee", "Data annotation trainee: a $299 training fee is required, refunded once you "
                    "have earned $1,000."),
    # deposits, uniform fees, designated-clinic medical fees
    ("upfront_fee", "普工直招，入职需交押金200元，服装费150元，到指定医院体检费用自理。"),
    ("upfront_fee", "保安员，上岗前交保证金500元、工服费80元。"),
    ("upfront_fee", "Warehouse picker. New starters pay a $150 uniform deposit and a $60 "
                    "registration fee before the first shift."),
    ("upfront_fee", "You must purchase the starter kit for $99 before you can begin."),
    ("upfront_fee", "入职前需自费购买工作手机卡，另收内推费300元。"),
    ("upfront_fee", "Applicants must pay for their own background check and a $35 processing fee."),
    # draw a box, half a yuan
    ("unrealistic_pay", "画框标注，一个框5毛，月入七八千轻松，无需学历。"),
    ("unrealistic_pay", "图片标注员：一张图0.5元，简单易上手，零基础，日入三百不是梦。"),
    ("unrealistic_pay", "Image tagging from home: $1 per image, easy work, no experience needed, "
                        "earn $400 per day."),
    ("unrealistic_pay", "Typing job, no skills required, earn $55 per hour working from home."),
    # order brushing / likes / top-ups
    ("task_scam", "招聘网络兼职刷单员，一单一结，佣金日结，需先垫付货款。"),
    ("task_scam", "抖音点赞关注，每个赞2元，做任务充值后解锁高佣金任务。"),
    ("task_scam", "Part time: like YouTube videos and earn commission, recharge your account to "
                  "unlock premium tasks."),
    ("task_scam", "Rate hotels on our platform and receive commission for each review."),
    ("task_scam", "Rate products on our app and earn $3 commission, topping up unlocks VIP tasks."),
    ("task_scam", "在家做任务赚佣金，好评返现，先垫付后返还本金。"),
    # ID card and bank card number
    ("personal_data_request", "报名成功后请发身份证和银行卡号给客服登记。"),
    ("personal_data_request", "请上传身份证正反面照片和银行卡照片进行审核。"),
    ("personal_data_request", "To get started, reply with your SSN and bank account number."),
    ("personal_data_request", "Send us a copy of your ID card and your online banking password."),
    ("personal_data_request", "把你的银行卡号和身份证号码发给我，马上安排上岗。"),
    # interviews only on chat apps
    ("off_platform_contact", "面试方式：微信视频面试，不接电话。"),
    ("off_platform_contact", "仅接受QQ面试，请加QQ：12345678。"),
    ("off_platform_contact", "下载纸飞机（Telegram）联系客服领取任务。"),
    ("off_platform_contact", "Interviews are conducted on Telegram only: t.me/hiring_desk"),
    ("off_platform_contact", "Text our HR on WhatsApp +1 555 0100 to schedule your interview."),
    ("off_platform_contact", "The interview will be held via Google Hangouts chat."),
    # unnamed well-known company
    ("vague_employer", "某知名企业招聘行政文员，待遇优厚。"),
    ("vague_employer", "现为某大型国企招聘客服若干名。"),
    ("vague_employer", "A leading company is hiring remote assistants, apply today."),
    # check cashing, reshipping, gift cards, crypto
    ("payment_scheme", "You will receive a check, deposit it in your account and wire the balance "
                       "via Western Union."),
    ("payment_scheme", "Package handling coordinator: receive parcels at your home and reship them "
                       "overseas."),
    ("payment_scheme", "Buy Steam gift cards for our clients and send us the codes."),
    ("payment_scheme", "Purchase iTunes cards at the store and text us photos of the backs."),
    ("payment_scheme", "Mystery shopper needed: evaluate a money transfer service, $300 per task."),
    ("payment_scheme", "Salary paid in USDT to your crypto wallet."),
    ("payment_scheme", "兼职代收款，每笔提成3%，工资用USDT结算。"),
    ("payment_scheme", "出租银行卡，一张卡每天300元。"),
]

LEGIT: list[str | dict[str, str]] = [
    # expert AI trainers
    "AI训练师（化学方向），要求博士学历，领域专家，月薪20K-30K。",
    "Expert AI trainer (PhD in physics required): help train AI models, $120-180 per hour, "
    "remote. Domain expertise and publications required.",
    {"title": "AI Trainer - Legal Expert", "company": "Outlier",
     "description": "Active bar membership required. Senior attorneys earn $150/hr reviewing "
                    "model answers."},
    # warehouse without fees
    "仓库分拣员，本公司直招，不收押金，不收取任何费用，包吃住，月薪5000-6500。",
    "Warehouse operative, immediate start. No fees, no deposit: we never charge applicants.",
    # call centre with free paid training
    "话务员，免费带薪培训，五险一金，月薪4000-6000元，经验不限。",
    "Call centre advisor: free paid training, £11 per hour, no experience needed.",
    # typical legit phrasing
    "销售代表，月薪8000-12000，经验不限，提成另计。",
    "公司承诺入职到离职不收取任何费用及押金，凡是收费的都是骗子，请勿上当。",
    "有意者可直接电话或者微信咨询，联系电话：13800000000（微信同号）。",
    "入职需带身份证和工资卡到公司办理手续。",
    "This post is subject to a DBS check; the fee of £40 is deducted from your first salary.",
    "We reimburse your professional registration fees and provide free training.",
    "If shortlisted, your interview will be held via Skype or Microsoft Teams.",
    "Please bring your passport on your first day for the right to work check.",
    "负责微信公众号运营，熟悉小程序开发优先。",
]


@pytest.mark.parametrize(("flag_id", "text"), SCAMS, ids=[f"{f}-{i}" for i, (f, _) in
                                                          enumerate(SCAMS)])
def test_scam_fires(flag_id: str, text: str) -> None:
    posting = posting_of(text)
    hits = {h.id: h for h in detect_flags(posting)}
    assert flag_id in hits, f"{flag_id} missing on {text!r}; got {sorted(hits)}"
    assert hits[flag_id].evidence
    assert_exact_evidence(posting, hits[flag_id])


@pytest.mark.parametrize("example", LEGIT, ids=[f"legit-{i}" for i in range(len(LEGIT))])
def test_legit_no_medium_or_high(example) -> None:
    hits = hits_of(example)
    bad = {k: [e.text for e in h.evidence] for k, h in hits.items() if h.severity != "low"}
    assert not bad, f"{example!r} raised {bad}"


def test_obfuscated_contact_is_caught() -> None:
    text = "Apply now: message us on W h a t s A p p or ＴＥＬＥＧＲＡＭ for the interview."
    hit = hits_of(text)["off_platform_contact"]
    assert {e.text for e in hit.evidence} & {"W h a t s A p p", "ＴＥＬＥＧＲＡＭ"}


def test_obfuscated_brushing_is_caught() -> None:
    text = "招聘兼职刷★单员，加薇信了解详情"
    posting = posting_of(text)
    hits = {h.id: h for h in detect_flags(posting)}
    assert "task_scam" in hits
    assert "刷★单" in [e.text for e in hits["task_scam"].evidence]
    assert_exact_evidence(posting, hits["task_scam"])
