"""Disguise families: how a scammer respells a scam to slip past filters (issue 26).

Each family is generated from its definition, never from hand-picked disguised strings, and
is applied to the words that matter: the evidence spans of the original's red flags, plus a
seeded share (`OTHER_WORDS`) of the other words (for Chinese, also the folding's key terms,
`detector.textnorm.lookalikes.KEY_TERMS`). Every choice is seeded by a hash of the text, the
family and the half, so a copy is the same on every run and in every process.

Families (language; what a copy does; the material, i.e. the unit of the split):

- `lookalike_letters` (en): Latin letters of a word replaced by Cyrillic or Greek
  confusables, each replaceable letter with chance 1/2, at least one; material: (letter,
  confusable) pairs from Unicode's confusables data (UTS #39, through the
  `confusable-homoglyphs` package), Cyrillic and Greek letters only.
- `styled_letters` (en): a whole word in one mathematical or fullwidth alphabet; material:
  the alphabets ("MATHEMATICAL BOLD", "FULLWIDTH LATIN", ...), from the same data.
- `separators` (en): a word's letters joined by one separator (`f.e.e`, `W h a t s A p p`);
  material: the separators.
- `emoji` (en, zh): an emoji inside a word (`f💰ee`, `培💰训费`) or, in English, between two
  words (`upfront💰fee`); material: the emoji.
- `leetspeak` (en): digits and symbols for letters (`Wh4tsApp`), each replaceable letter
  with chance 1/2, at least one; material: (letter, stand-in) pairs.
- `modifiers` (en, zh): one or two innocuous words inserted inside each evidence span at a
  word boundary (jieba's, for Chinese), or right before a one-word span; material: the
  modifier words. Texts without a flag's evidence are left unchanged.
- `bidi` (en, zh): the text or the claim stored reversed inside a right-to-left override,
  so a browser shows it in normal order; material: the variants (below).
- `zh_separators` (zh): a Chinese word's characters joined by one separator (`培*训*费`,
  `培 训 费`); material: the separators.
- `zh_short_forms` (zh): key terms written as short forms (微信 -> vx, 身份证 -> sfz, 刷单 ->
  sd), every occurrence; material: (term, form) pairs, the forms being pinyin initials
  (pypinyin, lower and upper case) and forms seen in scams (`SEEN_SHORT_FORMS`).

**Develop and held-out halves.** Each family's material is split in two by a seeded hash of
the item (`half_of`, seed `SEED`), as `detector.textnorm.lookalikes` splits the Chinese
lookalikes: the *develop* half may inform the reading (the lead's fold of disguises); the
*held-out* half is used only by this suite, so its figures measure the reading on disguises it
was not built from. An item's half never changes when items are added. The halves as they
are (`material(family, half)`; `detector rules disguises --material` prints every item):

- `separators`: develop `-` `*` `|` `+` `:` `·` and the space; held out `.` `_` `/` `~`
  `'` `,` `•` `^` `=`;
- `emoji`: develop 💵 💲 🔥 🎁 ❤ 👍 🤝 🏠 🍀; held out 💰 ✅ 👉 📱 💸 ⭐ 🌹 💯 🎉 😊 📞
  💎 🚀 ✨ 🧧;
- `leetspeak`: develop e>3 i>1 i>| o>0 s>$ l>1 l>| g>9 g>6 b>8 z>2; held out a>4 a>@ a>^
  i>! s>5 t>7 t>+;
- `modifiers`: develop small, one-time, refundable, standard, mandatory, required, initial,
  modest, basic, fixed, compulsory, nominal, usual, 一笔, 小额, 先行, 一次性, 必要, 基本,
  象征性; held out simple, minimal, official, quick, low, brief, flat, new, token, 统一, 少量,
  固定, 相关, 正规, 部分, 一定, 适当, 专门;
- `bidi`: develop `rlo`, `rlo_open`, `fsi`, `lri_open`; held out `rli`, `rli_open`, `lri`,
  `fsi_open` (see below);
- `zh_separators`: develop `*` `_` `、` `丨` `#` `^` `…` `＊` and the ideographic space;
  held out `·` `-` `/` `|` `.` `～` `★` `~` `+` and the space;
- `styled_letters`: develop fullwidth Latin and the mathematical bold, bold fraktur, bold
  italic, double-struck, fraktur, italic and sans-serif italic alphabets; held out the
  mathematical bold script, monospace, sans-serif, sans-serif bold, sans-serif bold italic
  and script alphabets;
- `lookalike_letters` (75 pairs) and `zh_short_forms` (65 pairs): split pair by pair, so a
  letter or a term may have lookalikes or short forms in both halves (微信 -> v信, 威信
  develop; wx, vx held out; 身份证 -> sfz held out).

`tests/evaluation/test_disguises.py` checks this list against `material()`.

**Bidi variants.** A run is stored reversed (paired brackets swapped, since a right-to-left
run shows each bracket mirrored) inside a right-to-left override, so a browser shows exactly
the original: `rlo` RLO ... PDF LRM (the mark keeps what follows out of the run); `rli`,
`fsi`, `lri` RLO ... PDF inside an isolate (RLI, FSI or LRI ... PDI); an `_open` variant
leaves the override unclosed (the end of the line closes it) and always covers whole
lines. A closed variant covers, with chance 1/2, only the claims (the flags' evidence
spans, else the target words), otherwise every line of the text. `tests/evaluation`
checks with GNU FriBidi (the Unicode bidi algorithm) that every variant shows the original.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from detector.flags.halves import DEVELOP, HELD_OUT
from detector.schema import Posting

SEED = "disguises-1"
HALVES = (DEVELOP, HELD_OUT)
#: Share of the words outside the flags' evidence that a word-level family also disguises.
OTHER_WORDS = 0.15
#: Chance that a replaceable letter of a target word is replaced (lookalikes, leetspeak).
LETTER_SHARE = 0.5

LOOKALIKE = "lookalike_letters"
STYLED = "styled_letters"
SEPARATORS = "separators"
EMOJI_FAMILY = "emoji"
LEET = "leetspeak"
MODIFIERS = "modifiers"
BIDI = "bidi"
ZH_SEPARATORS = "zh_separators"
ZH_SHORT = "zh_short_forms"

#: Bidi controls.
RLO, PDF, LRI, RLI, FSI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"
LRM = "\u200e"

SEPARATOR_CHARS: tuple[str, ...] = (
    ".", "-", "_", "*", "/", "|", "~", "'", ",", "+", "•", ":", "^", "=", "·", " ",
)
EMOJI: tuple[str, ...] = (
    "💰", "💵", "💲", "🔥", "✅", "👉", "📱", "💸", "🎁", "⭐", "❤", "👍", "🌹", "💯", "🎉",
    "😊", "📞", "💎", "🚀", "✨", "🧧", "🤝", "🏠", "🍀",
)
LEET_PAIRS: tuple[str, ...] = (
    "a>4", "a>@", "a>^", "e>3", "i>1", "i>!", "i>|", "o>0", "s>5", "s>$", "t>7", "t>+",
    "l>1", "l>|", "g>9", "g>6", "b>8", "z>2",
)
MODIFIER_WORDS: tuple[str, ...] = (
    # English adjectives a scammer slips into "registration fee", "pay a fee" ...
    "en:small", "en:one-time", "en:simple", "en:refundable", "en:standard", "en:minimal",
    "en:mandatory", "en:required", "en:initial", "en:modest", "en:basic", "en:official",
    "en:fixed", "en:quick", "en:compulsory", "en:low", "en:brief", "en:flat", "en:new",
    "en:nominal", "en:usual", "en:token",
    # Chinese words of the same kind (先行缴纳一笔统一培训费)
    "zh:一笔", "zh:统一", "zh:小额", "zh:先行", "zh:少量", "zh:一次性", "zh:固定", "zh:必要",
    "zh:相关", "zh:基本", "zh:正规", "zh:象征性", "zh:部分", "zh:一定", "zh:适当", "zh:专门",
)
BIDI_VARIANTS: tuple[str, ...] = (
    "rlo", "rlo_open", "rli", "rli_open", "fsi", "fsi_open", "lri", "lri_open",
)
ZH_SEPARATOR_CHARS: tuple[str, ...] = (
    "*", " ", "\u3000", "·", "-", "_", "/", "|", ".", "、", "～", "丨", "★", "#", "^", "…",
    "＊", "~", "+",
)
#: Key terms whose short forms scammers write; the forms are their pinyin initials (lower and
#: upper case, `short_forms`) plus those below, seen in scam texts and reports.
SHORT_FORM_TERMS: tuple[str, ...] = (
    "微信", "身份证", "刷单", "兼职", "银行卡", "支付宝", "淘宝", "保证金", "押金", "佣金",
    "日结", "培训费", "返利", "返佣", "转账", "工资", "客服", "拼多多", "京东", "点赞", "垫付",
    "充值", "提现", "会员费", "手续费", "做任务", "赚钱", "手机",
)
SEEN_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "微信": ("vx", "VX", "v信", "V信", "威信"),
    "支付宝": ("zfb", "ZFB", "支f宝"),
    "身份证": ("sfz", "身fen证"),
    "兼职": ("jz", "兼zhi"),
    "刷单": ("sd", "刷dan"),
}

#: Paired brackets: a right-to-left run shows each one as its mirror image.
_MIRROR_PAIRS = "()[]{}<>«»‹›（）【】《》「」『』〈〉〔〕［］｛｝"
MIRROR = {a: b for a, b in zip(_MIRROR_PAIRS[::2], _MIRROR_PAIRS[1::2], strict=True)}
MIRROR.update({b: a for a, b in MIRROR.items()})

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,}")
_EN_GAP = re.compile(r"(?<=\S)[ \t]+(?=\S)")


# ---------------------------------------------------------------- the split

def half_of(family: str, item: str) -> str:
    """`DEVELOP` or `HELD_OUT` for one item of a family's material (seeded hash)."""
    digest = hashlib.sha256(f"{SEED}:{family}:{item}".encode()).digest()
    return DEVELOP if digest[0] % 2 == 0 else HELD_OUT


