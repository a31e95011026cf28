"""The reading undoes disguises (issue 26), with exact offsets back to the original, and
leaves ordinary text alone. Hand-written cases (rule tests, not evaluation data)."""

from __future__ import annotations

import pytest

from detector.textnorm.disguise import short_form_edits
from detector.textnorm.normalize import normalize


def disguised_words(text: str) -> list[str]:
    norm = normalize(text)
    return [text[a:b] for a, b in norm.disguises]


@pytest.mark.parametrize(("text", "reads", "words"), [
    ("A registration f\u0435\u0435 via Western Uni\u043en", "a registration fee via western union",
     ["f\u0435\u0435", "Uni\u043en"]),
    ("Pay the f.e.e now", "pay the fee now", ["f.e.e"]),
    ("A u.p.f.r.o.n.t f.e.e of $50", "a upfront fee of $50", ["u.p.f.r.o.n.t", "f.e.e"]),
    ("a $50 upfront\U0001f4b0fee", "a $50 upfront fee", []),
    ("the f\U0001f4b0ee and up*front", "the fee and upfront", ["f\U0001f4b0ee", "up*front"]),
    ("call W h a t s A p p", "call whatsapp", ["W h a t s A p p"]),
    ("on Wh4tsApp or T3legram, f33 due", "on whatsapp or telegram, fee due",
     ["Wh4tsApp", "T3legram", "f33"]),
    ("入职需缴纳培*训*费", "入职需缴纳培训费", ["培*训", "训*费"]),
    ("加微❤信", "加微信", ["微❤信"]),
    ("发sfz正反面，sd返佣，jz日结", "发身份证正反面,刷单返佣,兼职日结", []),
])
def test_disguises_are_read_as_a_person_reads_them(text: str, reads: str,
                                                   words: list[str]) -> None:
    norm = normalize(text)
    assert norm.text == reads
    assert disguised_words(text) == words


@pytest.mark.parametrize("text", [
    "Email jobs@example.com, i.e. by Friday", "B2B sales, 401k, mp3, k8s, R&D, Q.A.",
    "e-mail and on-line tools; be up-front about costs", "5OO yuan", "ООО «Ромашка» ищет",
    "Greek μm and α-helix", "Horsham, RH13 0TP, GB", "代码编写/review5、参与",
    "欢迎各位的加入~职位要求", "五险一金·周末双休", "买个SD卡", "★ Benefits ★",
])
def test_ordinary_text_is_not_a_disguise(text: str) -> None:
    assert disguised_words(text) == []


def test_a_russian_word_stays_russian() -> None:
    assert normalize("ООО «Ромашка»").text == "ооо «ромашка»"


def test_a_bidi_override_reads_in_display_order_and_its_evidence_is_the_run() -> None:
    stored = "job: \u202e\u4f63\u8fd4\u5355\u5237\u202c, 日结"
    norm = normalize(stored)
    assert norm.text == "job: 刷单返佣, 日结"
    assert norm.disguises == ((5, 11),)
    start = norm.text.index("刷单")
    assert norm.span(start, start + 2) == (5, 11)  # inside the run: the whole run


def test_an_isolate_does_not_reorder_left_to_right_text() -> None:
    assert normalize("a \u2067刷单\u2069 b").text == "a 刷单 b"
    assert normalize("a \u2067刷单\u2069 b").disguises == ()


def test_every_reading_span_maps_back_exactly() -> None:
    text = "Pay a f\u0435\u0435 on Wh4tsApp: u.p.f.r.o.n.t\U0001f4b0f.e.e \u202eabc\u202c 培*训*费"
    norm = normalize(text)
    for start in range(len(norm.text)):
        a, b = norm.span(start, start + 1)
        assert 0 <= a < b <= len(text)


def test_the_fingerprints_read_everything_but_leetspeak() -> None:
    norm = normalize("Wh4tsApp f.e.e")
    assert norm.text == "whatsapp fee"
    assert norm.fingerprint_text == "wh4tsapp fee"
    assert normalize("plain text").fingerprint_text == "plain text"


#: Snippets of real legit postings in labeled_posts/ (IT postings and SMS with masked digits)
#: where short forms were once read: codes, model numbers, lists of formats, masked digits.
LEGIT_CODES = ["有sd-wan研发工作经验者优先", "具有sd、sdio、mipi、lcd、usb",
               "规格shp，mif，gdf，kiwi",
               "有rs232、gpib、usb", "java软件工程师(zz190012)", "仅招p7以上，欢迎来撩",
               "公众号：gz_minstone 我们", "ruby/crystal/k8s工程师", "4721fl-高级web开发工程师",
               "男女xx天返x", "主管底薪xxxx加科室的总提x%", "tm怎么说上海还是国际大都市"]


@pytest.mark.parametrize("text", LEGIT_CODES)
def test_short_forms_are_not_read_in_codes_and_masked_digits(text: str) -> None:
    assert short_form_edits(text) == []


def test_a_real_short_form_is_still_read() -> None:
    text = "在这里说下做兼zhi是需要会费的"  # a real job-scam message (job_messages_zh_extra)
    assert [term for _, _, term in short_form_edits(text)] == ["兼职"]
