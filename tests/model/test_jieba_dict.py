"""jieba's dictionary loaded slice by slice (issue 19: 0.5 s per process for the whole one)
must segment exactly as jieba does with its whole dictionary."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.model.jieba_dict import Segmenter, cache_file

jieba_fast = pytest.importorskip("jieba_fast")


def real_texts(corpus) -> list[str]:  # type: ignore[no-untyped-def]
    zh = corpus.loc[corpus["language"] == "zh"]
    texts = [*zh["description"].dropna().head(150), *zh["title"].dropna().head(50)]
    # Mixed text, ASCII dictionary entries (T恤, B超), digits and punctuation.
    return [t for t in texts if t.strip()] + ["加V信领取任务，刷单返佣 T恤 B超 3000元/月 QQ群"]


def test_sliced_dictionary_segments_like_the_whole_one(corpus, tmp_path: Path,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    whole = jieba_fast.Tokenizer()
    whole.initialize()
    first = Segmenter(jieba_fast)  # builds the slice file
    assert first.slices is None and cache_file(jieba_fast).is_file()
    sliced = Segmenter(jieba_fast)  # reads slices on demand
    assert sliced.slices is not None
    sliced.lcut("刷单返佣，先垫付后返还")
    # One short text loads the slices of its own characters: a sliver of the dictionary.
    assert 0 < len(sliced.tokenizer.FREQ) < len(whole.FREQ) / 50
    for text in real_texts(corpus):
        expected = whole.lcut(text, HMM=False)
        assert first.lcut(text) == expected
        assert sliced.lcut(text) == expected, text[:80]


def test_global_jieba_keeps_its_whole_dictionary(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    Segmenter(jieba_fast)
    Segmenter(jieba_fast).lcut("刷单返佣")
    assert jieba_fast.lcut("先垫付后返还", HMM=False) == ["先", "垫付", "后", "返还"]


def test_without_a_writable_cache_the_whole_dictionary_is_used(tmp_path: Path,
                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    segmenter = Segmenter(jieba_fast)
    assert segmenter.slices is None
    assert segmenter.lcut("先垫付后返还") == ["先", "垫付", "后", "返还"]


def test_a_damaged_slice_file_is_rebuilt(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = cache_file(jieba_fast)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage")
    assert Segmenter(jieba_fast).lcut("先垫付后返还") == ["先", "垫付", "后", "返还"]
    assert Segmenter(jieba_fast).slices is not None
