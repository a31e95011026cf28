"""What a face may mark in a posting's text: whole words, and never a phrase that denies a fee.

Two things every face (the page, the scan report) needs before it highlights a span:

* **Word edges.** A mark starts and ends where a word does: jieba's words for Chinese (the
  project's segmenter, `detector.model.text._jieba`, HMM off, as the model's tokenizer uses
  it), and a few things jieba cuts that a reader sees as one: a number with its separators,
  range and unit (`24,907`, `200-500`, `5000元`, `15-25K`), pay words and benefits of job
  postings (`日结`, `月入`, `五险一金`), English words with an apostrophe, links and e-mail
  addresses. The edges are always a subset of jieba's, so a mark never starts or ends inside
  a jieba word; and never on a lone 入, 元 or 金 cut from 日入, 500元 or 五险一金.
* **Negated fees.** "No fees of any kind", 不收取任何费用, 免费培训: a clause that says there is
  no fee is the opposite of a fee, so no highlight that reads as suspicious may cover it.
  The cues are the red-flag lexicon's negations (`detector.flags.lexicon`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

#: The characters jieba groups into one block before segmenting (its `re_han_default`):
#: segmenting a window that starts and ends outside such a run gives jieba's own words.
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: How far a window reaches for a space or clause mark before it settles for a block edge.
_REACH = 120
#: Where a window stops: spaces and clause marks (never inside a jieba block, a number or a
#: link, which keep their , . : / -).
_STOP = re.compile(r"[\s，。；！？、：（）【】《》“”‘’「」;!?()\[\]<>\"|]")
#: Pay words and benefits jieba cuts into characters (五|险|一|金, 日|入, 日|结).
_JOB_WORDS = (
    "五险一金", "六险一金", "五险二金", "三险一金", "五险", "一金", "日结", "日入", "日赚", "日薪",
    "月入", "月赚", "月结", "周结", "时薪", "年入", "包吃住", "包食宿", "包住", "包吃", "双休",
    "单休", "提成", "底薪", "押金", "保证金", "培训费", "服装费", "体检费", "介绍费", "中介费",
    "手续费", "报名费", "资料费", "材料费", "刷单", "返利", "返佣", "垫付", "加微信", "加微",
    "加v", "加V", "宝妈", "兼职", "打字员",
)
_NUMBER = (r"(?:[$£€¥₹]\s?)?\d+(?:[.,]\d+)*(?:\s?[-~～–—至到]\s?(?:[$£€¥₹]\s?)?\d+(?:[.,]\d+)*)?"
           r"(?:[kKwW](?![a-zA-Z])|[百千万]|元|块|%|岁|人)?")
_COMPOUND = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    + "|".join(sorted((re.escape(w) for w in _JOB_WORDS), key=len, reverse=True))
    + r"|" + _NUMBER + r"|[^\W\d_]+(?:['’][^\W\d_]+)+"
)
_WORDLIKE = re.compile(rf"[\w{_HAN}$£€¥₹%]")


class WordEdges:
    """Where words start and end in one text; computed around the spans asked for only."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._windows: list[tuple[int, int, list[int]]] = []  # (lo, hi, sorted edges)

    def _window(self, start: int, end: int) -> tuple[int, int]:
        """The run of text around [start, end) up to a space or a clause mark (at most
        _REACH away, then moved out of any jieba block): jieba segments blocks on their
        own, so the words of this run are the words jieba finds in the whole text."""
        text = self.text
        lo = max(0, start - _REACH)
        for stop in _STOP.finditer(text, lo, start):
            lo = stop.end()
        while lo > 0 and _BLOCK.match(text, lo - 1) and _BLOCK.match(text, lo):
            lo -= 1
        stop = _STOP.search(text, end, min(len(text), end + _REACH))
        hi = stop.start() if stop else min(len(text), end + _REACH)
        while hi < len(text) and _BLOCK.match(text, hi - 1) and _BLOCK.match(text, hi):
            hi += 1
        return lo, hi

    def _edges_around(self, start: int, end: int) -> list[int]:
        for lo, hi, edges in self._windows:
            if lo <= start and end <= hi:
                return edges
        lo, hi = self._window(start, end)
        piece = self.text[lo:hi]
        found = {lo, hi}
        at = lo
        for word in segment(piece):
            at += len(word)
            found.add(at)
        for m in _COMPOUND.finditer(piece):
            s, e = lo + m.start(), lo + m.end()
            if e - s > 1 and s in found and e in found:
                found.difference_update(range(s + 1, e))
        edges = sorted(found)
        self._windows.append((lo, hi, edges))
        return edges

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """[start, end) widened to whole words, without edge spaces or punctuation; None
        when nothing word-like is left."""
        if not 0 <= start < end <= len(self.text):
            return None
        edges = self._edges_around(start, end)
        s = edges[bisect_right(edges, start) - 1]
        e = edges[bisect_left(edges, end)]
        text = self.text
        while s < e and not _WORDLIKE.match(text, s):
            s = edges[bisect_right(edges, s)]
        while e > s and not _WORDLIKE.match(text, e - 1):
            e = edges[bisect_left(edges, e) - 1]
        return (s, e) if e > s else None

    def edges(self) -> list[int]:
        """Every word edge of the whole text (for tests and callers that cut text)."""
        return self._edges_around(0, len(self.text)) if self.text else [0]


