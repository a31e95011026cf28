"""`known_scam_campaign`: a near-copy of a posting already confirmed as a scam.

Not a text rule: the campaign memory (`detector.campaigns`) produces it by looking the
posting up among the fingerprints of trusted scam decisions and of the corpus's
strong-label scams. `high`: the text is a repost of a confirmed scam, whatever else it
says. Its metadata lives in the catalogue so every face renders it like any flag. The
examples are hand-written for tests and demos (not data): `known` texts are put in a
memory, then each `match` example (the same text with another phone number, name, place or
amount) must get the flag and each `no_match` one must not.
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag

KNOWN_SCAM_CAMPAIGN = RedFlag(
    id="known_scam_campaign",
    severity="high",
    produced_by="campaign_memory",
    title={"en": "Matches a reported scam campaign",
           "zh": "与已确认的诈骗信息雷同"},
    explanation={
        "en": "This text is a near-copy of a posting already confirmed as a scam: the same "
        "wording, reposted with another phone number, name, place or amount. Scammers repost "
        "the same lure many times under new names.",
        "zh": "这条信息与一条已被确认为诈骗的招聘几乎一样，只换了电话、姓名、地点或金额。"
        "骗子常常换个名字、换个号码反复发布同一套说辞。",
    },
    advice={
        "en": "Do not reply, pay anything or send documents. Report the listing to the site "
        "where you saw it; if you already paid or shared bank details, contact your bank and "
        "the police now.",
        "zh": "不要回复、不要付任何钱、不要发送证件。向发布平台举报；如已付款或提供了银行卡信息，"
        "请立即联系银行并报警（110/96110）。",
    },
    examples=Examples(
        known={
            "en": (
                "Data entry from home! No experience needed. Pay a $50 starter kit fee "
                "today, then earn $900 every week typing simple forms. WhatsApp +1 555 123 "
                "4567 now and ask for Mary to reserve your place.",
                "Amazon is hiring remote product reviewers. Like and rate products on your "
                "phone, get paid $200 to $500 a day. Send your name and age to the HR "
                "manager Lisa on Telegram @lisa_hr88 to start today.",
            ),
            "zh": (
                "招聘数据标注员，无需学历，小学生都能做，月入七八千轻轻松松。"
                "新人需缴纳2580元培训费，收入满一万元全额退还。加V：bz2580，联系王老师。",
                "淘宝天猫店铺招聘兼职刷单员，在家用手机就能做，一单一结，日赚300-500元，"
                "先垫付后返还本金和佣金，名额有限，速加QQ：123456789，找李经理。",
            ),
        },
        match={
            "en": (
                "Data entry from home! No experience needed. Pay a $75 starter kit fee "
                "today, then earn $1200 every week typing simple forms. WhatsApp +44 7700 "
                "900 123 now and ask for John to reserve your place.",
                {"title": "Remote typist",
                 "description": "Data entry from home! No experience needed. Pay a $45 "
                 "starter kit fee today, then earn $850 every week typing simple forms. "
                 "WhatsApp 0412 555 019 now and ask for Sarah to reserve your place."},
                "Amazon is hiring remote product reviewers. Like and rate products on your "
                "phone, get paid $300 to $600 a day. Send your name and age to the HR "
                "manager Kate on Telegram @kate_jobs21 to start today.",
            ),
            "zh": (
                "招聘数据标注员，无需学历，小学生都能做，月入六七千轻轻松松。"
                "新人需缴纳1980元培训费，收入满八千元全额退还。加V：zx1980，联系张老师。",
                {"title": "数据标注员（在家可做）",
                 "description": "招聘数据标注员，无需学历，小学生都能做，月入八九千轻轻松松。"
                 "新人需缴纳3280元培训费，收入满一万元全额退还。加V：ab3280，联系刘老师。"},
                "京东店铺招聘兼职刷单员，在家用手机就能做，一单一结，日赚200-400元，"
                "先垫付后返还本金和佣金，名额有限，速加QQ：987654321，找陈经理。",
            ),
        },
        no_match={
            "en": (
                "Data entry clerk, full time, Manchester. Accurate typing of invoices into our "
                "finance system; 35 hours a week; apply through our careers page.",
                "We are hiring warehouse operatives for our Leeds site. Forklift licence an "
                "advantage. No fees are ever charged to applicants.",
                "Product reviewer (contract): write structured reviews of consumer "
                "electronics for our magazine. Portfolio required; paid per article.",
            ),
            "zh": (
                "招聘数据标注员，全职，工作地点上海，本科及以上学历，通过公司官网投递简历。",
                "某电商公司招聘客服专员，负责售前售后咨询，五险一金，双休，试用期三个月。",
                "字节跳动 AI数据标注专家（大模型方向）北京 15-25K·14薪，通过公司官网投递简历。",
            ),
        },
    ),
)
