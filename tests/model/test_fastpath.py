"""The scoring-time features (`detector.model.fastpath`) are the pipelines' own, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from detector.model import fastpath
from detector.model.bundle import evidence_words
from detector.model.fitting import pasted, to_postings


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    from detector.model.artifact import load_bundle
    from detector.settings import DEFAULT_MODEL_DIR

    return load_bundle(DEFAULT_MODEL_DIR)[0]


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype
    assert a.indices.dtype == b.indices.dtype and a.indptr.dtype == b.indptr.dtype
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


def test_features_are_the_pipelines_own_on_real_postings(bundle, corpus) -> None:
    """Every scorer of every language, structured and pasted, batches of 50 real postings
    of every source (English and Chinese, legit and scam), and an empty batch."""
    rows = corpus.groupby("source", group_keys=False).apply(
        lambda g: g.sample(min(len(g), 60), random_state=0))
    postings = to_postings(rows)
    for model in bundle.languages.values():
        for scorer, docs in ((model.structured, postings),
                             (model.pasted, [pasted(p) for p in postings])):
            if scorer is None:
                continue
            for start in range(0, len(docs), 50):
                batch = docs[start:start + 50]
                _same(scorer.pipeline[:-1].transform(batch),
                      fastpath.features(scorer.pipeline, batch))


def test_a_vectoriser_fastpath_does_not_know_goes_the_public_way() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    docs = ["pay the fee", "no fee at all", "data entry from home"]
    union = FeatureUnion([("a", TfidfVectorizer()), ("b", TfidfVectorizer(binary=True))],
                         transformer_weights={"a": 2.0}).fit(docs)
    _same(union.transform(docs), fastpath.transform(union, docs))
    vec = TfidfVectorizer(ngram_range=(1, 2), binary=True).fit(docs)
    more = [*docs, "unknown words only"]
    _same(vec.transform(more), fastpath.transform(vec, more))


def test_evidence_words_counts_han_characters_as_the_regex_did(corpus) -> None:
    import re

    han = re.compile("[\u3400-\u9fff]")
    for posting in to_postings(corpus.sample(3000, random_state=1)):
        text = posting.full_text()[:20_000]
        assert evidence_words(posting) == len(text.split()) + len(han.findall(text)) // 2


def test_an_empty_batch_is_refused_as_scikit_learn_refuses_it() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer().fit(["pay the fee", "refund the fee"])
    with pytest.raises(ValueError, match="0 sample"):
        vec.transform([])
    with pytest.raises(ValueError, match="0 sample"):
        fastpath.transform(vec, [])
