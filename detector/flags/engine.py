"""The scanner: one keyword pass per field, then only the rules whose keywords occur.

Cost model (why it is built this way): a Python regex costs roughly 10-25 ns per character and
more per top-level alternative, so running every flag's alternation over every posting would
cost milliseconds. Instead every rule keyword is reduced to an anchor (itself, or for Han
keywords the suffix starting at its rarest character) and the anchors are compiled into two
tries: anchors starting with a Latin letter (guarded by a word start) and all others (Han,
digits, symbols). One pass per field finds every anchor; each triggered rule then runs only in
a window of `Rule.reach` characters around its hits, and a flag's posting-level `check` runs
only when one of its `check_keywords` occurred. Negations, exceptions and rule context are
checked per match in small windows; matches per rule are capped. Everything is linear in the
length of the text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from detector.flags.base import SEVERITY_ORDER, LazyPattern, RedFlag, Rule
from detector.flags.claims import anchor_piece, bare_claim
from detector.flags.context import SHORT_FIELD, PostingText, is_cjk_heavy
from detector.schema import Posting
from detector.textnorm.reading import Reading, read
from detector.verdict import Evidence, FlagHit

MAX_SPANS = 10
#: Matches examined per rule and field: bounds adversarial inputs (a megabyte of "不收押金").
MAX_CANDIDATES = 200
#: Characters that end a clause: a negation never reaches across them.
_CLAUSE_END = LazyPattern(r"[。!?;,\n]|\.(?=\s|\.|$)")
_HAN_START = LazyPattern(r"[\u3400-\u9fff\uf900-\ufaff]")

#: The 500 most frequent Han characters in the 58.com/BOSS postings, most frequent first. A
#: keyword is anchored on its rarest character (see `_anchor`): the keyword scan costs about
#: (positions whose character starts some anchor) x (number of anchors), so anchors on
#: common characters (工, 有, 一) made the scan several times slower.
_COMMON_HAN = (
    "的工有发开作能经熟和验一业上公年责力职等用以理司技计优程悉通务及不时限学设人系元术补求好具"
    "产位要薪月品据关任班高资行统分金员成数解相定负提大可岗与先合架险端历包对化天编实专小件加间"
    "机目应进中前服保平试入项者生面团助动精本个性日强队管户练五良师客期网奖心并式科构算体在或销"
    "完台需内主住假交为电备安维信收利了会方基接带售全区使后码制新过现地费周自供文房每多代福模底"
    "我框吃库招常部问沟调度握法于软你深掌到协下市休析流培习双是游点测较决节息线研家语车聘配无写"
    "训其升广各种识题店话展意立排运名质规量长反级效护们联单场做参宿万免待活身事格餐结器出检正馈"
    "手建言门如向贴商海环神京导独岁路组遇证北国档境知标型达同源绩络功础站案外至饭来操报持请领议"
    "装看快极容三普旅热够最根表块图互存放综积直他食思圳终厂号空考按均准划布当整更水营描善序口受"
    "核集查原您述份速晋总午物情少从就二劳压末子象享都秀纪州龄支范办满类处清届企勤控微选际麦创适"
    "想推取健女果打医丰复股简认己美短确第富辑易英询舍顾重指给田戏疗轻移社战康倍施置由竞逻承这乐"
    "注次里教所扎购监咨评转得围虑障充帮养融零修续四真特括明视送惯细男干录爱道域华东云买茶努耐争"
    "两权温只感"
)

_HAN_RANK: dict[str, int] = {}
#: Both characters of a two-character anchor must rank at least this far down `_COMMON_HAN`.
_RARE_PAIR = 250

RuleKey = tuple[int, int]  # (flag index, rule index); rule index -1 is the flag's `check`


@dataclass
class ScanResult:
    """Hits plus, per flag, the matches that negations/exceptions cancelled (for QA)."""

    hits: list[FlagHit]
    suppressed: dict[str, list[Evidence]] = field(default_factory=dict)


def _trie(words: Iterable[str]) -> str:
    """A regex alternation shaped as a trie: one branch per first character, so a failed
    position costs one comparison per distinct first character, not one per keyword."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        # Most frequent first characters first: the engine tries branches in order.
        keys = sorted((ch for ch in node if ch), key=_frequency_order)
        branches = [re.escape(ch) + emit(node[ch]) for ch in keys]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(root)


