"""Flags about how the recruiter reaches you: chat apps (medium when the conversation or the
"interview" moves there, low for a mere personal chat account). Examples are hand-written for
tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule, alt
from detector.flags.lexicon import (
    CHAT_EN,
    CHAT_HANDLE,
    NEG_ZH,
    QQ,
    QQ_EVASIVE,
    TELEGRAM,
    WECHAT,
    WECHAT_EVASIVE,
    WECHAT_SHORTHAND,
    words,
)

_CONTACT_VERB_ZH = alt("加", "添加", "联系", "咨询", "私聊", "私信", "扫码", "扫", "搜", "搜索",
                       "找", "戳", "滴滴", "dd", "详询", "详聊", "联系方式", "请加", "可加",
                       "直接加", "通过")
_CHAT_ACTION_ZH = alt("联系", "沟通", "面试", "详谈", "详聊", "咨询", "报名", "私聊", "投递",
                      "应聘", "发简历", "了解", "视频面试", "语音面试")
_CHAT_APP_ZH = alt(WECHAT, QQ, TELEGRAM, "whatsapp", "钉钉")
_HANDLE = r"\s?(?:号|号码|id)?\s?[:：]?\s?@?(?=[a-z_-]*[0-9_])[a-z0-9][a-z0-9_-]{4,}"

_ONLY_ZH = alt("仅", "只", "只能", "仅限", "只接受", "仅接受", "一律")
_STRONG_APP_ZH = alt(TELEGRAM, "whatsapp", r"line(?=\s?(?:id|号))")
_LIST_SEP = r"(?:,|,? and|,? or| &|/|、|及|和|与)\s?"
_OTHER_APPS = (r"(?:skype|zoom|teams|slack|facebook|twitter|youtube|instagram|linkedin|baidu|weibo|"
               r"tiktok|gmail|email|snapchat|messenger|imessage|sms|qq|微信|微博|weixin|wire)")
_CHAT_NAMES = r"(?:google )?(?:whats\s?app|wechat|telegram|hangouts?|viber|signal|kik|line)"

OFF_PLATFORM_CONTACT = RedFlag(
    id="off_platform_contact",
    severity="medium",
    title={"en": "Moves you to a chat app", "zh": "把沟通引到微信/QQ/Telegram等聊天软件"},
    explanation={
        "en": "The posting moves the conversation off the job platform to WhatsApp, Telegram, "
        "Signal, QQ, WeChat and the like (an 'interview by chat', wa.me/t.me links, a chat "
        "handle spelled to dodge filters, 'don't reply here'). Scammers do this to avoid "
        "moderation and to pressure you privately.",
        "zh": "招聘把沟通或“面试”引到微信、QQ、Telegram（“飞机”）、WhatsApp等聊天软件，"
        "引导加聊天软件领任务，用“薇信”“加V”“扣扣”等谐音或符号躲避平台审核，或说“平台上不回复”。"
        "正规招聘会电话、视频或到场面试；脱离平台后更难维权。",
    },
    advice={
        "en": "Keep contact on the job platform or the employer's official domain; a real "
        "employer will interview you by phone, video or in person.",
        "zh": "坚持电话或到场面试并核实企业信息；对只在聊天软件里“面试”、派任务的要高度警惕。",
    },
    examples=Examples(
        match={
            "en": (
                "Interested candidates should text us on WhatsApp: wa.me/15551234567",
                "The interview will be conducted via Google Hangouts with our hiring manager.",
                "Contact our HR on Telegram t.me/hr_jobs for details.",
                "Add me on W h a t s A p p to apply.",
                "Text me on Signal: +1 555 0100",
                "Please don't reply here, text our HR on WhatsApp.",
            ),
            "zh": (
                "面试方式：微信视频面试，不接电话。", "只接受QQ面试，请加QQ号12345678。",
                "下载纸飞机，联系客服领取任务。", "加微信领取任务，一单一结。",
                "面试只在微信上进行。", "有意者加薇信了解详情。", "详情请加V：abc12345",
                "有意者加扣扣：12345678", "平台消息不回，请加薇❤信：abc_123",
                "兼职打字员，日结，QQ：123456789",
            ),
        },
        no_match={
            "en": (
                "If shortlisted, your interview will be held via Skype.",
                "Call our office on 020 7946 0000 for an informal chat.",
                "Familiarity with social media tools, e.g. Twitter, Facebook, YouTube, WhatsApp.",
                "Experience in signal processing and RF design.",
            ),
            "zh": (
                "负责微信公众号和小程序的运营维护。",
                "有意者可直接电话或者微信咨询，联系电话：13800000000（微信同号）。",
                "熟悉微信支付、QQ登录等第三方接口开发。",
                "参与腾讯课堂、企鹅辅导等在线教育产品的开发。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_chat_interview",
            patterns=(
                rf"{_CHAT_APP_ZH}(?:上|里)?(?:视频|语音|在线|线上|文字)?面试",
                rf"面试(?:方式|形式)?(?:{_ONLY_ZH}|都|均)?(?:[:：]|为|是|采用|通过|在|用)\s?.{{0,4}}"
                rf"{_CHAT_APP_ZH}",
                rf"(?:加|添加){_CHAT_APP_ZH}[^。;!?\n,，]{{0,16}}(?:面试|视频面|语音面)",
                rf"{_ONLY_ZH}(?:能|通过|用|加)?.{{0,3}}{_CHAT_APP_ZH}(?:联系|沟通|报名|咨询|面试)",
                rf"不接(?:听)?电话.{{0,8}}{_CHAT_APP_ZH}|{_CHAT_APP_ZH}.{{0,8}}不接(?:听)?电话",
                rf"(?:加|添加|联系|私聊){_CHAT_APP_ZH}.{{0,8}}(?:领取?任务|接单|派单|做任务|返佣|领红包)",
                rf"(?:下载|注册|加入?|联系|私聊|搜索?){_STRONG_APP_ZH}",
                rf"{_STRONG_APP_ZH}(?:号|群|联系|私聊|上联系|[:：])",
            ),
            keywords=("微信", "wechat", "we chat", "qq", "telegram", "纸飞机", "飞机", "电报", "tg",
                      "whatsapp", "line", "扣扣", "企鹅", "q号", "球球", "钉钉", "薇信", "威信",
                      "徽信", "嶶信", "魏信", "v信", "威心", "加v", "+v", "加微", "vx", "wx",
                      "weixin", "威"),
            reach=50,
        ),
        Rule(
            name="zh_evasive_spelling",
            # The whole disguised handle is the evidence: 加V：bz2580, 扣扣：12345678.
            patterns=(rf"{alt(WECHAT_EVASIVE, QQ_EVASIVE)}(?:{CHAT_HANDLE})?",),
            keywords=("薇信", "威信", "徽信", "嶶信", "魏信", "v信", "威心", "加v", "+v", "加微",
                      "薇", "微:", "微-", "微.", "微_", "微/", "微|", "v:", "v.", "v-", "v_", "v/",
                      "v|", "威-", "威.", "微星", "扣扣", "抠抠", "寇寇", "蔻蔻", "企鹅",
                      "球球", "q号", "q:", "扣:", "加q", "加扣"),
            reach=40,
        ),
        Rule(
            name="zh_qq_contact",
            # QQ (not WeChat, which genuine Chinese recruiters use all the time) as the way to
            # apply: the classic channel of part-time and brushing SMS lures (加QQDIGIT).
            patterns=(rf"(?:加|添加|联系|咨询|私聊|扫码|搜索?|详询)(?:我|客服|hr|老师|人事)?的?(?:qq|{QQ_EVASIVE})"
                      rf"(?:号|群)?(?:{CHAT_HANDLE})?",),
            keywords=("qq", "扣扣", "企鹅", "q号"),
            reach=40,
        ),
        Rule(
            name="zh_qq_job_lure",
            # A bare QQ number counts when the text is a part-time/at-home lure or an
            # unsolicited "your resume passed" message.
            patterns=(rf"(?:qq|{QQ_EVASIVE})(?:号|群)?{CHAT_HANDLE}",),
            keywords=("qq", "扣扣", "企鹅", "q号"),
            context=(r"兼职|刷单|网赚|打字|在家|日结|手机(?:操作|赚|兼职)|简历(?:已经?)?通过|面试(?:已经?)?通过|"
                     r"录用|任务|日赚|佣金|返利|宝妈|学生",),
            window=80,
            reach=40,
        ),
        Rule(
            name="zh_leave_platform",
            # The ad itself says the platform will not be used (平台消息不回, 私下联系).
            patterns=(
                r"(?:平台|站内|这里|此处|软件)(?:上|里|内)?(?:不(?:方便|回复?|常看|看|安全|沟通|聊)|"
                r"消息(?:不回|不看|看不到)|会(?:屏蔽|封号|限制|监控))",
                r"(?:不走|不通过|不用|别在|不在|脱离|绕过|避开|离开)(?:招聘)?平台",
                r"私下(?:联系|沟通|交易|加|聊)", r"(?:平台|站内)(?:外|以外)(?:联系|沟通)",
            ),
            # Keywords start at the place word, not at 不 (one of the commonest characters).
            keywords=(*(f"{where}不{what}" for where in ("平台", "平台上", "站内")
                        for what in ("方便", "回", "常看", "看", "安全", "沟通", "聊")),
                      "消息不", "消息看不到", "会屏蔽", "会封号", "会限制", "会监控", "不走平台",
                      "不通过平台", "别在平台", "脱离平台", "绕过平台", "避开平台", "离开平台",
                      "不走招聘平台", "不通过招聘平台", "脱离招聘平台", "私下",
                      "平台外", "平台以外", "站内外", "站内以外"),
            context=(rf"{WECHAT}|{QQ}|{TELEGRAM}|whatsapp|联系|加我|私聊",),
            window=60,
            reach=40,
        ),
        Rule(
            name="en_leave_platform",
            # "Don't reply here, text me on WhatsApp"; "contact us outside the platform".
            patterns=(
                words(r"(?:do not|don'?t|won'?t|will not|cannot|can'?t|never) (?:reply|respond|"
                      r"answer|communicate|chat|message|check (?:messages|the inbox))(?: \w+){0,3} "
                      r"(?:here|on (?:this|the) (?:site|platform|app|board)|through (?:this|the) "
                      r"(?:site|platform|app))",
                      r"(?:outside|off) (?:of )?(?:the |this )?(?:platform|app|site|indeed|"
                      r"linkedin|upwork|fiverr|job board)(?: to| for| via| on)",
                      r"(?:messages|inbox) (?:here |on this (?:site|platform|app) )(?:are|is) not "
                      r"(?:checked|monitored|read)"),
            ),
            keywords=(*(f"{neg} {verb}" for neg in ("do not", "don't", "dont", "won't", "wont",
                                                    "will not", "cannot", "can't", "cant", "never")
                        for verb in ("reply", "respond", "answer", "communicate", "chat",
                                     "message", "check")),
                      *(f"{where} {what}" for where in ("outside", "outside of", "off") for what
                        in ("the platform", "this platform", "platform", "the app", "this app",
                            "the site", "this site", "indeed", "linkedin", "upwork", "fiverr",
                            "the job board")),
                      "messages here", "messages on this", "inbox here", "inbox on this"),
            context=(rf"{WECHAT}|whatsapp|signal|telegram|text|call|email|e-mail|contact|message|"
                     r"reach",),
            window=60,
            reach=120,
        ),
        Rule(
            name="en_chat_app",
            patterns=(
                CHAT_EN,
                words(r"(?:add|contact|message|chat with|reach)(?: \w+){0,3} (?:on|via) skype",
                      r"(?:contact|text|message|add|reach|chat with|dm|find|call)(?: me| us| our "
                      r"\w+)?"
                      r" (?:on|via) signal(?! processing)",
                      r"(?:via|on|through|using|over) signal(?: app| messenger)?(?= |$|[.,;:!?)])"
                      r"(?! processing| integrity| analysis| strength| chain| quality| level)",
                      r"signal\s?(?:app |messenger )?(?:id|number|handle|username|"
                      r"no\.?)?\s?[:@]\s?\+?"
                      r"[a-z0-9]"),
            ),
            keywords=("whats", "whtasapp", "wasap", "watsapp", "telegram", "signal", "viber", "kik",
                      "wechat", "we chat", "hangout", "google hangout", "yahoo", "line app",
                      "skype", "tg"),
            reach=60,
        ),
        Rule(
            name="en_chat_interview",
            patterns=(
                words(r"(?:interview|interviews|screening|onboarding)(?: \w+){0,3} (?:conducted|"
                      r"held|done|via|on|over|through)(?: \w+){0,2} (?:text|chat|instant messag\w*|"
                      r"im)(?! with)", r"(?:text|chat|im|instant message)[- ]based interview"),
            ),
            keywords=("text", "chat", "im", "instant messag"),
            reach=100,
            # Its parts already stand in windows of words; one more let "interview details
            # will also be sent via SMS text" (NHS) read as a chat interview.
            spread=False,
        ),
        Rule(
            name="chat_links",
            patterns=(r"(?<![a-z0-9])(?:wa\s?\.\s?me|t\s?\.\s?me|chat\.whatsapp\.com|"
                      r"api\.whatsapp\.com|"
                      r"telegram\.me|line\.me|u\.wechat\.com)\s?/",),
            keywords=("wa.me", "wa .me", "wa. me", "t.me", "t .me", "chat.whatsapp", "api.whatsapp",
                      "telegram.me", "line.me", "u.wechat"),
            reach=20,
        ),
    ),
    negations=(NEG_ZH, words("no", "not", "never", "don't", "beware"), r"不(?:会|要|通过)"),
    exceptions=(
        rf"{WECHAT}\s?(?:公众号|公众平台|小程序|支付|营销|运营|开发|平台|生态|朋友圈|推广|商城|端|api|sdk|"
        r"登录|登陆|分享|接口|社群运营|群运营|视频号|直播|广告|电商|客服系统|js|mini|official|pay|"
        r"public|account|app|moments|group|marketing|ecosystem)",
        r"(?:开发|运营|维护|推广|对接|熟悉|接入|研究|逆向)(?:过)?.{0,12}(?:微信|qq|whatsapp|wechat|telegram)",
        r"(?:experience|develop\w*|familiar\w*|knowledge|integrat\w*|build\w*)(?: \w+){0,5},? "
        + _CHAT_NAMES,
        r"whatsapp business|telegram bot|signal processing|signal (?:integrity|analysis)",
        r"(?:telegram|whatsapp|wechat|signal|微信|qq)[^。;!?\n]{0,20}(?:技术|架构|协议|源码|开源|逆向)",
        rf"{_OTHER_APPS}{_LIST_SEP}{_CHAT_NAMES}", rf"{_CHAT_NAMES}{_LIST_SEP}{_OTHER_APPS}",
        r"(?:like|such as|e\.g\.|including) (?:\w+,? ){0,4}" + _CHAT_NAMES,
        r"微信同号|同微信|qq邮箱|@qq\.com", r"(?:微信|weixin)\s?[(（/]?\s?wechat",
        r"(?:qq|扣扣)(?:音乐|浏览器|空间|游戏|飞车|炫舞|会员|钱包|邮箱|登录|登陆)",
        r"(?:平台|软件)(?:上|里|内)?不(?:方便|安全)(?:的)?(?:问题|地方)",
        r"私下(?:交易|收费|收取).{0,6}(?:禁止|严禁|不得)",
    ),
    supersedes=("chat_app_contact",),
)

CHAT_APP_CONTACT = RedFlag(
    id="chat_app_contact",
    severity="low",
    spread=False,
    title={"en": "Contact through a personal chat account", "zh": "留微信/QQ等私人聊天账号"},
    explanation={
        "en": "The posting gives a personal WeChat/QQ account or asks you to add one (微信, QQ, "
        "vx). Common on Chinese job boards, including "
        "genuine ones, so this is informational only.",
        "zh": "留个人微信/QQ号联系。国内招聘中很常见，正规招聘也会这样写，"
        "仅作提示。",
    },
    advice={
        "en": "Check the employer on the platform before moving to a chat app.",
        "zh": "加微信前先在平台上核实企业信息，不要在聊天中透露敏感信息或转账。",
    },
    examples=Examples(
        match={
            "en": (
                "For details add wx: hr_2024.",
                "Contact weixin hr2024 for the shift rota.",
                "vx: job8888 send your resume",
            ),
            "zh": (
                "有意者加我微信详聊。", "微信号：abc12345", "有意向请加我微信详聊。",
            ),
        },
        no_match={
            "en": (
                "Experience with WeChat mini programs is a plus.",
                "Call 020 7946 0000 for details.",
                "Familiar with QQ Music and WeChat Pay APIs.",
            ),
            "zh": (
                "负责微信公众号的运营。", "联系电话：13800000000（微信同号）",
                "熟悉微信支付接口开发。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_disguised_app",
            # The evasive spellings (薇信, 加V) are off_platform_contact; these remain.
            patterns=(WECHAT_SHORTHAND,),
            keywords=("vx", "wx", "weixin", "威"),
            reach=40,
        ),
        Rule(
            name="add_chat",
            patterns=(
                rf"{_CONTACT_VERB_ZH}(?:我|本人|客服|hr|老师|人事|招聘专员)?(?:的)?(?:个人)?{_CHAT_APP_ZH}",
                rf"{_CHAT_APP_ZH}(?:号|群)?(?:上|里)?{_CHAT_ACTION_ZH}",
                rf"{_CHAT_APP_ZH}{_HANDLE}",
            ),
            keywords=("微信", "wechat", "we chat", "qq", "telegram", "电报", "tg", "whatsapp",
                      "钉钉", "薇信", "威信", "徽信", "嶶信", "魏信", "v信", "vx", "wx", "weixin",
                      "加v", "+v", "加微"),
            reach=40,
        ),
    ),
    negations=OFF_PLATFORM_CONTACT.negations,
    exceptions=OFF_PLATFORM_CONTACT.exceptions,
)
