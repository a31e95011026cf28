"""Text clean-up and tokenisers for the model.

Module-level functions (not lambdas) so that a fitted Pipeline pickles. Contacts are
folded into placeholder tokens because EMSCAD masks them (`#EMAIL_…#`) while other sites
show them in clear: the model must learn "there is an e-mail here", not "this is EMSCAD".
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

_TAG = re.compile(r"<[^>]{0,200}>")
_MASK = re.compile(r"#(URL|EMAIL|PHONE)_[0-9a-f]{6,}#")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_BARE_TLDS = ("com", "net", "org", "co", "io", "me", "ly", "cn", "in", "uk")
_URL_BARE = re.compile(rf"\b[\w-]+\.(?:{'|'.join(_BARE_TLDS)})/\S*")
#: What every bare link contains: tested first (a few substring searches in C), since "/"
#: alone is in most postings ("and/or") and the regex tries every word.
_BARE_MARKS = tuple(f".{tld}/" for tld in _BARE_TLDS)
#: A phone number (digits, with separators) or an SMS mask of 7+ x's:
#: `(?:\+?\d[\d\s().-]{7,}\d)|\b[xX]{7,}\b`, written to start with one character class, so
#: the regex engine skips from candidate to candidate instead of trying both branches at
#: every position (~5x cheaper; same matches, tests/model/test_text.py).
_PHONE = re.compile(r"[+\dxX](?:(?<=\+)\d[\d\s().-]{7,}\d|(?<=\d)[\d\s().-]{7,}\d"
                    r"|(?<=[xX])(?<!\w[xX])[xX]{6,}\b)")
#: A run of digits and separators that is a range or list of amounts, not a phone number:
#: 5000-8000, 3000 - 5000, 1.5-2.0 (salaries read as contact details before this).
_NUMBER_RANGE = re.compile(r"\d{1,6}(?:\.\d+)?(?:\s*[-~.]\s*\d{1,6}(?:\.\d+)?)*")
#: Fewest digits in a phone number (Chinese mobiles have 11, most landlines 7-8 + area code).
PHONE_MIN_DIGITS = 8
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z][a-z0-9'_]*|\d+")
_DIGIT = re.compile(r"\d")
_CLAUSE_END = re.compile(r"[.,;:!?。，；：！？、\n]+")
_PIECE = re.compile(r"[a-z][a-z0-9'_]*|\d+|[.,;:!?。，；：！？、\n]")
_NEGATION_EN = frozenset({"no", "not", "never", "without", "free", "don't", "won't", "nor",
                          "doesn't", "isn't", "aren't", "dont", "wont"})
_NEGATION_ZH = ("不", "无", "免", "没", "非", "勿", "禁止", "拒绝")
NEGATION_SCOPE = 3

_PLACEHOLDER = {"URL": " urltoken ", "EMAIL": " emailtoken ", "PHONE": " phonetoken "}


def clean_text(text: str, fold: Callable[[str], str] | None = None) -> str:
    """Normalise one field for the model: NFKC, no HTML, contacts as tokens, digits as 0;
    with `fold` (a `detector.textnorm.ZhFold`), Chinese folded too (traditional script,
    lookalike key terms)."""
    if not text:
        return ""
    # Each pattern runs only when its cheap marker is present: most postings have no
    # markup, e-mail or link, and these scans are most of the cost of cleaning.
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    if fold is not None:
        text = fold(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "#" in text:
        text = _MASK.sub(lambda m: _PLACEHOLDER[m.group(1)], text)
    if "@" in text:
        text = _EMAIL.sub(" emailtoken ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" urltoken ", text)
    if "/" in text and any(mark in text for mark in _BARE_MARKS):
        text = _URL_BARE.sub(" urltoken ", text)
    text = _PHONE.sub(_phone_or_number, text)
    text = _DIGIT.sub("0", text.lower())
    # Runs of whitespace as one space, ends trimmed: str.split and the regex `\s` agree on
    # what whitespace is (both Py_UNICODE_ISSPACE).
    return " ".join(text.split())


def _phone_or_number(match: re.Match[str]) -> str:
    run = match.group(0)
    if run[0] in "xX":
        return " phonetoken "
    if sum(c.isdigit() for c in run) < PHONE_MIN_DIGITS or _NUMBER_RANGE.fullmatch(run.strip()):
        return run
    return " phonetoken "


@cache
def _jieba():  # type: ignore[no-untyped-def]
    """jieba's segmenter, set up once, quietly, only when Chinese text needs it; its
    dictionary is loaded slice by slice as characters turn up (`jieba_dict`: the whole
    dictionary cost 0.5 s per process).

    `jieba_fast` is jieba's algorithm and dictionary in C (same segmentation, about 2.5x
    faster); plain jieba is the fallback where it could not be built.
    """
    import logging

    from detector.model.jieba_dict import Segmenter

    try:
        import jieba_fast as jieba
    except ImportError:
        import jieba

    jieba.setLogLevel(logging.WARNING)
    return Segmenter(jieba)


def tokenize(text: str) -> list[str]:
    """Words for English, jieba words for Chinese (mixed text works), negation marked.

    Up to NEGATION_SCOPE words after a negation in the same clause get a `neg_` prefix, so
    "no fees, no deposit" and 不收押金 do not read like a posting that asks for a fee.
    """
    han = _HAN_RUN.search(text)
    pieces = _jieba().lcut(text, HMM=False) if han else _PIECE.findall(text)
    tokens: list[str] = []
    scope = 0
    for piece in pieces:
        kind = _kind(piece)
        if kind == _CLAUSE:
            scope = 0
            continue
        if kind == _OTHER:
            continue
        if scope:
            tokens.append("neg_" + piece)
            scope -= 1
        else:
            tokens.append(piece)
        if kind == _NEGATION:
            scope = NEGATION_SCOPE
    return tokens


_OTHER, _CLAUSE, _WORD_KIND, _NEGATION = range(4)


@lru_cache(maxsize=200_000)
def _kind(piece: str) -> int:
    """What a segmenter piece is; cached because the same words recur across postings and
    two regex calls per piece were a fifth of the cost of tokenising."""
    if _CLAUSE_END.fullmatch(piece):
        return _CLAUSE
    if not _WORD.fullmatch(piece):
        return _OTHER
    if piece in _NEGATION_EN or piece.startswith(_NEGATION_ZH):
        return _NEGATION
    return _WORD_KIND


def split_tokens(text: str) -> list[str]:
    """The vectoriser's tokenizer for text that `tokenize` already split (space-joined)."""
    return text.split()
