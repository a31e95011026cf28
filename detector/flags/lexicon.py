"""Shared vocabulary for the rules: chat-app names and their disguises, negation cues, pay words.

All fragments are regex source over normalised text (lower case, NFKC, full-width punctuation
folded to ASCII, spaces between Han characters removed). English words are guarded with
`W`/`EW` (no ASCII letter before/after) instead of `\\b`, which Han characters defeat.
"""

from __future__ import annotations

from detector.flags.base import alt

W = r"(?<![a-z])"
EW = r"(?![a-z])"


def whole(*items: str) -> str:
    """An alternation that is one word (a disguised spelling: 薇信, 扣扣, 纸飞机): a claim's
    window never opens inside it (see `claims.py`)."""
    return "(?#whole)" + alt(*items)


def words(*items: str) -> str:
    """English words/phrases as one guarded alternation (items are regex source)."""
    return W + alt(*items) + EW


# --- claims: the parts of a claim within a window of words ------------------------------
# A claim ("pay a fee", "send your ID and bank card") has parts that scammers, and ordinary
# writing, pull apart with modifiers: "pay a $50 *upfront* fee", "a small one-time refundable
# onboarding and registration fee", 缴纳一笔300元的岗前统一培训费用. Rules join the parts of a
# claim with these bounded gaps instead of single spaces. A gap never crosses a clause end and
# never swallows a word that would reverse the claim (no, free, reimbursed, 不, 免...): a
# negation inside the window must stay visible to the negation handling, which looks before
# the match. Every gap is bounded, so a match stays linear in the text and within its rule's
# `reach` of a keyword.

#: A word inside a gap: no clause end inside it except a dot between two characters
#: ("$2,800.00", "u.s"). The parts are unambiguous, so the regex never backtracks badly.
_GAP_WORD_EN = r"[^\s.;!?]+(?:\.[^\s.;!?]+)*"
#: Words a gap must not swallow: they negate the claim ("no", "free"), say someone else pays
#: ("reimbursed", "covered", "paid"), or turn an amount into pay ("$25 per hour, agency fee").
GAP_STOP_EN = (
    r"(?:no|not|never|nor|without|free|zero|waived?|reimburs\w*|cover(?:s|ed|ing)?|paid|"
    r"refunded|per|hour\w*|hr|hrs|week\w*|month\w*|year\w*|annum|annually|day|days|daily|"
    r"salary|salaries|wages?|bonus\w*|rate|plus|pays?)(?![a-z])"
)


def gap_en(n: int) -> str:
    """Between two parts of an English claim: a space, or up to `n` words between spaces
    (never a clause end, never a word of `GAP_STOP_EN`). Put it where a single space was."""
    return rf"(?:[ \t]+(?!{GAP_STOP_EN}){_GAP_WORD_EN}){{0,{n}}}[ \t]+"


#: What reverses or hands off a Chinese claim (不收, 无需, 免费, 公司承担, 报销): not the
#: company as such (公司统一的工作手机 is still bought by the applicant).
_GAP_STOP_ZH = (r"不|无|免|没|非|零|报销|承担|退还|返还|(?:公司|单位|企业|厂[里方])(?:负责|支付|出|"
                r"提供|配|发|统一(?:配|发|提供|办))")


def gap_zh(n: int) -> str:
    """Between two parts of a Chinese claim: up to `n` characters of the same clause (no
    clause end, no negation or hand-off of `_GAP_STOP_ZH`)."""
    return rf"(?:(?!{_GAP_STOP_ZH})[^。!?;,\n]){{0,{n}}}"


