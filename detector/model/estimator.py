"""The per-language classifier: a text model stacked under a gradient-boosted meta model.

Why stacked: the words of a posting (TF-IDF + logistic regression) and its metadata (missing
profile, employment type, industry, red flags) interact in ways a linear model misses, and
the metadata is too small for a boosted model to learn text. So the text model's
out-of-fold score becomes one feature of a HistGradientBoosting model over the metadata.
Out-of-fold folds are group-disjoint, so the meta model never sees a text score that was
fitted on the same company or template.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from detector.flags import FLAG_IDS
from detector.model.features import STRUCTURED_COLUMNS, PreparePostings, SparseColumns
from detector.model.text import split_tokens

#: Metadata columns the meta model reads as categories (EMSCAD's drop-down fields).
CATEGORICAL_FIELDS = (
    "employment_type",
    "required_experience",
    "required_education",
    "industry",
    "function",
)
MAX_CATEGORIES = 60


def flag_tokens(frame: pd.DataFrame) -> pd.Series:
    return frame["flags"] if "flags" in frame else pd.Series("", index=frame.index)


def text_pipeline(C: float = 3.0, max_features: int = 150_000) -> Pipeline:
    """TF-IDF words (jieba for Chinese) + title character n-grams + structure + flags -> LR."""
    columns = ColumnTransformer(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=split_tokens,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    min_df=2,
                    max_df=0.5,
                    max_features=max_features,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
                "tokens",
            ),
            (
                "title",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                    max_features=20_000, dtype=np.float32,
                ),
                "title_clean",
            ),
            ("structure", SparseColumns(weight=0.5), list(STRUCTURED_COLUMNS)),
            (
                "flags",
                CountVectorizer(token_pattern=r"\S+", binary=True, vocabulary=FLAG_IDS),
                "flags",
            ),
        ]
    )
    classifier = LogisticRegression(C=C, max_iter=3000, solver="liblinear", random_state=0)
    return Pipeline([("columns", columns), ("classifier", classifier)])


class _Categories(BaseEstimator):
    """Codes for the most frequent values of each categorical field (others share one code)."""

    def fit(self, frame: pd.DataFrame) -> _Categories:
        self.levels_: dict[str, dict[str, int]] = {}
        for name in CATEGORICAL_FIELDS:
            values = pd.Series(_normalise(frame, name))
            common = values[values != ""].value_counts().index[:MAX_CATEGORIES]
            self.levels_[name] = {value: code for code, value in enumerate(common)}
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.full((len(frame), len(CATEGORICAL_FIELDS)), np.nan, dtype=np.float64)
        for j, name in enumerate(CATEGORICAL_FIELDS):
            levels = self.levels_[name]
            # Missing stays NaN (its own branch in HGB); unseen values get their own code.
            for i, value in enumerate(_normalise(frame, name)):
                if value:
                    out[i, j] = levels.get(value, len(levels))
        return out


def _normalise(frame: pd.DataFrame, name: str) -> list[str]:
    """Lower-cased, stripped values ("" for missing); plain Python, as pandas string
    methods cost more than the work for the one-posting calls of the API."""
    if name not in frame:
        return [""] * len(frame)
    return [v.strip().lower() if isinstance(v, str) else "" for v in frame[name].tolist()]


def _drop_stop_words(pipeline: Pipeline) -> None:
    """`stop_words_` (every pruned term) is only for introspection and would bloat the artifact."""
    for transformer in pipeline.named_steps["columns"].named_transformers_.values():
        if hasattr(transformer, "stop_words_"):
            del transformer.stop_words_


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class StackedPostingClassifier(ClassifierMixin, BaseEstimator):
    """Text LR (out-of-fold) -> HistGradientBoosting over text score + metadata + flags.

    Input: a DataFrame in the posting schema plus a `flags` column (space-separated ids).
    `fit(..., groups=...)` keeps out-of-fold folds group-disjoint. `stack=False` keeps the
    text model alone: on 58.com, whose postings carry no such metadata, the meta model only
    added noise (validation and group-CV both dropped).
    """

    def __init__(
        self,
        C: float = 3.0,
        max_features: int = 150_000,
        n_folds: int = 5,
        meta_iter: int = 200,
        meta_learning_rate: float = 0.05,
        meta_leaves: int = 15,
        random_state: int = 13,
        stack: bool = True,
    ) -> None:
        self.C = C
        self.max_features = max_features
        self.n_folds = n_folds
        self.meta_iter = meta_iter
        self.meta_learning_rate = meta_learning_rate
        self.meta_leaves = meta_leaves
        self.random_state = random_state
        self.stack = stack

    def fit(
        self,
        frame: pd.DataFrame,
        y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        groups: np.ndarray | None = None,
    ) -> StackedPostingClassifier:
        y = np.asarray(y, dtype=int)
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        groups = np.arange(len(y)) if groups is None else np.asarray(groups)
        self.classes_ = np.array([0, 1])
        self.prepare_ = PreparePostings().fit(frame)
        prepared = self.prepare_.transform(frame)
        base = text_pipeline(self.C, self.max_features)
        if not self.stack:
            self.text_model_ = base.fit(prepared, y, classifier__sample_weight=weight)
            _drop_stop_words(self.text_model_)
            self.meta_model_ = None
            return self
        oof = np.zeros(len(y))
        for train, held in GroupKFold(n_splits=self.n_folds).split(prepared, y, groups):
            fold = clone(base).fit(
                prepared.iloc[train], y[train], classifier__sample_weight=weight[train]
            )
            oof[held] = fold.predict_proba(prepared.iloc[held])[:, 1]
        self.text_model_ = clone(base).fit(prepared, y, classifier__sample_weight=weight)
        _drop_stop_words(self.text_model_)
        self.categories_ = _Categories().fit(frame)
        meta = self._meta_features(frame, prepared, oof)
        # Category codes enter as numbers (ordered by frequency): HGB's native categorical
        # support wraps prediction in a ColumnTransformer that costs milliseconds per call.
        self.meta_model_ = HistGradientBoostingClassifier(
            max_iter=self.meta_iter,
            learning_rate=self.meta_learning_rate,
            max_leaf_nodes=self.meta_leaves,
            min_samples_leaf=20,
            l2_regularization=1.0,
            random_state=self.random_state,
        ).fit(meta, y, sample_weight=weight)
        return self

    def _meta_features(
        self, frame: pd.DataFrame, prepared: pd.DataFrame, text_prob: np.ndarray
    ) -> np.ndarray:
        flags = flag_tokens(frame).fillna("").str.split()
        flag_matrix = np.array(
            [[float(fid in set(row)) for fid in FLAG_IDS] for row in flags], dtype=np.float64
        ).reshape(len(frame), len(FLAG_IDS))
        return np.hstack(
            [
                _logit(text_prob)[:, None],
                self.categories_.transform(frame),
                prepared[list(STRUCTURED_COLUMNS)].to_numpy(dtype=np.float64),
                flag_matrix,
            ]
        )

    def _text_scores(self, prepared: pd.DataFrame) -> np.ndarray:
        """The fitted text pipeline, applied transformer by transformer.

        Same numbers as `text_model_.predict_proba`, without ColumnTransformer's per-call
        validation and dispatch, which cost more than the arithmetic for a single posting.
        """
        columns = self.text_model_.named_steps["columns"]
        blocks = [
            transformer.transform(prepared[selection])
            for name, transformer, selection in columns.transformers_
            if name != "remainder" and transformer != "drop"
        ]
        matrix = sparse.hstack(blocks, format="csr")
        return self.text_model_.named_steps["classifier"].predict_proba(matrix)[:, 1]

    def text_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """The text model alone (for ablations and the baseline comparison)."""
        return self._text_scores(self.prepare_.transform(frame))

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        prepared = self.prepare_.transform(frame)
        text_prob = self._text_scores(prepared)
        if self.meta_model_ is None:
            return np.column_stack([1 - text_prob, text_prob])
        meta = self._meta_features(frame, prepared, text_prob)
        # Flags are the last meta features and new flag ids are only appended to FLAG_IDS: a
        # model trained before a flag existed just does not see it (instead of failing).
        return self.meta_model_.predict_proba(meta[:, : self.meta_model_.n_features_in_])

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return (self.predict_proba(frame)[:, 1] >= 0.5).astype(int)
