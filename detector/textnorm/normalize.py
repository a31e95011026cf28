"""Normalise text for matching while keeping an exact map back to the original offsets.

Scammers hide keywords from filters (ＷＥＣＨＡＴ, W.h.a.t.s.A.p.p, 微❤信, 5OO, zero-width
characters), so rules match on a normalised copy. Every normalised character remembers the
original span it came from, so a regex match on the copy maps back to an exact slice of the
original string (what `Evidence` must quote).

What is folded:
- NFKC (full-width letters, digits and punctuation, ligatures, circled digits) and lower case;
- zero-width and other format characters, combining marks, emoji and other symbols (So):
  removed, so they cannot split a word;
- spaced-out letters (``T e l e g r a m``, ``W-h-a-t-s``): the separators are removed;
- separators between two Han characters (``微 信``, ``刷*单``): removed;
- letter/digit swaps inside numbers (``5OO``, ``1O00``, ``l00``): ``o`` becomes 0, ``l``/``i`` 1.

- Chinese: traditional characters and lookalike spellings of key terms (刷單, 唰单, 简厉) are
  folded to simplified (`detector.textnorm`), one character for one.

Chat-app homophones (薇信, 扣扣, 飞机) are not rewritten here: they are ambiguous words and
evidence of evasion in themselves, so the rules name them in context (see `lexicon.py`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from detector.textnorm import disguise
from detector.textnorm.disguise import SYMBOL
from detector.textnorm.zh import fold_zh

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
#: Separators that scammers put between the letters of a spelled-out word.
_LETTER_SEPS = " .,:;\\-_*·•|/~+^='#\ue000"
#: Separators that ordinary text puts between two letters (U.S, e-g, a/b): two letters
#: separated by one of these are left as they are.
_PLAIN_SEPS = frozenset(" .,:;-/'")
#: Separators of spaced-out Han characters (刷 单 返 佣, 刷.单.返.佣), not list punctuation.
_HAN_SPACED = frozenset(" .\\-_*·|/~+'\ue000")
#: Separators removed between two Han characters (not newlines: they end clauses): blank
#: space, and any symbol or punctuation that is not Chinese clause, list or bracket
#: punctuation (培*训*费, 培^训, 联…系, 手丨工): a character that means nothing between two
#: Han characters is a separator, whatever it is. Connectors (- / + | .) join phrases in
#: real postings (北京-东城区, 话补+单提成): they are removed only between single characters
#: spelled out one by one (培-训-费, the spaced-out pass).
_HAN_SEPS = " \\t\u3000\u00a0·*~\ue000"
#: Connectors between Han characters spelled out one by one (培-训-费, 刷|单|返|佣).
_HAN_CONNECTORS = r"\-/+|."
_HAN_SEP_CLASS = (r"(?:[ \t\u3000\u00a0\ue000丨]|"
                  r"[^\w\s，。；：！？、,.;:!?（）()「」『』《》〈〉“”\"'‘’【】\[\]<>{}\-/+|])")


class OffsetMap:
    """Where each character of one folding pass came from, as a few breakpoints.

    Segment k starts at output index `out[k]` and input index `src[k]`. In a plain segment
    output char i comes from input char `src[k] + (i - out[k])`; in an expansion segment
    (`fixed[k]` is the input end) every output char comes from the whole input span
    `[src[k], fixed[k])`. Storing breakpoints instead of one entry per character keeps the
    cost proportional to the number of edits, not to the length of the text.
    """

    __slots__ = ("fixed", "out", "src")

    def __init__(self, out: list[int], src: list[int], fixed: list[int | None]) -> None:
        self.out = out
        self.src = src
        self.fixed = fixed

    def start(self, i: int) -> int:
        """Input offset where output char `i` starts."""
        k = bisect_right(self.out, i) - 1
        return self.src[k] if self.fixed[k] is not None else self.src[k] + i - self.out[k]

    def end(self, i: int) -> int:
        """Input offset just after output char `i`."""
        k = bisect_right(self.out, i) - 1
        fixed = self.fixed[k]
        return fixed if fixed is not None else self.src[k] + i - self.out[k] + 1


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised string that can map any of its spans back to the original string.

    `maps` is empty when the normalised text is aligned 1:1 with the original (the common
    case); otherwise one `OffsetMap` per folding pass that moved characters, in order.
    """

    text: str
    original: str
    maps: tuple[OffsetMap, ...] = ()
    #: Original spans of the words a disguise had to be undone in (`detector.textnorm.
    #: disguise`): a lookalike letter, a bidi override, a dotted-out or leetspeak word.
    disguises: tuple[tuple[int, int], ...] = ()
    #: The text before leetspeak was read (same length); None when there was none.
    pre_leet: str | None = None
    #: Words read differently from how they are written: (original start, end, reading),
    #: in order, not overlapping. `plain_text` applies them to the original.
    rewrites: tuple[tuple[int, int, str], ...] = ()

    def plain_text(self) -> tuple[str, OffsetMap | None]:
        """The original text with its disguises undone and nothing else changed (case,
        punctuation, symbols as written): what a person reads, and what the models read.
        The map leads back to the original (None: the text is the original)."""
        if not self.rewrites:
            return self.original, None
        edits = [(a, b, reading) for a, b, reading in self.rewrites]
        return _apply(self.original, edits)  # type: ignore[arg-type]

    @property
    def fingerprint_text(self) -> str:
        """What the campaign fingerprints read: everything but the leetspeak pass (the
        campaign threshold study was made without it)."""
        return self.text if self.pre_leet is None else self.pre_leet

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for the normalised [start, end) (end > start)."""
        if end <= start:
            raise ValueError("empty span")
        first, last = start, end - 1
        for offset_map in reversed(self.maps):
            first = offset_map.start(first)
            last = offset_map.end(last) - 1
        return first, last + 1


def _fold_char(ch: str) -> str:
    """What one character becomes: NFKC, lower case, without marks or format chars; a symbol
    (emoji, ❤, ★) becomes `SYMBOL`, which a later pass turns into a space or removes."""
    if ch in _KEEP:
        return ch
    folded = unicodedata.normalize("NFKC", ch).lower()
    out = []
    for c in folded:
        kind = unicodedata.category(c)
        if kind == "So":
            out.append(SYMBOL)
        elif kind not in ("Mn", "Me", "Cf") and c not in _ZERO_WIDTH:
            out.append(c)
    return "".join(out)


#: Full-width punctuation common in Chinese text, folded with str.replace (1:1, C speed).
_COMMON_FOLDS: tuple[tuple[str, str], ...] = (
    ("，", ","), ("：", ":"), ("；", ";"), ("！", "!"), ("？", "?"), ("（", "("), ("）", ")"),
    ("\u3000", " "), ("／", "/"), ("＋", "+"), ("％", "%"), ("～", "~"), ("－", "-"), ("｜", "|"),
    ("\u00a0", " "), ("\u202f", " "), ("．", "."),
    *((chr(0xFF10 + i), str(i)) for i in range(10)),
)
#: Left as they are: folding them (… to ..., ™ to tm, ® deleted) would only cost the slow
#: path, and nobody spells a keyword with them.
_KEEP = frozenset("…‥™®©°℃\ufffd")


@cache
def _tables() -> tuple[dict[int, str], str, dict[str, str], str]:
    """Built once on first use (~100 ms): 1:1 translate table, deleted chars, expansions, and
    the "rare" characters whose fold is more than `str.lower()` (they force the slow path)."""
    table: dict[int, str] = {}
    deleted: list[str] = []
    expand: dict[str, str] = {}
    rare: list[str] = []
    common = {a for a, _ in _COMMON_FOLDS}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        out = _fold_char(ch)
        if out == ch:
            continue
        if len(out) == 1:
            table[code] = out
        elif not out:
            deleted.append(ch)
        else:
            expand[ch] = out
        if out != ch.lower() and ch not in common:
            rare.append(ch)
    return table, "".join(deleted), expand, "".join(rare)


def _char_class(chars: str) -> str:
    """A regex character class for a set of characters, as compact code-point ranges."""
    codes = sorted({ord(c) for c in chars})
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = chr(codes[i]), chr(codes[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


@cache
def _char_edit_re() -> re.Pattern[str]:
    """Characters that are dropped or expand to several characters (plus astral ones)."""
    _, deleted, expand, _ = _tables()
    return re.compile(_char_class(deleted + "".join(expand)) + r"|[\U00010000-\U0010ffff]")


@cache
def _rare_re() -> re.Pattern[str]:
    """Any character that `str.lower()` plus the common folds would not fold correctly."""
    return re.compile(_char_class(_tables()[3]) + r"|[\U00010000-\U0010ffff]")


@cache
def _context_regexes() -> tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]:
    """(quick gate, full pattern, kind) for each context-dependent fold (module docstring).

    Each pattern starts with a character class so the regex engine can skip ahead fast; the
    cheap gate runs on every text, the full pattern only when the gate hits.
    """
    letter = r"[^\W\d_]"
    sep = f"[{_LETTER_SEPS}]"
    han_sep = _HAN_SEP_CLASS
    return (
        (
            re.compile(f"{sep}{letter}{sep}{letter}{sep}"),
            re.compile(rf"{letter}(?<![^\W_]{letter})(?:{sep}{letter}){{1,}}(?![^\W_])"),
            "spaced",
        ),
        (re.compile(r"\d(?:(?<=[oli]\d)|(?=[oli]))"), re.compile(r"\d"), "num"),
        (
            re.compile(rf"{han_sep}(?<=[{_HAN}]{han_sep})"),
            re.compile(rf"{han_sep}(?<=[{_HAN}]{han_sep}){han_sep}*(?=[{_HAN}])"),
            "gap",
        ),
        (  # 培-训-费: single Han characters joined by a connector, three or more
            re.compile(rf"[{_HAN_CONNECTORS}](?<=[{_HAN}][{_HAN_CONNECTORS}])(?=[{_HAN}])"),
            re.compile(rf"[{_HAN}](?:[{_HAN_CONNECTORS}][{_HAN}]){{2,}}"),
            "han_spaced",
        ),
    )


_DIGIT_SWAP = str.maketrans({"o": "0", "l": "1", "i": "1"})


def _apply(text: str, edits: list[tuple[int, int, str | tuple[int, ...]]]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping, sorted edits (start, end, replacement) and map the result back.

    A replacement is either a string of the same length (1:1 substitution), a string of
    another length (every new char maps to the whole edited span; "" deletes), or a tuple of
    the relative positions to keep (a deletion inside the span; kept chars keep their
    offsets).
    """
    pieces: list[str] = []
    out: list[int] = []
    src: list[int] = []
    fixed: list[int | None] = []
    pos = npos = 0

    def plain(at: int, length: int) -> None:
        nonlocal npos
        if length > 0:
            out.append(npos)
            src.append(at)
            fixed.append(None)
            npos += length

    for a, b, repl in edits:
        pieces.append(text[pos:a])
        plain(pos, a - pos)
        if isinstance(repl, tuple):
            for k in repl:
                pieces.append(text[a + k])
                plain(a + k, 1)
        elif len(repl) == b - a:
            pieces.append(repl)
            plain(a, b - a)
        elif repl:
            pieces.append(repl)
            out.append(npos)
            src.append(a)
            fixed.append(b)
            npos += len(repl)
        pos = b
    pieces.append(text[pos:])
    plain(pos, len(text) - pos)
    if not out:  # everything was deleted
        out, src, fixed = [0], [len(text)], [len(text)]
    return "".join(pieces), OffsetMap(out, src, fixed)


