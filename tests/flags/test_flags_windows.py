"""Claims, not adjacent words (issue 26 item 3): the windows `detector/flags/claims.py` opens
where a claim's words meet, in every spread rule.

The texts are hand-written (labelled so), built to pin one behaviour each: a modifier between
a claim's words keeps the claim; a window never jumps a negation, a clause end or a function
word, never opens inside a word, and a claim carries one window's worth of modifiers at most.
"""

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from detector.evaluation.disguises import disguise
from detector.flags import CATALOGUE, detect_flags
from detector.flags.claims import bare_claim, emit, parse, pieces, spread
from detector.flags.engine import _keyword_hits, _rule_matches, build_index
from detector.schema import posting_from_text
from detector.textnorm.reading import read
from tests.flags.flag_helpers import assert_exact_evidence, hits_of, posting_of

PATTERNS = [(f"{flag.id}.{rule.name}", p, rule.min_part)
            for flag in CATALOGUE for rule in flag.rules for p in rule.patterns]


@pytest.mark.parametrize(("name", "pattern", "min_part"), PATTERNS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(PATTERNS)])
def test_every_pattern_reads_back_as_written_and_spreads_to_a_valid_regex(
        name: str, pattern: str, min_part: int) -> None:
    assert str(sre_parse.parse(emit(parse(pattern)))) == str(sre_parse.parse(pattern)), name
    re.compile(spread(pattern, min_part))


def test_the_word_table_is_current() -> None:
    """`claim_words.py` is what `python -m detector.flags.claim_table` writes for the
    catalogue as it is (this loads jieba, as only the generator does)."""
    from detector.flags.claim_table import TABLE, render

    assert TABLE.read_text(encoding="utf-8") == render(), (
        "rules changed: run `python -m detector.flags.claim_table`")


#: (pattern, text that must match, text that must not). Hand-written.
SPREAD_CASES = [
    # English: up to two words where the claim has a space.
    ("daily salary", "daily fixed salary", "daily in the office salary"),
    ("pay a fee", "pay a small one-time fee", "pay a not small fee"),
    ("merged orders?", "merged premium order", "merged in order"),
    ("you be qualified to", "you be fully qualified to", "you will be qualified to"),
    ("network marketing", "network retail marketing", "network retail and marketing"),
    # Chinese: a window where jieba cuts a literal (刷|单, 银行卡|密码), at a word boundary.
    ("刷单", "刷一笔单", "刷新订单"),
    ("银行卡密码", "银行卡先行密码", "银行卡不用密码"),
    ("联单", "联一笔单", "联副会长单位"),
    # ... and between a number and its unit, a group and the next part.
    (r"(?:需|须)(?:交|缴纳)[0-9]+元", "需象征性缴纳5000元", "需了缴纳5000元"),
    # Never inside a word the segmenter keeps whole, nor over a clause end.
    ("押金", "押金", "押运现金"),
    ("刷单", "刷单", "刷,一笔单"),
]


@pytest.mark.parametrize(("pattern", "fires", "quiet"), SPREAD_CASES)
def test_a_window_stands_where_a_claims_words_meet(pattern: str, fires: str, quiet: str) -> None:
    rx = re.compile(spread(pattern, 1))
    m = rx.search(fires)
    assert m and bare_claim(m) is not None, fires
    m = rx.search(quiet)
    assert m is None or bare_claim(m) is None, (quiet, m and m.group())


def test_a_claim_carries_one_windows_worth_at_most() -> None:
    rx = re.compile(spread("银行卡密码", 1))
    assert bare_claim(rx.search("银行卡一次性先行密码")) == "银行卡密码"
    m = rx.search("银行卡第三方一次性支付密码")
    assert m is None or bare_claim(m) is None
    rx = re.compile(spread("you pay a fee", 1))
    assert bare_claim(rx.search("you pay a small one-time fee")) is not None
    m = rx.search("you quickly pay a small one-time fee")
    assert m is None or bare_claim(m) is None


def test_a_disguised_spelling_is_one_word() -> None:
    """`lexicon.whole`: no window inside 薇信, 扣扣 (a window there read 台球..球 and QQ靓号)."""
    from detector.flags.lexicon import QQ_EVASIVE, WECHAT_EVASIVE

    assert not re.search(spread(QQ_EVASIVE, 1), "台球俱乐部篮球")
    assert not re.search(spread(WECHAT_EVASIVE, 1), "薇一笔信")


