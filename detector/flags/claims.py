"""Claims, not adjacent words: a rule's patterns with a bounded window wherever two words of a
claim meet (issue 26 item 3).

A scammer (and ordinary writing) pulls a claim's words apart with modifiers: "daily *fixed*
salary", "pay a *small one-time* fee", 刷*一笔*单, 银行卡*先行*密码. Writing every rule with
explicit gaps would bury what it says, so rules stay written as adjacent words and
`spread(pattern)` rewrites the pattern, once, when the rule compiles:

- **English**: before every space of the pattern (a literal space, `\\s`, or a class holding a
  space, matched at most once), up to `WORDS_EN` words may stand: whole words between spaces,
  never a clause end, never a word that reverses the claim (`STOP_EN`: no, free, reimbursed,
  but ...), so a negation stays where the negation handling looks for it (before the match).
- **Chinese**: where two words meet, up to `CHARS_ZH` characters of the same clause may stand
  (`STOP_ZH`: never 不, 无, 免, 报销 ...). Two words meet where a Han character touches a
  digit or a Latin letter (5000*一次性*元, 加*必要*qq), at a group of the pattern
  ((?:需|须)*先行*支付), and inside a literal where the segmenter cuts it into words (刷|单,
  银行卡|密码, but never inside 押金 or 培训费). The cuts are jieba's (the dictionary the
  disguise suite and the baseline use), computed once and stored in `claim_words.py`
  (`python -m detector.flags.claim_words` rewrites it; a test checks it is current), so
  scoring never loads jieba.

Every window is bounded and lazy (the fewest words first), and none is added inside a
lookaround, inside a part that already repeats (`(?: \\w+){0,3}`, `.{0,6}`, the explicit
`gap_en`/`gap_zh`), or next to such a window. So a spread pattern still matches everything
the written one did, a match stays within a bounded distance of its keyword (`MARGIN`), and
matching stays linear. The keywords follow: a keyword cut by a window is replaced by its
rarest piece (`anchor_pieces`), which every spread match still contains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

#: Words that may stand where an English claim has a space; characters where Chinese words meet.
WORDS_EN = 2
CHARS_ZH = 6
#: How much longer than its written form a spread match can be, at most in practice: the
#: engine widens a rule's `reach` by this much around its keywords.
MARGIN = 24

#: English words a window never swallows: a window holds modifiers (content words), never
#: a word that reverses or hands off the claim (no, free, reimbursed) nor a function word
#: that starts another phrase or changes its mood ("you *will* be qualified", "merged *in*
#: order", "placement fee *and* £500").
STOP_EN = (
    r"(?:no|not|never|nor|neither|without|free|zero|none|waived?|reimburs\w*|refunded|covered|"
    r"don'?t|doesn'?t|won'?t|isn'?t|aren'?t|cannot|can'?t|stop|avoid|beware|scam\w*|fraud\w*|"
    r"and|or|but|unless|except|instead|if|when|while|because|so|than|then|"
    r"will|would|shall|should|must|may|might|can|could|do|does|did|have|has|had|"
    r"be|been|being|is|are|was|were|am|"
    r"to|of|in|on|at|by|for|with|from|as|into|onto|via|per|over|under|about|after|before|"
    r"between|through|during|within|"
    r"you|your|we|our|us|they|their|it|its|this|that|these|those|which|who|whom|whose|what)"
    r"(?![a-z'])"
)
#: A word inside an English window: no space, no clause end, no bracket or quote.
_WORD_EN = r"[^\s.,;:!?()\[\]{}\"<>|]+"
#: Chinese a window never swallows: what reverses or hands off the claim (see
#: `lexicon._GAP_STOP_ZH`), 了 (done already: 买了电脑), and the particles and conjunctions
#: that join another phrase (虚拟货币*的*充值, 银行卡*和*手机).
STOP_ZH = (r"不|无|免|没|非|零|别|勿|禁|拒|了|的|和|或|及|与|并|报销|承担|退还|返还|骗|谨防|警惕|"
           r"(?:公司|单位|企业|厂[里方])(?:负责|支付|出|提供|配|发|统一(?:配|发|提供|办))")

_CLAUSE_END = re.compile(r"[。!?;,\n]")

#: What a Chinese window holds: Chinese words (no digits, Latin letters, spaces or clause ends).
_HAN_CLASS = "[\u3400-\u9fff\uf900-\ufaff]"

#: The windows capture what they skip, so that the engine can hold a whole claim to one
#: window's worth (`within_budget`).
GAP_EN = (rf"((?:[ \t]+(?!{STOP_EN}){_WORD_EN}){{1,{WORDS_EN}}}?(?=\s))??")

#: Marks the group that follows as one word (a disguised spelling such as 薇信 or 扣扣): no
#: window opens inside it. `lexicon.whole` writes it.
WHOLE = "(?#whole)"

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))

HAN, WORD, SPACE, OTHER = "han", "word", "space", "other"
ALL = frozenset({HAN, WORD, SPACE, OTHER})


def is_han(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


def kind_of(ch: str) -> str:
    if is_han(ch):
        return HAN
    if ch.isalnum() or ch == "_":
        return WORD
    if ch.isspace():
        return SPACE
    return OTHER


# ---------------------------------------------------------------- a small regex parser
# Only what the catalogue's patterns use: literals, escapes, classes, groups (non-capturing,
# lookarounds), alternation, quantifiers. Python's own parser cannot be used: it factors
# common prefixes out of alternations (押金|押运 -> 押(?:金|运)), which would put a window
# inside a word.


@dataclass
class Atom:
    """One item of a sequence: its source, what it may start and end with, and its quantifier."""

    src: str
    first: frozenset[str]
    last: frozenset[str]
    quant: str = ""
    zero_width: bool = False
    #: A literal character (unquantified literals of a sequence form a run).
    char: str | None = None
    #: A group: its opening ("(?:", "(?=", ...) and branches.
    group: tuple[str, list[list[Atom]]] | None = None
    #: What it matches is a single character (a class, an escape, a dot).
    single: bool = False
    #: A group marked `WHOLE`: one word, never spread inside.
    whole: bool = False

    @property
    def bounds(self) -> tuple[int, int]:
        return _bounds(self.quant)

    @property
    def nullable(self) -> bool:
        if self.zero_width or self.bounds[0] == 0:
            return True
        return self.group is not None and any(_seq_nullable(b) for b in self.group[1])


def _bounds(quant: str) -> tuple[int, int]:
    q = quant.rstrip("?+") if len(quant) > 1 else quant
    if not q:
        return 1, 1
    if q == "?":
        return 0, 1
    if q == "*":
        return 0, 10**9
    if q == "+":
        return 1, 10**9
    lo, _, hi = q[1:-1].partition(",")
    if "," not in q:
        return int(lo), int(lo)
    return int(lo or 0), int(hi) if hi else 10**9


def _seq_nullable(seq: list[Atom]) -> bool:
    return all(a.nullable for a in seq)


_QUANT = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?")
_ESCAPES = {"d": {WORD}, "w": {WORD, HAN}, "s": {SPACE}, "n": {SPACE}, "t": {SPACE},
            "r": {SPACE}, "f": {SPACE}, "v": {SPACE}}
_ZERO_ESCAPES = set("bBAZ")
_CODE_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 0

    def parse(self) -> list[list[Atom]]:
        branches = self._alternation()
        if self.pos != len(self.src):
            raise ValueError(f"unbalanced ')' at {self.pos} in {self.src!r}")
        return branches

    def _alternation(self) -> list[list[Atom]]:
        branches = [self._sequence()]
        while self.pos < len(self.src) and self.src[self.pos] == "|":
            self.pos += 1
            branches.append(self._sequence())
        return branches

    def _sequence(self) -> list[Atom]:
        seq: list[Atom] = []
        src = self.src
        while self.pos < len(src) and src[self.pos] not in "|)":
            atom = self._atom()
            if seq and seq[-1].src == WHOLE and atom.group is not None:
                atom.whole = True
            m = _QUANT.match(src, self.pos)
            if m and not m.group().startswith("{}"):
                if atom.zero_width:
                    raise ValueError(f"quantified assertion in {src!r}")
                atom.quant = m.group()
                self.pos = m.end()
            seq.append(atom)
        return seq

    def _atom(self) -> Atom:
        src, i = self.src, self.pos
        ch = src[i]
        if ch == "(":
            return self._group()
        if ch == "[":
            return self._class()
        if ch == "\\":
            return self._escape()
        self.pos += 1
        if ch == ".":
            return Atom(".", ALL, ALL, single=True)
        if ch in "^$":
            return Atom(ch, frozenset(), frozenset(), zero_width=True)
        kinds = frozenset({kind_of(ch)})
        return Atom(re.escape(ch) if ch in "{}" else ch, kinds, kinds, char=ch)

    def _escape(self) -> Atom:
        src, i = self.src, self.pos
        m = _CODE_ESCAPE.match(src, i)
        if m:
            self.pos = m.end()
            ch = chr(int(m.group()[2:], 16))
            kinds = frozenset({kind_of(ch)})
            return Atom(m.group(), kinds, kinds, char=ch)
        letter = src[i + 1]
        self.pos = i + 2
        text = src[i:i + 2]
        if letter in _ZERO_ESCAPES:
            return Atom(text, frozenset(), frozenset(), zero_width=True)
        if letter in _ESCAPES:
            kinds = frozenset(_ESCAPES[letter])
            return Atom(text, kinds, kinds, single=True)
        if letter in "DWS":
            return Atom(text, ALL, ALL, single=True)
        if letter.isdigit():
            raise ValueError(f"backreference in {src!r}")
        kinds = frozenset({kind_of(letter)})
        return Atom(text, kinds, kinds, char=letter)

    def _class(self) -> Atom:
        src, start = self.src, self.pos
        i = start + 1
        negated = i < len(src) and src[i] == "^"
        if negated:
            i += 1
        kinds: set[str] = set()
        first = True
        while i < len(src) and (src[i] != "]" or first):
            first = False
            if src[i] == "\\":
                m = _CODE_ESCAPE.match(src, i)
                if m:
                    kinds.add(kind_of(chr(int(m.group()[2:], 16))))
                    i = m.end()
                    continue
                letter = src[i + 1]
                kinds |= _ESCAPES.get(letter, ALL if letter in "DWS" else {kind_of(letter)})
                i += 2
                continue
            kinds.add(kind_of(src[i]))
            i += 1
        if i >= len(src):
            raise ValueError(f"unterminated class in {src!r}")
        self.pos = i + 1
        found = ALL if negated else frozenset(kinds)
        return Atom(src[start:self.pos], found, found, single=True)

    def _group(self) -> Atom:
        src, i = self.src, self.pos
        if src.startswith("(?#", i):
            end = src.index(")", i)
            self.pos = end + 1
            return Atom(src[i:end + 1], frozenset(), frozenset(), zero_width=True)
        for opening in ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>"):
            if src.startswith(opening, i):
                break
        else:
            if src.startswith("(?", i):
                raise ValueError(f"unsupported group at {i} in {src!r}")
            opening = "("
        self.pos = i + len(opening)
        branches = self._alternation()
        if self.pos >= len(src) or src[self.pos] != ")":
            raise ValueError(f"unterminated group in {src!r}")
        self.pos += 1
        if opening in ("(?=", "(?!", "(?<=", "(?<!"):
            return Atom("", frozenset(), frozenset(), zero_width=True, group=(opening, branches))
        first = frozenset().union(*(_seq_first(b) for b in branches))
        last = frozenset().union(*(_seq_last(b) for b in branches))
        return Atom("", first, last, group=(opening, branches))


def _seq_first(seq: list[Atom]) -> frozenset[str]:
    out: set[str] = set()
    for atom in seq:
        out |= atom.first
        if not atom.nullable:
            break
    return frozenset(out)


def _seq_last(seq: list[Atom]) -> frozenset[str]:
    out: set[str] = set()
    for atom in reversed(seq):
        out |= atom.last
        if not atom.nullable:
            break
    return frozenset(out)


def parse(pattern: str) -> list[list[Atom]]:
    return _Parser(pattern).parse()


def emit(branches: list[list[Atom]]) -> str:
    return "|".join("".join(_emit_atom(a) for a in seq) for seq in branches)


def _emit_atom(atom: Atom) -> str:
    if atom.group is not None:
        opening, branches = atom.group
        return f"{opening}{emit(branches)}){atom.quant}"
    return atom.src + atom.quant


# ---------------------------------------------------------------- spreading

def _is_window(atom: Atom) -> bool:
    """An item that already spans a stretch of text (`.{0,6}`, `[^。]{0,24}`, a gap)."""
    if atom.bounds[1] < 2:
        return False
    if atom.single:
        return HAN in atom.first or atom.first == ALL
    return atom.group is not None and HAN in atom.first


def _space_atom(atom: Atom) -> bool:
    """A space of the pattern, matched at most once (" ", "\\s?", "[ -]")."""
    if atom.bounds[1] > 1:
        return False
    return (atom.char is not None and atom.char.isspace()) or (atom.single and SPACE in atom.first)


#: A length no part reaches: a number, a handle, anything repeated.
_LONG = 99


@dataclass(frozen=True)
class Lexicon:
    """What spreading knows of Chinese words: where a literal is cut into words (`cuts`),
    and which characters make a two-character word with a given one: `follow(c)` those
    that may follow it, `precede(c)` those that may precede it. A window opens only at a
    word boundary of the text: it never starts with a character that makes a word with the
    one before it (加|入 in 加入v), nor ends with one that makes a word with the one after it
    (台|球 in 台球)."""

    cuts: Callable[[str], tuple[int, ...]]
    follow: Callable[[str], str]
    precede: Callable[[str], str]
    #: The same for three-character words: the pairs that may follow (precede) a character,
    #: as one string of pairs (生活费: "生活" precedes 费).
    follow2: Callable[[str], str] = lambda _c: ""
    precede2: Callable[[str], str] = lambda _c: ""


def _table_lexicon() -> Lexicon:
    from detector.flags.claim_words import CUTS, FOLLOW, FOLLOW2, PRECEDE, PRECEDE2

    return Lexicon(lambda text: CUTS.get(text, ()), lambda c: FOLLOW.get(c, ""),
                   lambda c: PRECEDE.get(c, ""), lambda c: FOLLOW2.get(c, ""),
                   lambda c: PRECEDE2.get(c, ""))


@dataclass
class _Unit:
    """An item of a sequence as the spreader sees it: one atom, or a literal run cut into
    pieces. What it may start and end with (kinds, and the characters when they are known
    literals), and how long its first and last piece may be."""

    atoms: list[Atom]
    first: frozenset[str]
    last: frozenset[str]
    lead: int
    tail: int
    nullable: bool
    first_chars: frozenset[str] | None = None
    last_chars: frozenset[str] | None = None
    zero_width: bool = False
    #: When the unit starts (ends) with a literal one-character part: that character and
    #: the pattern's own character next to it inside the unit ("" for none).
    lead_single: tuple[str, str] | None = None
    tail_single: tuple[str, str] | None = None


@dataclass
class _Side:
    """What the text on one side of a boundary may end (or start) with."""

    kinds: frozenset[str] = frozenset()
    part: int = _LONG
    chars: frozenset[str] | None = frozenset()
    #: A literal one-character part right at the boundary, and the pattern's character
    #: next to it on its far side ("" for none).
    single: tuple[str, str] | None = None

    def extend(self, kinds: frozenset[str], part: int, chars: frozenset[str] | None,
               optional: bool, single: tuple[str, str] | None = None) -> _Side:
        """This side with a unit added next to the boundary (through it if `optional`)."""
        if not optional:
            return _Side(kinds, part, chars, single)
        both = None if chars is None or self.chars is None else chars | self.chars
        return _Side(kinds | self.kinds, min(part, self.part), both)


@dataclass
class _Spreader:
    lexicon: Lexicon
    #: The shortest part a window may stand beside (1: beside a single character too).
    min_part: int = 2
    #: Every Chinese literal cut (for the table's generator).
    seen: set[str] = field(default_factory=set)

    def alternation(self, branches: list[list[Atom]], plain: bool) -> list[list[Atom]]:
        return [self.sequence(seq, plain) for seq in branches]

    def sequence(self, seq: list[Atom], plain: bool) -> list[Atom]:
        """`plain`: inside a lookaround or a repeated part, where nothing is spread."""
        items = [self._inner(a, plain) for a in seq]
        if plain:
            return items
        units = self._units(items)
        # What the rest may start with from each unit on (an optional unit lets the next one
        # show through).
        starts = [_Side()] * (len(units) + 1)
        for k in range(len(units) - 1, -1, -1):
            u = units[k]
            starts[k] = starts[k + 1] if u.zero_width else starts[k + 1].extend(
                u.first, u.lead, u.first_chars, u.nullable, u.lead_single)
        out: list[Atom] = []
        ends = _Side()
        prev: _Unit | None = None  # the last unit that consumes text
        gapped_before = False  # a Chinese window right before `prev`
        pending: list[Atom] = []  # zero-width atoms since `prev`
        for k, u in enumerate(units):
            if u.zero_width:
                pending += u.atoms
                continue
            gap = (prev is not None and not (gapped_before and prev.nullable)
                   and self._zh_boundary(prev, u, ends, starts[k]))
            if gap:
                cut = next((j for j, p in enumerate(pending)
                            if p.group is not None and p.group[0].startswith("(?<")),
                           len(pending))
                window = self._gap_zh(ends, starts[k])
                out += [*pending[:cut], window, *pending[cut:]]
            else:
                out += pending
            pending = []
            if len(u.atoms) == 1 and _space_atom(u.atoms[0]):
                out.append(_gap_en())
            out += u.atoms
            ends = ends.extend(u.last, u.tail, u.last_chars, u.nullable, u.tail_single)
            prev, gapped_before = u, gap
        return out + pending

    def _gap_zh(self, before: _Side, after: _Side) -> Atom:
        """A Chinese window between a part that ends as `before` says and one that starts as
        `after` says, opening only at a word boundary (`Lexicon`): its first character makes
        no word with the one before it, nor its last with the one after it; and a part of a
        single character beside it is a word of its own in the text (联|单 is not read in
        联副会长单位: 单位 is a word)."""
        lex = self.lexicon
        guards = []
        # Per character: "after 加, not 入", "before 球, not 台" (a union over the
        # characters would block 缴 after 性 because 性交 is a word).
        pairs = [f"(?<={re.escape(c)})[{f}]" for c in sorted(before.chars or ())
                 if (f := _chars(lex.follow(c)))]
        pairs += [f"(?<={re.escape(c)})(?:{_pairs(f)})" for c in sorted(before.chars or ())
                  if (f := lex.follow2(c))]
        if pairs:
            guards.append(f"(?!{'|'.join(pairs)})")
        if before.single is not None:
            c, own = before.single
            if pre := _chars(set(lex.precede(c)) - {own}):
                guards.append(f"(?<![{pre}]{re.escape(c)})")
        body = rf"(?:(?!{STOP_ZH}){_HAN_CLASS}){{1,{CHARS_ZH}}}?"
        ends = []
        pairs = [f"(?<=[{p}]){re.escape(c)}" for c in sorted(after.chars or ())
                 if (p := _chars(lex.precede(c)))]
        pairs += [f"(?<={_pairs(p)}){re.escape(c)}" for c in sorted(after.chars or ())
                  if (p := lex.precede2(c))]
        if pairs:
            ends.append(f"(?!{'|'.join(pairs)})")
        if after.single is not None:
            c, own = after.single
            if fol := _chars(set(lex.follow(c)) - {own}):
                ends.append(f"(?!{re.escape(c)}[{fol}])")
        start, end = "".join(guards), "".join(ends)
        return Atom(f"({start}{body}{end})??", frozenset(), frozenset(), zero_width=True)

    def _units(self, items: list[Atom]) -> list[_Unit]:
        units: list[_Unit] = []
        run: list[Atom] = []

        def flush() -> None:
            if run:
                units.append(self._run_unit(list(run)))
                run.clear()

        for atom in items:
            if atom.char is not None and not atom.quant and not atom.char.isspace():
                run.append(atom)
                continue
            flush()
            if atom.zero_width:
                units.append(_Unit([atom], frozenset(), frozenset(), _LONG, _LONG, True,
                                   zero_width=True))
                continue
            lead, tail = self._part_lengths(atom)
            firsts, lasts = self._edge_chars(atom)
            single = (atom.char, "") if atom.char is not None and is_han(atom.char) else None
            units.append(_Unit([atom], atom.first, atom.last, lead, tail, atom.nullable,
                               firsts, lasts, lead_single=single, tail_single=single))
        flush()
        return units

    def _run_unit(self, run: list[Atom]) -> _Unit:
        """A literal run, with a window at each cut where both pieces are long enough."""
        text = "".join(a.char or "" for a in run)
        cuts = [0, *sorted(set(self._cuts(text))), len(text)]
        lengths = [b - a for a, b in pairwise(cuts)]
        atoms: list[Atom] = [run[0]]
        for k in range(1, len(run)):
            if k in cuts:
                i = cuts.index(k)
                if min(lengths[i - 1], lengths[i]) >= self.min_part:
                    atoms.append(self._gap_zh(self._side(text, cuts[i - 1], k, before=True),
                                              self._side(text, k, cuts[i + 1], before=False)))
            atoms.append(run[k])
        return _Unit(atoms, frozenset({kind_of(text[0])}), frozenset({kind_of(text[-1])}),
                     _piece_length(text[:cuts[1]]), _piece_length(text[cuts[-2]:]), False,
                     frozenset(text[0]), frozenset(text[-1]),
                     lead_single=self._side(text, 0, cuts[1], before=False).single,
                     tail_single=self._side(text, cuts[-2], len(text), before=True).single)

    @staticmethod
    def _side(text: str, a: int, b: int, before: bool) -> _Side:
        """The piece text[a:b] of a literal as one side of a window (`before` it or after)."""
        edge = text[b - 1] if before else text[a]
        single = None
        if b - a == 1:
            own = (text[a - 1] if a > 0 else "") if before else (text[b] if b < len(text) else "")
            single = (edge, own)
        return _Side(frozenset({kind_of(edge)}), _piece_length(text[a:b]), frozenset(edge),
                     single)

    def _part_lengths(self, atom: Atom) -> tuple[int, int]:
        """How short the first and the last part of what `atom` matches may be."""
        if atom.whole:
            return _LONG, _LONG
        if atom.group is not None:
            leads, tails = [], []
            for branch in atom.group[1]:
                units = [u for u in self._units(branch) if not u.zero_width]
                if units:
                    leads.append(_edge(units, "lead"))
                    tails.append(_edge(units[::-1], "tail"))
            return min(leads, default=_LONG), min(tails, default=_LONG)
        if atom.bounds[1] > 1:
            return _LONG, _LONG  # a number, a handle
        if atom.char is not None:
            return _piece_length(atom.char), _piece_length(atom.char)
        return (1, 1) if atom.first & {HAN, WORD} else (_LONG, _LONG)

    def _edge_chars(self, atom: Atom) -> tuple[frozenset[str] | None, frozenset[str] | None]:
        """The characters `atom` may start and end with, when they are known literals."""
        if atom.char is not None:
            return frozenset(atom.char), frozenset(atom.char)
        if atom.group is None:
            return None, None
        firsts: frozenset[str] | None = frozenset()
        lasts: frozenset[str] | None = frozenset()
        for branch in atom.group[1]:
            units = [u for u in self._units(branch) if not u.zero_width]
            if not units:
                return None, None
            front, back = _Side(), _Side()
            for u in reversed(units):
                front = front.extend(u.first, u.lead, u.first_chars, u.nullable)
            for u in units:
                back = back.extend(u.last, u.tail, u.last_chars, u.nullable)
            firsts = None if firsts is None or front.chars is None else firsts | front.chars
            lasts = None if lasts is None or back.chars is None else lasts | back.chars
        return firsts, lasts

    def _inner(self, atom: Atom, plain: bool) -> Atom:
        if atom.group is None:
            return atom
        opening, branches = atom.group
        inner_plain = (plain or atom.zero_width or atom.whole or atom.bounds[1] > 1
                       or opening == "(?>")
        return Atom(atom.src, atom.first, atom.last, atom.quant, atom.zero_width,
                    group=(opening, self.alternation(branches, inner_plain)), whole=atom.whole)

    def _zh_boundary(self, left: _Unit, right: _Unit, ends: _Side, starts: _Side) -> bool:
        """Whether two Chinese words may meet between `left` and `right` (`ends`: what the
        text before may end with; `starts`: what the text after may start with)."""
        # Never before a window of the pattern (it already spans the gap); after one, a
        # window lets a modifier stretch it (提供.{0,8}验证码: 提供*一笔一次性*银行卡和手机验证码).
        if any(_is_window(a) for a in right.atoms):
            return False
        words = {HAN, WORD}
        a, b = ends.kinds, starts.kinds
        if not (a & words and b & words and (HAN in a or HAN in b)):
            return False
        return min(ends.part, starts.part) >= self.min_part

    def _cuts(self, text: str) -> list[int]:
        """Where a literal is cut into words: at a change between Han and other characters
        (a Han word beside a Latin word or a number), and where the segmenter cuts a Han
        stretch."""
        cuts: list[int] = []
        start = 0
        for k in range(1, len(text) + 1):
            if k == len(text) or is_han(text[k]) != is_han(text[k - 1]):
                piece = text[start:k]
                if is_han(piece[0]) and len(piece) > 1:
                    self.seen.add(piece)
                    cuts += [start + c for c in self.lexicon.cuts(piece)]
                if k < len(text) and (text[k].isalnum() and text[k - 1].isalnum()):
                    cuts.append(k)
                start = k
        return cuts


def _chars(chars: Iterable[str]) -> str:
    """Characters as the body of a regex class."""
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _pairs(joined: str) -> str:
    """A string of character pairs as an alternation of them (all two characters wide, so it
    may stand in a lookbehind)."""
    return "|".join(re.escape(joined[i:i + 2]) for i in range(0, len(joined), 2))


def _piece_length(piece: str) -> int:
    """A part's length as a window sees it: a number counts as long whatever its digits."""
    return _LONG if piece.isdigit() else len(piece)


