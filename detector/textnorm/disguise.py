"""Undoing disguises: the text read as a person reads it, whatever a scammer did to it.

A scammer changes one letter, one character or the order of the text and posts again
(issue 26). `normalize` calls these passes so that the red flags, the fingerprints and the
models all read the undisguised words, and it records where a word had to be undone: that
is evidence in itself (`Normalized.disguises`, the red flag `disguised_text`).

- `bidi`: text inside a right-to-left override (U+202E ... U+202C) is stored reversed and
  shown in normal order by a browser; it is read in the order shown. Every character of the
  run maps to the whole run in the original (evidence covers the run). Isolates and
  embeddings do not reorder left-to-right text; their controls are dropped like every
  other format character.
- `confusables`: letters borrowed from another script (Cyrillic е for e, Greek ο for o, and
  the rest of Unicode's confusables data, UTS #39, through `confusable-homoglyphs`) read as
  the Latin letters they imitate, in a word that mixes them with Latin letters, or in an
  all-lookalike word whose Latin reading is a `LEXICON` word. A word really written in
  Russian, Kazakh or Greek (ООО «Ромашка») stays as written.
- `junk`: symbols, emoji and separators inside a word (`f.e.e`, `f💰ee`, `up*front`): the
  pieces are joined where they make a `LEXICON` word; symbols between words become spaces
  (`upfront💰fee` -> `upfront fee`). Ordinary hyphenation and abbreviations (e-mail,
  up-front costs, i.e., b2b) are left alone: only single letters are joined across hyphens
  and spaces, and only into lexicon words.
- `leet`: digits and signs standing for letters (`f33`, `T3legram`, `Wh4tsApp`), only where
  the letter reading is a `LEXICON` word; amounts, codes and dates never are (5OO, b2b, 401k,
  mp3, k8s). The fingerprints read the text before this pass (`Normalized.fingerprint_text`).

Chinese: separators between Han characters are removed by `normalize` (培 训 费, 培*训*费); a
symbol (not a space, `~` or `·`, which Chinese text uses between phrases: 欢迎加入~职位要求)
removed inside a key term (`ZH_TERMS`) is recorded as a disguise.
"""

from __future__ import annotations

import re
from functools import cache

from detector.textnorm.lookalikes import KEY_TERMS

#: Stands for a symbol or emoji between `normalize`'s first and second pass: kept one
#: character long so offsets stay simple, then turned into a space or removed.
SYMBOL = "\ue000"

#: English words scammers disguise: the vocabulary of the red flags' rules (money asked of
#: the applicant, payment channels, chat apps, personal data, task scams). Deliberately not
#: words that are legitimately hyphenated or dotted (e-mail, on-line, part-time, up-front is
#: covered by `upfront` only when dotted or split by symbols, not by a hyphen).
_LEXICON_WORDS = """
fee fees upfront registration register deposit deposits payment payments pay paying paid
payable charge charges cost training starter kit kits equipment laptop purchase purchased
purchasing buy bought refund refundable refunded processing application certification
background verification onboarding enrollment enrolment membership subscription
whatsapp telegram wechat weixin signal viber skype kik hangouts messenger
western union moneygram bitcoin btc crypto usdt tether ethereum wire transfer remit
gift giftcard giftcards card cards itunes steam amazon vanilla voucher vouchers check
cheque checks cheques deposit bank banking account routing ssn passport license licence
password pin otp identity social security
cash paypal zelle venmo cashapp money earn earning earnings income profit commission
commissions salary daily weekly instantly guaranteed guarantee
task tasks order orders like likes rating ratings review reviews recharge topup
reship reshipping parcel parcels package packages shipment mystery shopper
interview recruiter hiring manager urgent immediately limited
typing annotation mlm sticker stickers decal wrap
"""
LEXICON: frozenset[str] = frozenset(_LEXICON_WORDS.split())

#: Chinese key terms: a symbol removed inside one of them was a disguise.
ZH_TERMS: tuple[str, ...] = (*KEY_TERMS, "微信", "支付宝", "保证金", "押金", "培训费", "返佣")

