"""Flags about who is hiring and how they push you: vague or missing employer, suspicious
links, pressure. Examples are hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, LazyPattern, RedFlag, Rule, Triggers, alt
from detector.flags.context import PostingText
from detector.flags.lexicon import NEG_ZH, words
from detector.textnorm.normalize import Normalized

_VAGUE_ZH = alt("知名", "大型", "著名", "上市", "国企", "外企", "国有", "世界500强", "500强",
                "跨国", "一线", "大", "中型", "央企")
_ORG_ZH = alt("企业", "公司", "集团", "单位", "机构", "品牌", "平台", "工厂", "厂", "银行", "医院",
              "酒店", "商场", "超市", "电商", "网站", "国企", "央企", "外企")
_VAGUE_EN = alt("leading", "large", "well[- ]known", "reputable", "reputed", "major", "top",
                "prestigious", "renowned", "big", "international", "global", "multinational",
                "fortune 500", "growing", "established")
_ORG_EN = alt("company", "firm", "organi[sz]ation", "corporation", "brand", "employer", "mnc",
              "client", "business")

#: "We are a well-known company", 我们是一家知名互联网公司: a self-description that never
#: says which company (fires only when no employer is named anywhere, see the check).
_DESCRIBED_ZH = LazyPattern(
    r"(?:我们|我司|本公司|公司|我公司)(?:是|为)(?:一家|一个)?(?:国内|全国|本地|行业内?)?(?:知名|大型|著名|龙头|"
    r"一流|顶尖|上市|跨国|世界500强|500强)[^,。;!?\n]{0,10}?(?:企业|公司|集团|平台|品牌|机构)"
)
_DESCRIBED_EN = LazyPattern(
    r"(?<![a-z])(?:we are|we're|our company is)\s(?:a|an|one of the)\s(?:well[- ]known|reputable|"
    r"reputed|renowned|famous|prestigious|leading|large|big|major|top|fortune 500|"
    r"multinational)\s(?:[\w-]+\s){0,2}?(?:company|companies|firm|firms|organi[sz]ations?|"
    r"corporation|brand|employer|business|group)(?![a-z])"
)


def _described_unnamed_check(pt: PostingText, _: Triggers) -> list[tuple[str, int, int]] | None:
    """An employer described ("a well-known company") in a posting that names none."""
    if pt.posting.get("company").strip():
        return None
    hit = pt.search(_DESCRIBED_ZH.get()) or pt.search(_DESCRIBED_EN.get())
    if hit is None or any(_names_employer(norm) for norm in pt.fields.values()):
        return None
    return [hit]


VAGUE_EMPLOYER = RedFlag(
    id="vague_employer",
    # Medium: it fires on 4 of 31,516 real legit postings (rule report), and hiding the
    # employer is one of the scams this tool exists for.
    severity="medium",
    title={"en": "Employer not identified", "zh": "招聘单位不明确"},
    explanation={
        "en": "The posting hides who the employer is ('a leading company', 'our client, a "
        "Fortune 500 firm', a confidential employer) or recruits from a free e-mail address "
        "(gmail, yahoo, outlook, qq.com). You cannot check a company you cannot name.",
        "zh": "招聘信息不写明单位名称（“某知名企业”“某大型公司”），或用个人免费邮箱"
        "（qq.com、163.com、gmail等）招人，无法核实用人单位。",
    },
    advice={
        "en": "Ask for the company's legal name and check it on the official website or "
        "register before sending any personal data.",
        "zh": "要求对方提供单位全称，并在国家企业信用信息公示系统等渠道核实。",
    },
    examples=Examples(
        match={
            "en": (
                "A leading company is hiring remote data entry clerks.",
                "Our client, a Fortune 500 company, is looking for payroll assistants.",
                "Send your CV to hr.jobs.hiring@gmail.com today.",
                "We are a well-known company looking for data entry clerks.",
                "Work for a well-known company from home!",
            ),
            "zh": (
                "某知名企业招聘客服专员，待遇优厚。", "因某大型集团业务扩展，现招聘文员若干名。",
                "简历投递至 hr_zhaopin@163.com", "某大型企业，现招聘客服若干名，待遇优厚。",
                "我们是一家知名互联网公司，现招聘客服，日结。",
            ),
        },
        no_match={
            "en": (
                "Acme Corp is a leading company in industrial automation.",
                "Send your CV to careers@acme-industries.com.",
                "We work with Fortune 500 companies across Europe.",
                "Join a growing team at Acme Ltd.",
                "Acme Ltd: we are a leading company in logistics.",
            ),
            "zh": (
                "北京某某科技有限公司是一家专注于人工智能的高新技术企业。",
                "简历请投递至 hr@company.com.cn", "公司客户包括多家世界500强企业。",
                "上海申通快递有限公司，本公司直招分拣员。", "负责某大型网站家电的运输及上门配送。",
                "北京星河科技有限公司：我们是一家知名互联网公司。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_some_company",
            patterns=(
                rf"(?<!某)某(?!某){_VAGUE_ZH}?[^,。;!?\n]{{0,8}}?{_ORG_ZH}(?:现|正在|长期|特|诚|急|高薪|直)?"
                r"(?:招聘|诚聘|急聘|招募|聘请|招|聘|需要|寻找|直招|招人)",
                rf"(?:为|替|给|代|因|应|受|入职|就职|派遣到?|安排到?|合作的?)(?:国内|本地)?(?<!某)某(?!某)"
                rf"{_VAGUE_ZH}?[^,。;!?\n]{{0,8}}?{_ORG_ZH}",
            ),
            keywords=("某",),
            reach=30,
            # Its parts already stand in a window; one more read a named group as vague
            # ("某集团公司正式招聘", a real legit message).
            spread=False,
        ),
        Rule(
            name="zh_some_described",
            # 某知名…, 某大型…: an employer described but never named, whatever follows.
            patterns=(r"(?<!某)某(?!某)(?:知名|大型|著名|上市|国企|外企|国有|世界500强|500强|跨国|央企|"
                      r"大型国有|大型上市|知名上市|知名外资|外资|合资|品牌)",),
            keywords=("某知名", "某大型", "某著名", "某上市", "某国企", "某外企", "某国有",
                      "某世界",
                      "某500强", "某跨国", "某央企", "某外资", "某合资", "某品牌"),
            reach=20,
        ),
        Rule(
            name="en_vague_company",
            patterns=(
                words(rf"(?:a|an|our client,? (?:a|"
                      rf"an)?) {_VAGUE_EN} (?:[\w-]+ )?{_ORG_EN} (?:(?:(?:is|"
                      rf"are) )?"
                      r"(?:currently |now |urgently )?(?:hiring|looking(?: for)?|seeking|"
                      r"recruiting|"
                      r"in need|searching(?: for)?|offering)|(?:seeks|needs|wants|requires|"
                      r"hires|invites))",
                      rf"(?:hiring|recruiting|on behalf of|(?:position|job|opening|role|work|"
                      rf"vacanc\w+) (?:at|with|for)) (?:a|an|one of the) {_VAGUE_EN} (?:\w+ )?"
                      rf"{_ORG_EN}",
                      r"our client,? (?:a|an|is a|is an|one of the) (?:\w+ ){0,2}(?:fortune 500|"
                      r"leading|large|well[- ]known|major|top)",
                      rf"(?:work(?:ing)? (?:for|with|at)|join(?:ing)?|employed by) (?:a|an|"
                      rf"one of the)"
                      r" (?:well[- ]known|reputable|reputed|renowned|prestigious|famous|top|"
                      r"leading|"
                      rf"fortune 500|multinational) (?:\w+ )?{_ORG_EN}",
                      r"(?:confidential|undisclosed|unnamed|anonymous) (?:company|client|employer)"
                      r"(?! information| data)",
                      r"company name (?:is )?(?:withheld|confidential|undisclosed)"),
            ),
            keywords=("leading", "large", "well-known", "well known", "reputable", "reputed",
                      "major", "top", "prestigious", "renowned", "big", "international", "global",
                      "multinational", "fortune", "growing", "established", "confidential",
                      "undisclosed", "unnamed", "anonymous", "company name"),
            reach=100,
            # Vagueness is read from the words standing together: what a window would skip
            # is what names the employer ("a prestigious and dynamic *Healthcare*
            # organisation", "an *industry* leading company", real legit postings).
            spread=False,
        ),
        Rule(
            name="free_mail",
            patterns=(r"[a-z0-9._%+-]+@(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|aol|"
                      r"icloud|protonmail|proton|gmx|yandex|mail|qq|163|126|sina|sohu|foxmail|yeah|"
                      r"139|rediffmail)\.(?:com|net|cn|co\.uk|com\.cn|ru|in)(?![a-z0-9.-])",),
            keywords=("@gmail", "@googlemail", "@yahoo", "@ymail", "@hotmail", "@outlook", "@live",
                      "@aol", "@icloud", "@proton", "@gmx", "@yandex", "@mail.", "@qq", "@163",
                      "@126", "@sina", "@sohu", "@foxmail", "@yeah", "@139", "@rediffmail"),
            reach=80,
        ),
    ),
    negations=(
        # "Acme is a leading company" names it; "we are a well-known company" does not.
        r"(?<![a-z])(?:is|(?<!we )are|as|was|(?<!we )were|be|being|become|became|remains?|'s)\s+"
        r"(?:now\s+|also\s+|"
        r"currently\s+|today\s+|truly\s+)?\Z",
        r"(?:是|为|作为|成为)(?:一家|一个|国内)?\Z", r"(?:客户|合作伙伴|服务)(?:包括|有|涵盖)",
        # Describing a client or a deal, not hiding the employer: 负责某大型网站的配送, 并入某500强.
        r"负责|并入|合并|收购|客户|服务于|合作",
        r"(?:work|worked|working|partner\w*) (?:with|for) \Z",
    ),
    post_negations=(r"(?:\s(?:in|for|of|specializ|that|which|with|since|based|head|founded)|"
                    r"(?:是|成立|创立|位于|总部|专注|致力))",),
    check=_described_unnamed_check,
    # Keyed on the descriptor (家知名, 内大型), not on 我们/公司, which are everywhere.
    check_keywords=(*(f"{c}{d}" for c in "家内" for d in (
                        "知名", "大型", "著名", "龙头", "一流", "顶尖", "上市", "跨国")),
                    "we are a", "we are an", "we are one", "we're a", "we're an",
                    "our company is"),
)


def _no_company_check(pt: PostingText, _: Triggers) -> list[tuple[str, int, int]] | None:
    """Structured posting with neither a company name nor a company profile (an absence:
    it fires without evidence spans)."""
    posting = pt.posting
    if not posting.is_structured:
        return None
    if posting.get("company").strip() or posting.get("company_profile").strip():
        return None
    if any(_names_employer(norm) for norm in pt.fields.values()):
        return None  # "Registered nurse ... at St Mary hospital" says who is hiring
    return []


#: An employer named in the text: "at St Mary hospital", "Acme Ltd", 上海某某物流有限公司.
#: English: an organisation word (on the normalised, lower-case text, word-bounded), then the
#: capitalised name before it in the original ("at St Mary" + hospital, "Acme" + Ltd).
_ORG_WORD_EN = LazyPattern(
    r"(?<![a-z])(?:(?P<legal>ltd|limited|inc|llc|plc|corp|corporation|gmbh)|hospitals?|trust|"
    r"clinic|surgery|practice|university|college|school|academy|council|group|foundation|bank|"
    r"hotel|centre|center|nhs)(?![a-z])"
)
#: "at/with/for/join St Mary" before any organisation word ("High School diploma" is not one).
_AT_NAME_BEFORE_EN = LazyPattern(
    r"(?<![A-Za-z])(?:at|with|for|join|joining|by)\s+(?:the\s+)?(?:[A-Z][\w'&.-]*\s+){1,5}\Z"
)
#: A capitalised name right before a legal suffix: "Acme Widgets Ltd", "Foo, Inc".
_NAME_BEFORE_LEGAL_EN = LazyPattern(r"(?<![A-Za-z])[A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+){0,4},?\s+\Z")
#: Chinese: an organisation suffix with a name of two or more Han characters before it that
#: is not a generic word (本公司, 该医院, 某大型集团). Found suffix first: a regex that starts
#: with "2-12 Han characters" would be tried, and backtrack, at every position of the text.
_ORG_SUFFIX_ZH = LazyPattern(
    r"有限(?:责任)?公司|股份公司|集团|医院|大学|学院|银行|酒店|研究院|研究所"
)
_HAN_RUN_END = LazyPattern(r"[\u4e00-\u9fff]{1,12}\Z")
_GENERIC_ZH = LazyPattern(r"某|本|我|该|贵|此|这家|一家|知名|大型")


def _names_employer(norm: Normalized) -> bool:
    text = norm.original
    for n, m in enumerate(_ORG_WORD_EN.finditer(norm.text)):
        if n >= 20:
            break
        start = norm.span(m.start(), m.end())[0]
        before = _NAME_BEFORE_LEGAL_EN if m.group("legal") else _AT_NAME_BEFORE_EN
        if before.search(text, max(0, start - 100), start) is not None:
            return True
    if text.isascii():
        return False
    for n, m in enumerate(_ORG_SUFFIX_ZH.finditer(text)):
        if n >= 20:
            break
        run = _HAN_RUN_END.search(text, max(0, m.start() - 12), m.start())
        if run is not None and len(_GENERIC_ZH.get().split(run.group())[-1]) >= 2:
            return True
    return False


NO_COMPANY_INFO = RedFlag(
    id="no_company_info",
    severity="low",
    title={"en": "No company name or profile", "zh": "缺少公司名称和介绍"},
    explanation={
        "en": "A structured posting with neither an employer name nor a company profile. "
        "Legitimate postings usually say who is hiring; most fraudulent EMSCAD postings do not. "
        "Informational only: many small employers skip the profile too.",
        "zh": "结构化的招聘信息既无公司名称也无公司介绍。仅作提示：部分小企业也会省略。",
    },
    advice={
        "en": "Find out who the employer is before applying.",
        "zh": "投递前先弄清楚招聘单位是谁。",
    },
    examples=Examples(
        match={
            "en": (
                {"title": "Data Entry Clerk", "description": "Work from home, weekly pay."},
                {"title": "Administrative Assistant", "salary": "$20-25/hr",
                 "description": "Answer phones and schedule meetings."},
                {"title": "Customer Service Rep", "requirements": "Good English",
                 "description": "Handle customer calls in a busy team."},
            ),
            "zh": (
                {"title": "客服专员", "description": "负责接听客户电话，解答咨询。"},
                {"title": "文员", "salary": "4000-6000元/月",
                "description": "负责资料整理和录入。"},
                {"title": "普工", "description": "电子厂流水线操作，两班倒。"},
            ),
        },
        no_match={
            "en": (
                {"title": "Data Entry Clerk", "company": "Acme Ltd", "description": "Office role."},
                {"title": "Nurse", "company_profile": "We are a teaching hospital in Leeds.",
                 "description": "Band 5 staff nurse."},
                {"title": "Registered nurse", "description": "Registered nurse for the "
                 "cardiology ward at St Mary hospital, band 5."},
                "Data entry clerk wanted, work from home.",
            ),
            "zh": (
                {"title": "客服专员", "company": "北京某某科技有限公司",
                "description": "接听电话。"},
                {"title": "文员", "company_profile": "公司成立于2005年，专注物流服务。",
                 "description": "资料整理。"},
                "招聘文员，负责资料整理和录入。",
            ),
        },
    ),
    check=_no_company_check,
    fires_on_absence=True,
)

PRESSURE_TACTICS = RedFlag(
    id="pressure_tactics",
    severity="low",
    spread=False,
    title={"en": "Pressure to act fast", "zh": "催促、限时限量"},
    explanation={
        "en": "Artificial urgency ('limited slots', 'offer expires in 24 hours', 'respond "
        "immediately', 'start today, pay today') to stop you from checking the offer.",
        "zh": "用“名额有限”“仅限今天”“先到先得”“速来”等制造紧迫感，让人来不及核实。",
    },
    advice={
        "en": "Take your time; a real offer survives a day of checking.",
        "zh": "不要被催促，先核实单位和岗位再决定。",
    },
    examples=Examples(
        match={
            "en": (
                "Limited slots available, apply now!",
                "This offer expires in 24 hours, respond immediately.",
                "First come, first served: start today and get paid today.",
            ),
            "zh": (
                "名额有限，先到先得！", "仅限今天报名，速来！", "错过不再有，抓紧时间报名。",
            ),
        },
        no_match={
            "en": (
                "Closing date: 30 November 2020.",
                "Urgent care nurse, full time.",
                "Please apply via the NHS Jobs website.",
            ),
            "zh": (
                "工作时间：早九晚六，周末双休。", "负责紧急订单的跟进和处理。", "招聘人数：3人。",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_pressure",
            patterns=(r"名额有限|仅限今[天日]|今[天日]截止|限时|先到先得|速来|速速|抓紧(?:时间)?(?:报名|联系|"
                      r"来电)|机会难得|错过(?:不再|就没有|等一年)|过时不候|仅剩\s?\d+\s?个?名额|最后\s?\d+\s?个?"
                      r"名额|立即(?:报名|联系)|马上(?:报名|联系)|当天(?:面试)?当天(?:上岗|结算)",),
            keywords=("名额有限", "仅限", "今天截止", "今日截止", "限时", "先到先得", "速来",
                      "速速", "抓紧", "机会难得", "错过", "过时不候", "仅剩", "最后", "立即",
                      "马上", "当天"),
            reach=30,
        ),
        Rule(
            name="en_pressure",
            patterns=(
                words(r"limited (?:slots?|spots?|positions?|places|openings|vacancies|seats)",
                      r"(?:offer|position|opportunity|spot|slot)s? (?:expires?|closes?|ends?|"
                      r"available only) (?:in|within|today|tonight)",
                      r"(?:respond|reply|act|register|sign up|confirm)(?: \w+){0,2} "
                      r"(?:immediately|today|asap|right away)",
                      r"first come,? first serve[d]?", r"(?:start|begin|work) today,? (?:and )?"
                      r"(?:get )?paid today", r"pay(?:ment)? today", r"hurry(?: up)?",
                      r"don'?t miss (?:this|out)", r"only \d+ (?:slots?|spots?|positions?) left",
                      r"not late than today", r"urgent(?:ly)? (?:hiring|need|recruit\w*)"),
            ),
            keywords=("limited", "expire", "closes in", "closes within", "closes today", "close in",
                      "ends in", "ends within", "ends today", "ends tonight", "available only",
                      "immediately", "today", "asap", "right away", "first come", "hurry", "miss",
                      "left", "not late", "urgent"),
            reach=80,
        ),
    ),
    negations=(NEG_ZH, words("no", "not", "never")),
)

_SHORTENER = (r"(?:bit\.ly|bitly\.com|tinyurl\.com|cutt\.ly|rb\.gy|goo\.gl|is\.gd|shorturl\.at|"
              r"ow\.ly|"
              r"t\.ly|s\.id|tiny\.cc|rebrand\.ly|bl\.ink|shorte\.st|adf\.ly|v\.gd|t\.cn|url\.cn|"
              r"dwz\.cn)")
_FREE_HOST = (r"(?:blogspot\.com|gr8\.com|wixsite\.com|weebly\.com|000webhostapp\.com|webnode\.\w+|"
              r"godaddysites\.com|site123\.me|jimdosite\.com|123formbuilder\.com|forms\.gle|"
              r"docs\.google\.com/forms|jotform\.com|ngrok\.io|netlify\.app|vercel\.app|"
              r"glitch\.me)")
_BRANDS = (r"(?:tata|infosys|wipro|amazon|flipkart|google|microsoft|apple|walmart|indigo|airindia|"
           r"linkedin|indeed|deloitte|accenture|tiktok|lazada|shopee|jd|taobao|alibaba|tencent)")

SUSPICIOUS_LINK = RedFlag(
    id="suspicious_link",
    severity="low",
    spread=False,
    title={"en": "Link that hides where it goes", "zh": "可疑链接"},
    explanation={
        "en": "A shortened link, a free site-builder page, a raw IP address or a look-alike "
        "domain (tata.com.interview1.in) instead of the employer's own website. Common in fake "
        "offer letters and phishing; some small employers also use short links.",
        "zh": "使用短链接、免费建站页面、IP地址或仿冒域名（如tata.com.xxx.in）代替企业官网，"
        "常见于虚假录用通知和钓鱼链接。",
    },
    advice={
        "en": "Do not log in or enter personal data behind such links; find the employer's "
        "site yourself.",
        "zh": "不要点击或在此类链接中填写个人信息，自行搜索企业官网核实。",
    },
    examples=Examples(
        match={
            "en": (
                "Download your interview letter: www.tata.com.interview1.in",
                "Apply here http://bit.ly/3abcXYZ before Friday.",
                "Your application was successful, details at http://jobsoffer.blogspot.com",
            ),
            "zh": (
                "点击链接领取入职通知：http://t.cn/A6abc",
                "录用详情请访问 http://45.12.33.8/offer",
                "报名请填写 https://forms.gle/abc123",
            ),
        },
        no_match={
            "en": (
                "Apply at https://www.jobs.nhs.uk/vacancy/12345",
                "Read more on our careers site careers.example.com.",
                "Visit www.amazon.jobs to see all openings.",
            ),
            "zh": (
                "公司官网：www.example.com.cn", "简历投递至 hr@example.com",
                "请登录智联招聘投递简历。",
            ),
        },
    ),
    rules=(
        Rule(
            name="link",
            patterns=(
                rf"(?<![a-z0-9.-]){_SHORTENER}\s?/\s?\w",
                rf"[a-z0-9-]+\.{_FREE_HOST}|(?<![a-z0-9.-]){_FREE_HOST}",
                r"https?\s?:?\s?//\s?\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
                rf"(?<![a-z0-9-]){_BRANDS}\s?\.\s?com\.[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:in|xyz|top|"
                rf"cc|"
                rf"info|online|site|club|vip|icu|buzz|live|shop)(?![a-z])",
            ),
            keywords=("bit.ly", "bitly", "tinyurl", "cutt.ly", "rb.gy", "goo.gl", "is.gd",
                      "shorturl", "ow.ly", "t.ly", "s.id", "tiny.cc", "rebrand.ly", "bl.ink",
                      "shorte.st", "adf.ly", "v.gd", "t.cn", "url.cn", "dwz.cn", "blogspot",
                      "gr8.com", "wixsite", "weebly", "000webhost", "webnode", "godaddysites",
                      "site123", "jimdosite", "123formbuilder", "forms.gle",
                      "docs.google.com/forms", "jotform", "ngrok", "netlify", "vercel", "glitch",
                      "http", "tata", "infosys", "wipro", "amazon", "flipkart", "google",
                      "microsoft", "apple", "walmart", "indigo", "airindia", "linkedin", "indeed",
                      "deloitte", "accenture", "tiktok", "lazada", "shopee", "jd", "taobao",
                      "alibaba", "tencent"),
            reach=80,
        ),
    ),
)
