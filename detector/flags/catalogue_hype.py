"""Recruiting hype: recruit-others schemes, guaranteed jobs, easy work-from-home income.

Only the recruit-others scheme is `medium` (downlines, 拉人头 are near-certain); guarantees
and lifestyle hype also appear in genuine postings (UK "guaranteed interview", tutoring
platforms), so they are `low`. Examples are hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule
from detector.flags.catalogue_work import WARN_POST_ZH, WARN_ZH
from detector.flags.lexicon import NEG_ZH, words

MLM_RECRUITING = RedFlag(
    id="mlm_recruiting",
    severity="medium",
    title={"en": "Recruit-others scheme (MLM / pyramid)", "zh": "拉人头、发展下线（传销式招聘）"},
    explanation={
        "en": "Income comes from recruiting others (downlines, pyramid, 'build your team and "
        "earn on every sign-up'), not from a salary for work.",
        "zh": "收入来自发展下线、拉人头、团队计酬，而不是工作本身的工资，属于传销或变相传销。",
    },
    advice={
        "en": "Ask what you are paid for. If it is recruiting people or buying stock, walk away.",
        "zh": "问清楚工资从哪里来；要求拉人、交入门费或囤货的，一律远离。",
    },
    examples=Examples(
        match={
            "en": (
                "Build your downline and earn residual income from every recruit.",
                "Join our network marketing team; get a bonus for each person you sign up.",
                "This is not a pyramid scheme... recruit 3 friends and move up a level.",
            ),
            "zh": (
                "招募合伙人，发展下线越多收入越高。", "拉人头奖励，每推荐一人入会返现200元。",
                "团队计酬，直推间推都有提成，三级分销。",
            ),
        },
        no_match={
            "en": (
                "Referral bonus: employees receive $500 when a referred hire completes 90 days.",
                "Sales representative: build relationships with downtown clients.",
                "Team lead: build and mentor a team of five engineers.",
            ),
            "zh": (
                "内部推荐奖励：推荐人才入职满三个月奖励1000元。",
                "网络工程师，负责机房上线下线设备维护。", "销售主管，负责团队建设和客户开发。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_mlm",
            patterns=(r"发展下线|拉人头|拉人入伙|团队计酬|直推.{0,10}间推|间推.{0,10}直推|三级分销|多级分销|入门费|传销|"
                      r"层层返利|推荐.{0,6}入会|下线(?:越多|提成|返利|奖励)",),
            keywords=("发展下线", "拉人头", "拉人入伙", "团队计酬", "直推", "间推", "三级分销",
                      "多级分销", "入门费", "传销", "层层返利", "推荐", "下线"),
            reach=40,
        ),
        Rule(
            name="en_mlm",
            patterns=(
                words(r"downlines?", r"pyramid scheme", r"network marketing",
                      r"multi[- ]level marketing",
                      "mlm", r"residual income", r"recruit (?:\d+ |your )?(?:friends|family|others)"
                      r"(?: \w+){0,3} (?:and|to) (?:earn|get|move up)",
                      r"(?:bonus|commission) (?:for|on) (?:each|every) (?:person|recruit|member|"
                      r"sign-?up|referral) you (?:recruit|sign up|refer|bring)"),
            ),
            keywords=("downline", "pyramid", "network marketing", "multi-level", "multi level",
                      "multilevel", "mlm", "residual", "recruit friends", "recruit your",
                      "recruit family", "recruit others", "you recruit", "you sign up", "you refer",
                      "you bring", *(f"recruit {i}" for i in range(1, 10))),
            reach=120,
        ),
    ),
    negations=(WARN_ZH, words("no", "not", "never", "without", "beware"), r"打击|防范"),
    post_negations=(WARN_POST_ZH,),
    exceptions=(r"(?:上线|下线)(?:设备|产品|功能|项目|活动)|设备.{0,4}下线|产品下线",
                r"(?:三级|多级)分销(?:系统|平台|商城|功能|模块|小程序)",
                r"mlm,? (?:nsp|and nsp)|masked language"),
)

GUARANTEED_JOB = RedFlag(
    id="guaranteed_job",
    severity="low",
    spread=False,
    title={"en": "Guaranteed job or income", "zh": "承诺包分配、保证录用"},
    explanation={
        "en": "Promises a guaranteed job, placement or income. Employers cannot guarantee "
        "hiring before assessing you; this is bait for training or placement fees.",
        "zh": "承诺“包分配”“保证录用”“包入编”。正规招聘不会事先保证录用，"
        "这通常是收取培训费、中介费的诱饵。",
    },
    advice={
        "en": "Treat guarantees as a sales pitch. Never pay for a guaranteed job.",
        "zh": "对“包分配、保录用”保持警惕，尤其是需要先交培训费、报名费的。",
    },
    examples=Examples(
        match={
            "en": (
                "Complete our course and get guaranteed job placement.",
                "100% job guarantee after training, guaranteed income of $5,000 a month.",
                "We guarantee you a job in Canada within 30 days.",
            ),
            "zh": (
                "培训结束包分配工作，保证录用。", "内部名额，包入编，交钱即可。",
                "学完包就业，百分百录用。",
            ),
        },
        no_match={
            "en": (
                "We offer a guaranteed interview to disabled applicants who meet the criteria.",
                "Guaranteed hours: 37.5 per week.",
                "Quality assurance: guarantee our products meet safety standards.",
            ),
            "zh": (
                "保证产品质量，负责质量检验工作。", "工资按时发放，保证不拖欠。",
                "保证每周休息一天。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_guarantee",
            patterns=(r"包(?:入编|分配|就业|上岗|录取|过(?!年|节))|(?:保证|保|百分百|100%)(?:录用|录取|入职|就业|"
                      r"入编|上岗|分配)|内部(?:名额|指标)|稳拿offer",),
            keywords=("包入编", "包分配", "包就业", "包上岗", "包录取", "包过", "保证录", "保证入",
                      "保证就业", "保证上岗", "保证分配", "保录", "保入", "保就业", "保上岗",
                      "保分配", "百分百", "%录", "%入", "%就", "%上", "%分", "内部名额", "内部指标",
                      "稳拿"),
            reach=20,
        ),
        Rule(
            name="en_guarantee",
            patterns=(
                words(r"guaranteed (?:job|placement|employment|income|position|hire|hiring|offer|"
                      r"salary|earnings|work permit|visa)", r"job (?:placement )?guarantee",
                      r"100% (?:job|placement|employment)",
                      r"(?:we )?guarantee (?:you )?(?:a |an )?"
                      r"(?:job|placement|employment|position|income|\$)"),
            ),
            keywords=("guarantee", "% job", "% placement", "% employment"),
            reach=60,
        ),
    ),
    negations=(NEG_ZH, words("no", "not", "cannot", "never", "without"),),
)

WORK_FROM_HOME_HYPE = RedFlag(
    id="work_from_home_hype",
    severity="low",
    spread=False,
    title={"en": "Easy work-from-home hype", "zh": "在家轻松赚钱话术"},
    explanation={
        "en": "Sells the job as effortless income from home or a phone ('just a phone', "
        "'1-2 hours a day', 'be your own boss', 'unlimited income'). Common in scams, but "
        "also in some genuine remote jobs, so it is informational.",
        "zh": "用“足不出户”“动动手指”“一部手机就能赚钱”“时间自由收入无上限”等话术包装。"
        "诈骗常见，但部分正规兼职也会这样写，仅作提示。",
    },
    advice={
        "en": "Look for a concrete employer, duties and pay structure behind the slogans.",
        "zh": "关注具体的单位、工作内容和薪资结构，而不是宣传口号。",
    },
    examples=Examples(
        match={
            "en": (
                "Work from home with just your phone, 1-2 hours a day.",
                "Be your own boss with unlimited income potential!",
                "Earn extra income from the comfort of your own home.",
            ),
            "zh": (
                "足不出户，动动手指就能赚钱。", "只需一部手机，在家就能做，时间自由。",
                "宝妈学生均可，利用碎片时间轻松赚钱。",
            ),
        },
        no_match={
            "en": (
                "Hybrid role: two days a week from home, three in the office.",
                "Remote software engineer, Python and AWS.",
                "Flexible working is available for the right candidate.",
            ),
            "zh": (
                "支持远程办公，每周到公司一次。", "工作时间：周一至周五，9:00-18:00。",
                "负责手机APP的测试工作。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_home_hype",
            patterns=(r"足不出户|动动手指|一部手机(?:就|即)|只需(?:要)?(?:一部)?手机|手机(?:就能|即可|就可以)(?:做|操作|赚|工作)|"
                      r"在家(?:就能|就可以|即可)(?:做|赚|工作|操作)|碎片(?:化)?时间(?:赚|轻松|兼职)|"
                      r"(?:轻松|在家|躺着)赚钱|收入无上限|睡后收入|被动收入|宝妈.{0,4}(?:兼职|赚钱|均可)",),
            keywords=("足不出户", "动动手指", "一部手机", "只需", "手机", "在家", "碎片",
                      "轻松赚钱", "躺着", "收入无上限", "睡后收入", "被动收入", "宝妈"),
            reach=30,
        ),
        Rule(
            name="en_home_hype",
            patterns=(
                words(r"be your own boss", r"unlimited (?:income|earning\w*)(?: potential)?",
                      r"(?:from|in) the comfort of your (?:own )?home", r"financial freedom",
                      r"passive income", r"(?:with )?(?:just|only) (?:your |a )?(?:mobile )?"
                      r"(?:phone|smartphone)", r"\d(?:-\d)? hours? (?:a|per) day",
                      r"(?:extra|additional) income", r"work (?:from|at) home (?:and|&) earn",
                      r"(?:make|earn) money (?:from|at) home",
                      r"home[- ]based (?:job|work|tasks?)"),
            ),
            keywords=("be your own boss", "unlimited", "comfort of your", "financial freedom",
                      "passive income", "just your", "just a phone", "just a smartphone",
                      "just a mobile", "just phone", "just mobile", "only your", "only a phone",
                      "only a smartphone", "only a mobile", "only phone", "only mobile",
                      "hours a day", "hour a day", "hours per day", "hour per day", "extra income",
                      "additional income", "work from home and", "work from home &",
                      "work at home and", "work at home &", "make money from", "make money at",
                      "earn money from", "earn money at", "home-based", "home based"),
            reach=80,
        ),
    ),
    negations=(NEG_ZH, words("no", "not", "never")),
)