_LEET_SIGNS = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "6": "g",
               "2": "z", "@": "a", "$": "s", "^": "a", "+": "t", "!": "i"}
#: `1` and `|` stand for i or l: both readings are tried.
_LEET = str.maketrans({**_LEET_SIGNS, "1": "i", "|": "i"})
#: Shortest vocabulary word the reading rebuilds (the lexicon's words count from three).
MIN_VOCAB_WORD = 4


def _readings(token: str) -> tuple[str, ...]:
    """`token` as it is, and read as leetspeak: each `1` or `|` as i or as l (every mix,
    up to four of them: `da11y`, `pharmac3ut1ca1`)."""
    if token.isalpha() and token.isascii():
        return (token,)
    base = token.translate(_LEET)  # every 1 and | as i
    ambiguous = [i for i, ch in enumerate(token) if ch in "1|"][:4]
    out = [token, base]
    for mask in range(1, 1 << len(ambiguous)):
        chars = list(base)
        for bit, at in enumerate(ambiguous):
            if mask >> bit & 1:
                chars[at] = "l"
        out.append("".join(chars))
    return tuple(out)


def as_word(token: str) -> str | None:
    """The lexicon word `token` spells (as it is, or read as leetspeak), else None. Words
    of fewer than three letters never count (c.v., h.r., i.e.). This is what makes a
    disguise a red flag."""
    if len(token) < 3:
        return None
    for read in _readings(token):
        if read in LEXICON:
            return read
    return None


#: Short words a claim is made of ("$300 to $400 per day", "no fee"), rebuilt from a
#: disguise although shorter than `MIN_VOCAB_WORD`: a closed list, so codes (b2b, 3d, k9)
#: and abbreviations stay as written.
_SHORT_WORDS = """a i to no is in on of at be do or up we per hr hrs day you the and for
are can get job now our pay via any all new top out off one two ten"""
SHORT_WORDS = frozenset(_SHORT_WORDS.split())


def as_known(token: str) -> str | None:
    """The word `token` spells: a lexicon word, one of `SHORT_WORDS`, or a vocabulary word
    of `MIN_VOCAB_WORD` letters or more (`detector.textnorm.vocabulary`), as it is or read
    as leetspeak. This is what the reading rebuilds (a disguised `you`, `to` or
    `marketing` is read as the word)."""
    from detector.textnorm.vocabulary import vocabulary

    found = as_word(token)
    if found is not None:
        return found
    words = vocabulary() if len(token) >= MIN_VOCAB_WORD else SHORT_WORDS
    for read in _readings(token):
        if read in words:
            return read
    return None


# --- bidi ----------------------------------------------------------------------------
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_OPENERS = {"\u202a": "ltr", "\u202b": "ltr", "\u202d": "ltr", "\u202e": "rtl",
            "\u2066": "ltr", "\u2067": "ltr", "\u2068": "ltr"}
_CLOSERS = "\u202c\u2069"


def has_override(text: str) -> bool:
    return "\u202e" in text


def _render(text: str, start: int, end: int) -> tuple[str, int]:
    """Visual order of text[start:end] opened by the control at `start - 1` of kind
    `rtl` (reversed) and nested runs; returns the rendered text and where the run ended."""
    pieces: list[str] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPENERS:
            inner, i = _render_run(text, i, end)
            pieces.append(inner)
            continue
        if ch in _CLOSERS or ch == "\n":
            break
        pieces.append(ch)
        i += 1
    return "".join(pieces), i


def _render_run(text: str, at: int, end: int) -> tuple[str, int]:
    """A run opened by the control at `at`: its visual text, and the index after it."""
    kind = _OPENERS[text[at]]
    inner, i = _render(text, at + 1, end)
    if i < end and text[i] in _CLOSERS:
        i += 1
    return (inner[::-1] if kind == "rtl" else inner), i


