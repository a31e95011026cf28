"""Fuzzy fingerprints: a posting -> masked character shingles -> a MinHash signature.

What a repost of a campaign changes is the phone number, the contact name, the city, the
amount, the company name, the formatting; what it keeps is the wording. So (each choice
measured by the threshold study of `detector campaigns evaluate`):

- only the wording fields are fingerprinted (`FIELDS`): company names and profiles,
  locations, salaries and contacts are what a repost changes (and where a crawler's page
  furniture sits);
- each field is the pipeline's reading of it (`detector.textnorm.reading`: case, width,
  obfuscation, and the Chinese folding of key terms), then links, e-mail addresses,
  EMSCAD's `#URL_…#` placeholders and SMS digit masks (`xxxx`) are blanked, and every
  character that is not a Latin letter or a Han character is dropped: digits (phone
  numbers, amounts, and the letters glued to them: chat handles), spaces and punctuation
  (reformatting); so are Chinese numerals (七八千, 一万: amounts);
- shingles are `K` consecutive kept characters, in both languages;
- the signature is `NUM_PERM` MinHash values over 64-bit shingle hashes (a numpy rolling
  hash), computed by rensa's RMinHash (chosen over datasketch by
  `benchmarks/bench_campaigns.py`: ~100x less CPU per posting for the same signature size).

The estimated Jaccard similarity of two signatures is the share of equal positions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from detector.schema import Posting
from detector.textnorm.normalize import Normalized, normalize
from detector.textnorm.reading import Reading, read
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

#: Each with a literal start, so the regex engine jumps from one candidate to the next.
_PLACEHOLDERS = re.compile(r"#(?:url|email|phone)_[0-9a-z]+#")
_URLS = re.compile(r"https?://\S+")
_WWW = re.compile(r"www\.\S+")
_EMAIL_LOCAL = re.compile(r"[a-z0-9._%+\-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[a-z0-9.\-]+")
_DIGIT_MASKS = re.compile(r"(?<![a-z])x{2,}(?![a-z])")
#: Chinese numerals are amounts as often as digits are (月入七八千, 满一万元): dropped too.
_HAN_NUMERALS = "零〇一二三四五六七八九十百千万亿两"
_ALNUM_GAP = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]")

_MUL = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
#: Probes of the normaliser: when `normalize` learns new folds (traditional script,
#: lookalikes), their output changes, so does the scheme, and stored fingerprints made
#: with the old folding are recomputed (see `detector.campaigns.memory`).
_PROBES = ("單 兼職 網店 簡歷 刷単 薇信 扣扣 ＷＥＣＨＡＴ 微❤信 W.h.a.t.s.A.p.p 5OO 1O00 Tｅlegram"
           " f\u0435\u0435 Uni\u043en f.e.e up\U0001f4b0fee a u.p.f.r.o.n.t f.e.e 培*训*费"
           " \u202e单刷\u202c")


_KEPT, _DIGIT, _HANDLE = 1, 2, 4


@cache
def _table() -> np.ndarray:
    """Per BMP code point, bit flags: kept (a Latin letter or a Han character, not a
    numeral), a digit, a letter of a chat handle (a-z, _)."""
    table = np.zeros(0x10000, dtype=np.uint8)
    table[ord("a"):ord("z") + 1] = _KEPT | _HANDLE
    table[0x3400:0x4DC0] = _KEPT
    table[0x4E00:0xA000] = _KEPT
    table[[ord(c) for c in _HAN_NUMERALS]] = 0
    table[ord("0"):ord("9") + 1] = _DIGIT
    table[ord("_")] = _HANDLE
    table[0xFFFF] = 0  # where every code point beyond the BMP is looked up
    return table


def _spaces(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _blank(text: str) -> str:
    """Links, e-mails and SMS digit masks replaced by spaces of the same length (offsets
    stay put). Each is looked for only when a cheap test says it may be there."""
    if "#" in text:
        text = _PLACEHOLDERS.sub(_spaces, text)
    if "http" in text:
        text = _URLS.sub(_spaces, text)
    if "www." in text:
        text = _WWW.sub(_spaces, text)
    if "@" in text:
        text = _blank_emails(text)
    if "xx" in text:
        text = _DIGIT_MASKS.sub(_spaces, text)
    return text


def _blank_emails(text: str) -> str:
    """From each @, the address around it (a regex starting with a character class would
    be tried at every position of the text)."""
    spans = []
    at = text.find("@")
    while at >= 0:
        left = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        right = _EMAIL_DOMAIN.match(text, at + 1)
        if left and right:
            spans.append((left.start(), right.end()))
        at = text.find("@", at + 1)
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _keep(codes: np.ndarray) -> np.ndarray:
    """Which code points of a blanked text are kept: letters and Han characters, except
    numerals and the letters of a run glued to a digit (chat handles like bz2580, vx_8866,
    which change from one repost to the next like the numbers in them)."""
    flags = _table()[np.minimum(codes, 0xFFFF)]
    keep = (flags & _KEPT).astype(bool)
    digit = (flags & _DIGIT).astype(bool)
    letter = (flags & _HANDLE).astype(bool)
    glued = np.zeros(len(codes), dtype=bool)  # letters touching a digit
    glued[:-1] |= letter[:-1] & digit[1:]
    glued[1:] |= letter[1:] & digit[:-1]
    if not glued.any():
        return keep
    starts = letter.copy()
    starts[1:] &= ~letter[:-1]
    run = np.cumsum(starts) * letter  # 1-based id of each letter run, 0 elsewhere
    bad = np.zeros(int(run.max()) + 1, dtype=bool)
    bad[run[glued]] = True
    bad[0] = False
    return keep & ~bad[run]


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def normalised_fields(posting: Posting | Reading) -> list[tuple[str, Normalized]]:
    """The wording fields as read (the pipeline's reading when given one)."""
    fields = read(posting).fields
    return [(name, fields[name]) for name in FIELDS if name in fields]


def key_codes(postings: Sequence[Posting | Reading]) -> list[np.ndarray]:
    """Per posting, the code points its signature is computed from (its key), in one pass
    over the whole batch. Fields are joined with a newline, which is dropped and glues no
    handle, so the key is the concatenation of the fields' keys."""
    texts = ["\n".join(_blank(norm.fingerprint_text) for _, norm in normalised_fields(p))
             for p in postings]
    if not texts:
        return []
    codes = _codes("\n".join(texts))
    keep = _keep(codes)
    ends = np.cumsum([len(t) + 1 for t in texts])
    out = []
    start = 0
    for end in ends.tolist():
        piece = codes[start:end - 1]
        out.append(piece[keep[start:end - 1]])
        start = end
    return out


def as_text(codes: np.ndarray) -> str:
    return np.ascontiguousarray(codes, dtype="<u4").tobytes().decode("utf-32-le")


def key_of(posting: Posting | Reading) -> str:
    """The kept characters of every wording field (what the signature is computed from)."""
    return as_text(key_codes([posting])[0])


def key_of_text(text: str) -> str:
    """The key of a pasted text (a list of known scam texts; tests)."""
    codes = _codes(_blank(normalize(text).fingerprint_text))
    return as_text(codes[_keep(codes)])


def _window_hashes(codes: np.ndarray) -> np.ndarray:
    """64-bit hashes of every K-wide window of `codes` (as many as positions - K + 1)."""
    n = len(codes) - K + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    wide = codes.astype(np.uint64)
    h = np.full(n, SEED, dtype=np.uint64)
    for j in range(K):  # in place: no temporaries over the whole batch
        h *= _MUL
        h += wide[j:j + n]
    h ^= h >> np.uint64(31)
    h *= _MIX1
    h ^= h >> np.uint64(29)
    h *= _MIX2
    h ^= h >> np.uint64(32)
    return h


def shingle_hashes(key: str | np.ndarray) -> np.ndarray:
    """64-bit hashes of every K-character shingle of a key (duplicates kept)."""
    return _window_hashes(_codes(key) if isinstance(key, str) else key)


def signatures(keys: Sequence[str | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (n, NUM_PERM) uint32 of many keys in one call, and a mask of the
    keys long enough to have one (rows of the others are zeros)."""
    import rensa

    arrays = [(_codes(k) if isinstance(k, str) else k)[:MAX_KEY_CHARS] for k in keys]
    usable = np.array([len(a) >= MIN_KEY_CHARS for a in arrays], dtype=bool)
    out = np.zeros((len(arrays), NUM_PERM), dtype=np.uint32)
    chosen = [a for a, ok in zip(arrays, usable, strict=True) if ok]
    if not chosen:
        return out, usable
    # One pass over the batch: window hashes of the concatenation, less the K - 1 windows
    # at the end of each key that straddle into the next (keys are >= MIN_KEY_CHARS long).
    lengths = np.array([len(a) for a in chosen])
    hashes = _window_hashes(np.concatenate(chosen))
    ends = np.cumsum(lengths)
    straddling = (ends[:-1, None] - np.arange(1, K)).ravel()
    inside = np.ones(len(hashes), dtype=bool)
    inside[straddling] = False
    counts = lengths - K + 1
    offsets = np.zeros(len(chosen) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        hashes[inside], offsets, NUM_PERM, SEED)
    out[usable] = np.array(matrix.to_rows(), dtype=np.uint32)
    return out, usable


def signature_of(posting: Posting) -> np.ndarray | None:
    sig, ok = signatures(key_codes([posting]))
    return sig[0] if ok[0] else None


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))


@cache
def scheme() -> str:
    """Names everything a stored signature depends on; a stored one of another scheme is
    recomputed from its posting's text."""
    import rensa

    probe = hashlib.sha256(normalize(_PROBES).fingerprint_text.encode("utf-8")).hexdigest()[:8]
    return (f"mh{rensa.RMinHash.ALGORITHM_VERSION}-k{K}-p{NUM_PERM}-s{SEED}"
            f"-m{MIN_KEY_CHARS}-n{probe}")


@cache
def signature_stamp() -> str:
    """`scheme()` and the sha256 of every file a posting's key depends on: the reading's
    code and tables (`detector/textnorm/`), this module and the posting schema. Stored
    signatures with another stamp are made again (the probes of `scheme` catch most changes
    of the reading, not all)."""
    import detector.schema
    import detector.textnorm

    digest = hashlib.sha256(scheme().encode("utf-8"))
    textnorm = Path(detector.textnorm.__file__).parent
    files = sorted(p for p in textnorm.iterdir() if p.suffix in (".py", ".json", ".txt"))
    for path in [*files, Path(__file__), Path(detector.schema.__file__)]:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return f"{scheme()}-r{digest.hexdigest()[:16]}"


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


def _key_map(posting: Posting | Reading) -> _KeyMap:
    parts: list[np.ndarray] = []
    field_of: list[np.ndarray] = []
    position: list[np.ndarray] = []
    fields = normalised_fields(posting)
    for index, (_, norm) in enumerate(fields):
        codes = _codes(_blank(norm.fingerprint_text))
        pos = np.flatnonzero(_keep(codes))
        parts.append(codes[pos])
        position.append(pos)
        field_of.append(np.full(len(pos), index))
    empty = np.zeros(0, dtype=np.int64)
    return _KeyMap(as_text(np.concatenate(parts)) if parts else "", fields,
                   np.concatenate(field_of) if field_of else empty,
                   np.concatenate(position) if position else empty)


def shared_spans(posting: Posting | Reading, known_key: str) -> tuple[Evidence, ...]:
    """Spans of the posting's original text whose shingles the known scam also has: the
    wording the two share (numbers, links and punctuation between shared words included
    only where nothing but spaces or punctuation separates them).

    In numpy, not a Python loop per shared character: a matched posting cost ~3 ms here."""
    mapped = _key_map(posting)
    key = mapped.key[:MAX_KEY_CHARS]
    hashes = shingle_hashes(key)
    if not len(hashes):
        return ()
    known = np.unique(shingle_hashes(known_key[:MAX_KEY_CHARS]))
    starts = np.flatnonzero(np.isin(hashes, known))
    if not len(starts):
        return ()
    # Characters covered by a shared shingle: +1 where one starts, -1 K later.
    edges = np.zeros(len(key) + K + 1, dtype=np.int64)
    np.add.at(edges, starts, 1)
    np.add.at(edges, starts + K, -1)
    covered = np.flatnonzero(np.cumsum(edges)[:len(key)] > 0)
    fields = mapped.field_of[covered]
    positions = mapped.position[covered]
    # A covered character continues the span of the one before it when both are in one
    # field and nothing but spaces or punctuation lies between them (`_joins`).
    joined = np.zeros(len(covered), dtype=bool)
    if len(covered) > 1:
        same_field = fields[1:] == fields[:-1]
        gap_lo, gap_hi = positions[:-1] + 1, positions[1:]
        alnum = np.zeros(len(covered) - 1, dtype=bool)
        for f in np.unique(fields[1:][same_field]).tolist():
            rows = np.flatnonzero(same_field & (fields[1:] == f))
            before = _alnum_before(mapped.fields[f][1].text)
            alnum[rows] = before[gap_hi[rows]] > before[np.minimum(gap_lo[rows], gap_hi[rows])]
        joined[1:] = same_field & ((gap_hi == gap_lo) | ~alnum)
    first = np.flatnonzero(~joined)
    last = np.append(first[1:], len(covered)) - 1
    spans = list(zip(fields[first].tolist(), positions[first].tolist(),
                     (positions[last] + 1).tolist(), strict=True))
    spans.sort(key=lambda s: s[1] - s[2])  # longest first
    out = []
    for f, s, e in spans[:MAX_SPANS]:
        name, norm = mapped.fields[f]
        start, end = norm.span(s, e)
        out.append(Evidence(name, start, end, norm.original[start:end]))
    order = {name: i for i, (name, _) in enumerate(mapped.fields)}
    return tuple(sorted(out, key=lambda ev: (order[ev.field], ev.start)))


def _alnum_before(text: str) -> np.ndarray:
    """For each offset x of `text` (0..len), how many characters of `_ALNUM_GAP` (digits,
    a-z, Han) lie before it."""
    codes = _codes(text)
    hit = (((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0x61) & (codes <= 0x7A))
           | ((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF)))
    out = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(hit, out=out[1:])
    return out


def _joins(text: str, end: int, nxt: int) -> bool:
    """Consecutive kept characters belong to one span unless masked content (digits,
    a link, a masked number) lies between them, not just spaces or punctuation."""
    return nxt == end or _ALNUM_GAP.search(text, end, nxt) is None