def _char_edits(text: str) -> list[tuple[int, int, str | tuple[int, ...]]]:
    expand = _tables()[2]
    edits: list[tuple[int, int, str | tuple[int, ...]]] = []
    for m in _char_edit_re().finditer(text):
        ch = m.group()
        repl = expand.get(ch)
        if repl is None:
            repl = _fold_char(ch) if ord(ch) > 0xFFFF else ""
        edits.append((m.start(), m.end(), repl))
    return edits


_NUMBER_CHARS = frozenset("0123456789oli.,")
_ALNUM_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _number_edit(text: str, at: int) -> tuple[int, int, str] | None:
    """The digit-swap edit for the number token around `at` (a digit next to o/l/i)."""
    lo, hi, size = at, at + 1, len(text)
    while lo > 0 and text[lo - 1] in _NUMBER_CHARS:
        lo -= 1
    while hi < size and text[hi] in _NUMBER_CHARS:
        hi += 1
    while lo < hi and text[lo] in ".,":
        lo += 1
    while hi > lo and text[hi - 1] in ".,":
        hi -= 1
    if (lo > 0 and text[lo - 1] in _ALNUM_ASCII) or (hi < size and text[hi] in _ALNUM_ASCII):
        return None  # part of a word such as "h5o" or "10lbs"
    token = text[lo:hi]
    swapped = token.translate(_DIGIT_SWAP)
    return (lo, hi, swapped) if swapped != token else None


