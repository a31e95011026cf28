"""The estimator on a small slice of the real corpus: deterministic, picklable, sane."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd

from detector.model.estimator import StackedPostingClassifier
from detector.model.train import prepare


def _slice(corpus: pd.DataFrame) -> pd.DataFrame:
    core = corpus[(corpus["language"] == "en") & (corpus["role"] == "core")]
    return pd.concat([core[core["label"] == 1].head(120), core[core["label"] == 0].head(180)])


def test_same_data_and_seed_give_the_same_model(corpus: pd.DataFrame) -> None:
    data = prepare(_slice(corpus))
    kwargs = {"n_folds": 3, "meta_iter": 30, "random_state": 13}
    first = StackedPostingClassifier(**kwargs).fit(data.frame, data.labels, groups=data.groups)
    second = StackedPostingClassifier(**kwargs).fit(data.frame, data.labels, groups=data.groups)
    prob = first.predict_proba(data.frame)[:, 1]
    np.testing.assert_array_equal(prob, second.predict_proba(data.frame)[:, 1])
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict_proba(data.frame)[:, 1], prob)
    # It learned something: training postings are ranked by label.
    assert prob[data.labels == 1].mean() > prob[data.labels == 0].mean()


def test_text_only_mode(corpus: pd.DataFrame) -> None:
    data = prepare(_slice(corpus))
    model = StackedPostingClassifier(stack=False).fit(data.frame, data.labels)
    assert model.meta_model_ is None
    assert model.predict_proba(data.frame).shape == (len(data.labels), 2)
