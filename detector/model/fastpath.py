"""The fitted pipelines' features at scoring time, exactly as scikit-learn makes them, cheaper.

`features(pipeline, docs)` is `pipeline[:-1].transform(docs)`, value for value: the same
sparse matrix (data, indices, indptr, dtype), so every probability and every piece of model
evidence stays what it was (tests/model/test_fastpath.py compares both on real postings).
What it saves:

- a fitted `TfidfVectorizer` counts with one `dict.get` per token (out-of-vocabulary tokens
  get -1, no exception) and one `numpy.unique` over the batch, where scikit-learn's
  `_count_vocab` keeps a dict per document in a Python loop and raises and catches a
  KeyError for every unknown token (most bigrams); the weighting after counting is still
  the vectoriser's own (`_tfidf.transform`);
- a `FeatureUnion` stacks its branches without joblib's per-branch dispatch (sequential,
  as `n_jobs=None` runs it).

Anything it does not recognise (another transformer, weights, a vectoriser without a fixed
vocabulary) goes through the step's own `transform`. It uses two private attributes of
scikit-learn (`TfidfVectorizer._tfidf`, `FeatureUnion._hstack`); without them it falls back
to the public path, and the test above fails on an upgrade that changes their meaning.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline


def features(pipeline: Pipeline, docs: list[Any]) -> Any:
    """`pipeline[:-1].transform(docs)`: what the final classifier reads."""
    data: Any = docs
    for _, step in pipeline.steps[:-1]:
        data = transform(step, data)
    return data


def transform(step: Any, data: Any) -> Any:
    """`step.transform(data)`, the same result (see module docstring)."""
    if step is None or (isinstance(step, str) and step == "passthrough"):
        return data
    kind = type(step)
    if kind is TfidfVectorizer and _countable(step):
        return tfidf_transform(step, data)
    if kind is Pipeline:
        for _, inner in step.steps:
            data = transform(inner, data)
        return data
    if kind is FeatureUnion and _plain_union(step):
        return step._hstack([transform(t, data) for _, t in step.transformer_list])
    return step.transform(data)


def _countable(vectorizer: TfidfVectorizer) -> bool:
    return (hasattr(vectorizer, "vocabulary_") and hasattr(vectorizer, "_tfidf")
            and _align is not None)


try:  # scikit-learn >= 1.8: counts come out in the configured sparse interface
    from sklearn.utils._sparse import _align_api_if_sparse as _align
except ImportError:  # pragma: no cover - another version: the public path
    _align = None


def _plain_union(union: FeatureUnion) -> bool:
    """No weights, no dropped or passthrough branches, no pandas output: then the union's
    output is its branches' outputs stacked as they are."""
    if union.transformer_weights or not hasattr(union, "_hstack"):
        return False
    if getattr(union, "_sklearn_output_config", {}).get("transform") not in (None, "default"):
        return False
    return all(not isinstance(t, str) and t is not None for _, t in union.transformer_list)


def counts(vectorizer: TfidfVectorizer, docs: list[Any]) -> sparse.csr_array:
    """The count matrix of `CountVectorizer._count_vocab(docs, fixed_vocab=True)`: same
    values, sorted indices, dtypes and shape."""
    vocabulary = vectorizer.vocabulary_
    get = vocabulary.get
    analyze = vectorizer.build_analyzer()
    found: list[int] = []
    lengths = np.zeros(len(docs), dtype=np.int64)
    for i, doc in enumerate(docs):
        before = len(found)
        found.extend(map(get, analyze(doc), repeat(-1)))
        lengths[i] = len(found) - before
    width = len(vocabulary)
    columns = np.array(found, dtype=np.int64)
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    known = columns >= 0
    keys, values = np.unique(rows[known] * width + columns[known], return_counts=True)
    per_row = np.bincount(keys // width, minlength=len(docs)) if len(keys) else \
        np.zeros(len(docs), dtype=np.int64)
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(per_row, out=indptr[1:])
    index_type = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
    matrix = sparse.csr_array(
        (values.astype(np.intc), (keys % width).astype(index_type), indptr.astype(index_type)),
        shape=(len(docs), width), dtype=vectorizer.dtype)
    matrix.sort_indices()
    return matrix


def tfidf_transform(vectorizer: TfidfVectorizer, docs: list[Any]) -> Any:
    """`vectorizer.transform(docs)` (see module docstring)."""
    if isinstance(docs, str) or _align is None:
        return vectorizer.transform(docs)  # its error: an iterable of documents is wanted
    matrix = _align(counts(vectorizer, list(docs)))
    if vectorizer.binary:
        matrix.data.fill(1)
    return vectorizer._tfidf.transform(matrix, copy=False)
