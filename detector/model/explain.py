"""Which words the text model weighed: coefficient x feature value, mapped back to spans.

For the linear models every feature's share of the score is exact: the logistic regression's
log-odds are the sum of coefficient x TF-IDF value over the posting's features. Each feature
is a word, a word pair, or (Chinese) a character n-gram; here the largest shares are found
again in the posting's own text, so the page can mark them. A weight is in log-odds of the
calibrated estimate (the Platt slope and any short-text pull applied), so the weights of the
words shown can be set against the estimate's rise above the base rate.

These are the words the model weighed, not proof: on a false alarm they are ordinary words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse

from detector.model.hashed import HashedCharTfidf, _columns
from detector.schema import Posting

#: Terms returned per posting: the strongest raising ones, then the strongest lowering ones.
TOP_UP = 8
TOP_DOWN = 3
#: Terms whose share is smaller than this (log-odds) are not worth a highlight.
MIN_WEIGHT = 0.05
_PLACEHOLDERS = {
    "urltoken": re.compile(r"(?:https?://|www\.)\S+|#URL_[0-9a-f]+#|\b[\w-]+\.(?:com|net|org|co|"
                           r"io|me|ly|cn|in|uk)/\S*", re.I),
    "emailtoken": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#EMAIL_[0-9a-f]+#"),
    "phonetoken": re.compile(r"\+?\d[\d\s().-]{7,}\d|#PHONE_[0-9a-f]+#|\b[xX]{7,}\b"),
}


@dataclass(frozen=True, slots=True)
class Term:
    """One span of the posting's text and the share of the log-odds its feature carries."""

    field: str
    start: int
    end: int
    text: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text,
                "weight": round(self.weight, 3)}


