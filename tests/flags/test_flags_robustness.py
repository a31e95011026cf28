"""Robustness copies: traditional script through OpenCC, lookalikes from a given table."""

from __future__ import annotations

from detector.flags import robustness


def test_traditional_copies_use_opencc_configurations() -> None:
    makers = robustness.copy_makers()
    for config in robustness.TRADITIONAL_CONFIGS:
        copy = makers[config](["刷单兼职，工资日结"])[0]
        assert "單" in copy and "職" in copy
    assert makers["s2hk"](["Hello"]) == ["Hello"]


def test_lookalikes_replace_only_the_table_characters_and_are_stable() -> None:
    table = {"单": ["単", "單"], "刷": ["唰"]}
    text = "刷单兼职，一单一结"
    copy = robustness.with_lookalikes(text, table)
    assert copy == robustness.with_lookalikes(text, table)
    assert len(copy) == len(text)
    for original, new in zip(text, copy, strict=True):
        assert new == original or new in table[original]
    assert "刷" not in copy and "单" not in copy


def test_without_the_held_out_table_the_copy_says_what_it_needs(monkeypatch) -> None:
    monkeypatch.setattr(robustness, "lookalike_table", lambda: "needs X")
    assert robustness.copy_makers()[robustness.LOOKALIKES] == "needs X"


def test_lookalikes_can_be_limited_to_key_terms() -> None:
    import re

    table = {"日": ["曰"], "结": ["洁"]}
    copy = robustness.with_lookalikes("日期：工资日结", table, re.compile("日结"))
    assert copy == "日期：工资曰洁"


def test_the_held_out_table_and_key_terms_come_from_the_folding() -> None:
    from detector.textnorm.lookalikes import dev_substitutions, held_out_substitutions

    table = robustness.lookalike_table()
    assert table == {k: v for k, v in held_out_substitutions().items() if v}
    assert not set(table) & set(dev_substitutions())
    assert robustness.key_terms() is not None
