"""Risk on the scams and legit jobs the red-flag issue names, through the real core.

Every posting here is hand-written from the issue's descriptions and public scam advisories
(rule tests and demos, not evaluation data).
"""

from __future__ import annotations

import pytest

from detector.core import Detector
from detector.schema import posting_from_text

SCAMS = [
    "数据标注员招聘，在家办公，入职前需缴纳培训费2580元，做满一万元后全额返还。",
    "画框标注，一个框五毛，月入七八千轻轻松松，不需要学历不需要经验。",
    "兼职刷单，动动手指日赚300，先垫付后返佣金，加QQ领任务。",
    "招普工，入职需交押金500元、服装费200元，到指定医院体检费150元。",
    "报名时请把身份证正反面照片和银行卡号发到客服微信，审核通过即可上岗。",
    "面试只在微信上进行，请加V：hr88990 详聊，不接电话。",
    "某知名企业诚聘文员，待遇优厚，有意者加薇信。",
    "We're hiring data entry clerks. A refundable training fee of $199 is required before you "
    "start.",
    "Work from home, earn $900 a week, no experience needed, just answer a few emails a day!",
    "Please send a scan of your passport, your SSN and your bank account number so we can set "
    "up payroll before the interview.",
    "Interviews are conducted on Telegram only. Contact our HR manager @hr_jobs_now.",
    "A leading company is hiring remote assistants. Reply to jobs.hr2023@gmail.com",
    "You will receive a check to buy equipment from our approved vendor; deposit it and send "
    "the rest back.",
    "Package reshipping coordinator: receive parcels at home and reship them to our clients.",
    "Buy Google Play gift cards for our clients and send us the codes; we reimburse you.",
    "Optimise app ratings: complete 40 tasks a day, top up your account with USDT to unlock "
    "higher commissions.",
]
LEGIT = [
    "AI训练师（专家）：需计算机或数学博士学位，五年以上机器学习经验，月薪2万至3万，五险一金。",
    "Expert AI trainer (mathematics): PhD required, $120-$180 per hour, remote, flexible hours.",
    "仓库分拣员，做六休一，月薪5000-6500元，不收押金，无任何费用，包吃住。",
    "呼叫中心客服专员，提供免费带薪培训，底薪3500加提成，周末双休，公司统一购买社保。",
    "Warehouse operative, day shifts, £11.44 an hour. No fees, no deposit; PPE provided free.",
    "Registered nurse for our cardiology ward. NMC registration required. Band 5, £28,407 a "
    "year. Interviews at St Mary's Hospital.",
    "We reimburse certification fees and will never ask you for payment.",
]


@pytest.mark.parametrize("text", SCAMS)
def test_named_scams_are_at_least_medium(detector: Detector, text: str) -> None:
    verdict = detector.score(posting_from_text(text))
    assert verdict.risk in {"medium", "high"}, (verdict.risk, [f.id for f in verdict.flags])
    assert verdict.flags, "a scam the issue names must come with a reason"


@pytest.mark.parametrize("text", LEGIT)
def test_named_legit_jobs_are_low(detector: Detector, text: str) -> None:
    verdict = detector.score(posting_from_text(text))
    assert verdict.risk == "low", (verdict.fraud_probability, [f.id for f in verdict.flags])