# --- chat apps and their disguises ------------------------------------------------------
#: 微信 and the homophones/letters used to dodge filters (薇信, 威信, V信, vx, wx, 加v).
#: Spellings whose only purpose is to dodge a platform's filters: evasion, not mere contact.
# Every branch starts with a literal character (lookbehinds come after it): these
# alternations are embedded in many rules, and a branch that opens with a lookbehind or a
# character class is tried, and fails slowly, at every position of every window.
_SYMBOL_IN_WORD = "[-._/|\\\\=+#]{1,2}[信心x](?![a-z])"  # 微-信, v.x, 薇/信 (emoji are folded)
_BARE_HANDLE = "[:：]\\s?(?=[a-z_-]*[0-9])[a-z0-9_-]{5}"  # V：bz2580 (a digit in it)
WECHAT_EVASIVE = whole(
    f"薇(?:信|(?={_BARE_HANDLE})|{_SYMBOL_IN_WORD})",
    f"威(?:信(?![力望誉息])|心|{_SYMBOL_IN_WORD})",
    "徽信", "嶶信", "魏信",
    f"v(?:信|eixin(?![a-z])|(?<![a-z0-9]v)(?={_BARE_HANDLE})|{_SYMBOL_IN_WORD})",
    "加(?:v(?!信)|微(?!信)|薇(?!信))",
    "\\+(?:v(?![a-z信])|薇(?!信))",
    f"微(?:(?={_BARE_HANDLE})|{_SYMBOL_IN_WORD}|星(?=[:：号]?\\s?[a-z0-9_-]{{5}}))",
    "维信(?=[:：号]?\\s?[a-z0-9_-]{5})",
)
#: QQ spelled to dodge filters (扣扣, 企鹅, 抠抠), or a bare Q/扣 before a number.
_QQ_NUMBER = "(?:digit|[0-9]{5,})"
QQ_EVASIVE = whole(
    f"扣(?:扣|(?=\\s?[:：]\\s?{_QQ_NUMBER})|(?<=加扣)(?=\\s?{_QQ_NUMBER}))",
    "抠抠", "寇寇", "蔻蔻", "球球",
    f"企鹅(?:号|(?<=加企鹅)|(?=[:：]?\\s?{_QQ_NUMBER}))",
    f"q(?:号|(?<![a-z0-9]q)(?=\\s?[:：]\\s?{_QQ_NUMBER})|(?<=加q)(?=\\s?{_QQ_NUMBER}))",
)
#: A chat handle: letters and digits, at least five, with a digit (bz2580), or the masked
#: number of the SMS corpora (DIGIT); homophone digits (二五八零) count as digits.
CHAT_HANDLE = (r"(?:号码?|id)?\s?[:：]?\s?@?(?:digit|cellphone|"
               r"(?=[a-z_-]*[0-9零〇一二三四五六七八九_])"
               r"[a-z0-9_\-零〇一二三四五六七八九]{5,24})")
#: Common shorthands for a WeChat account (vx: abc123), used by genuine recruiters too.
WECHAT_SHORTHAND = whole(
    "[vw]x(?<![a-z0-9][vw]x)(?=\\s?(?:号|[:：]|同|\\s?[a-z0-9_-]{5}))",
    "weixin(?<![a-z0-9]weixin)(?![a-z.])", "威(?=[:：][a-z0-9_-]{5})",
)
WECHAT_DISGUISED = alt(WECHAT_EVASIVE, WECHAT_SHORTHAND)
WECHAT = alt("微信", "wechat", "we chat", WECHAT_DISGUISED)
QQ = alt("qq", QQ_EVASIVE)
TELEGRAM = whole("telegram", "纸飞机", "飞机号", "电报", "tg(?![a-z])",
               "飞机(?=[:：]?@?[a-z0-9_]{4})")
CHAT_ZH = alt(WECHAT, QQ, TELEGRAM, "whatsapp", "line(?![a-z])", "钉钉")
CHAT_EN = words(
    r"whats\s?app", "whtasapp", "wasap", "watsapp", "telegram", "signal app", "viber", "kik",
    "wechat", "google hangouts?", "hangouts", r"yahoo\s?(?:messenger|im|chat)", "line app",
    r"skype (?:chat|im|id)", r"tg\s?[:@]",
)

# --- numbers ----------------------------------------------------------------------------
#: A number in Chinese text: digits, the DIGIT mask of one SMS corpus or the x-runs of another
#: (工资xxx元: digits masked as x), never an x inside a Latin word.
NUM_ZH = r"(?:[0-9][0-9,.]*|digit|(?<![a-z])x{1,8}(?![a-z]))"