def _context_edits(text: str, disguised: list[tuple[int, int, str]]
                   ) -> list[tuple[int, int, str | tuple[int, ...]]]:
    """Edits for spaced-out letters, letter/digit swaps in numbers, gaps between Han chars and
    Han characters spelled out with connectors (培-训-费). Spaced-out letters are split into
    the words they spell (`_spaced_edit`); a spaced-out lexicon word is added to `disguised`
    (spans in `text`)."""
    edits: list[tuple[int, int, str | tuple[int, ...]]] = []
    ascii_only = text.isascii()
    for gate, full, kind in _context_regexes():
        if kind in ("gap", "han_spaced") and ascii_only:
            continue
        if kind == "num":
            end = -1
            for m in gate.finditer(text):
                if m.start() >= end and (edit := _number_edit(text, m.start())) is not None:
                    edits.append(edit)
                    end = edit[1]
            continue
        if gate.search(text) is None:
            continue
        for m in full.finditer(text):
            if kind == "spaced":
                edit = _spaced_edit(m, disguised)
                if edit is not None:
                    edits.append(edit)
            elif kind == "han_spaced":
                edits.append((m.start(), m.end(), tuple(range(0, m.end() - m.start(), 2))))
            else:
                edits.append((m.start(), m.end(), ""))
    if len(edits) < 2:
        return edits
    edits.sort(key=lambda t: (t[0], -t[1]))
    kept = [edits[0]]
    for edit in edits[1:]:
        if edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