def bidi_edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, visual text) for every outermost run that contains an override."""
    edits: list[tuple[int, int, str]] = []
    i, size = 0, len(text)
    while i < size:
        ch = text[i]
        if ch in _OPENERS:
            rendered, after = _render_run(text, i, size)
            if "\u202e" in text[i:after]:
                edits.append((i, after, rendered))
            i = max(after, i + 1)
        else:
            i += 1
    return edits


# --- confusables ---------------------------------------------------------------------
@cache
def confusable_table() -> dict[str, str]:
    """Non-ASCII letter -> the ASCII letter it imitates (UTS #39 confusables data)."""
    from confusable_homoglyphs.confusables import confusables_data

    out: dict[str, str] = {}
    for char, entries in confusables_data.items():
        if len(char) != 1 or char.isascii() or not char.isalpha():
            continue
        for entry in entries:
            target = entry["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                out[char] = target
                break
    return out


_NON_HAN_WORD = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@cache
def _borrowed_gate() -> re.Pattern[str]:
    """The 256-character blocks holding a lookalike letter (Cyrillic, Greek, IPA, Cherokee,
    fullwidth ...): a few ranges, so a text without any is passed over at regex speed."""
    blocks = sorted({ord(c) >> 8 for c in confusable_table()})
    ranges: list[tuple[int, int]] = []
    for block in blocks:
        if ranges and ranges[-1][1] == block - 1:
            ranges[-1] = (ranges[-1][0], block)
        else:
            ranges.append((block, block))
    parts = "".join(f"{chr(a << 8)}-{chr((b << 8) | 0xFF)}" for a, b in ranges)
    return re.compile(f"[{parts}]")


def confusable_edits(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, Latin reading, is it a lexicon word) for each word to read as Latin."""
    if _borrowed_gate().search(text) is None:
        return []
    table = confusable_table()
    edits: list[tuple[int, int, str, bool]] = []
    for m in _NON_HAN_WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        mapped = [table.get(c) for c in word]
        if not any(mapped):
            continue
        latin = any(c.isascii() for c in word)
        if not latin and not all(mapped):
            continue  # a word of another script, with letters no Latin one imitates
        reading = "".join(t or c for t, c in zip(mapped, word, strict=True))
        if not reading.isascii():
            continue
        if latin or as_known(reading.lower()) is not None:
            edits.append((m.start(), m.end(), reading, as_word(reading.lower()) is not None))
    return edits


# --- symbols, separators and leetspeak inside words ------------------------------------
#: Separators between multi-letter pieces of a word (`up*front`, `f💰ee`); dots, hyphens,
#: slashes and spaces only between single letters (`normalize`'s spaced-letter pass).
_JUNK = frozenset(f"{SYMBOL}*·|~+_\\")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$")
_PIECE = re.compile("[a-z0-9@$]+")


#: The cost of a group of pieces that spells no word (see `_groups`).
UNKNOWN_COST = 30.0


def word_cost(token: str) -> float:
    """How unlikely `token` is as one word (minus log of its share in the vocabulary; a
    lexicon word about as likely as a common word); `UNKNOWN_COST` when it is none."""
    from detector.textnorm.vocabulary import EXTRA_COST, vocabulary

    words = vocabulary()
    best = UNKNOWN_COST + len(token)
    for read in _readings(token):
        if read in LEXICON and len(read) >= 3:
            best = min(best, EXTRA_COST, words.get(read, EXTRA_COST))
        elif read in words and (len(read) >= MIN_VOCAB_WORD or read in SHORT_WORDS):
            best = min(best, words[read])
    return best


#: A number between symbols is a plausible piece of its own ($400❤To).
NUMBER_COST = 8.0


def _group_cost(pieces: list[str]) -> float:
    """A known word costs its `word_cost`; pieces that spell none cost `UNKNOWN_COST` each,
    so unknown pieces are never glued together for nothing."""
    joined = "".join(pieces)
    cost = word_cost(joined)
    if cost < UNKNOWN_COST:
        return cost
    if len(pieces) == 1 and joined.isdigit():
        return NUMBER_COST
    return UNKNOWN_COST * len(pieces) + len(joined)


def _groups(pieces: list[str]) -> list[tuple[int, int]]:
    """Consecutive pieces grouped into the most likely words: the grouping of least total
    `word_cost` (`loo👍king` is looking, `We🏠are` is we are, `regis💰tration` is one
    word)."""
    n = len(pieces)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for end in range(1, n + 1):
        for start in range(max(0, end - 12), end):
            total = best[start][0] + _group_cost(pieces[start:end])
            if total < best[end][0]:
                best[end] = (total, start)
    groups: list[tuple[int, int]] = []
    end = n
    while end > 0:
        start = best[end][1]
        groups.append((start, end))
        end = start
    return groups[::-1]


def letter_groups(letters: str) -> list[tuple[int, int]] | None:
    """Spaced-out single letters split into the words they spell (`a u p f r o n t f e e` ->
    a, upfront, fee): the cheapest split into vocabulary and lexicon words
    (`vocabulary.splitwords`), if there is one with a word of three letters or more and no
    two-letter pieces that are not words; else None."""
    from detector.textnorm.vocabulary import splitwords

    words = splitwords(letters, LEXICON)
    if words is None or max(map(len, words)) < 3:
        return None
    groups, at = [], 0
    for word in words:
        groups.append((at, at + len(word)))
        at += len(word)
    return groups


def _token_around(text: str, at: int) -> tuple[int, int]:
    """The run of letters, digits and in-word separators around position `at`."""
    lo, hi = at, at + 1
    while lo > 0 and (text[lo - 1] in _ALNUM or text[lo - 1] in _JUNK):
        lo -= 1
    while hi < len(text) and (text[hi] in _ALNUM or text[hi] in _JUNK):
        hi += 1
    return lo, hi


def junk_sites(text: str) -> list[int]:
    """Positions of separators with a letter or digit on each side (within 3 characters):
    found with `str.find` per separator, so text without them costs almost nothing."""
    sites = []
    for junk in _JUNK:
        at = text.find(junk)
        while at >= 0:
            if at > 0 and text[at - 1] in _ALNUM:
                nxt = at + 1
                while nxt < len(text) and nxt - at <= 3 and text[nxt] in _JUNK:
                    nxt += 1
                if nxt < len(text) and text[nxt] in _ALNUM:
                    sites.append(at)
            at = text.find(junk, at + 1)
    return sites


def junk_edits(text: str) -> tuple[list[tuple[int, int, tuple[int, ...]]],
                                   list[tuple[int, int]]]:
    """Edits that join the pieces of words split by symbols or separators where they spell a
    lexicon word, and the spans (in `text`) of those words. Symbols left between words
    become spaces later (`symbols_to_spaces`)."""
    edits: list[tuple[int, int, tuple[int, ...]]] = []
    done = -1
    for site in sorted(junk_sites(text)):
        if site < done:
            continue
        lo, hi = _token_around(text, site)
        done = hi
        pieces = list(_PIECE.finditer(text, lo, hi))
        if all(len(p.group()) == 1 for p in pieces) or as_known(text[lo:hi]) is not None:
            continue  # spaced-out letters (normalize's pass) or leetspeak (m|m, c+ash)
        for a, b in _groups([p.group() for p in pieces]):
            if b - a < 2:
                continue
            start, end = pieces[a].start(), pieces[b - 1].end()
            keep = tuple(k - start for p in pieces[a:b] for k in range(p.start(), p.end()))
            edits.append((start, end, keep))
    return edits, [(a, b) for a, b, _ in edits]


_JUNK_GATE = re.compile("[" + re.escape("".join(sorted(_JUNK))) + "]")


def may_hide_words(text: str) -> bool:
    """A cheap test before `junk_edits`: an in-word separator or symbol anywhere."""
    return _JUNK_GATE.search(text) is not None


def symbols_to_spaces(text: str) -> str:
    """Every symbol placeholder left becomes a space (1:1)."""
    return text.replace(SYMBOL, " ") if SYMBOL in text else text


_LEET_SITE = re.compile(r"[0-9@$!|^+](?<=[a-z][0-9@$!|^+])|[0-9@$!|^+](?=[a-z])")
_LEET_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|^+")


def may_hide_leet(text: str) -> bool:
    """A cheap test before `leet_edits`: a digit or sign glued to a letter."""
    return _LEET_SITE.search(text) is not None


def leet_edits(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, letters, is it a lexicon word) for each token whose letter reading is a
    known word (`as_known`); signs at a token's end are punctuation (`now!`), not letters."""
    out: list[tuple[int, int, str, bool]] = []
    done = -1
    chars = _LEET_TOKEN_CHARS
    for m in _LEET_SITE.finditer(text):
        if m.start() < done:
            continue
        lo, hi = m.start(), m.end()
        while lo > 0 and text[lo - 1] in chars:
            lo -= 1
        while hi < len(text) and text[hi] in chars:
            hi += 1
        done = hi
        while hi > lo and text[hi - 1] == "!":
            hi -= 1
        token = text[lo:hi]
        if not token or token.isalpha() or _looks_like_a_code(token):
            continue
        word = as_known(token)
        if word is not None and word != token and len(word) == len(token):
            out.append((lo, hi, word, as_word(token) is not None))
    return out


def _looks_like_a_code(token: str) -> bool:
    """A numbered item (review5, 5review) or a three-character code that starts with a
    digit (the inward part of a UK postcode: 0TP, 5SN, 8UY): not letters written as
    digits."""
    letters = token.strip("0123456789")
    if letters != token and as_known(letters) is not None:
        return True
    return len(token) == 3 and not token[0].isalpha()


#: Short forms of key terms read as the terms (Chinese text beside them): each term's pinyin
#: initials (sfz 身份证, bzj 保证金) and the term with one character written in pinyin or its
#: initial (刷dan, 兼zhi, 身fen证, 支f宝), made with pypinyin from `ZH_TERMS`. Left out: chat-app
#: names (vx, v信: the contact rules read them as evidence of evasion), initials two terms
#: share (yj: 押金 or 佣金?), and initials that real legit Chinese postings use for
#: something else, counted beside Han characters in the labelled corpus's legit rows:
#: ms (面试, 106 times), hk, jd, tb, lr, sj, bd, wf, dz, pd, cp (4 to 33 times each), tm.
NOT_SHORT_FORMS = frozenset({"ms", "hk", "jd", "tb", "lr", "sj", "bd", "wf", "dz", "pd",
                             "cp", "tm"})
#: Terms whose short forms are not read (chat apps, see above).
_NO_SHORT_TERMS = frozenset({"微信"})
#: An ordinary abbreviation that looks like a short form: an SD card (SD卡).
_NOT_SHORT = {"sd": "卡"}


@cache
def short_forms() -> dict[str, str]:
    """Short form -> the key term it stands for (see above)."""
    from pypinyin import Style, lazy_pinyin

    initials: dict[str, set[str]] = {}
    mixed: dict[str, str] = {}
    for term in sorted(set(ZH_TERMS) - _NO_SHORT_TERMS):
        spelled = lazy_pinyin(term)
        firsts = lazy_pinyin(term, style=Style.FIRST_LETTER)
        initials.setdefault("".join(firsts), set()).add(term)
        if len(term) < 2:
            continue
        for i in range(len(term)):
            # One initial in a two-character term (招p, 返x, 日x, s工) is read in model
            # numbers, masked digits and codes of legit postings (招p7, 返x, k8s工程师): only a
            # whole syllable there (刷dan, 兼zhi); an initial in longer terms (支f宝, 身f证).
            for latin in {spelled[i], firsts[i]} if len(term) > 2 else {spelled[i]}:
                if latin.isascii() and latin.isalpha():
                    mixed.setdefault(term[:i] + latin + term[i + 1:], term)
    out = {form: next(iter(terms)) for form, terms in initials.items()
           if len(terms) == 1 and len(form) >= 2 and form not in NOT_SHORT_FORMS}
    out.update(mixed)
    return out


_LATIN_RUN = re.compile("[a-z]+")
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _longest_form() -> int:
    return max(map(len, short_forms()))


def short_form_edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) for each short form beside Chinese text (lower-case text). Each run
    of Latin letters is read as one form or two glued together (sdjz, 刷dangz): a form made
    of initials needs a Han character within two characters on its side; a form spelled with
    Han characters (刷dan, 身fen证) takes them from around the run."""
    forms = short_forms()
    out: list[tuple[int, int, str]] = []
    if not _HAN.search(text):  # English text: no form can be read (most postings)
        return out
    longest = 2 * _longest_form()
    for m in _LATIN_RUN.finditer(text):
        start, end = m.span()
        # Every form has a Han character within two characters of the run (see _form_at),
        # and no run longer than two forms is one or two of them: skip the rest cheaply.
        if end - start > longest or not (_HAN.search(text, max(0, start - 2), start) or
                                         _HAN.search(text, end, end + 2)) or \
                _in_a_code(text, start, end):
            continue
        run = m.group()
        for cut in [len(run), *range(len(run) - 1, 0, -1)]:
            head = _form_at(text, forms, start, start + cut, left=True, right=cut == len(run))
            tail = None if cut == len(run) else _form_at(text, forms, start + cut, end,
                                                          left=False, right=True)
            if head and (tail or cut == len(run)):  # glued forms: both halves are forms
                for found in (head, tail):
                    if found is not None and (not out or found[0] >= out[-1][1]):
                        out.append(found)
                break
    return out


#: What joins codes in a list of them (SD、SDIO; SD-WAN; SHP，MIF).
_CODE_JOINERS = frozenset("-、,，/&+.·")


def _in_a_code(text: str, start: int, end: int) -> bool:
    """Letters that belong to a code, not a short form: beside a digit or an underscore
    (rs232, zz190012, gz_minstone, 4721fl), or joined to another code (SD、SDIO, SD-WAN,
    SHP，MIF): IT postings list interfaces and formats beside Chinese text."""
    if any(ch.isdigit() or ch == "_" for ch in text[max(0, start - 1):start] +
           text[end:end + 1]):
        return True
    after, before = text[end:end + 2], text[max(0, start - 2):start]
    return (len(after) == 2 and after[0] in _CODE_JOINERS and after[1].isascii()
            and after[1].isalnum()) or \
        (len(before) == 2 and before[1] in _CODE_JOINERS and before[0].isascii()
         and before[0].isalnum())


def _form_at(text: str, forms: dict[str, str], start: int, end: int, left: bool,
             right: bool) -> tuple[int, int, str] | None:
    """The short form whose Latin part is text[start:end], with the Han characters around
    it where `left`/`right` allow, or None."""
    for before in (range(3, -1, -1) if left else (0,)):
        for after in (range(3, -1, -1) if right else (0,)):
            a, b = start - before, end + after
            if a < 0 or b > len(text):
                continue
            piece = text[a:b]
            if piece not in forms or not all(_is_han(c) for c in text[a:start] + text[end:b]):
                continue
            if before or after:
                return a, b, forms[piece]
            near = (text[max(0, start - 2):start] if left else "") + \
                (text[end:end + 2] if right else "")
            if any(_is_han(c) for c in near) and text[end:end + 1] != _NOT_SHORT.get(piece):
                return a, b, forms[piece]
    return None


def zh_term_at(text: str, left: int, right: int) -> bool:
    """Do the Han characters around a removed gap (`text[left]`, `text[right]`) sit inside
    one of `ZH_TERMS`? Other separators nearby are skipped (培*训*费)."""
    before = "".join(c for c in text[max(0, left - 8):left + 1] if _is_han(c))
    after = "".join(c for c in text[right:right + 9] if _is_han(c))
    for term in ZH_TERMS:
        for k in range(1, len(term)):
            if before.endswith(term[:k]) and after.startswith(term[k:]):
                return True
    return False


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
