"""Pay extraction: find amounts of money in normalised text and bring them to one period.

Why: "unrealistic pay" can only be judged on a number in a known period (a month) and a known
currency, next to what the job asks for. Postings write pay in many ways: 5000-8000元/月, 7-8K,
月入七八千, 一两万, 日结200, 一个框5毛, $45/hr, $1,000 per week, 3000-7000Peso daily, £350 per day.

Only amounts that look like pay are kept: a currency, a period written as a rate (/月, per
hour, 每天) or a pay word just before (月薪, 日结, salary, earn). That drops ages, years,
dates, times and phone numbers. Input is text from `normalize()` (lower case, NFKC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from detector.flags.base import LazyPattern

#: Working periods per month: 21.7 days, 4.33 weeks, 173 hours.
_PER_MONTH: dict[str, float] = {
    "hour": 173.0,
    "day": 21.7,
    "week": 4.33,
    "month": 1.0,
    "year": 1 / 12,
}

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_MULT = {"k": 1000, "千": 1000, "w": 10000, "万": 10000, "百": 100, "毛": 0.1, "角": 0.1}

_CURRENCY = {
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD", "美金": "USD",
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "gbp": "GBP",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "aud": "AUD",
    "¥": "CNY", "元": "CNY", "块": "CNY", "rmb": "CNY", "毛": "CNY", "角": "CNY", "人民币": "CNY",
}
_PERIOD_WORDS = {
    "hour": "hour", "hr": "hour", "h": "hour", "小时": "hour", "时": "hour", "hourly": "hour",
    "day": "day", "daily": "day", "天": "day", "日": "day",
    "week": "week", "wk": "week", "周": "week", "星期": "week", "weekly": "week",
    "month": "month", "mo": "month", "月": "month", "个月": "month", "monthly": "month",
    "mth": "month", "year": "year", "yr": "year", "annum": "year", "年": "year", "annually": "year",
}

_NUM_CHARS = "0-9一二两三四五六七八九十"
#: One numeric token (digits, Chinese numerals, or digits with a Chinese unit: 1.5万); parsed
#: and validated in Python, so the regex starts with a character class and scans fast.
_TOKEN = (
    rf"[{_NUM_CHARS}](?<![0-9][{_NUM_CHARS}])(?<![0-9][.,][{_NUM_CHARS}])"
    r"(?<![一二两三四五六七八九十百千万][一二两三四五六七八九十])"
    r"[0-9,.一二两三四五六七八九十百千万]*"
)
_AR_NUM = LazyPattern(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)([百千万]?)")
_MULT_RE = r"(?:k(?![a-z])|w(?![a-z]))"
_CUR_PRE = r"(?:[$£€¥₹₱]|rs\.?|inr|usd|rm|php|myr|pkr|aud|tk|r)"
_CUR_PRE_BEFORE = LazyPattern(
    r"(?<![a-z])(?:(?:[$£€¥₹₱]|rs\.?|inr|usd|rm|php|myr|pkr|aud|tk)\s?|r)$"
)
_CUR_POST = (
    r"(?:元|块|毛|角|人民币|rmb|美元|美金|usd|dollars?|pounds?|euros?|rupees?|rs(?![a-z])|"
    r"pesos?|php|pkr|taka|rm(?![a-z])|myr|aud|naira)"
)
_PERIOD = (
    r"(?:hour|hr|h(?![a-z])|小时|时|day|天|日|week|wk|周|星期|个月|month|mth|mo(?![a-z])|"
    r"月|year|yr|annum|年)"
)
_TASK = r"(?:task|assignment|order|单|框|条|件|千字|次|张|篇|like|review|video)"

#: Words just before an amount that make it pay (月薪 8000, salary: 45,000).
_PAY_WORDS = (
    "月薪", "月入", "月收入", "收入", "年薪", "年入", "日薪", "日结", "日入", "日赚", "时薪",
    "周薪", "底薪",
    "工资", "薪资", "薪水", "待遇", "综合", "保底", "提成", "赚", "挣", "佣金", "奖励", "salary",
    "pay", "paid", "earn", "earning", "earnings", "income", "wage", "wages", "rate", "compensation",
    "make", "making", "stipend", "bonus",
)
#: Words just before an amount that give its period (每天 300, per task $5).
_PERIOD_MARKERS: dict[str, tuple[str, ...]] = {
    "month": ("月薪", "月入", "月收入", "月工资", "每月", "一个月", "每个月", "monthly"),
    "year": ("年薪", "年入", "年收入", "每年", "一年", "annual"),
    "day": ("日薪", "日结", "日入", "日赚", "日收入", "每天", "每日", "一天", "daily", "per day"),
    "hour": ("时薪", "每小时", "一小时", "hourly"),
    "week": ("周薪", "每周", "一周", "weekly"),
    "task": ("每单", "一单", "每条", "一条", "每件", "一件", "每篇", "一篇", "每千字", "每张",
             "一张", "每个框", "一个框", "每个赞", "一个赞", "每个任务", "一个任务", "每个视频",
             "一个视频", "每次", "per task", "per order", "each task"),
}
#: Overtime, advances, deposits and fines are not the pay of the job.
_NOT_PAY_WORDS = ("加班", "借支", "借资", "预支", "押金", "罚款", "扣")
_GAP = r"[^\n,.;。!?]"


def _reversed_markers(groups: dict[str, tuple[str, ...]], gap: int) -> LazyPattern:
    """Match, on the *reversed* text, an optional gap then one marker word.

    Checking "is there a marker just before this number" with `search` on a slice tries every
    start position; on the reversed text it is one anchored `match`, several times cheaper.
    """
    alts = []
    for kind, words in groups.items():
        body = "|".join(re.escape(w[::-1]) for w in sorted(words, key=len, reverse=True))
        alts.append(f"(?P<{kind}>{body})")
    return LazyPattern(f"{_GAP}{{0,{gap}}}?(?:{'|'.join(alts)})")


_REV_PERIOD = _reversed_markers(_PERIOD_MARKERS, 3)
_REV_PAY = _reversed_markers({"pay": _PAY_WORDS}, 8)
_REV_NOT_PAY = _reversed_markers({"notpay": _NOT_PAY_WORDS}, 4)
_HAS_ZH_MAGNITUDE = LazyPattern(r"[百千万]")
#: Last characters of a currency written before the amount ($, rs., usd, R500...).
_PRE_CURRENCY_TAIL = frozenset("$£€¥₹₱ .sdrmpkhtu")


@dataclass(frozen=True, slots=True)
class Money:
    """One pay amount: range in its currency, per `period` ("task" for piece rates)."""

    low: float
    high: float
    currency: str | None
    period: str | None
    start: int
    end: int

    @property
    def monthly_low(self) -> float | None:
        """The lower bound per month (None for piece rates or an unknown period)."""
        factor = _PER_MONTH.get(self.period or "")
        return None if factor is None else self.low * factor


@cache
def _money_re() -> re.Pattern[str]:
    # Numbers followed by these are times, list items, ages, years, floors...: never pay.
    not_pay_after = r"(?![:、岁号楼层点年日级届栋期个人名位])"
    amount = (
        rf"(?P<n1>{_TOKEN}){not_pay_after}(?:\s?(?P<m1>{_MULT_RE}))?"
        rf"(?:\s?(?:-|~|–|—|至|到|to)\s?(?:{_CUR_PRE})?\s?(?P<n2>{_TOKEN})(?:\s?(?P<m2>{_MULT_RE}))?)?"
        rf"(?:\s?(?P<cur2>{_CUR_POST}))?"
    )
    per = (
        rf"(?:\s?(?P<slash>/|per |a |an |each |every |一|每|/每)\s?"
        rf"(?:(?P<period>{_PERIOD})|(?P<task>{_TASK}))(?![a-z]))?"
        rf"(?:\s?(?P<daily>daily|weekly|monthly|hourly|a day|every day|per day))?"
    )
    return re.compile(amount + per)


def parse_zh_number(text: str) -> tuple[float, float] | None:
    """Chinese numerals: 五千, 两万, 三千五, 十二万; 七八千 and 一两万 are ranges."""
    if not text:
        return None
    # Two adjacent digits before a unit are a range: 七八千 = 7000-8000, 一两万 = 1-2万.
    if len(text) >= 2 and text[0] in _ZH_DIGITS and text[1] in _ZH_DIGITS:
        a, b = _ZH_DIGITS[text[0]], _ZH_DIGITS[text[1]]
        rest = parse_zh_number("一" + text[2:]) if len(text) > 2 else (1.0, 1.0)
        if rest is None or b <= a:
            return None
        return a * rest[0], b * rest[0]
    total = 0.0
    section = 0.0
    digit: float | None = None
    last_unit = 1
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            unit = _ZH_UNITS[ch]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    if digit is not None:
        # 三千五 = 3500: a trailing digit counts in the next unit down.
        section += digit * (last_unit // 10 if last_unit >= 10 else 1)
    value = total + section
    return (value, value) if value > 0 else None


def _number(text: str) -> tuple[float, float] | None:
    """Value of one numeric token: 8,000 / 1.5 / 1.5万 / 3千 / 七八千 (a range)."""
    text = text.rstrip(",.")
    if not text:
        return None
    if text[0].isdigit():
        m = _AR_NUM.fullmatch(text)
        if m is None:
            return None
        value = float(m[1].replace(",", "")) * _ZH_UNITS.get(m[2], 1)
        return value, value
    return parse_zh_number(text)


def _currency(word: str | None) -> str | None:
    if not word:
        return None
    word = word.strip().rstrip(".")
    if word in _CURRENCY:
        return _CURRENCY[word]
    return word.upper()


def extract_money(text: str, default_currency: str | None = None) -> list[Money]:
    """All pay amounts in `text` (normalised), in order; see the module docstring.

    Cheap tests come first: most numbers in a posting (dates, times, phone numbers, ages) have
    no currency, no rate and no pay word before them, and are dropped before any parsing.
    """
    out: list[Money] = []
    rev = ""
    size = len(text)
    for m in _money_re().finditer(text):
        start = m.start()
        n1_text, m1, n2_text, m2, cur2, slash, per, task, daily = m.group(
            "n1", "m1", "n2", "m2", "cur2", "slash", "period", "task", "daily"
        )
        rate = bool(slash and (per or task)) or bool(daily)
        pre = None
        if start and text[start - 1] in _PRE_CURRENCY_TAIL:
            pre = _CUR_PRE_BEFORE.search(text, max(0, start - 5), start)
        cur_word = (pre[0].strip() if pre else None) or cur2
        has_digit = n1_text[0].isdigit() or bool(n2_text and n2_text[0].isdigit())
        magnitude = bool(m1 or m2)
        if not has_digit and not (cur_word or magnitude or _HAS_ZH_MAGNITUDE.search(n1_text)):
            continue
        if not rev:
            rev = text[::-1]
        back = size - start  # the reversed text from here reads what precedes the number
        marker = _REV_PERIOD.match(rev, back)
        if not (cur_word or rate) and marker is None and _REV_PAY.match(rev, back) is None:
            continue
        if _REV_NOT_PAY.match(rev, back) is not None:
            continue
        n1 = _number(n1_text)
        if n1 is None:
            continue
        n2 = _number(n2_text) if n2_text else None
        mult2 = _MULT.get(m2 or "", 1.0)
        mult1 = _MULT.get(m1 or "", 1.0 if not m2 or m1 else mult2)
        if cur_word in ("毛", "角"):
            mult1 = mult2 = 0.1
        low = n1[0] * mult1
        high = (n2[1] * mult2) if n2 else n1[1] * mult1
        low, high = min(low, high), max(low, high)
        period = "task" if task else _PERIOD_WORDS.get(per or "")
        if period is None and daily:
            period = _PERIOD_WORDS.get(daily.split()[-1], "day")
        if period is None and marker is not None:
            period = marker.lastgroup
        if not (cur_word or rate) and not (magnitude or low >= 100 or period == "task"):
            continue
        currency = _currency(cur_word) or default_currency
        end = start + len(m.group().rstrip(" ,."))
        out.append(Money(low, high, currency, period, pre.start() if pre else start, end))
    return out
