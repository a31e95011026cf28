"""Fuzzy fingerprints: a posting -> masked character shingles -> a MinHash signature.

What a repost of a campaign changes is the phone number, the contact name, the city, the
amount, the company name, the formatting; what it keeps is the wording. So (each choice
measured by the threshold study of `detector campaigns evaluate`):

- only the wording fields are fingerprinted (`FIELDS`): company names and profiles,
  locations, salaries and contacts are what a repost changes (and where a crawler's page
  furniture sits);
- each field goes through `detector.flags.normalize` (case, width, obfuscation, and the
  Chinese folding of key terms), then links, e-mail addresses, EMSCAD's `#URL_…#`
  placeholders and SMS digit masks (`xxxx`) are blanked, and every character that is not a
  Latin letter or a Han character is dropped: digits (phone numbers, amounts,
  and the letters glued to them: chat handles), spaces and punctuation (reformatting); so
  are Chinese numerals (七八千, 一万: amounts);
- shingles are `K` consecutive kept characters, in both languages;
- the signature is `NUM_PERM` MinHash values over 64-bit shingle hashes (a numpy rolling
  hash), computed by rensa's RMinHash (chosen over datasketch by
  `benchmarks/bench_campaigns.py`: ~100x less CPU per posting for the same signature size).

The estimated Jaccard similarity of two signatures is the share of equal positions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from detector.flags.context import normalize_field
from detector.flags.normalize import Normalized, normalize
from detector.schema import Posting
from detector.verdict import Evidence

FIELDS: tuple[str, ...] = ("title", "description", "requirements", "benefits", "text")
#: Characters per shingle (both languages: the study found no gain from 3 or 4 for Chinese).
K = 5
NUM_PERM = 128
SEED = 20261204
#: Texts with fewer kept characters than this get no fingerprint: "Data entry clerk,
#: full time" is not a campaign, and a short text's similarity is too noisy to act on.
MIN_KEY_CHARS = 30
#: Longest key fingerprinted (characters): a repost keeps its opening; the cap bounds cost.
MAX_KEY_CHARS = 6000
#: Evidence: at most this many shared spans per posting.
MAX_SPANS = 10

_PLACEHOLDERS = re.compile(r"#(?:url|email|phone)_[0-9a-z]+#|https?://\S+|www\.\S+")
_EMAILS = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9.\-]+")
_DIGIT_MASKS = re.compile(r"(?<![a-z])x{2,}(?![a-z])")
#: Chinese numerals are amounts as often as digits are (月入七八千, 满一万元): dropped too.
_HAN_NUMERALS = "零〇一二三四五六七八九十百千万亿两"
_DROP = re.compile(rf"[^a-z\u3400-\u4dbf\u4e00-\u9fff]+|[{_HAN_NUMERALS}]+")
_KEPT_RUN = re.compile(rf"(?:(?![{_HAN_NUMERALS}])[a-z\u3400-\u4dbf\u4e00-\u9fff])+")
_DIGIT_RUN = re.compile(r"\d+")
_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")
_ALNUM_GAP = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")

_MUL = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
#: Probes of the normaliser: when `normalize` learns new folds (traditional script,
#: lookalikes), their output changes, so does the scheme, and stored fingerprints made
#: with the old folding are recomputed (see `detector.campaigns.memory`).
_PROBES = "單 兼職 網店 簡歷 刷単 薇信 扣扣 ＷＥＣＨＡＴ 微❤信 W.h.a.t.s.A.p.p 5OO 1O00 Tｅlegram"


def _with_digits(text: str, fill: Callable[[int], str]) -> str:
    """Letters glued to digits replaced too: chat handles (bz2580, vx_8866) change from one
    repost to the next like the numbers in them. Found from the digit runs (a regex that
    looked for them at every letter cost more than all the rest of the key)."""
    spans = []
    for m in _DIGIT_RUN.finditer(text):
        start, end = m.span()
        while start > 0 and text[start - 1] in _HANDLE_CHARS:
            start -= 1
        while end < len(text) and text[end] in _HANDLE_CHARS:
            end += 1
        if (start, end) != m.span():
            spans.append((start, end))
    if not spans:
        return text
    parts, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        parts += [text[at:start], fill(end - start)]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _blank(text: str) -> str:
    """Links, e-mails, digit masks and handles replaced by spaces of the same length."""
    def spaces(m: re.Match[str]) -> str:
        return " " * (m.end() - m.start())

    text = _PLACEHOLDERS.sub(spaces, text)
    if "@" in text:
        text = _EMAILS.sub(spaces, text)
    if "xx" in text:
        text = _DIGIT_MASKS.sub(spaces, text)
    return _with_digits(text, lambda n: " " * n)


def key_of_normalised(text: str) -> str:
    """The kept characters of one normalised field (the fast path: no positions)."""
    text = _PLACEHOLDERS.sub(" ", text)
    if "@" in text:
        text = _EMAILS.sub(" ", text)
    if "xx" in text:
        text = _DIGIT_MASKS.sub(" ", text)
    return _DROP.sub("", _with_digits(text, lambda n: " "))


def normalised_fields(posting: Posting) -> list[tuple[str, Normalized]]:
    return [(name, normalize_field(posting.fields[name])) for name in FIELDS
            if name in posting.fields]


def key_of(posting: Posting) -> str:
    """What the signature is computed from: the kept characters of every wording field."""
    return "".join(key_of_normalised(norm.text) for _, norm in normalised_fields(posting))


def key_of_text(text: str) -> str:
    """The key of a pasted text (a list of known scam texts; tests)."""
    return key_of_normalised(normalize(text).text)


def shingle_hashes(key: str) -> np.ndarray:
    """64-bit hashes of every K-character window of `key` (duplicates kept)."""
    n = len(key) - K + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.full(n, SEED, dtype=np.uint64)
    for j in range(K):
        h = h * _MUL + codes[j:j + n]
    h ^= h >> np.uint64(31)
    h *= _MIX1
    h ^= h >> np.uint64(29)
    h *= _MIX2
    h ^= h >> np.uint64(32)
    return h


def signatures(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (n, NUM_PERM) uint32 of many keys in one call, and a mask of the
    keys long enough to have one (rows of the others are zeros)."""
    import rensa

    keys = [key[:MAX_KEY_CHARS] for key in keys]
    usable = np.array([len(key) >= MIN_KEY_CHARS for key in keys], dtype=bool)
    out = np.zeros((len(keys), NUM_PERM), dtype=np.uint32)
    chosen = [key for key, ok in zip(keys, usable, strict=True) if ok]
    if not chosen:
        return out, usable
    parts = [shingle_hashes(key) for key in chosen]
    offsets = np.zeros(len(parts) + 1, dtype=np.uint64)
    np.cumsum([len(p) for p in parts], out=offsets[1:])
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        np.concatenate(parts), offsets, NUM_PERM, SEED)
    out[usable] = np.array(matrix.to_rows(), dtype=np.uint32)
    return out, usable