# --- negation cues --------------------------------------------------------------------
#: Before a Chinese match, same clause: 不收押金, 无需任何费用, 谨防收费的骗子.
NEG_ZH = alt(
    "不收", "不取收", "不需", "不需要", "无需", "无须", "不用", "免收", "免交", "免除", "拒绝",
    "禁止", "严禁", "杜绝", "没有", "无任何", "任何(?:形式的?)?", "不要", "绝不", "决不", "从不",
    "从未", "一律不", "不会", "不得", "不存在", "不涉及", "不产生", "不交", "不缴", "不扣", "不押",
    "谨防", "警惕", "防止", "小心", "当心", "凡是", "凡", "如遇", "如有", "若有", "若遇", "举报",
    "未收", "不(?=.{0,3}$)", "零(?=.{0,2}$)", "无(?=.{0,3}$)", "免(?=.{0,3}$)",
    # A lone 0 ("0押金") negates; the last digit of an amount (2580元培训费) does not.
    "(?<![0-9.,])0(?=.{0,2}$)",
    "非", "别信",
)
#: After a Chinese match, same clause: 押金全免, 体检费公司报销, 都是骗子.
POST_NEG_ZH = (
    r"\s?[:：]?\s?"
    + alt(
        "全免", "免费", "免收", "全额报销", "报销", "可报销", "予以报销", "由?公司", "由?企业",
        "由?单位", "由?厂[里方]", "由?我们", "厂里出", "无(?![责忧])", "0元", "零", "不收",
        "全包", "都是骗", "均为诈骗", "是骗", "请举报", "请谨慎", "请勿", "谨防", "一律",
        ".{0,8}(?:都是|均为|均有|就是|都为|是|有|涉嫌)(?:骗子|诈骗|骗局|假的)",
    )
)
#: Before an English match, same clause ("there are no fees", "we never ask for payment").
NEG_EN = alt(
    words(
        "no", "not", "never", "without", "zero", "nor", "neither", r"don'?t", r"doesn'?t",
        r"won'?t", r"isn'?t", r"aren'?t", "cannot", r"can'?t", "free", "beware", "scam", "fraud",
        "reimburs\\w*", "we (?:will |shall |also )?(?:pay|cover|fund|refund)", "covers?",
        "covered", "waive[sd]?", "paid", "cost coverage", "employer", "company will",
    )
)
POST_NEG_EN = (
    r"\s?[:(]?\s?"
    + alt(
        "(?:is |are |will be |to be |being |)(?:fully |100% )?(?:waived|free|reimbursed|covered|"
        "paid(?! by you| by the applicant)|refunded by (?:us|the company)|not required|included)",
        "free of charge", "at no (?:cost|charge)", "none", "n/a", "paid for by", "provided free",
        "(?:is|are) on us", "(?:is|are) (?:the )?(?:company|employer)'?s? (?:cost|responsibility)",
    )
)

# --- requirement / effort cues (pay is judged against these) -----------------------------
NO_REQUIREMENT_ZH = alt(
    "无需(?:任何)?(?:工作)?经验", "不需要(?:任何)?经验", "无经验要求", "零基础",
    "小白(?:也?[可能会])",
    "无需学历", "不需要学历", "不看学历", "不限学历", "无学历要求", "无门槛", "零门槛",
    "有手机就[能行可]",
    "会用?手机就[能行可]", "会打字就[能行可]", "会上网就[能行可]", "识字就[能行可]", "宝妈",
    "学生党", "人人(?:都)?可[以做]", "男女老少",
)
NO_REQUIREMENT_EN = words(
    r"no (?:prior |previous |work |special |formal )?(?:experience|exp|skills?|qualifications?|"
    r"degree|resume|cv)(?: (?:is |are )?(?:needed|necessary|required|reqd|req))?",
    r"(?:experience|skills?|degree) (?:is |are )?not (?:needed|necessary|required)",
    r"anyone can (?:do|apply|join)", r"(?:all|everything) you need is (?:a |an )?"
    r"(?:phone|smartphone|computer|laptop|internet)",
    r"(?:only |just )(?:need )?(?:a |your )?(?:mobile )?(?:phone|smartphone)",
    r"without (?:any )?experience", r"suitable for (?:all|everyone|anyone)",
    r"no (?:special )?skills", "no experience",
)
EASY_ZH = alt(
    "轻松", "简单", "动动手指", "足不出户", "在家(?:就能|就可以|即可)?", "手机(?:就能|即可|就可以)",
    "躺赚", "随时随地", "零投入", "宝妈",
)
EASY_EN = words(
    "easy", "easily", "simple", "from home", "at home", "home[- ]based", "spare time",
    "part[- ]?time", "flexible hours", "anywhere", "from your phone", "mobile phone", "online",
    "no time limit", "anytime",
)
EXPERT_ZH = alt(
    "博士", "硕士", "研究生", "律师", "执业", "注册会计师", "高级工程师", "高级", "资深", "专家",
    "架构师",
    "主治", "医师", "教授", "\\d+年以上", "[三四五六七八九十]年以上", "精通", "领域专家", "985",
    "211",
)
#: Requirements that justify high pay; they veto the pay-vs-requirements rules.
EXPERT_EN = words(
    "phd", "ph\\.d", "doctorate", "doctoral", "md", "jd", "master'?s degree", "msc", "mba",
    "bar (?:admission|membership|license|licence|member)", "member of the bar", "licensed",
    "attorney", "lawyer", "physician", "surgeon", "senior", "sr", "principal", "staff engineer",
    "architect", "expert", "domain experts?", "professor", "board[- ]certified", "cpa", "cfa",
    r"\d+\+? years", "years of (?:relevant |professional )?experience",
)