def _split(family: str, items: Sequence[str], half: str) -> tuple[str, ...]:
    if half not in HALVES:
        raise ValueError(f"half must be {DEVELOP!r} or {HELD_OUT!r}, got {half!r}")
    return tuple(item for item in items if half_of(family, item) == half)


@cache
def confusable_pairs() -> tuple[str, ...]:
    """"letter>lookalike" for every Latin letter and each Cyrillic or Greek letter Unicode's
    confusables data says it can be mistaken for."""
    from confusable_homoglyphs.confusables import confusables_data

    pairs = []
    for latin in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for entry in confusables_data.get(latin) or ():
            char, name = entry["c"], entry["n"]
            if (len(char) == 1 and name.split()[0] in ("CYRILLIC", "GREEK")
                    and unicodedata.category(char).startswith("L")):
                pairs.append(f"{latin}>{char}")
    return tuple(pairs)


_STYLE_NAME = re.compile(r"^((?:MATHEMATICAL|FULLWIDTH) [A-Z -]*?) (SMALL|CAPITAL) (?:LETTER )?"
                         r"([A-Z])$")


@cache
def styled_alphabets() -> dict[str, dict[str, str]]:
    """Alphabet name -> {Latin letter: its letter in that alphabet}, from the confusables
    data (mathematical alphabets and fullwidth Latin)."""
    from confusable_homoglyphs.confusables import confusables_data

    out: dict[str, dict[str, str]] = {}
    for latin in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for entry in confusables_data.get(latin) or ():
            m = _STYLE_NAME.match(entry["n"])
            if not m or len(entry["c"]) != 1:
                continue
            style, case, letter = m.groups()
            # The entry must be this very letter (confusables also map l to capital I).
            if letter != latin.upper() or (case == "SMALL") != latin.islower():
                continue
            out.setdefault(style, {})[latin] = entry["c"]
    return out