#: Character -> its comparable form (see `_comparable`), filled as characters are met; one
#: `str.translate` then does the whole text in C.
_COMPARABLE: dict[int, str] = {
    **{ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{ord(c): "0" for c in "0123456789"},
}
_DIGIT = re.compile(r"\d")


def _comparable_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    if len(folded) != 1:
        return ch
    return "0" if _DIGIT.fullmatch(folded) else folded


def _comparable(text: str) -> str:
    """A 1:1 copy of `text` for finding model features in it: lower case, digits as 0,
    Chinese folded; characters whose NFKC form is not one character are kept as they are."""
    from detector.textnorm import fold_zh

    if not text.isascii():
        for ch in set(text):
            if ord(ch) > 127 and ord(ch) not in _COMPARABLE:
                _COMPARABLE[ord(ch)] = _comparable_char(ch)
    return fold_zh(text.translate(_COMPARABLE))


@lru_cache(maxsize=4096)
def _word_pattern(token: str) -> re.Pattern[str] | None:
    """Where a word token (or "w1 w2" pair) of the word models occurs in comparable text."""
    token = token.removeprefix("neg_")
    if token in _PLACEHOLDERS:
        return _PLACEHOLDERS[token]
    parts = [re.escape(p.removeprefix("neg_")) for p in token.split(" ") if p]
    if not parts:
        return None
    han = all(re.fullmatch(r"[\u3400-\u9fff]+", p) for p in parts)
    if han:
        return re.compile(r"[\s\W]{0,3}".join(parts))
    return re.compile(r"(?<![a-z0-9])" + r"[\W_]{1,5}".join(parts) + r"(?![a-z0-9])")


class Explainer:
    """Explains one fitted scorer pipeline (a `Pipeline` ending in logistic regression)."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.lr = pipeline.steps[-1][1]
        self.coef = np.asarray(self.lr.coef_).ravel()
        self._names: list[tuple[str, dict[int, str] | None, Any]] | None = None

    def _blocks(self) -> list[tuple[str, dict[int, str] | None, Any]]:
        """(block name, column -> term, transformer) per feature block, in column order."""
        if self._names is None:
            blocks: list[tuple[str, dict[int, str] | None, Any]] = []
            head = self.pipeline.steps[-2][1]
            parts = head.transformer_list if hasattr(head, "transformer_list") else [("all", head)]
            for name, part in parts:
                vec = part.steps[-1][1] if hasattr(part, "steps") else part
                vocab = getattr(vec, "vocabulary_", None)
                inverse = {int(i): t for t, i in vocab.items()} if vocab is not None else None
                blocks.append((name, inverse, vec))
            self._names = blocks
        return self._names

    def _offsets(self) -> list[int]:
        offsets, at = [], 0
        for _, inverse, vec in self._blocks():
            offsets.append(at)
            if inverse is not None:
                at += len(inverse)
            else:
                at += 1 << vec.bits
        return offsets

    def terms(self, posting: Posting, row: sparse.csr_matrix, slope: float) -> list[Term]:
        """The posting's strongest terms; `row` is its feature row, `slope` scales log-odds
        of the raw model into log-odds of the estimate."""
        row = row.tocsr()
        cols, vals = row.indices, row.data
        shares = self.coef[cols] * vals * slope
        order = np.argsort(-shares)
        up = [i for i in order[:TOP_UP * 3] if shares[i] > 0]
        down = [i for i in order[::-1][:TOP_DOWN * 3] if shares[i] <= -MIN_WEIGHT]
        fields = _Fields(posting)
        found: list[Term] = []
        for picks, limit in ((up, TOP_UP), (down, TOP_DOWN)):
            kept = 0
            for i in picks:
                if kept >= limit:
                    break
                term = self._locate(int(cols[i]), float(shares[i]), posting, fields)
                if term is not None:
                    found.append(term)
                    kept += 1
        return list(with_text(_worth_showing(_merge(snap_to_words(found, posting))), posting))

    def _block_of(self, col: int) -> tuple[int, int]:
        offsets = self._offsets()
        index = int(np.searchsorted(offsets, col, side="right") - 1)
        return index, col - offsets[index]

    def _locate(self, col: int, share: float, posting: Posting, fields: _Fields
                ) -> Term | None:
        index, local = self._block_of(col)
        name, inverse, vec = self._blocks()[index]
        if inverse is not None:
            token = inverse.get(local)
            pattern = _word_pattern(token) if token else None
            return _first(pattern, share, posting, fields, _fields_of(name))
        if isinstance(vec, HashedCharTfidf):
            return _first_ngram(vec, local, share, posting, fields)
        return None


class _Fields:
    """A posting's fields in comparable form, and their n-gram hashes, made on first use."""

    def __init__(self, posting: Posting) -> None:
        self.posting = posting
        self._text: dict[str, str] = {}
        self._index: dict[tuple[tuple[int, int], int], tuple[np.ndarray, ...]] = {}

    def names(self) -> list[str]:
        return list(self.posting.fields)

    def text(self, name: str) -> str:
        if name not in self._text:
            self._text[name] = _comparable(self.posting.fields[name])
        return self._text[name]

    def ngram_index(self, ngrams: tuple[int, int], bits: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every hashed column of the posting's character n-grams with where it first
        occurs (fields in order, longer n-grams first): sorted columns, field number,
        start, length. Built once per posting; each term is then one binary search."""
        key = (ngrams, bits)
        if key not in self._index:
            cols, field_no, starts, sizes = [], [], [], []
            for number, name in enumerate(self.names()):
                text = self.text(name)
                for n in range(ngrams[1], ngrams[0] - 1, -1):
                    if len(text) < n:
                        continue
                    h = _columns(text, (n, n), bits)
                    cols.append(h)
                    field_no.append(np.full(len(h), number))
                    starts.append(np.arange(len(h)))
                    sizes.append(np.full(len(h), n))
            if not cols:
                empty = np.zeros(0, dtype=np.int64)
                self._index[key] = (empty.astype(np.uint64), empty, empty, empty)
            else:
                every = np.concatenate(cols)
                unique, first = np.unique(every, return_index=True)
                self._index[key] = (unique, np.concatenate(field_no)[first],
                                    np.concatenate(starts)[first], np.concatenate(sizes)[first])
        return self._index[key]


def _fields_of(block: str) -> tuple[str, ...] | None:
    from detector.model.recipes import FIELD_GROUPS

    return FIELD_GROUPS.get(block)


def _first(pattern: re.Pattern[str] | None, share: float, posting: Posting,
           fields: _Fields, only: tuple[str, ...] | None) -> Term | None:
    if pattern is None:
        return None
    for name in fields.names():
        if only is not None and name not in only:
            continue
        m = pattern.search(fields.text(name))
        if m is not None and m.end() > m.start():
            s, e = m.span()
            return Term(name, s, e, posting.fields[name][s:e], share)
    return None


def _first_ngram(vec: HashedCharTfidf, col: int, share: float, posting: Posting,
                 fields: _Fields) -> Term | None:
    """The first character n-gram of the posting that hashes to `col`."""
    unique, field_no, starts, sizes = fields.ngram_index(tuple(vec.ngrams), vec.bits)
    at = int(np.searchsorted(unique, np.uint64(col)))
    if at >= len(unique) or int(unique[at]) != col:
        return None
    name = fields.names()[int(field_no[at])]
    s, n = int(starts[at]), int(sizes[at])
    text = posting.fields[name][s:s + n]
    return Term(name, s, s + n, text, share) if text.strip() else None


def snap_to_words(terms: Sequence[Term], posting: Posting) -> list[Term]:
    """Each span widened to whole words (`detector.model.marking`: jieba's words for Chinese, whole
    numbers with their unit): a character n-gram 金 is shown as 五险一金, `o` as the word it
    is in. Spans with nothing word-like left are dropped."""
    from detector.model.marking import WordEdges

    edges: dict[str, WordEdges] = {}
    out: list[Term] = []
    for term in terms:
        words = edges.get(term.field)
        if words is None:
            words = edges[term.field] = WordEdges(posting.fields[term.field])
        snapped = words.snap(term.start, term.end)
        if snapped is not None:
            out.append(Term(term.field, snapped[0], snapped[1], "", term.weight))
    return out


def _merge(terms: Sequence[Term]) -> list[Term]:
    """Overlapping spans, and touching spans of the same sign, become one span with the
    summed weight (Chinese n-grams of one phrase: 刷单, 单返, 返利 -> 刷单返利; two n-grams of
    one word, one raising and one lowering: the word with their net weight)."""
    merged: list[Term] = []
    for term in sorted(terms, key=lambda t: (t.field, t.start, t.end)):
        last = merged[-1] if merged else None
        if (last is not None and last.field == term.field
                and (term.start < last.end
                     or (term.start == last.end and (last.weight > 0) == (term.weight > 0)))):
            end = max(last.end, term.end)
            merged[-1] = Term(last.field, last.start, end, "", last.weight + term.weight)
        else:
            merged.append(term)
    return sorted(merged, key=lambda t: -abs(t.weight))


def _worth_showing(terms: Sequence[Term]) -> list[Term]:
    """Terms whose weight is worth a highlight; when a score rose on many small n-grams and
    none is, the strongest raising ones all the same: an alarm always shows what it rests
    on (its `basis` then says whether they explain it)."""
    kept = [t for t in terms if abs(t.weight) >= MIN_WEIGHT]
    if not any(t.weight > 0 for t in kept):
        kept += [t for t in terms if 0 < t.weight < MIN_WEIGHT][:TOP_UP]
    return sorted(kept, key=lambda t: -abs(t.weight))


def with_text(terms: Sequence[Term], posting: Posting) -> Iterator[Term]:
    """Terms with their text re-sliced from the posting (merging may have widened them)."""
    for t in terms:
        yield Term(t.field, t.start, t.end, posting.fields[t.field][t.start:t.end], t.weight)
