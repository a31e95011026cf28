from detector.language import detect_language


def test_detects_chinese_even_with_some_english() -> None:
    assert detect_language("招聘数据标注员，加微信 abc123 详聊") == "zh"
    assert detect_language("Data entry clerk, remote, apply by email") == "en"
    assert detect_language("Senior Python engineer 北京 team, English working language") == "en"


def test_letter_counts_are_the_regex_counts(corpus) -> None:
    """Counted with a table in numpy (issue 28): the counts the regexes gave, so every
    posting is told the same language as before."""
    import re

    from detector.language import letter_counts

    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    latin = re.compile(r"[A-Za-z]")
    edges = ["", "plain ascii", "\U00020000中a\u4dc0\u9fff\ua000\uf900\ufaff\ufb00",
             "\ud800 lone surrogate 中", "ＡＢＣ全角"]
    texts = [*edges, *(t for col in ("description", "text", "title")
                       for t in corpus[col].tolist() if isinstance(t, str) and t)]
    for text in texts:
        assert letter_counts(text) == (len(han.findall(text)), len(latin.findall(text)))