def short_forms() -> tuple[str, ...]:
    """"term>form" for every term of `SHORT_FORM_TERMS`: pinyin initials (lower, upper
    case) and the forms of `SEEN_SHORT_FORMS`."""
    from pypinyin import Style, lazy_pinyin

    items: list[str] = []
    for term in SHORT_FORM_TERMS:
        initials = "".join(lazy_pinyin(term, style=Style.FIRST_LETTER))
        forms = [initials, initials.upper(), *SEEN_SHORT_FORMS.get(term, ())]
        for form in dict.fromkeys(forms):
            if form and form != term:
                items.append(f"{term}>{form}")
    return tuple(items)


def all_material(family: str) -> tuple[str, ...]:
    """Every item of a family's material, both halves."""
    return {
        LOOKALIKE: confusable_pairs,
        STYLED: lambda: tuple(sorted(styled_alphabets())),
        SEPARATORS: lambda: SEPARATOR_CHARS,
        EMOJI_FAMILY: lambda: EMOJI,
        LEET: lambda: LEET_PAIRS,
        MODIFIERS: lambda: MODIFIER_WORDS,
        BIDI: lambda: BIDI_VARIANTS,
        ZH_SEPARATORS: lambda: ZH_SEPARATOR_CHARS,
        ZH_SHORT: short_forms,
    }[family]()