def _spaced_edit(m: re.Match[str], disguised: list[tuple[int, int, str]]
                 ) -> tuple[int, int, tuple[int, ...]] | None:
    """Join spaced-out letters (one separator between each): into the lexicon words they
    spell, a space kept between words (`a u.p.f.r.o.n.t f.e.e` -> `a upfront fee`), or all
    of them from four letters on when they spell none. Lexicon words found go to
    `disguised`."""
    letters = m.group()[::2]
    if not letters.isascii():
        if not _HAN_SPACED.issuperset(m.group()[1::2]) or len(letters) < 3:
            return None  # Chinese lists (甲,乙,丙) and phrases (北京-东城区) stay
        return m.start(), m.end(), tuple(range(0, len(m.group()), 2))
    groups = disguise.letter_groups(letters) if letters.isascii() else None
    if len(letters) == 2 and letters.isascii() and disguise.as_known(letters) is not None \
            and m.group()[1] not in _PLAIN_SEPS:
        groups = [(0, 2)]  # t·o, i*s: two letters, an odd separator, a short word
    if groups is None:
        return (m.start(), m.end(), tuple(range(0, len(m.group()), 2))) \
            if len(letters) >= 4 else None
    keep: list[int] = []
    for n, (a, b) in enumerate(groups):
        if n:
            keep.append(2 * a - 1)  # the separator before this word
        keep.extend(2 * k for k in range(a, b))
        if b - a > 1:
            disguised.append((m.start() + 2 * a, m.start() + 2 * b - 1, letters[a:b]))
    return m.start(), m.end(), tuple(keep)