@dataclass(frozen=True)
class _Index:
    flags: tuple[RedFlag, ...]
    latin_strict: re.Pattern[str] | None
    latin_loose: re.Pattern[str] | None
    other: re.Pattern[str] | None
    order: dict[str, int]
    #: keyword -> rules triggered by it or by any keyword it contains.
    closure: dict[str, frozenset[RuleKey]]


def _keyword_map(flags: Sequence[RedFlag]) -> dict[str, set[RuleKey]]:
    by_word: dict[str, set[RuleKey]] = defaultdict(set)
    for fi, flag in enumerate(flags):
        for ri, rule in enumerate(flag.rules):
            for word in rule.keywords:
                # A spread rule may match a keyword with a window inside it (刷一笔单 for
                # 刷单): it is found by the keyword's rarest piece, which every match holds.
                by_word[anchor_piece(word, _rarity, rule.min_part) if rule.spread
                        else word].add((fi, ri))
        for word in flag.check_keywords:
            by_word[word].add((fi, -1))
    return by_word


def _anchor(word: str) -> str:
    """The suffix of a non-Latin keyword that starts at its rarest character (but one).

    Any substring of a keyword is a valid prefilter (every match contains it); starting the
    scan at a rare character means fewer candidate positions. Latin keywords keep their word
    start (the scan guards it with a lookbehind).
    """
    if "a" <= word[0] <= "z" or len(word) == 1:
        return word
    if word[0].isdigit():  # digits are everywhere in postings: start at the first letter
        for i, ch in enumerate(word):
            if not ch.isascii() or ch.isalpha():
                return word[i:] if len(word) - i >= 3 else word
        return word
    # At least two characters stay in the anchor: a lone common character would hit often.
    rarest = max(range(len(word) - 1), key=lambda i: (_rank(word[i]), -i))
    if len(word) >= 4 and rarest == len(word) - 2 and min(map(_rank, word[-2:])) < _RARE_PAIR:
        # A two-character anchor of common characters (学历 in 不限学历, 方便 in 平台不方便)
        # hits far more often than its keyword: keep three characters instead.
        rarest = max(range(len(word) - 2), key=lambda i: (_rank(word[i]), -i))
    return word[rarest:]


_LATIN_ORDER = {ch: i for i, ch in enumerate("etaoinshrdlcumwfgypbvkjxqz")}


def _rarity(piece: str) -> int:
    """Higher is rarer: a piece is as rare as its rarest character."""
    return max(map(_rank, piece))


def _frequency_order(ch: str) -> tuple[int, str]:
    """Sort key: characters that are common in postings first (ASCII symbols/digits, then
    frequent letters, then Han characters by frequency)."""
    if ch in _LATIN_ORDER:
        return _LATIN_ORDER[ch], ch
    if ch.isascii():
        return -1, ch
    return 100 + _rank(ch), ch


def _rank(ch: str) -> int:
    """Higher is rarer. ASCII letters/digits/symbols count as common (they are, in Han text)."""
    if ch.isascii():
        return -1
    if not _HAN_RANK:
        _HAN_RANK.update({c: i for i, c in enumerate(_COMMON_HAN)})
    return _HAN_RANK.get(ch, len(_COMMON_HAN))


_INDEXES: dict[int, _Index] = {}


def _substrings(word: str) -> set[str]:
    return {word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)}


@cache
def build_index(flags: tuple[RedFlag, ...]) -> _Index:
    keywords = _keyword_map(flags)
    for word in keywords:
        if word != word.lower() or not word:
            raise ValueError(f"keyword {word!r} must be non-empty lower case (normalised text)")
    by_word: dict[str, set[RuleKey]] = defaultdict(set)
    for word, keys in keywords.items():
        by_word[_anchor(word)].update(keys)
    # Each anchor's keys and those of every anchor inside it: looked up by the anchor's own
    # substrings (a few dozen each) instead of testing all anchors against all (3,000² tests,
    # 0.15 s of every process's first posting).
    closure = {
        word: frozenset(key for part in _substrings(word) for key in by_word.get(part, ()))
        for word in by_word
    }
    latin = sorted(w for w in by_word if "a" <= w[0] <= "z")
    other = sorted(w for w in by_word if not "a" <= w[0] <= "z")
    latin_src = _trie(latin) if latin else None
    return _Index(
        flags=flags,
        latin_strict=re.compile(rf"(?<![a-z]){latin_src}") if latin_src else None,
        latin_loose=re.compile(latin_src) if latin_src else None,
        other=re.compile(_trie(other)) if other else None,
        order={flag.id: i for i, flag in enumerate(flags)},
        closure=closure,
    )


