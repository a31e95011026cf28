"""The model recipes: scikit-learn pipelines over lists of `Posting`s, one per language.

Input is a list of `Posting` objects (no DataFrame on the scoring path: pandas' per-call
overhead was a large share of scoring one posting). Each recipe is a `Pipeline` of
`FeatureUnion` branches whose first step picks and cleans text from the postings.

- `baseline`: the plain model every public project uses, one concatenated text, word
  TF-IDF (jieba words for Chinese) into logistic regression. Every figure stands beside it.
- `en_fields`: English postings as fields (title, company profile, description,
  requirements, benefits, the rest) each with its own word TF-IDF, plus character n-grams of
  the whole text and metadata tokens (logo, questions, field presence, categories).
- `en_text`: English pasted text (what a job seeker sends): word + char TF-IDF of the text.
- `zh_chars`: Chinese, character 1-3-gram TF-IDF of the whole text (no segmenter needed).

Which recipe ships is decided by grouped cross-validation (`detector.model.selection`).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from detector.model.hashed import HashedCharTfidf, HashedTfidf
from detector.model.text import clean_text, tokenize
from detector.schema import BOOL_FIELDS, Posting

#: Field groups of the English field model; "rest" is the short metadata text fields.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "company_profile": ("company_profile", "company"),
    "description": ("description", "text"),
    "requirements": ("requirements",),
    "benefits": ("benefits", "salary"),
    "rest": ("location", "employment_type", "required_experience", "required_education",
             "industry", "function", "department", "contact"),
}
CATEGORY_FIELDS = ("employment_type", "required_experience", "required_education",
                   "industry", "function")
PRESENCE_FIELDS = ("company", "company_profile", "requirements", "benefits", "salary",
                   "required_education", "required_experience", "employment_type",
                   "industry", "function", "department")
#: Characters of text the model reads per posting: the opening carries the signal, and the
#: cost stays bounded for a megabyte-long posting (red flags still read everything).
MAX_CHARS = 4_000


class FieldText(BaseEstimator, TransformerMixin):
    """The cleaned text of some fields of each posting (all fields when `fields` is None).

    With `fold`, Chinese is folded (traditional script, lookalike key terms) by the tables
    current when the model is fitted: they are kept in the fitted step (`fold_`), so a model
    version scores with the folding it was trained with, whatever the package has since.
    """

    def __init__(self, fields: tuple[str, ...] | None = None, max_chars: int = MAX_CHARS,
                 fold: bool = False):
        self.fields = fields
        self.max_chars = max_chars
        self.fold = fold

    def fit(self, postings: list[Posting], y: object = None) -> FieldText:
        if self.fold:
            from detector.textnorm import load_zh_fold

            self.fold_ = load_zh_fold()
        return self

    def transform(self, postings: list[Posting]) -> list[str]:
        fold = getattr(self, "fold_", None)
        if self.fields is None:
            return [clean_text(p.full_text()[: self.max_chars], fold) for p in postings]
        return [
            clean_text("\n".join(p.get(name) for name in self.fields if p.get(name))
                       [: self.max_chars], fold)
            for p in postings
        ]


class MetaTokens(BaseEstimator, TransformerMixin):
    """Metadata as tokens: field presence, yes/no signals, categories, length bucket.

    Presence only speaks for structured postings: a pasted text has no "missing fields".
    """

    def fit(self, postings: list[Posting], y: object = None) -> MetaTokens:
        return self

    def transform(self, postings: list[Posting]) -> list[str]:
        return [" ".join(meta_tokens(p)) for p in postings]


def meta_tokens(posting: Posting) -> list[str]:
    tokens = []
    if posting.is_structured:
        tokens.append("structured")
        tokens += [f"has_{name}" if posting.get(name) else f"no_{name}"
                   for name in PRESENCE_FIELDS]
        for name in CATEGORY_FIELDS:
            value = posting.get(name).strip().lower()
            if value:
                tokens.append(f"{name}=" + "_".join(value.split())[:40])
    else:
        tokens.append("pasted")
    for name in BOOL_FIELDS:
        value = getattr(posting, name)
        if value is not None:
            tokens.append(f"{name}_{'yes' if value else 'no'}")
    length = len(posting.full_text())
    tokens.append(f"len{min(int(math.log2(length + 1)), 14)}")
    return tokens


def words(text: str) -> list[str]:
    """Module-level tokenizer (pickles): words, jieba for Chinese, negation marked."""
    return tokenize(text)


def _lr(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, solver="liblinear", random_state=0)


def _word_tfidf(ngrams: tuple[int, int] = (1, 1), min_df: int = 2,
                max_features: int | None = 100_000) -> TfidfVectorizer:
    return TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False,
                           ngram_range=ngrams, min_df=min_df, max_df=0.5, sublinear_tf=True,
                           max_features=max_features, dtype=np.float32)


def _char_tfidf(ngrams: tuple[int, int], analyzer: str = "char_wb",
                max_features: int = 200_000) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2, max_df=0.5,
                           sublinear_tf=True, max_features=max_features, lowercase=False,
                           dtype=np.float32)


def baseline(C: float = 10.0) -> Pipeline:
    """Plain word TF-IDF + LR on the whole posting as one text (jieba words in Chinese)."""
    vectorizer = TfidfVectorizer(tokenizer=plain_words, token_pattern=None, lowercase=True,
                                 sublinear_tf=True, min_df=2, dtype=np.float32)
    return Pipeline([("text", FieldText()), ("tfidf", vectorizer), ("lr", _lr(C))])


def plain_words(text: str) -> list[str]:
    """The baseline's tokenizer: words (jieba for Chinese), no negation marking."""
    return [t[4:] if t.startswith("neg_") else t for t in tokenize(text)]