def _fold_segment(segment: str) -> str:
    """1:1 fold of a run without deletions/expansions: NFKC + lower (C speed), exact fallback."""
    fast = unicodedata.normalize("NFKC", segment).lower()
    if len(fast) == len(segment):
        return _symbols_re().sub(SYMBOL, fast) if _symbols_re().search(fast) else fast
    return segment.translate(_tables()[0])


@cache
def _symbols_re() -> re.Pattern[str]:
    """Symbols of the BMP (emoji, ❤, ★), which fold to `SYMBOL`."""
    return re.compile(_char_class("".join(
        chr(c) for c in range(0x10000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) == "So"
        and chr(c) not in _KEEP)))


def _fast_fold(text: str) -> str | None:
    """Common case of non-ASCII text: only common full-width punctuation and case to fold."""
    work = text
    for a, b in _COMMON_FOLDS:
        if a in work:
            work = work.replace(a, b)
    if _rare_re().search(work) is not None:
        return None
    folded = work.lower()
    return folded if len(folded) == len(text) else None


def _original(maps: list[OffsetMap], start: int, end: int) -> tuple[int, int]:
    """Original [start, end) of a span of the text the passes in `maps` made."""
    first, last = start, end - 1
    for offset_map in reversed(maps):
        first = offset_map.start(first)
        last = offset_map.end(last) - 1
    return first, last + 1


def _char_fold(text: str, maps: list[OffsetMap]) -> str:
    """NFKC, lower case, marks and format characters out, symbols as `SYMBOL`."""
    if text.isascii():
        return text.lower()
    fast = _fast_fold(text)
    if fast is not None:
        return fast
    edits = _char_edits(text)
    if not edits:
        return _fold_segment(text)
    pieces: list[str] = []
    pos = 0
    for a, _, _ in edits:
        pieces.append(_fold_segment(text[pos:a]))
        pieces.append(text[a])
        pos = a + 1
    pieces.append(_fold_segment(text[pos:]))
    folded, offset_map = _apply("".join(pieces), edits)
    maps.append(offset_map)
    return folded


