"""Character n-gram TF-IDF computed with numpy: the same features as scikit-learn's
`analyzer="char"` (up to hash collisions), about 10x cheaper per posting.

scikit-learn builds every n-gram as a Python string and looks it up in a dict; for a
1,000-character Chinese posting that is 3,000 strings, most of the cost of scoring it.
Here a posting's code points become one integer array, each n-gram a rolling hash of it,
and the hash picks one of `n_features` columns (the hashing trick). IDF and the min_df cut
are learned in `fit`, as in `TfidfVectorizer(sublinear_tf=True)`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

_MULT = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)


def _columns(text: str, ngrams: tuple[int, int], bits: int) -> np.ndarray:
    """Hashed column of every character n-gram of `text` (with repeats)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    with np.errstate(over="ignore"):
        for n in range(ngrams[0], ngrams[1] + 1):
            count = len(codes) - n + 1
            if count <= 0:
                break
            h = codes[:count] + np.uint64(n)
            for k in range(1, n):
                h = h * _BASE + codes[k : k + count]
            parts.append((h * _MULT) >> np.uint64(64 - bits))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


class _HashedTfidf(BaseEstimator, TransformerMixin):
    """Hashed counts -> sublinear TF x IDF (0 outside [min_df, max_df]) -> L2-normalised."""

    bits: int
    min_df: int
    max_df: float

    def _counts(self, docs: list) -> sparse.csr_matrix:  # type: ignore[type-arg]
        raise NotImplementedError

    def fit(self, docs: list, y: object = None) -> _HashedTfidf:  # type: ignore[type-arg]
        counts = self._counts(list(docs))
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + n) / (1 + df)) + 1.0
        keep = (df >= self.min_df) & (df <= self.max_df * n)
        self.idf_ = np.where(keep, idf, 0.0).astype(np.float32)
        return self

    def transform(self, docs: list) -> sparse.csr_matrix:  # type: ignore[type-arg]
        matrix = self._counts(list(docs)).astype(np.float32)
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf_[matrix.indices]
        matrix.eliminate_zeros()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags((1.0 / norms).astype(np.float32)) @ matrix


class HashedTfidf(_HashedTfidf):
    """TF-IDF of the features an `analyzer` returns, hashed in compiled code (scikit-learn's
    FeatureHasher) instead of looked up one by one in a Python dict."""

    def __init__(self, analyzer: object, bits: int = 20, min_df: int = 2,
                 max_df: float = 0.5) -> None:
        self.analyzer = analyzer
        self.bits = bits
        self.min_df = min_df
        self.max_df = max_df

    def _counts(self, docs: list) -> sparse.csr_matrix:  # type: ignore[type-arg]
        from sklearn.feature_extraction import FeatureHasher

        hasher = FeatureHasher(n_features=1 << self.bits, input_type="string",
                               alternate_sign=False, dtype=np.float32)
        return hasher.transform(self.analyzer(doc) for doc in docs)  # type: ignore[operator]


class HashedCharTfidf(_HashedTfidf):
    """Hashed character n-gram counts -> sublinear TF x IDF -> L2-normalised rows."""

    def __init__(self, ngrams: tuple[int, int] = (1, 3), bits: int = 20, min_df: int = 2,
                 max_df: float = 0.5) -> None:
        self.ngrams = ngrams
        self.bits = bits
        self.min_df = min_df
        self.max_df = max_df

    def _counts(self, texts: list[str]) -> sparse.csr_matrix:
        indptr, indices, data = [0], [], []
        for text in texts:
            cols, counts = np.unique(_columns(text, self.ngrams, self.bits), return_counts=True)
            indices.append(cols.astype(np.int32))
            data.append(counts.astype(np.float32))
            indptr.append(indptr[-1] + len(cols))
        return sparse.csr_matrix(
            (np.concatenate(data) if data else np.zeros(0, np.float32),
             np.concatenate(indices) if indices else np.zeros(0, np.int32), indptr),
            shape=(len(texts), 1 << self.bits))
