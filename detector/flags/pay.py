"""The posting-level test behind `unrealistic_pay`: is the pay out of line with what is asked?

A regex can spot "一单一结", but "20K a month" is only suspicious when nothing is required:
an expert AI trainer with a PhD earns that legitimately, a data-entry job with "no experience
needed" does not. So this check extracts every amount (`money.py`), brings it to a month, and
fires only when the posting also promises it needs nothing (or sells it as easy) and names no
expert requirement. Thresholds are per currency and were set on the real data (see the QA
report): normal 58.com sales postings ("月薪8000-12000 经验不限") must stay quiet.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from detector.flags.base import LazyPattern, Triggers
from detector.flags.context import PostingText
from detector.flags.lexicon import (
    EASY_EN,
    EASY_ZH,
    EXPERT_EN,
    EXPERT_ZH,
    NO_REQUIREMENT_EN,
    NO_REQUIREMENT_ZH,
)
from detector.flags.money import _PAY_WORDS, _PERIOD_MARKERS, Money, extract_money

#: Lowest pay per period (in the stated currency) that is "high" for a job asking nothing.
THRESHOLDS: dict[str, dict[str, float]] = {
    "CNY": {"hour": 80, "day": 400, "week": 3000, "month": 15000, "year": 200000},
    "USD": {"hour": 40, "day": 200, "week": 1000, "month": 6000, "year": 80000, "task": 100},
    "GBP": {"hour": 35, "day": 180, "week": 900, "month": 5000, "year": 70000, "task": 80},
    "EUR": {"hour": 38, "day": 200, "week": 1000, "month": 5500, "year": 75000, "task": 90},
    "AUD": {"hour": 60, "day": 300, "week": 1500, "month": 9000, "year": 120000, "task": 150},
}
#: Share of the threshold that is already "high" when the work is also sold as easy.
EASY_WORK_SHARE = 0.75
#: Keywords that gate the check: a no-requirement cue or a piece-rate marker must occur.
CHECK_KEYWORDS: tuple[str, ...] = (
    # no requirement (zh)
    "无需", "不需要", "无经验", "零基础", "小白", "不看学历", "不限学历", "无学历", "无门槛",
    "零门槛", "有手机", "会用手机", "会手机", "会打字", "会上网", "识字", "宝妈", "学生党", "人人",
    "男女老少", # no requirement (en)
    "no experience", "no exp", "no skill", "no qualification", "no degree", "no resume", "no cv",
    "no prior", "no previous", "no work", "no special", "no formal", "experience is not",
    "experience not", "skills not", "skills are not", "skill not", "degree not", "degree is not",
    "anyone can", "all you need", "everything you need", "just a", "just need", "just your",
    "only a ", "only need", "only your", "without experience", "without any", "suitable for",
    # piece rates (see money.py: the markers it reads as "per task")
    "per task", "per assignment", "per order", "per like", "per review", "per video",
    "each task", "a task", "every task", "/task", "/order", "an assignment", "each assignment",
    "a like", "a review", "a video", "each like", "each review", "each video", "every like",
    "every video", "every review", "每单", "一单", "每条", "一条", "每次", "一次", "每篇", "一篇",
    "千字", "每件", "一件", "每张", "一张", "个框", "个赞", "个任务", "个视频", "/单", "/框", "/条",
    "/件", "/次", "/篇", "/张",
)


#: Pay quoted for a senior rung of a career ladder is aspiration, not the job's pay.
_SENIOR_BEFORE = LazyPattern(
    r"(?:总监|总经理|经理|店长|管理层|管理者|高层|主管|合伙人|做得比较好|优秀)[^,。;!?\n]{0,12}$"
)


@cache
def _cue_regexes() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """(Chinese, English) regex per cue kind. Kept apart so each runs only on text with that
    script: the Chinese part has a selective first character, the English part does not."""
    return {
        "noreq": (re.compile(NO_REQUIREMENT_ZH), re.compile(NO_REQUIREMENT_EN)),
        "easy": (re.compile(EASY_ZH), re.compile(EASY_EN)),
        "expert": (re.compile(EXPERT_ZH), re.compile(EXPERT_EN)),
    }


_LATIN = LazyPattern(r"[a-z]{2}")


def _is_high(money: Money, currency: str | None, easy_work: bool = False) -> bool:
    limits = THRESHOLDS.get(currency or "")
    if limits is None or money.period is None:
        return False
    limit = limits.get(money.period)
    if limit is None:
        return False
    return money.low >= (EASY_WORK_SHARE * limit if easy_work else limit)


def unrealistic_pay_check(pt: PostingText, triggers: Triggers) -> list[tuple[str, int, int]] | None:
    """Evidence spans when pay is out of line with the requirements, else None.

    Fires when (no expert requirement anywhere) and either
    - a piece rate (per box/order/task) is sold as easy next to it (轻松, "simple"), or
    - pay at or above the currency's threshold comes with "no experience/skills needed".

    `triggers` are the CHECK_KEYWORDS hits (no-requirement cues and piece-rate markers): cue
    scans run only around them, and the whole text is searched for pay only when a
    no-requirement cue was found. That keeps the check cheap on ordinary postings.
    """
    default = "CNY" if pt.is_zh else None
    noreq = _cues_near(pt, "noreq", triggers, 40)
    # "Work from home, earn $900 a week, no experience": sold as effortless, the bar is lower.
    easy_work = bool(noreq) and _has_cue(pt, "easy")
    tasks: list[tuple[str, Money]] = []
    high: list[tuple[str, Money]] = []
    for name, text in pt.items():
        if noreq:
            windows = [(0, len(text))]
        else:
            windows = _merge([(s - 30, e + 30) for s, e in triggers.get(name, ())], len(text))
        for lo, hi in windows:
            for money in extract_money(text[lo:hi], default):
                start, end = money.start + lo, money.end + lo
                if _SENIOR_BEFORE.search(text, max(0, start - 20), start):
                    continue
                currency = money.currency or default
                if money.period == "task":
                    if money.low >= THRESHOLDS.get(currency or "", {}).get("task", 0):
                        tasks.append((name, replace(money, start=start, end=end)))
                elif noreq and _is_high(money, currency, easy_work):
                    high.append((name, replace(money, start=start, end=end)))
    spans = [(name, *_with_pay_word(pt.fields[name].text, money.start, money.end))
             for name, money in high]
    easy: list[tuple[str, int, int]] = []
    if tasks:
        near_tasks = {}
        for name, money in tasks:
            near_tasks.setdefault(name, []).append((money.start, money.end))
        easy = _cues_near(pt, "easy", near_tasks, 45)
        for name, money in tasks:
            if any(c[0] == name and abs(c[1] - money.start) <= 40 for c in easy):
                spans.append((name, *_with_pay_word(pt.fields[name].text, money.start,
                                                    money.end)))
    if not spans or _has_cue(pt, "expert"):
        return None
    return spans + noreq[:3] + (easy[:2] if not noreq else [])


def _merge(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        lo, hi = max(0, lo), min(size, hi)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _cues_near(
    pt: PostingText, kind: str, where: Triggers, reach: int
) -> list[tuple[str, int, int]]:
    """Cue spans of one kind found within `reach` characters of the given spans."""
    zh_rx, en_rx = _cue_regexes()[kind]
    out: list[tuple[str, int, int]] = []
    for name, spans in where.items():
        text = pt.fields[name].text
        for lo, hi in _merge([(s - reach, e + reach) for s, e in spans], len(text)):
            for rx in (zh_rx, en_rx):
                out.extend((name, m.start(), m.end()) for m in rx.finditer(text, lo, hi))
    return sorted(set(out))


def _has_cue(pt: PostingText, kind: str) -> bool:
    zh_rx, en_rx = _cue_regexes()[kind]
    for _, text in pt.items():
        if zh_rx.search(text) or (_LATIN.search(text) and en_rx.search(text)):
            return True
    return False


# --- the pay claim a rule match stands for ---------------------------------------------
#: Rules whose match names the work (兼职打字, 手工活外发), not the pay: the claim that makes
#: it a pay mismatch is the pay next to it (日结200-500), so that is the evidence shown.
WORK_RULES = frozenset({"zh_online_part_time_pay", "zh_handicraft_at_home"})
#: How far from the work phrase its pay claim may be (same clause or the next one).
CLAIM_REACH = 40
#: Pay words just before an amount, longest first; and pay hype without an amount.
_PAY_WORD_BEFORE = LazyPattern(
    "(?:" + "|".join(re.escape(w) for w in sorted(
        {*_PAY_WORDS, *(w for words in _PERIOD_MARKERS.values() for w in words)},
        key=len, reverse=True)) + r")[:：\s]{0,2}$")
_PAY_HYPE = LazyPattern(r"计件工资|多劳多得|工资日结|日结|日赚|日入|当天结|当日结|一单一结|"
                        r"月入|月赚|轻松赚|每天(?:可|能)?赚|daily pay|paid daily|same[- ]day pay")
_HARD_END = LazyPattern(r"[。!?\n]")


def _with_pay_word(text: str, start: int, end: int) -> tuple[int, int]:
    """An amount's span widened back over the pay word just before it (日结 in 日结200-500,
    salary in "salary: $5,000"): the claim is the word and the amount together."""
    m = _PAY_WORD_BEFORE.search(text, max(0, start - 10), start)
    return (m.start() if m else start), end


def pay_claim(pt: PostingText, rule: str, name: str, start: int, end: int
              ) -> tuple[int, int]:
    """The evidence span for a match of `rule` in field `name` (normalised offsets): for a
    rule that names the work, the nearest pay claim around it (an amount with its pay word,
    else the pay hype word); for the others, the match itself."""
    if rule not in WORK_RULES:
        return start, end
    text = pt.fields[name].text
    lo, hi = max(0, start - CLAIM_REACH), min(len(text), end + CLAIM_REACH)
    for stop in _HARD_END.finditer(text, lo, start):
        lo = stop.end()
    stop = _HARD_END.search(text, end, hi)
    hi = stop.start() if stop else hi
    window = text[lo:hi]
    default = "CNY" if pt.is_zh else None
    amounts = [(lo + m.start, lo + m.end) for m in extract_money(window, default)]
    if amounts:
        s, e = min(amounts, key=lambda a: abs(a[0] - start))
        return _with_pay_word(text, s, e)
    hype = [(m.start(), m.end()) for m in _PAY_HYPE.finditer(text, lo, hi)]
    if hype:
        return min(hype, key=lambda a: abs(a[0] - start))
    return start, end