class FieldTokens(BaseEstimator, TransformerMixin):
    """Each field group of each posting cleaned and tokenised once, for every branch to read.

    The branches of the field model read one group each, or all of them ("whole"):
    tokenising once here, not once per branch, halves the cost of scoring.
    """

    def __init__(self, max_chars: int = MAX_CHARS):
        self.max_chars = max_chars

    def fit(self, postings: list[Posting], y: object = None) -> FieldTokens:
        return self

    def transform(self, postings: list[Posting]) -> list[dict[str, list[str]]]:
        out = []
        for posting in postings:
            groups: dict[str, list[str]] = {}
            budget = self.max_chars
            for name, fields in FIELD_GROUPS.items():
                text = "\n".join(posting.get(f) for f in fields if posting.get(f))[:budget]
                budget -= len(text)
                groups[name] = tokenize(clean_text(text)) if text else []
            out.append(groups)
        return out


class Pick:
    """A vectoriser's analyzer: the tokens of one field group (or all), with bigrams."""

    def __init__(self, group: str | None, bigrams: bool = False) -> None:
        self.group = group
        self.bigrams = bigrams

    def __call__(self, doc: dict[str, list[str]]) -> list[str]:
        if self.group is None:
            tokens = [t for name in FIELD_GROUPS for t in doc[name]]
        else:
            tokens = doc[self.group]
        if self.bigrams and len(tokens) > 1:
            return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        return tokens


def _picked(group: str | None, bigrams: bool, max_features: int | None = 100_000,
            hashed: bool = False) -> TransformerMixin:
    if hashed:
        return HashedTfidf(Pick(group, bigrams))
    return TfidfVectorizer(analyzer=Pick(group, bigrams), min_df=2, max_df=0.5,
                           sublinear_tf=True, max_features=max_features, dtype=np.float32)


def en_fields_fast(C: float = 30.0, bigrams: bool = True, hashed: bool = False) -> Pipeline:
    """`en_fields(whole=True, char=False, meta=False)` with each field tokenised once
    (and, `hashed`, its features hashed in compiled code rather than looked up in Python)."""
    branches: list[tuple[str, object]] = [
        (name, _picked(name, bigrams, hashed=hashed)) for name in FIELD_GROUPS
    ]
    branches.append(("whole", _picked(None, False, max_features=None, hashed=hashed)))
    return Pipeline([("tokens", FieldTokens()), ("features", FeatureUnion(branches)),
                     ("lr", _lr(C))])


def en_fields(C: float = 10.0, char: bool = True, meta: bool = True,
              bigrams: bool = False, whole: bool = False, char_range: tuple[int, int] = (2, 5),
              fields: bool = True) -> Pipeline:
    branches: list[tuple[str, object]] = [
        (name, Pipeline([("text", FieldText(group)),
                         ("tfidf", _word_tfidf((1, 2) if bigrams else (1, 1)))]))
        for name, group in FIELD_GROUPS.items()
    ] if fields else []
    if whole:
        branches.append(("whole", Pipeline([("text", FieldText()),
                                            ("tfidf", _word_tfidf((1, 1), max_features=None))])))
    if char:
        branches.append(("chars", Pipeline([("text", FieldText()),
                                            ("tfidf", _char_tfidf(char_range))])))
    if meta:
        branches.append(("meta", Pipeline([
            ("tokens", MetaTokens()),
            ("counts", CountVectorizer(token_pattern=r"\S+", binary=True, lowercase=False)),
        ])))
    return Pipeline([("features", FeatureUnion(branches)), ("lr", _lr(C))])


def en_text(C: float = 10.0, char: bool = True) -> Pipeline:
    branches: list[tuple[str, object]] = [
        ("words", Pipeline([("text", FieldText()), ("tfidf", _word_tfidf((1, 2)))])),
    ]
    if char:
        branches.append(("chars", Pipeline([("text", FieldText()),
                                            ("tfidf", _char_tfidf((2, 5)))])))
    return Pipeline([("features", FeatureUnion(branches)), ("lr", _lr(C))])


def zh_chars(C: float = 10.0, ngrams: tuple[int, int] = (1, 3), hashed: bool = True,
             fold: bool = False) -> Pipeline:
    vectorizer = (HashedCharTfidf(ngrams) if hashed
                  else _char_tfidf(ngrams, analyzer="char"))
    return Pipeline([("text", FieldText(fold=fold)), ("tfidf", vectorizer), ("lr", _lr(C))])


RECIPES = {"baseline": baseline, "en_fields": en_fields, "en_fields_fast": en_fields_fast,
           "en_text": en_text, "zh_chars": zh_chars}
