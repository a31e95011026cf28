from __future__ import annotations

import re

import pytest

from detector.model.text import clean_text, tokenize


def test_clean_text_folds_contacts_and_digits_into_tokens() -> None:
    cleaned = clean_text("<b>Call</b> +1 (555) 123-4567 or mail hr@example.com, $3,000/WEEK")
    assert "<b>" not in cleaned
    assert "phonetoken" in cleaned and "emailtoken" in cleaned
    assert "$0,000/week" in cleaned


def test_emscad_masks_become_the_same_tokens_as_real_contacts() -> None:
    assert clean_text("#EMAIL_0b13a2cfd4718ce252c09b2353d692a73bd32552#") == "emailtoken"


def test_tokenize_mixed_language() -> None:
    tokens = tokenize(clean_text("招聘数据标注员 apply now"))
    assert {"招聘", "数据", "apply", "now"} <= set(tokens)


def test_fast_segmenter_matches_jieba_on_real_postings(corpus) -> None:
    """jieba_fast is used for speed only: its segmentation must be jieba's."""
    import jieba

    jieba_fast = pytest.importorskip("jieba_fast")
    texts = corpus.loc[corpus["language"] == "zh", "description"].dropna().head(200)
    for text in texts:
        assert jieba_fast.lcut(text, HMM=False) == jieba.lcut(text, HMM=False)


def test_negation_marks_the_words_it_covers_within_the_clause() -> None:
    tokens = tokenize(clean_text("No fees, no deposit; we pay weekly."))
    assert tokens == ["no", "neg_fees", "no", "neg_deposit", "we", "pay", "weekly"]
    zh = tokenize(clean_text("不收押金，需缴纳培训费"))
    assert "neg_押金" in zh and "培训费" in zh and "neg_培训费" not in zh


# The cleaning as it was before its regexes were made cheaper (issue 28): the cheaper ones
# must clean every text exactly as these did.
_OLD_PHONE = re.compile(r"(?:\+?\d[\d\s().-]{7,}\d)|\b[xX]{7,}\b")
_OLD_URL_BARE = re.compile(r"\b[\w-]+\.(?:com|net|org|co|io|me|ly|cn|in|uk)/\S*")
_OLD_SPACES = re.compile(r"\s+")
#: Hand-written edge cases (not data): phone runs with and without a plus, masks of x's at
#: word boundaries and inside words, links without a scheme, odd whitespace.
EDGES = [
    "+86 138 0013 8000", "+ 86 1380013800", "tel:+1(555)123-4567.", "1234567 12345678",
    "xxxxxxx", "xXxXxXx1", "axxxxxxx", "xxxxxxxa", "_xxxxxxx", "call xxxxxxxx now",
    "#PHONE_0123456789abcdef#", "go to jobs.example.com/apply now", "and/or a.com/b",
    "a\u2003b\x1cc\x1fd\u00a0e\u3000f \n\t g", "", "   ", "5000-8000元",
    "＋８６ １３８００１３８０００",
]


def _old_clean(text: str) -> str:
    import html
    import unicodedata

    from detector.model import text as t

    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    if "<" in text:
        text = t._TAG.sub(" ", text)
    if "#" in text:
        text = t._MASK.sub(lambda m: t._PLACEHOLDER[m.group(1)], text)
    if "@" in text:
        text = t._EMAIL.sub(" emailtoken ", text)
    if "http" in text or "www." in text:
        text = t._URL.sub(" urltoken ", text)
    if "/" in text:
        text = _OLD_URL_BARE.sub(" urltoken ", text)
    text = _OLD_PHONE.sub(t._phone_or_number, text)
    text = t._DIGIT.sub("0", text.lower())
    return _OLD_SPACES.sub(" ", text).strip()


def test_cheaper_cleaning_cleans_every_corpus_field_as_before(corpus) -> None:
    from detector.schema import TEXT_FIELDS

    texts = [*EDGES, *(value for name in TEXT_FIELDS if name in corpus
                       for value in corpus[name].tolist() if isinstance(value, str) and value)]
    differ = [text[:80] for text in texts if clean_text(text) != _old_clean(text)]
    assert not differ, f"{len(differ)} of {len(texts)} texts cleaned differently: {differ[:3]}"
