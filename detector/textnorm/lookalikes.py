"""The key terms whose lookalikes are folded, and observed scammer substitutions.

Folding is limited to these terms on purpose: a same-sounding character only stands in for
刷 inside 刷单, not everywhere (换 for 单 would wreck ordinary text). The terms are the core
vocabulary of the catalogue's Chinese rules and of the text models' strongest features.

Chat-app names (微信, QQ) are left out: their disguises (薇信, 扣扣, 加V) are themselves
evidence of evasion, which the contact rules read in context (`flags/lexicon.py`).

`OBSERVED` is a hand list of substitutions seen in scam texts and reports (standard
character -> lookalikes). It is split in two by a fixed hash: the *dev* half may inform the
folding (`build.py` adds it to the data-derived lookalikes); the *held-out* half is used only
by the rule QA to make lookalike copies of real scam texts, so that check measures how the
folding does on substitutions it was not built from.
"""

from __future__ import annotations

import hashlib

KEY_TERMS: tuple[str, ...] = (
    # task and order-brushing scams
    "刷单", "刷信誉", "刷好评", "刷销量", "补单", "做任务", "点赞", "返利", "返佣", "返现",
    "佣金", "垫付", "充值", "提现", "接单", "派单", "拍单",
    # shops and platforms named in store-invitation lures
    "网店", "店铺", "旗舰店", "淘宝", "天猫", "京东", "拼多多", "商家",
    # the invitation and the résumé lure
    "简历", "邀请", "录用", "面试", "入职", "招聘", "诚聘", "客服", "人事",
    # the job on offer
    "兼职", "打字", "录入", "手工", "外发", "手机", "日结", "日薪", "工资", "赚钱",
    "数据标注", "标注",
    # money asked of the applicant
    "押金", "保证金", "培训费", "会费", "入会费", "会员费", "手续费", "服务费", "资料费",
    "报名费", "激活费", "转账", "汇款", "银行卡", "身份证",
)

#: Standard character -> lookalikes seen in scam texts (hand list; see module docstring).
OBSERVED: dict[str, str] = {
    "刷": "唰涮", "单": "単丹", "兼": "蒹鹣", "职": "识织", "简": "筒", "历": "厉歷", "网": "罔惘",
    "店": "惦坫", "旗": "淇祺", "舰": "艦", "铺": "浦", "邀": "徼", "请": "清情", "淘": "陶萄",
    "宝": "堡保", "押": "鸭", "金": "今", "佣": "拥", "返": "反", "利": "莉", "打": "汀",
    "字": "孛", "日": "曰", "结": "洁", "赚": "嫌", "钱": "浅", "客": "各", "服": "箙",
    "聘": "娉", "转": "砖", "账": "帐", "培": "陪", "训": "驯", "费": "废", "录": "碌",
    "任": "仼", "务": "雾", "垫": "势", "付": "符", "充": "冲", "值": "植", "手": "毛",
    "机": "肌", "工": "エ",
}


def _half(standard: str) -> int:
    """0 (dev) or 1 (held out), fixed by a hash of the character."""
    return hashlib.sha256(standard.encode("utf-8")).digest()[0] & 1


def dev_substitutions() -> dict[str, list[str]]:
    """The half of `OBSERVED` that the folding may learn from."""
    return {c: list(v) for c, v in OBSERVED.items() if _half(c) == 0}


def held_out_substitutions() -> dict[str, list[str]]:
    """The half of `OBSERVED` that only the rule QA's lookalike copies use."""
    return {c: list(v) for c, v in OBSERVED.items() if _half(c) == 1}
