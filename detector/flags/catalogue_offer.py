"""`unsolicited_offer`: "your resume has been selected", "I got your number from...".

A job advert invites applications; it never tells the reader they were already chosen. That
opening is how SMS/WhatsApp job scams start (你的简历已通过，请加QQ; "Your profile has been
matched, download your interview letter"). `medium`: the real job-scam SMS corpora are full
of it, and it does not occur in the labelled legit postings (rule report). Examples are
hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule
from detector.flags.lexicon import words

_YOUR_THING = r"(?:resume|cv|profile|application|details|number|mobile number)"

UNSOLICITED_OFFER = RedFlag(
    id="unsolicited_offer",
    severity="medium",
    # The title covers every rule: "I got your number" is unsolicited, not "you were selected".
    title={"en": "Unsolicited job offer or \"you were selected\"",
           "zh": "主动找上门的工作或“简历已通过”"},
    explanation={
        "en": "The text tells you your resume was selected, your profile matched or that you "
        "were shortlisted, or that someone 'got your number' for a job, before any "
        "application or interview. Job adverts invite applications; unsolicited 'you have "
        "been selected' messages are how SMS and WhatsApp job scams begin.",
        "zh": "信息直接告诉你“简历已通过”“已被录用”“恭喜入选”，或说“从某处得到你的号码”要给你工作，"
        "而你并没有投递或面试。招聘广告是邀请应聘，不会说你已被选中；这是短信、微信、QQ招聘诈骗的常见开头。",
    },
    advice={
        "en": "You cannot be selected for a job you did not apply for. Find the employer's "
        "official site yourself; do not click the link or reply.",
        "zh": "没投递就“通过”的工作不可信。自行查找企业官方渠道核实，"
        "不要点链接、不要加对方聊天账号。",
    },
    examples=Examples(
        match={
            "en": (
                "Dear candidate, your profile has been matched for a job. Download your "
                "interview letter here.",
                "Congratulations, you have been selected for the data entry position. Text us "
                "to proceed.",
                "Hi, I got your number from a recruitment agency, are you interested in a "
                "part-time job?",
                "Dear applicant we would like to invite you to an interview, call your HR "
                "coordinator to confirm today.",
            ),
            "zh": (
                "您的简历已通过初审，请加QQ详聊。", "恭喜您已被我司录用，请于今日内添加客服。",
                "你好，你的简历已经通过，明天安排上岗。",
            ),
        },
        no_match={
            "en": (
                "Shortlisted candidates will be invited to interview.",
                "If your application is successful you will be contacted within two weeks.",
                "If you have not heard from us within three weeks, you have not been "
                "shortlisted.",
            ),
            "zh": (
                "简历通过筛选后，我们会电话通知您面试。",
                "如您的简历通过初审，HR将在三个工作日内联系您。",
                "负责简历筛选、面试安排和录用手续办理。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_already_selected",
            patterns=(
                r"(?:您|你)的?(?:简历|资料|申请|报名)(?:已经?|已被)(?:通过|审核通过|被选中|入选|筛选通过|被录用|"
                r"符合)|(?:您|你)的?(?:简历|资料|申请|报名)(?:通过|审核通过|被选中|入选)了",
                r"恭喜(?:您|你)(?:已经?)?(?:被|通过|成功)?(?:我司|公司|本公司)?(?:录用|录取|入选|应聘成功|被选中|"
                r"通过)", r"(?:您|你)(?:已经?|已被)(?:被)?(?:我司|公司|本公司)?(?:录用|录取|选中)",
            ),
            # Four characters at least, so the scan anchors on more than 简历 or 报名.
            keywords=(*(f"{you}的{what}" for you in ("您", "你")
                        for what in ("简历", "资料", "申请", "报名")),
                      *(f"{you}{what}{then}" for you in ("您", "你")
                        for what in ("简历", "资料", "申请", "报名")
                        for then in ("已", "通", "审", "被", "入", "符")),
                      "恭喜", *(f"{you}{done}" for you in ("您", "你") for done in (
                          "已被", "已经被", "已录", "已经录", "已选", "已经选"))),
            reach=30,
        ),
        Rule(
            name="en_already_selected",
            patterns=(
                words(rf"your {_YOUR_THING} (?:has |have |had |be |is |was )?(?:been |be )?"
                      r"(?:selected|select|shortlisted|match(?:ed)?|approved|accepted)"),
                words(r"you (?:have been|has been|be|'ve been|got|have be) (?:select(?:ed)?|"
                      r"shortlisted|chosen|hired)(?= (?:for|as|to|by|in|accord)|[ .,!]|$)",
                      r"you are select(?= (?:for|as|to|by|in|accord))",
                      r"you are shortlisted for (?:an? |the )?interview",
                      r"you (?:be|are|have been|have be) qualif(?:y|ied) (?:to|for)",
                      r"your application(?: for (?:the |a |an )?[\w ]{1,30}?)? (?:be|is|has been|"
                      r"have be|was) successful"),
                words(r"(?:i|we) (?:got|get|obtained|received|found|picked) your (?:number|contact|"
                      r"phone number|mobile number|details|cv|resume|profile) (?:from|via|through|"
                      r"on|"
                      r"in)"),
                words(r"(?:would like to|wish to|want to|happy to|pleased to|glad to) invite you "
                      r"(?:to|for) (?:come |attend |"
                      r"come and attend )*(?:an? )?(?:online |whatsapp |telegram )?interview"),
                words(r"(?:part[- ]time |home based |online )?job offer for you"),
            ),
            keywords=(*(f"your {what} {verb}" for what in ("resume", "cv", "profile", "application",
                                                         "number", "mobile number")
                        for verb in ("has", "have", "had", "be", "is", "was", "selected",
                                     "shortlisted", "match", "approved", "accepted")),
                      "your application for", "you have been", "you has been",
                      "you be ", "you are select", "you are shortlisted", "you are qualif",
                      "you've been", "you got", "you have be",
                      "got your", "get your number", "get your contact", "obtained your",
                      "received your", "found your",
                      "picked your", "invite you", "offer for you"),
            reach=90,
        ),
    ),
    negations=(
        r"(?:如果|如|若|待|一旦|当|假如|只要)(?:您|你)?", r"(?:负责|安排|协助)",
        words("if", "once", "when", "whether", "unless", "until", "after", "before", "should",
              "not", "never", "may", "might", "will", "event", "case"),
    ),
    post_negations=(r"(?:后|之后|以后|的话|者)", r"\s?(?:yet|soon|shortly)"),
)
