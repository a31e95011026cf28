"""The Chinese folding: what it rewrites, what it must leave alone, and that it stays 1:1."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pandas as pd
import pytest

from detector.schema import TEXT_FIELDS
from detector.textnorm import fold_zh, load_zh_fold
from detector.textnorm.build import main as build_main
from detector.textnorm.lookalikes import (
    KEY_TERMS,
    OBSERVED,
    dev_substitutions,
    held_out_substitutions,
)

POSTS = Path(__file__).resolve().parents[2] / "labeled_posts" / "posts.csv.gz"

# Hand-written examples (tests only, not data).
FOLDED = [
    ("招聘兼職刷單員，一單一結", "招聘兼职刷单员，一单一结"),  # traditional script
    ("您的簡歷已通過篩選", "您的简历已通过筛选"),
    ("刷単返利", "刷单返利"),  # Japanese variant (OpenCC jp2t)
    ("唰单兼职，日结", "刷单兼职，日结"),  # extra radical (唰 = 口 + 刷)
    ("涮单兼职", "刷单兼职"),
    ("网上兼値打字", "网上兼职打字"),  # traditional 値 then the lookalike
    ("エ资日结", "工资日结"),  # Unicode confusable (katakana エ)
    ("人亊部", "人事部"),  # a variant character
]
UNCHANGED = [
    "携手共进，共创未来",  # 手共 looks like 手工, but 携手 is a word
    "前往店铺", "建立简历档案", "简直太好了", "著名企业", "乾隆年间", "互联网电商平台",
    "生日假、父母节日礼物", "负责页面适配", "保证在架率", "Data entry clerk, 3 years",
]


@pytest.mark.parametrize(("text", "expected"), FOLDED)
def test_folds(text: str, expected: str) -> None:
    assert fold_zh(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_ordinary_words(text: str) -> None:
    assert fold_zh(text) == text


def test_one_character_for_one() -> None:
    rng = random.Random(13)
    alphabet = "".join(KEY_TERMS) + "".join("".join(v) for v in OBSERVED.values()) + "，。 a1"
    alphabet += "".join(load_zh_fold().t2s)[:500]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert len(fold_zh(text)) == len(text)


def test_pickles_with_its_tables() -> None:
    fold = load_zh_fold()
    again = pickle.loads(pickle.dumps(fold))
    assert again("刷單唰单") == fold("刷單唰单") == "刷单刷单"
    assert again.variants == fold.variants


def test_observed_halves_are_disjoint_and_complete() -> None:
    dev, held = dev_substitutions(), held_out_substitutions()
    assert not set(dev) & set(held)
    assert set(dev) | set(held) == set(OBSERVED)
    assert dev and held


def test_dev_half_is_folded() -> None:
    missed = [
        term.replace(ch, x, 1)
        for ch, xs in dev_substitutions().items() for x in xs for term in KEY_TERMS if ch in term
        if fold_zh("，" + term.replace(ch, x, 1) + "，")[1:-1] != term
    ]
    assert not missed


@pytest.mark.skipif(not POSTS.exists(), reason="needs labeled_posts/posts.csv.gz")
def test_real_legit_postings_keep_their_words() -> None:
    """Lookalike folding must not rewrite ordinary words of real legit Chinese postings."""
    frame = pd.read_csv(POSTS, low_memory=False)
    legit = frame[(frame["language"] == "zh") & (frame["label"] == 0)]
    fold = load_zh_fold()
    changed = 0
    for record in legit[list(TEXT_FIELDS)].itertuples(index=False):
        text = "\n".join(v for v in record if isinstance(v, str)).translate(fold._table)
        changed += fold(text) != text
    assert len(legit) > 10_000
    assert changed / len(legit) <= 0.001, changed


def test_tables_are_up_to_date() -> None:
    """zh_fold.json is what build.py makes from the installed data packages."""
    assert build_main(["--check"]) == 0
