"""Accept-Language parsing picks the most preferred supported language."""

from __future__ import annotations

import pytest

from api.lang import accept_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("fr-FR,fr;q=0.9", None),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr;q=1, zh-TW;q=0.4, en;q=0.7", "en"),
        ("en;q=0, zh", "zh"),
        ("*", None),
        ("en;q=abc, zh;q=0.1", "zh"),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert accept_language(header) == expected