def normalize(text: str) -> Normalized:
    """Fold `text` for matching and undo its disguises; see the module docstring and
    `detector.textnorm.disguise` for what is folded, in this order: bidi overrides, characters,
    short forms and lookalike letters, symbols and separators inside words, spaced letters /
    numbers / gaps between Han characters, Chinese lookalikes, leetspeak.

    Every word read differently from how it is written is kept as a rewrite of the original
    (`Normalized.rewrites`, what the models read, `plain_text`); those that are disguises
    (not a short form) also as `Normalized.disguises` (the red flag's evidence)."""
    maps: list[OffsetMap] = []
    undone = _Undone(maps)
    if text.isascii():  # most English text: no override, no other script, no Han
        folded = text.lower()
    else:
        work = text
        if disguise.has_override(work) and (bidi := disguise.bidi_edits(work)):
            work, offset_map = _apply(work, bidi)  # type: ignore[arg-type]
            maps.append(offset_map)
            undone.rewrites += [(a, b, rendered, True) for a, b, rendered in bidi]
            undone.evidence += [(a, b) for a, b, _ in bidi]
        # Lookalike letters before case folding: Greek Ν is Latin N, its lower case ν is v.
        work = undone.substitute(work, disguise.confusable_edits(work))
        folded = _char_fold(work, maps)
        if not folded.isascii() and (short := disguise.short_form_edits(folded)):
            for a, b, term in short:
                undone.add(a, b, term, False)
            folded, offset_map = _apply(folded, short)  # type: ignore[arg-type]
            maps.append(offset_map)
    if disguise.may_hide_words(folded):
        edits, _ = disguise.junk_edits(folded)
        if edits:
            for a, b, keep in edits:
                word = "".join(folded[a + k] for k in keep)
                undone.add(a, b, word, disguise.as_word(word) is not None)
            folded, offset_map = _apply(folded, edits)
            maps.append(offset_map)
    spaced: list[tuple[int, int, str]] = []
    edits = _context_edits(folded, spaced)
    if edits:
        for a, b, word in spaced:
            undone.add(a, b, word, disguise.as_word(word) is not None)
        for a, b, repl in edits:
            if repl == "" and _hides_zh_term(folded, a, b):
                undone.add(a, b, "", True, evidence=(a - 1, b + 1))
        folded, offset_map = _apply(folded, edits)
        maps.append(offset_map)
    if not folded.isascii():
        folded = disguise.symbols_to_spaces(folded)
        # Last but one, so that separators between Han characters (刷 單) are already gone.
        folded = fold_zh(folded)
    pre_leet = None
    if disguise.may_hide_leet(folded) and (leet := disguise.leet_edits(folded)):
        pre_leet = folded
        folded = undone.substitute(folded, leet)
    if not undone.rewrites:
        return Normalized(folded, text, tuple(maps))
    return Normalized(folded, text, tuple(maps), undone.disguises(), pre_leet,
                      undone.kept_rewrites())


class _Undone:
    """What `normalize` undid, in original offsets: rewrites (span, reading, is it a
    disguise) and the evidence spans of the disguises."""

    def __init__(self, maps: list[OffsetMap]) -> None:
        self.maps = maps
        self.rewrites: list[tuple[int, int, str, bool]] = []
        self.evidence: list[tuple[int, int]] = []

    def add(self, a: int, b: int, reading: str, flagged: bool,
            evidence: tuple[int, int] | None = None) -> None:
        """A rewrite of the current text's [a, b) (mapped back to the original)."""
        start, end = _original(self.maps, a, b)
        self.rewrites.append((start, end, reading, flagged))
        if flagged:
            self.evidence.append(_original(self.maps, *evidence) if evidence else (start, end))

    def substitute(self, text: str, found: list[tuple[int, int, str, bool]]) -> str:
        """Apply 1:1 rewrites (same length) to `text`, recording each."""
        if not found:
            return text
        chars = list(text)
        for a, b, reading, flagged in found:
            chars[a:b] = reading
            self.add(a, b, reading, flagged)
        return "".join(chars)

    def disguises(self) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(set(self.evidence)))

    def kept_rewrites(self) -> tuple[tuple[int, int, str], ...]:
        """Non-overlapping rewrites in original order; a bidi run wins over what it holds."""
        out: list[tuple[int, int, str]] = []
        for a, b, reading, _ in sorted(self.rewrites, key=lambda r: (r[0], -r[1])):
            if out and a < out[-1][1]:
                continue
            out.append((a, b, reading))
        return tuple(out)


def _hides_zh_term(text: str, a: int, b: int) -> bool:
    """A removed gap between Han characters that held more than blank space, inside a key
    term (培*训*费): a disguise. Plain spaces between Chinese words are not."""
    gap = text[a:b].strip(" \t\u3000\u00a0~·")
    return (bool(gap) and a > 0 and b < len(text)
            and disguise.zh_term_at(fold_zh(text), a - 1, b))