def _edge(units: list[_Unit], side: str) -> int:
    """The shortest first ("lead") part of a sequence of units, through optional ones; for
    the last part, pass them reversed with "tail"."""
    shortest = _LONG
    for u in units:
        shortest = min(shortest, getattr(u, side))
        if not u.nullable:
            break
    return shortest


def _gap_en() -> Atom:
    return Atom(GAP_EN, frozenset(), frozenset(), zero_width=True)


def bare_claim(match: re.Match[str]) -> str | None:
    """The claim a spread match read, without what its windows skipped; None when the
    windows skipped more than one window's worth in all (`WORDS_EN` English words,
    `CHARS_ZH` Chinese characters): a claim may carry a modifier, but a match that strings
    words together from window to window is not a claim."""
    start, end = match.span()
    words = chars = 0
    pieces, pos = [], start
    for s, e in match.regs[1:]:
        if s < 0 or e <= s:
            continue
        skipped = match.string[s:e]
        if skipped[0] in " \t":
            words += len(skipped.split())
        else:
            chars += len(skipped)
        pieces.append(match.string[pos:s])
        pos = e
    if words > WORDS_EN or chars > CHARS_ZH:
        return None
    if chars and _CLAUSE_END.search(match.string, start, end):
        return None  # read through a window, a Chinese claim stays within its clause
    pieces.append(match.string[pos:end])
    return "".join(pieces)