def segment(text: str) -> list[str]:
    """jieba's words for `text` (HMM off), or '' for no text."""
    if not text:
        return []
    from detector.model.text import _jieba

    return list(_jieba().lcut(text, HMM=False))


# --- phrases that say there is no fee --------------------------------------------------
_FEE_ZH = (r"(?:费用?|押金|保证金|收费|(?:任何)?(?<![工])钱(?!包))")
_FEE_EN = (r"(?<![a-z])(?:fees?|charges?|charged|charging|deposits?|payments?|costs?|money"
           r"|pay(?= (?:for|us|anything|any)))(?![a-z])")
_CLAUSE_END = re.compile(r"[。！？；;!?\n，,]|\.(?=\s|$)")
#: What completes an English denial after its fee word ("no fees of any kind").
_TAIL_EN = re.compile(r"(?:\s+(?:of any (?:kind|sort)|whatsoever|at all|involved|required|"
                      r"(?:to|will) (?:be )?(?:pay|paid|charged)|(?:is|are) (?:charged|asked)))+")


@cache
def _negation_res() -> tuple[re.Pattern[str], ...]:
    from detector.flags.lexicon import NEG_EN, NEG_ZH, POST_NEG_EN, POST_NEG_ZH

    # Anchored at the fee word's end for the cues after it; searched before it otherwise.
    return (re.compile(_FEE_ZH), re.compile(_FEE_EN), re.compile(NEG_ZH), re.compile(NEG_EN),
            re.compile(POST_NEG_ZH), re.compile(POST_NEG_EN))


def negated_fees(text: str) -> list[tuple[int, int]]:
    """Spans of `text` (original offsets) that say a fee is not asked: from the negation to
    the fee word ("no fees", 不收取任何费用) or from the fee word to the negation after it
    (押金全免, "fees are reimbursed"), inside one clause."""
    from detector.textnorm.reading import normalize_field

    if not text:
        return []
    norm = normalize_field(text)
    flat = norm.text
    fee_zh, fee_en, neg_zh, neg_en, post_zh, post_en = _negation_res()
    out: list[tuple[int, int]] = []
    for fee, neg, post, reach in ((fee_zh, neg_zh, post_zh, 12), (fee_en, neg_en, post_en, 40)):
        for m in fee.finditer(flat):
            s, e = m.span()
            lo = max(0, s - reach)
            for end_mark in _CLAUSE_END.finditer(flat, lo, s):
                lo = end_mark.end()
            before = [n for n in neg.finditer(flat, lo, s) if n.end() > n.start()]
            if before:
                tail = _TAIL_EN.match(flat, e) if fee is fee_en else None
                span = (before[0].start(), tail.end() if tail else e)
            elif (after := post.match(flat, e, min(len(flat), e + reach))) is not None:
                span = (s, after.end())
            else:
                continue
            out.append(norm.span(*span))
    return _union(out)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


# --- the marks a face shows --------------------------------------------------------------
#: The two kinds of marks: a red flag's evidence (a warning sign) and a word the text model
#: weighed. Faces draw them differently by more than colour (see the page's and report's CSS).
SIGN = "sign"
MODEL = "model"


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlight: [start, end) of a field's original text, its kind, and for a warning
    sign the flag id."""

    start: int
    end: int
    kind: str
    flag: str = ""


def marks(fields: Mapping[str, str], flag_spans: Iterable[tuple[str, str, int, int]],
          model_terms: Iterable[tuple[str, int, int, float]], show_model: bool
          ) -> dict[str, list[Mark]]:
    """What to highlight, per field, in priority order (warning signs first, in flag order;
    then model words): every span widened to whole words; model words only when
    `show_model` (a medium or high verdict), only those that raised the estimate, and
    never inside a phrase that says there is no fee. Overlaps are left to the face (a
    later mark that overlaps an earlier one is dropped by both faces)."""
    out: dict[str, list[Mark]] = {}
    edges: dict[str, WordEdges] = {}

    def snap(name: str, start: int, end: int) -> tuple[int, int] | None:
        text = fields.get(name)
        if text is None or not 0 <= start < end <= len(text):
            return None
        if name not in edges:
            edges[name] = WordEdges(text)
        return edges[name].snap(start, end)

    for flag, name, start, end in flag_spans:
        span = snap(name, start, end)
        if span is not None:
            out.setdefault(name, []).append(Mark(span[0], span[1], SIGN, flag))
    if show_model:
        denials: dict[str, list[tuple[int, int]]] = {}
        for name, start, end, weight in model_terms:
            if weight <= 0 or name not in fields:
                continue
            if name not in denials:
                denials[name] = negated_fees(fields[name])
            span = snap(name, start, end)
            if span is not None and not overlaps(span[0], span[1], denials[name]):
                out.setdefault(name, []).append(Mark(span[0], span[1], MODEL))
    return out