#: Keyword hits of short normalised texts, per index (short fields repeat across a feed).
#: Callers only read the result, so it is shared.
_SHORT_HITS: dict[int, dict[str, dict[RuleKey, list[tuple[int, int]]]]] = {}
_SHORT_HITS_MAX = 8192


def _keyword_hits(index: _Index, text: str) -> dict[RuleKey, list[tuple[int, int]]]:
    """Every keyword occurrence (overlaps included), grouped by the rules it triggers."""
    if len(text) > SHORT_FIELD:
        return _scan_keywords(index, text)
    cache = _SHORT_HITS.setdefault(id(index), {})
    hits = cache.get(text)
    if hits is None:
        if len(cache) >= _SHORT_HITS_MAX:
            cache.clear()
        hits = cache[text] = _scan_keywords(index, text)
    return hits


def _scan_keywords(index: _Index, text: str) -> dict[RuleKey, list[tuple[int, int]]]:
    hits: dict[RuleKey, list[tuple[int, int]]] = defaultdict(list)
    if is_cjk_heavy(text):
        # Han text: the word-start guard costs more than it saves (no charset fast path);
        # the loose trie finds a superset, which only costs a few extra rule runs.
        scanners = [index.latin_loose, index.other]
    else:
        scanners = [index.latin_strict, index.other]
    for rx in scanners:
        if rx is None:
            continue
        pos = 0
        while (m := rx.search(text, pos)) is not None:
            for key in index.closure[m.group()]:
                hits[key].append(m.span())
            pos = m.start() + 1
    return hits