def spread(pattern: str, min_part: int = 2, lexicon: Lexicon | None = None) -> str:
    """`pattern` with a bounded window wherever two words of a claim meet (module doc);
    `min_part`: the shortest Chinese part a window may stand beside."""
    spreader = _Spreader(lexicon or _table_lexicon(), min_part)
    return emit(spreader.alternation(parse(pattern), plain=False))


def pieces(keyword: str, min_part: int = 2, lexicon: Lexicon | None = None) -> list[str]:
    """A keyword cut where a spread pattern may open a window in it: at spaces, and where a
    literal is cut (`_Spreader._cuts`) with both pieces at least `min_part` long."""
    spreader = _Spreader(lexicon or _table_lexicon(), min_part)
    out: list[str] = []
    for part in keyword.split(" "):
        if not part:
            continue
        cuts = [0, *sorted(set(spreader._cuts(part))), len(part)]
        found = [part[a:b] for a, b in pairwise(cuts)]
        merged = [found[0]]
        for piece in found[1:]:
            if min(_piece_length(merged[-1]), _piece_length(piece)) >= min_part:
                merged.append(piece)
            else:
                merged[-1] += piece
        out += merged
    return out


@cache
def anchor_piece(keyword: str, rarity: Callable[[str], float], min_part: int = 2) -> str:
    """The piece of `keyword` a spread rule is prefiltered on: the rarest (by `rarity`),
    the longest among equals."""
    parts = pieces(keyword, min_part)
    if len(parts) <= 1:
        return keyword
    return max(parts, key=lambda p: (rarity(p), len(p)))


class RecordingLexicon:
    """A lexicon that answers from `source` and records what it was asked (to write the
    table `claim_words.py` holds)."""

    def __init__(self, source: Lexicon) -> None:
        self.source = source
        self.cut: set[str] = set()
        self.followed: set[str] = set()
        self.preceded: set[str] = set()

    def lexicon(self) -> Lexicon:
        def cuts(text: str) -> tuple[int, ...]:
            self.cut.add(text)
            return self.source.cuts(text)

        def follow(c: str) -> str:
            self.followed.add(c)
            return self.source.follow(c)

        def precede(c: str) -> str:
            self.preceded.add(c)
            return self.source.precede(c)

        def follow2(c: str) -> str:
            self.followed.add(c)
            return self.source.follow2(c)

        def precede2(c: str) -> str:
            self.preceded.add(c)
            return self.source.precede2(c)

        return Lexicon(cuts, follow, precede, follow2, precede2)