def material(family: str, half: str) -> tuple[str, ...]:
    """The items of one half of a family's material (module docstring)."""
    return _split(family, all_material(family), half)


# ---------------------------------------------------------------- targets

def _rng(text: str, family: str, half: str, salt: str = "") -> random.Random:
    return random.Random(zlib.crc32(f"{family}|{half}|{salt}|{text}".encode()))


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


@cache
def _key_terms() -> re.Pattern[str]:
    from detector.textnorm.lookalikes import KEY_TERMS

    terms = sorted(set(KEY_TERMS) | set(SHORT_FORM_TERMS), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)))


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    try:
        import jieba_fast as jieba
    except ImportError:  # jieba_fast is jieba in C; plain jieba segments the same
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def zh_words(text: str) -> list[tuple[int, int]]:
    """(start, end) of jieba's words of two or more Han characters."""
    out = []
    for word, start, end in _jieba().tokenize(text, HMM=False):
        if _HAN_WORD.fullmatch(word):
            out.append((start, end))
    return out


def target_words(text: str, spans: Sequence[tuple[int, int]], lang: str,
                 rng: random.Random) -> list[tuple[int, int]]:
    """The words a word-level family disguises: every word touching a flag's evidence span
    (for Chinese also every key term), plus a share `OTHER_WORDS` of the others; at least
    one word when the text has any."""
    keys: list[tuple[int, int]] = []
    if lang == "zh":
        # Key terms are words of their own (jieba may cut 刷单返佣 into 刷, 单, 返佣).
        keys = [(m.start(), m.end()) for m in _key_terms().finditer(text)]
        words = sorted(keys + [w for w in zh_words(text) if not _overlaps(*w, keys)])
    else:
        words = [(m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]
    claims = _merge([*spans, *keys])
    picked = [w for w in words if _overlaps(*w, claims) or rng.random() < OTHER_WORDS]
    if not picked and words:
        picked = [words[rng.randrange(len(words))]]
    return picked


def _rewrite(text: str, pieces: Sequence[tuple[int, int]],
             make: Callable[[str], str]) -> str:
    """`text` with each (non-overlapping) piece replaced by `make(piece)`."""
    out, last = [], 0
    for start, end in sorted(pieces):
        if start < last:
            continue
        out += [text[last:start], make(text[start:end])]
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------- the families

def _pairs(items: Sequence[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for item in items:
        key, value = item.split(">", 1)
        table.setdefault(key, []).append(value)
    return table


def _swap_letters(word: str, table: dict[str, list[str]], rng: random.Random) -> str:
    places = [i for i, ch in enumerate(word) if ch in table]
    if not places:
        return word
    chosen = [i for i in places if rng.random() < LETTER_SHARE] or [rng.choice(places)]
    chars = list(word)
    for i in chosen:
        chars[i] = rng.choice(table[word[i]])
    return "".join(chars)


def _lookalikes(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    table = _pairs(items)
    return _rewrite(text, target_words(text, spans, lang, rng),
                    lambda w: _swap_letters(w, table, rng))


def _styled(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    alphabets = styled_alphabets()

    def style(word: str) -> str:
        table = alphabets[rng.choice(items)]
        return "".join(table.get(ch, ch) for ch in word)

    return _rewrite(text, target_words(text, spans, lang, rng), style)


def _leet(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    table = _pairs(items)
    table.update({k.upper(): v for k, v in table.items()})
    return _rewrite(text, target_words(text, spans, lang, rng),
                    lambda w: _swap_letters(w, table, rng))


def _separated(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    return _rewrite(text, target_words(text, spans, lang, rng),
                    lambda w: rng.choice(items).join(w))


def _emoji(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    pieces = target_words(text, spans, lang, rng)
    out = []
    for start, end in pieces:
        emoji = rng.choice(items)
        before = text[start - 1] if start else ""
        # Between two words (replacing the space before it) or inside the word.
        if lang == "en" and before in (" ", "\t") and rng.random() < 0.5:
            out.append((start - 1, start, emoji))
        else:
            cut = rng.randrange(start + 1, end)
            out.append((cut, cut, emoji))
    return _insert(text, out)


def _insert(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """Apply (start, end, replacement) edits (non-overlapping)."""
    out, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            continue
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    return "".join(out)


def _modifiers(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    words = [w.split(":", 1)[1] for w in items if w.startswith(f"{lang}:")]
    if not words:
        return text
    edits = []
    for start, end in _merge(spans):
        if lang == "zh":
            inner = [start + e for _, _, e in _jieba().tokenize(text[start:end], HMM=False)
                     ][:-1]
        else:
            inner = [start + m.start() for m in _EN_GAP.finditer(text[start:end])]
        extra = rng.sample(words, 2 if len(words) > 1 and rng.random() < 0.5 else 1)
        if inner:
            at = rng.choice(inner)
            new = "".join(extra) if lang == "zh" else " " + " ".join(extra)
        else:  # a one-word claim: the modifiers go right before it
            at = start
            new = "".join(extra) if lang == "zh" else " ".join(extra) + " "
        edits.append((at, at, new))
    return _insert(text, edits)


def mirror_reversed(text: str) -> str:
    """`text` reversed with paired brackets swapped: inside a right-to-left override a
    browser shows it as `text` (it reverses the run and mirrors each bracket)."""
    return "".join(MIRROR.get(ch, ch) for ch in reversed(text))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content (without its line break), non-blank only."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e")
        if body.strip():
            out.append((pos, pos + len(body)))
        pos += len(line)
    return out


#: Bidi variant -> (what goes before, what goes after) the reversed run. An `_open` variant
#: is not closed: the end of the line closes it, so it always covers whole lines. A closed
#: override that is not isolated ends with a left-to-right mark: without it the Unicode
#: bidi algorithm runs the digits or punctuation that follow (and a next override) into the
#: right-to-left run, and the browser shows them in the wrong place.
_BIDI_WRAP: dict[str, tuple[str, str]] = {
    "rlo": (RLO, PDF + LRM), "rlo_open": (RLO, ""),
    "rli": (RLI + RLO, PDF + PDI), "rli_open": (RLI + RLO, ""),
    "fsi": (FSI + RLO, PDF + PDI), "fsi_open": (FSI + RLO, ""),
    "lri": (LRI + RLO, PDF + PDI), "lri_open": (LRI + RLO, ""),
}


def _bidi(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    variant = rng.choice(items)
    head, tail = _BIDI_WRAP[variant]
    if not variant.endswith("_open") and rng.random() < 0.5:  # the claim only
        claims = _merge(spans) or target_words(text, spans, lang, rng)
        # An override ends at a line break: a claim across lines is wrapped line by line.
        pieces = [(max(a, s), min(b, e)) for s, e in claims for a, b in _lines(text)
                  if max(a, s) < min(b, e)]
    else:  # the whole text, line by line
        pieces = _lines(text)
    return _rewrite(text, pieces, lambda p: head + mirror_reversed(p) + tail)


def _zh_separated(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    return _rewrite(text, target_words(text, spans, lang, rng),
                    lambda w: rng.choice(items).join(w))


def _short_forms(text, spans, lang, items, rng):  # type: ignore[no-untyped-def]
    table = _pairs(items)
    if not table:
        return text
    pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    return pattern.sub(lambda m: rng.choice(table[m.group()]), text)


Apply = Callable[[str, Sequence[tuple[int, int]], str, Sequence[str], random.Random], str]


@dataclass(frozen=True)
class Family:
    """One way of disguising a text: its name, the languages it applies to, and how."""

    name: str
    languages: tuple[str, ...]
    what: str
    apply: Apply


FAMILIES: tuple[Family, ...] = (
    Family(LOOKALIKE, ("en",), "Cyrillic/Greek lookalike letters", _lookalikes),
    Family(STYLED, ("en",), "mathematical/fullwidth letters", _styled),
    Family(SEPARATORS, ("en",), "separators inside words", _separated),
    Family(EMOJI_FAMILY, ("en", "zh"), "emoji inside or between words", _emoji),
    Family(LEET, ("en",), "digits and symbols for letters", _leet),
    Family(MODIFIERS, ("en", "zh"), "innocuous words inserted inside the claim", _modifiers),
    Family(BIDI, ("en", "zh"), "stored reversed inside a right-to-left override", _bidi),
    Family(ZH_SEPARATORS, ("zh",), "separators inside Chinese words", _zh_separated),
    Family(ZH_SHORT, ("zh",), "short forms of key terms (vx, sfz, sd)", _short_forms),
)
FAMILY_NAMES = tuple(f.name for f in FAMILIES)


def get_family(name: str) -> Family:
    for family in FAMILIES:
        if family.name == name:
            return family
    raise KeyError(f"unknown disguise family {name!r}; known: {', '.join(FAMILY_NAMES)}")


def disguise(text: str, family: str, half: str, lang: str,
             spans: Sequence[tuple[int, int]] = ()) -> str:
    """`text` disguised by `family` with the material of `half` (`spans`: the evidence
    spans of the original's flags in this text). The same inputs give the same copy."""
    fam = get_family(family)
    if lang not in fam.languages or not text:
        return text
    items = material(family, half)
    if not items:
        return text
    return fam.apply(text, spans, lang, items, _rng(text, family, half))


def disguise_posting(posting: Posting, family: str, half: str, lang: str,
                     spans: dict[str, list[tuple[int, int]]] | None = None) -> Posting:
    """A copy of `posting` with every text field disguised (`spans`: per field, the
    evidence spans of the original's flags)."""
    spans = spans or {}
    fields = {name: disguise(text, family, half, lang, spans.get(name, ()))
              for name, text in posting.fields.items()}
    return replace(posting, fields=fields)
