from detector.language import detect_language


def test_detects_chinese_even_with_some_english() -> None:
    assert detect_language("招聘数据标注员，加微信 abc123 详聊") == "zh"
    assert detect_language("Data entry clerk, remote, apply by email") == "en"
    assert detect_language("Senior Python engineer 北京 team, English working language") == "en"
