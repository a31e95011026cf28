from __future__ import annotations

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