def signature_of(posting: Posting) -> np.ndarray | None:
    sig, ok = signatures([key_of(posting)])
    return sig[0] if ok[0] else None


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))


@cache
def scheme() -> str:
    """Names everything a stored signature depends on; a stored one of another scheme is
    recomputed from its posting's text."""
    import rensa

    probe = hashlib.sha256(normalize(_PROBES).text.encode("utf-8")).hexdigest()[:8]
    return (f"mh{rensa.RMinHash.ALGORITHM_VERSION}-k{K}-p{NUM_PERM}-s{SEED}"
            f"-m{MIN_KEY_CHARS}-n{probe}")


def to_bytes(signature: np.ndarray) -> bytes:
    return np.ascontiguousarray(signature, dtype="<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True, slots=True)
class _KeyMap:
    """The key of a posting with, per kept character, its field and normalised offset."""

    key: str
    fields: list[tuple[str, Normalized]]
    field_of: np.ndarray
    position: np.ndarray


def _key_map(posting: Posting) -> _KeyMap:
    parts: list[str] = []
    field_of: list[np.ndarray] = []
    position: list[np.ndarray] = []
    fields = normalised_fields(posting)
    for index, (_, norm) in enumerate(fields):
        runs = list(_KEPT_RUN.finditer(_blank(norm.text)))
        pos = (np.concatenate([np.arange(m.start(), m.end()) for m in runs]) if runs
               else np.zeros(0, dtype=np.int64))
        parts.append("".join(m.group() for m in runs))
        position.append(pos)
        field_of.append(np.full(len(pos), index))
    return _KeyMap("".join(parts), fields,
                   np.concatenate(field_of) if field_of else np.zeros(0, dtype=np.int64),
                   np.concatenate(position) if position else np.zeros(0, dtype=np.int64))


def shared_spans(posting: Posting, known_key: str) -> tuple[Evidence, ...]:
    """Spans of the posting's original text whose shingles the known scam also has: the
    wording the two share (numbers, links and punctuation between shared words included
    only where nothing but spaces or punctuation separates them)."""
    mapped = _key_map(posting)
    key = mapped.key[:MAX_KEY_CHARS]
    hashes = shingle_hashes(key)
    if not len(hashes):
        return ()
    known = np.unique(shingle_hashes(known_key[:MAX_KEY_CHARS]))
    shared = np.isin(hashes, known)
    covered = np.zeros(len(key), dtype=bool)
    for start in np.flatnonzero(shared):
        covered[start:start + K] = True
    spans: list[tuple[int, int, int]] = []  # (field index, normalised start, end)
    for i in np.flatnonzero(covered):
        f, p = int(mapped.field_of[i]), int(mapped.position[i])
        if spans and spans[-1][0] == f and _joins(mapped.fields[f][1].text, spans[-1][2], p):
            spans[-1] = (f, spans[-1][1], p + 1)
        else:
            spans.append((f, p, p + 1))
    spans.sort(key=lambda s: s[1] - s[2])  # longest first
    out = []
    for f, s, e in spans[:MAX_SPANS]:
        name, norm = mapped.fields[f]
        start, end = norm.span(s, e)
        out.append(Evidence(name, start, end, norm.original[start:end]))
    order = {name: i for i, (name, _) in enumerate(mapped.fields)}
    return tuple(sorted(out, key=lambda ev: (order[ev.field], ev.start)))


def _joins(text: str, end: int, nxt: int) -> bool:
    """Consecutive kept characters belong to one span unless masked content (digits,
    a link, a masked number) lies between them, not just spaces or punctuation."""
    return nxt == end or _ALNUM_GAP.search(text, end, nxt) is None