def test_a_keyword_cut_by_a_window_is_found_by_its_rarest_piece() -> None:
    assert pieces("刷单", 1) == ["刷", "单"]
    assert pieces("银行卡密码") == ["银行卡", "密码"]
    assert pieces("the remainder") == ["the", "remainder"]


#: (flag, text) hand-written: claims with modifiers between their words that fire.
FIRES = [
    ("task_scam", "招聘兼职刷一笔单，佣金日结。"),
    ("personal_data_request", "请提供银行卡必要密码给客服核实。"),
    ("upfront_fee", "入职前需先行缴纳5000元，上岗后退还。"),
    ("payment_scheme", "兼职跑单，出租闲置的银行卡，每天300元。"),
    ("unrealistic_pay", "Work from home, daily fixed salary 5000 rupees, contact us on WhatsApp."),
    ("unsolicited_offer", "Your application has been formally approved, contact us on wa.me/1."),
]
#: (flag, text) hand-written: what a window must not read as the claim.
QUIET = [
    ("task_scam", "负责联系人工单的处理和跟进。"),
    ("task_scam", "刷新订单状态，跟进物流。"),
    ("off_platform_contact", "欢迎加入vivo团队。"),
    ("upfront_fee", "入职可预支生活费。"),
    ("upfront_fee", "no registration or training fee of any kind"),
    ("upfront_fee", "不收取任何费用"),
    ("unsolicited_offer", "You will be qualified to degree level in nursing."),
]


@pytest.mark.parametrize(("flag_id", "text"), FIRES)
def test_a_windowed_claim_fires(flag_id: str, text: str) -> None:
    hits = hits_of(text)
    assert flag_id in hits, f"{flag_id} missing on {text!r}; got {sorted(hits)}"
    assert_exact_evidence(posting_of(text), hits[flag_id])


@pytest.mark.parametrize(("flag_id", "text"), QUIET)
def test_a_window_does_not_make_a_claim(flag_id: str, text: str) -> None:
    assert flag_id not in hits_of(text)


def _found(text: str, prefiltered: bool) -> set[str]:
    """The flags whose spread rules find a claim in `text`: the rules its keywords trigger,
    around their hits (as the scan runs them), or every rule over the whole text."""
    index = build_index(CATALOGUE)
    fired = set()
    for _name, norm in read(posting_from_text(text)).items():
        if prefiltered:
            runs = [(key, spans) for key, spans in _keyword_hits(index, norm).items()
                    if key[1] >= 0]
        else:
            runs = [((fi, ri), [(0, len(norm))]) for fi, flag in enumerate(CATALOGUE)
                    for ri in range(len(flag.rules))]
        for (fi, ri), spans in runs:
            flag = CATALOGUE[fi]
            if flag.rules[ri].spread and any(not negated for _s, _e, negated in
                   _rule_matches(flag, flag.rules[ri], norm, spans)):
                fired.add(flag.id)
    return fired


def _examples() -> list[tuple[str, str]]:
    return [(lang, text) for flag in CATALOGUE for lang, texts in flag.examples.match.items()
            for text in texts if isinstance(text, str)]


@pytest.mark.parametrize(("lang", "text"), _examples())
def test_the_keyword_prefilter_finds_every_windowed_claim(lang: str, text: str) -> None:
    """Over every example, and over its copy with modifiers inserted in its claims (the
    disguise suite's family, develop half), the rules the keyword scan triggers find every
    flag that all rules run over the whole text find."""
    spans = [(e.start, e.end) for h in detect_flags(posting_from_text(text)) for e in h.evidence]
    for version in (text, disguise(text, "modifiers", "develop", lang, spans)):
        assert _found(version, prefiltered=False) <= _found(version, prefiltered=True), version


def test_every_rule_compiles_up_front() -> None:
    """What a server does at start (api/model.py: new_detector), so no request pays for it."""
    from detector.flags import CATALOGUE, compile_rules

    assert compile_rules() == sum(len(flag.rules) for flag in CATALOGUE)
