"""The develop/held-out split of real scam texts: near-duplicates stay on one side."""

from __future__ import annotations

from detector.flags.halves import DEVELOP, HELD_OUT, halves, near_duplicate_groups

# Hand-written stand-ins for a campaign's variants (rule tests, not data).
CAMPAIGN = [
    "你好，很高兴看到你的简历，本公司长期招聘兼职，手工制作简单，工资日结，电话xxxx",
    "您好，很高兴看到您的简历，本公司长期招聘兼职，手工制作简单，工资日结，电话xxxxxxx",
    "【通知】你好，很高兴看到你的简历，本公司长期招聘兼职，手工制作简单，工资日结",
]
OTHERS = [
    "Congratulations, your application has been approved, salary 300 per day.",
    "仓库招聘分拣员，包吃住，月薪五千，有意者来电。",
]


def test_variants_of_one_campaign_share_a_group() -> None:
    groups = near_duplicate_groups(CAMPAIGN + OTHERS)
    assert len(set(groups[:3])) == 1
    assert len(set(groups)) == 3


def test_a_source_campaign_column_joins_groups() -> None:
    groups = near_duplicate_groups(OTHERS, also=["c1", "c1"])
    assert groups[0] == groups[1]


def test_split_is_by_group_and_independent_of_order() -> None:
    texts = CAMPAIGN + OTHERS
    ids = [f"id{i}" for i in range(len(texts))]
    split = halves(ids, texts)
    assert set(split) <= {DEVELOP, HELD_OUT}
    assert len(set(split[:3])) == 1
    back = halves(ids[::-1], texts[::-1])[::-1]
    assert back == split