def _windows(spans: list[tuple[int, int]], reach: int, size: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        lo, hi = max(0, s - reach), min(size, e + reach)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _clause_bounds(text: str, start: int, end: int, before: int, after: int) -> tuple[int, int]:
    """The window [lo, hi) around a match, cut at the nearest clause ends on either side."""
    lo = max(0, start - before)
    for boundary in _CLAUSE_END.finditer(text, lo, start):
        lo = boundary.end()
    hi = min(len(text), end + after)
    nxt = _CLAUSE_END.search(text, end, hi)
    if nxt is not None:
        hi = nxt.start()
    return lo, hi


def is_negated(flag: RedFlag, text: str, start: int, end: int, rule: Rule | None = None
               ) -> bool:
    """Cancelled by a local negation (before/after, same clause) or an overlapping exception.
    A `rule` with its own negations/post-negations uses them instead of the flag's."""
    exc = flag.exception_regex
    if exc is not None:
        # Restart after each match start, not its end: exceptions may overlap each other.
        pos, hi = max(0, start - 40), min(len(text), end + 40)
        while pos < end and (m := exc.search(text, pos, hi)) is not None and m.start() < end:
            if m.end() > start:
                return True
            pos = m.start() + 1
    han = _HAN_START.match(text, start) is not None
    veto = flag.veto_regex
    if veto is not None:
        w = flag.veto_window_zh if han else flag.veto_window_en
        if veto.search(text, max(0, start - w), min(len(text), end + w)) is not None:
            return True
    window = flag.neg_window_zh if han else flag.neg_window_en
    lo, hi = _clause_bounds(text, start, end, window, window)
    neg = flag.negation_regex if rule is None or rule.negations is None else rule.negation_regex
    if neg is not None and neg.search(text, lo, start):
        return True
    post = (flag.post_negation_regex if rule is None or rule.post_negations is None
            else rule.post_negation_regex)
    return post is not None and post.match(text, end, hi) is not None


def _rule_matches(
    flag: RedFlag, rule: Rule, text: str, spans: list[tuple[int, int]]
) -> Iterable[tuple[int, int, bool]]:
    """(start, end, negated) for each match of `rule` near its keyword hits."""
    ctx = rule.context_regex
    rx = rule.regex
    for lo, hi in _windows(spans, rule.scan_reach, len(text)):
        pos = lo
        while (m := rx.search(text, pos, hi)) is not None:
            s, e = m.span()
            pos = max(e, s + 1)
            if e == s:
                continue
            if rule.spread:
                # A spread rule is prefiltered on pieces of its keywords: its match must
                # still hold a whole keyword once its windows are taken out (刷一笔单 -> 刷单),
                # and skip one window's worth at most. Else the next match may start inside
                # this one (a shorter claim with fewer windows).
                claim = bare_claim(m)
                if claim is None or not any(word in claim for word in rule.keywords):
                    pos = s + 1
                    continue
            if ctx is not None and ctx.search(
                text, max(0, s - rule.window), min(len(text), e + rule.window)
            ) is None:
                continue
            yield s, e, rule.negatable and is_negated(flag, text, s, e, rule)


def _evidence(pt: PostingText, name: str, start: int, end: int) -> Evidence:
    norm = pt.fields[name]
    s, e = norm.span(start, end)
    return Evidence(name, s, e, norm.original[s:e])


def scan_posting(posting: Posting | Reading, flags: tuple[RedFlag, ...]) -> ScanResult:
    """Run every flag over every field of `posting` (see module docstring); given its
    reading, the text is not read again."""
    index = _INDEXES.get(id(flags))
    if index is None or index.flags is not flags:
        index = _INDEXES[id(flags)] = build_index(flags)
    pt = read(posting)
    found: dict[int, list[Evidence]] = defaultdict(list)
    suppressed: dict[int, list[Evidence]] = defaultdict(list)
    checks: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(dict)
    fired: set[int] = set()
    for name, text in pt.items():
        for (fi, ri), spans in _keyword_hits(index, text).items():
            if ri < 0:
                checks[fi][name] = spans
                continue
            flag = flags[fi]
            hits, cancelled = found[fi], suppressed[fi]
            if len(hits) >= MAX_SPANS:
                continue  # enough evidence: keeps huge inputs linear and cheap
            rule = flag.rules[ri]
            for n, (s, e, negated) in enumerate(_rule_matches(flag, rule, text, spans)):
                if n >= MAX_CANDIDATES:
                    break
                if not negated:
                    if flag.claim is not None:
                        s, e = flag.claim(pt, rule.name, name, s, e)
                    hits.append(_evidence(pt, name, s, e))
                    if len(hits) >= MAX_SPANS:
                        break
                elif len(cancelled) < MAX_SPANS:
                    cancelled.append(_evidence(pt, name, s, e))
    for fi, flag in enumerate(flags):
        if flag.check is None or (flag.check_keywords and fi not in checks):
            continue
        spans = flag.check(pt, checks.get(fi, {}))
        if spans is not None:
            fired.add(fi)
            found[fi].extend(span if isinstance(span, Evidence) else _evidence(pt, *span)
                             for span in spans)
    fired.update(fi for fi, ev in found.items() if ev)
    _drop_superseded(flags, index, found, fired)
    hits = [FlagHit(flags[fi].id, flags[fi].severity, _finalise(pt, found[fi])) for fi in fired]
    order = index.order
    hits.sort(key=lambda h: (SEVERITY_ORDER[h.severity], order[h.id]))
    return ScanResult(
        hits, {flags[fi].id: list(_finalise(pt, ev)) for fi, ev in suppressed.items() if ev}
    )


def _drop_superseded(
    flags: tuple[RedFlag, ...], index: _Index, found: dict[int, list[Evidence]], fired: set[int]
) -> None:
    """One piece of text, one flag per concern (see `RedFlag.supersedes`)."""
    for fi in list(fired):
        for other_id in flags[fi].supersedes:
            oi = index.order.get(other_id)
            if oi is None or oi not in fired or not found.get(oi):
                continue
            mine = [(ev.field, ev.start, ev.end) for ev in found[fi]]
            found[oi] = [ev for ev in found[oi] if not any(
                f == ev.field and s < ev.end and ev.start < e for f, s, e in mine)]
            if not found[oi] and not flags[oi].fires_on_absence:
                fired.discard(oi)


def _finalise(pt: PostingText, evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Merge overlapping spans per field into their union (re-sliced from the original)."""
    merged: list[tuple[str, int, int]] = []
    for ev in sorted(evidence, key=lambda v: (v.field, v.start, v.end)):
        if merged and merged[-1][0] == ev.field and ev.start < merged[-1][2]:
            name, s, e = merged[-1]
            merged[-1] = (name, s, max(e, ev.end))
        else:
            merged.append((ev.field, ev.start, ev.end))
    order = {name: i for i, name in enumerate(pt.fields)}
    merged.sort(key=lambda t: (order.get(t[0], 99), t[1]))
    return tuple(
        Evidence(name, s, e, pt.posting.fields[name][s:e]) for name, s, e in merged[:MAX_SPANS]
    )
