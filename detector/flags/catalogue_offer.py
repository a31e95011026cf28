"""`unsolicited_offer`: "your resume has been selected", "I got your number from...".

A job advert invites applications; it never tells the reader they were already chosen. That
opening is how SMS/WhatsApp job scams start (你的简历已通过，请加QQ; "Your profile has been
matched, download your interview letter"). Real recruiters also reach out ("we saw your résumé
on BOSS直聘, add my WeChat", "come to our office for an interview"), so "we saw your résumé"
and "we invite you" count only next to the scam's side of the message (work at home or by
phone, daily pay, a QQ or "customer service" contact, part-time earning, orders or typing),
and an interview at the office cancels the flag. `medium`: the real job-scam SMS corpora are full
of it, and it does not occur in the labelled legit postings (rule report). Examples are
hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule, alt
from detector.flags.lexicon import CHAT_ZH, QQ, gap_en, words

_YOUR_THING = (r"(?:(?:job |work |part[- ]time |online )?(?:resume|cv|profile|application)|"
               r"details|number|mobile number)")
#: What turns "we saw your résumé" or "we invite you" into the scam's opening: work at home
#: or by phone, daily pay, a QQ group or a "customer service" contact, part-time earning,
#: order or typing work. A real recruiter's outreach (a named company, an interview, "add my
#: WeChat") has none of these.
SCAM_SIDE_ZH = alt(
    "兼职", "在家", "居家", "宅家", "足不出户", "手机(?:操作|即可|就能|就可以|就行|兼职|赚|做)",
    "日结", "当天结", "当日结", "每天结", "天天结", "一单一结", "工资日结", "时间自由", "不限时间",
    "不限地点", "零花钱", "日赚", "日入", "每天.{0,4}(?:元|块)", "q群", "qq群", QQ, "客服",
    "刷单", "做单", "刷信誉", "好评", "打字", "录入", "手工", "做任务", "接单", "佣金",
    "无需经验", "零基础", "轻松", "动动手指",
)
_SCAM_SIDE_EN = words(
    r"part[- ]?time", r"(?:from|at) home", "home[- ]based", "online", r"per day", "a day",
    "daily", r"whats\s?app", "telegram", r"wa\.me", r"t\.me", "customer service",
    r"click(?: here| the link| below)?", r"https?", "www", r"bit\.ly", "salary", r"\$\s?\d",
    "earn", "commission", "tasks?", "reply", "text (?:us|me|back)", "sms",
)
#: Where an "approved" message sends you next: a link, a download, or a chat app or handle.
#: (A bare phone number is not one: real postings say "面试通过当天入职，电话…".)
_LINK_OR_CHAT_ZH = alt(r"https?", r"www\.", r"[a-z0-9-]+\.(?:com|cn|net|top|xyz|cc|me|vip|app|"
                       r"shop|site|online|ly)(?![a-z])", "链接", "网址", "点击", "扫码", "二维码",
                       r"下载(?:app|软件|客户端)?", "客服", CHAT_ZH)
_LINK_OR_CHAT_EN = words(r"https?", r"www", r"wa\.me", r"t\.me", r"bit\.ly", r"whats\s?app",
                         "telegram", r"click(?: here| the link| below)?", r"(?:open|visit|tap) "
                         r"(?:the |this )?link", r"[a-z0-9-]+\.(?:com|in|me|top|xyz|cc|ly|app|"
                         r"site|online|blogspot)", r"contact (?:information|info|us|hr)")
#: A real recruiter's next step: an interview in person or at a named place.
_INTERVIEW_ZH = (r"(?:来|到|去)(?:我|本|贵)?(?:公司|司|店|门店|单位|厂|我们公司)(?:参加|进行)?"
                 r"(?:面试|面谈)|面试(?:时间|地点|地址|安排)|现场面试|参加面试|安排(?:您|你)?面试|"
                 r"携带(?:个人)?简历|复试|笔试")
_INTERVIEW_EN = (r"(?<![a-z])(?:at our (?:office|offices|premises|headquarters|site|store|branch)|"
                 r"in person|on[- ]site|face[- ]to[- ]face|onsite)(?![a-z])")

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
                "Congratulations! Your job application is approved. Daily salary $200-500. "
                "Register: https://x.co/j",
                "Hi, we saw your resume on Indeed. Part-time online job, earn $200-$800 daily. "
                "Contact us on WhatsApp.",
                # Passed or approved, then a link or a chat app (issue 26).
                "Your application has been reviewed and approved! Click the link to start: "
                "https://x.co/j",
                # Real scam SMS (sms_job_scams_en), excerpts.
                "Hi dear, Your CV has passed, please receive a salary of 2000Taka per day. "
                "Contact information: https://wa.me/",
                "U be select for the Work from Home job offer receive your daily salary XXXX "
                "Detail http //t.me/",
            ),
            "zh": (
                "您的简历已通过初审，请加QQ详聊。", "恭喜您已被我司录用，请于今日内添加客服。",
                "你好，你的简历已经通过，明天安排上岗。",
                "你好，很高兴看到你的简历，本公司长期招聘兼职，手工制作简单，可带回家做，工资日结。",
                "您好，您的简历已通过筛选，诚挚邀请您加入我们，在家用手机即可操作，工资日结，"
                "详情咨询客服QQ。",
                "你好，我在百姓网看到你发的信息，需要兼职工作加我微信。",
                # "Passed" without 您的, then a chat account or a link (issue 26).
                "简历已通过，请加客服QQ：12345678领取任务。",
                "恭喜您已被录用，点击链接下载App完成入职。",
                "审核已通过，添加客服微信开始接单。",
            ),
        },
        no_match={
            "en": (
                "Shortlisted candidates will be invited to interview.",
                "If your application is successful you will be contacted within two weeks.",
                "If you have not heard from us within three weeks, you have not been "
                "shortlisted.",
                "If your CV has passed the first stage, we will contact you by phone.",
                # Real recruiters' outreach: a named employer, a call or an office interview.
                "We saw your profile on LinkedIn and would like to invite you to interview at "
                "our office on Monday.",
                "Hi Anna, I came across your profile on LinkedIn and think you'd be a great fit "
                "for our Senior Data Analyst role at Acme. Would you be open to a call this week?",
                # Real legit postings (EMSCAD).
                "If you are interested in becoming a Corporate Representative, we invite you to "
                "contact us via email with your resume.",
                "We invite you to join us in our journey and to get to know us along the way.",
            ),
            "zh": (
                "简历通过筛选后，我们会电话通知您面试。",
                "如您的简历通过初审，HR将在三个工作日内联系您。",
                "负责简历筛选、面试安排和录用手续办理。",
                # Real recruiters' outreach: a named employer, WeChat, an office interview.
                "您好，我是字节跳动的HR，在BOSS直聘上看到您的简历，方便加个微信聊聊吗？",
                "你好，我们在智联招聘看到你的简历，请于周三上午10点来公司面试，地址：海淀区中关村大街1号。",
                "您的简历已通过初筛，请于本周五下午2点到公司参加面试。",
                "面试通过即可上岗，有意者加微信详聊。",
                "您的贷款申请已通过，请添加微信客服办理下款。",
                # Real legit postings (58.com).
                "乐有家王牌销售团队诚邀你来面试！我们不缺成功的经验，只缺少有志向及抱负的",
                "现事业发展需要，诚邀志同道合在教育事业上前行的伙伴！",
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
            name="zh_passed_then_contact",
            # "简历已通过，请加客服QQ", "恭喜您已被录用，点击链接下载App": an application that
            # "passed" (no 您 needed), with the link or chat account the reader is sent to.
            # Only what is already done (已): "面试通过即可上岗" in a posting is a condition.
            patterns=(
                r"(?:简历|资料|申请|报名|面试|初审|复审|审核|筛选|初筛|测试|考核)(?:已经?|均已|已被|已成功)"
                r"(?:审核|筛选)?(?:通过|被录用|录用|录取|入选)",
                r"(?:恭喜|祝贺)[^。!?;,\n]{0,10}(?:通过|录用|录取|入选|被选中|应聘成功|面试成功)",
                r"(?:已被|已经被)(?:我司|公司|本公司|贵司|我们)?(?:正式)?(?:录用|录取|聘用)",
            ),
            keywords=("已通过", "已经通过", "均已通过", "已审核", "已被", "已经被", "已录",
                      "已成功", "已筛选", "恭喜", "祝贺"),
            context=(_LINK_OR_CHAT_ZH,),
            window=60,
            reach=30,
        ),
        Rule(
            name="zh_saw_your_resume",
            # "很高兴看到你的简历", "在百姓网看到你发的": someone who "found" you, then offers
            # part-time work at home, daily pay or a QQ/customer-service contact.
            patterns=(
                r"(?:看到|收到|看了|看过|浏览了?|查看了?|阅读了?|留意到|注意到|筛选了?)(?:您|你)"
                r"(?:的|发布的|投递的|发的|在.{1,10}?(?:上|发布|投递)的?)?(?:简历|求职信息|求职意向|"
                r"资料|帖子|信息|个人信息)",
                r"在.{1,10}?(?:上|里)?(?:看到|看见|浏览到)(?:了)?(?:您|你)",
            ),
            keywords=tuple(f"{verb}{you}" for verb in ("看到", "收到", "看了", "看过", "浏览",
                                                       "查看", "阅读", "留意到", "注意到",
                                                       "筛选", "看见", "浏览到")
                           for you in ("您", "你")),
            context=(SCAM_SIDE_ZH,),
            window=80,
            reach=40,
        ),
        Rule(
            name="zh_invite_you",
            # "诚挚邀请您加入", "特邀您成为": an invitation nobody asked for, to part-time,
            # at-home, order or typing work with a QQ/customer-service contact.
            patterns=(r"(?:诚挚|正式|特别|特此|盛情|真诚|诚意)?(?:邀请|特邀|诚邀|邀)(?:您|你)(?:加入|成为|参与|"
                      r"做|从事|担任|来做|为|帮|给|进入|进群|入群|兼职)",),
            keywords=tuple(f"{verb}{you}" for verb in ("邀请", "特邀", "诚邀")
                           for you in ("您", "你")),
            context=(SCAM_SIDE_ZH,),
            window=60,
            reach=30,
        ),
        Rule(
            name="en_saw_your_resume",
            # "We saw your resume on ...": only with the scam's side (part-time online work,
            # daily pay, a chat app or a link), never alone.
            patterns=(words(r"(?:i|we) (?:saw|have seen|found|came across|noticed|reviewed|"
                            r"have reviewed|viewed|got|received|have received) your (?:resume|cv|"
                            r"profile|details|job application|application)"),),
            keywords=("saw your", "seen your", "found your", "came across your", "noticed your",
                      "reviewed your", "viewed your", "got your", "received your"),
            context=(_SCAM_SIDE_EN,),
            window=100,
            reach=80,
        ),
        Rule(
            name="en_passed_then_contact",
            # "Your CV has passed, please receive a salary of 2000Taka per day. Contact
            # information: https://wa.me/...", "U be select for the Work from Home job offer
            # ... http //wa.me/...": passed or selected, then a link or a chat app.
            patterns=(
                words(rf"your {_YOUR_THING}{gap_en(4)}(?:has |have |had |is |was )?(?:been )?"
                      r"(?:passed|cleared|approved|accepted|successful|qualified)"),
                words(r"(?:u|y) (?:be|are|have been|r) select(?:ed)?"),
            ),
            keywords=("your resume", "your cv", "your profile", "your application",
                      "your job", "your work", "your part", "your online", "u be", "u are",
                      "u have", "u r", "y be"),
            context=(_LINK_OR_CHAT_EN,),
            window=160,
            reach=90,
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
                # Your *number*: a résumé or profile found on a job board is ordinary
                # outreach, judged with its context by `en_saw_your_resume`.
                words(r"(?:i|we) (?:got|get|obtained|received|found|picked) your (?:number|contact|"
                      r"phone number|mobile number|details) (?:from|via|through|on|in)"),
                words(r"(?:would like to|wish to|want to|happy to|pleased to|glad to) invite you "
                      r"(?:to|for) (?:come |attend |"
                      r"come and attend )*(?:an? )?(?:online |whatsapp |telegram )?interview"
                      r"(?! (?:at|in) (?:our|the) (?:office|offices|premises|headquarters|store|"
                      r"branch))"),
                words(r"(?:part[- ]time |home based |online )?job offer for you"),
            ),
            keywords=(*(f"your {what} {verb}" for what in ("resume", "cv", "profile", "application",
                                                         "number", "mobile number", "job", "work",
                                                         "part-time", "part time", "online")
                        for verb in ("has", "have", "had", "be", "is", "was", "selected",
                                     "shortlisted", "match", "approved", "accepted")),
                      "your application for", "your job", "your work", "your part",
                      "your online", "you have been", "you has been",
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
    # Passed screening *and* invited to an interview at the office: a real recruiter's
    # message, not the scam's "passed, add customer service".
    # A loan, a refund or a claim "approved" is not a job offer (贷款申请已通过).
    exceptions=(r"(?:贷款|借款|额度|信用卡|放款|提现|退款|理赔|认证|实名)[^。!?;,\n]{0,4}(?:申请|审核|审批)",
                r"(?<![a-z])(?:loan|credit|refund|claim|visa|withdrawal) (?:application|request)"),
    vetoes=(_INTERVIEW_ZH, _INTERVIEW_EN),
    veto_window_zh=40,
    veto_window_en=120,
)
