"""The disguise families (`detector/evaluation/disguises.py`): each one disguises, the halves
of its material are disjoint, copies are deterministic, and bidi copies render as the
original in a real implementation of the Unicode bidi algorithm (GNU FriBidi).

The example texts below are hand-written rule tests (labelled as such), not evaluation
data: the suite's figures come from real texts only (`test_disguise_suite.py`)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import random
import subprocess
import sys
import unicodedata

import pytest

from detector.evaluation import disguises as d
from detector.flags import detect_flags
from detector.schema import posting_from_text

# Hand-written examples (rule tests, not evaluation data).
EXAMPLES = {
    "en": "Data entry clerk, work from home (no experience). Pay a $50 registration fee to "
          "start, then earn $900 a week. Contact our hiring manager on WhatsApp or Telegram.\n"
          "Send your bank account details and a copy of your ID [passport] today.",
    "zh": "招聘兼职打字员，日结300元，入职先交培训费500元（可退）。\n"
          "加微信或QQ领取任务，刷单返佣，请把身份证照片和银行卡号发给客服。"
          "支付宝、淘宝都可以。",
}


def _spans(text: str) -> list[tuple[int, int]]:
    return [(e.start, e.end) for hit in detect_flags(posting_from_text(text))
            for e in hit.evidence]


CASES = [(family.name, half, lang) for family in d.FAMILIES for half in d.HALVES
         for lang in family.languages]


@pytest.mark.parametrize(("family", "half", "lang"), CASES)
def test_each_family_changes_the_text_it_is_applied_to(family: str, half: str,
                                                       lang: str) -> None:
    text = EXAMPLES[lang]
    spans = _spans(text)
    assert spans, "the example must carry flags whose evidence the families target"
    copy = d.disguise(text, family, half, lang, spans)
    assert copy != text
    # The same call gives the same copy; the other half gives another one.
    assert d.disguise(text, family, half, lang, spans) == copy


def test_a_family_leaves_a_language_it_does_not_apply_to_alone() -> None:
    assert d.disguise(EXAMPLES["zh"], d.LEET, d.HELD_OUT, "zh") == EXAMPLES["zh"]
    assert d.disguise(EXAMPLES["en"], d.ZH_SHORT, d.HELD_OUT, "en") == EXAMPLES["en"]


@pytest.mark.parametrize("family", d.FAMILY_NAMES)
def test_develop_and_held_out_material_are_disjoint_and_cover_the_family(family: str
                                                                          ) -> None:
    develop, held_out = d.material(family, d.DEVELOP), d.material(family, d.HELD_OUT)
    assert develop and held_out
    assert not set(develop) & set(held_out)
    assert set(develop) | set(held_out) == set(d.all_material(family))


def test_the_module_docstring_names_the_halves_as_they_are() -> None:
    """The module documents which item is in which half; this pins the split it names."""
    expected = {
        d.SEPARATORS: (("-", "*", "|", "+", ":", "·", " "),
                       (".", "_", "/", "~", "'", ",", "•", "^", "=")),
        d.LEET: (["e>3", "i>1", "i>|", "o>0", "s>$", "l>1", "l>|", "g>9", "g>6", "b>8", "z>2"],
                 ["a>4", "a>@", "a>^", "i>!", "s>5", "t>7", "t>+"]),
        d.BIDI: (["rlo", "rlo_open", "fsi", "lri_open"], ["rli", "rli_open", "fsi_open", "lri"]),
        d.EMOJI_FAMILY: (["💵", "💲", "🔥", "🎁", "❤", "👍", "🤝", "🏠", "🍀"],
                         ["💰", "✅", "👉", "📱", "💸", "⭐", "🌹", "💯", "🎉", "😊", "📞",
                          "💎", "🚀", "✨", "🧧"]),
        d.ZH_SEPARATORS: (("*", "\u3000", "_", "、", "丨", "#", "^", "…", "＊"),
                          (" ", "·", "-", "/", "|", ".", "～", "★", "~", "+")),
    }
    for family, (develop, held_out) in expected.items():
        assert set(d.material(family, d.DEVELOP)) == set(develop), family
        assert set(d.material(family, d.HELD_OUT)) == set(held_out), family
    mods = d.material(d.MODIFIERS, d.HELD_OUT)
    assert {"en:simple", "en:token", "zh:统一", "zh:专门"} <= set(mods)
    assert "en:small" not in mods and "zh:一笔" not in mods
    assert {"微信>vx", "身份证>sfz"} <= set(d.material(d.ZH_SHORT, d.HELD_OUT))
    assert {"微信>v信"} <= set(d.material(d.ZH_SHORT, d.DEVELOP))
    assert len(d.all_material(d.LOOKALIKE)) == 75 and len(d.all_material(d.ZH_SHORT)) == 65


def test_lookalikes_come_from_unicode_confusables_and_are_cyrillic_or_greek() -> None:
    for item in d.all_material(d.LOOKALIKE):
        latin, char = item.split(">")
        assert latin.isascii() and latin.isalpha()
        assert unicodedata.name(char).split()[0] in ("CYRILLIC", "GREEK")
    # Styled alphabets map each letter to the same letter in that alphabet.
    bold = d.styled_alphabets()["MATHEMATICAL BOLD"]
    assert unicodedata.name(bold["e"]) == "MATHEMATICAL BOLD SMALL E"
    assert unicodedata.normalize("NFKC", "".join(bold[c] for c in "fee")) == "fee"


def test_short_forms_are_pinyin_initials_and_seen_forms() -> None:
    forms = set(d.all_material(d.ZH_SHORT))
    assert {"身份证>sfz", "刷单>sd", "兼职>jz", "微信>wx", "微信>vx", "微信>v信",
            "银行卡>yhk"} <= forms


def test_modifiers_go_inside_the_claim_at_word_boundaries() -> None:
    text = "Pay a registration fee to start."
    spans = [(0, 22)]  # "Pay a registration fee"
    copy = d.disguise(text, d.MODIFIERS, d.HELD_OUT, "en", spans)
    assert copy.endswith(" to start.") and copy.startswith("Pay ")
    added = set(copy.split()) - set(text.split())
    held_out = {m.split(":", 1)[1] for m in d.material(d.MODIFIERS, d.HELD_OUT)}
    assert added and added <= held_out
    zh = "入职前需先缴纳培训费用，日结。"
    copy = d.disguise(zh, d.MODIFIERS, d.DEVELOP, "zh", [(0, 11)])
    develop = {m.split(":", 1)[1] for m in d.material(d.MODIFIERS, d.DEVELOP)}
    assert copy != zh and copy.endswith("，日结。")
    assert any(word in copy for word in develop)


def test_copies_are_the_same_in_another_process() -> None:
    """Seeded by a hash of the text, not Python's salted `hash()`."""
    code = ("from detector.evaluation import disguises as d\n"
            "import json, sys\n"
            "text = sys.stdin.read()\n"
            "print(json.dumps([d.disguise(text, f.name, h, 'en', [(0, 20)]) "
            "for f in d.FAMILIES for h in d.HALVES if 'en' in f.languages]))\n")
    runs = [subprocess.run([sys.executable, "-c", code], input=EXAMPLES["en"], text=True,
                           capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1]
    here = [d.disguise(EXAMPLES["en"], f.name, h, "en", [(0, 20)])
            for f in d.FAMILIES for h in d.HALVES if "en" in f.languages]
    import json

    assert json.loads(runs[0]) == here


# ---------------------------------------------------------------- bidi, rendered by FriBidi

FRIBIDI_PAR_LTR = 0x00000110


def _fribidi() -> ctypes.CDLL:
    name = ctypes.util.find_library("fribidi")
    if name is None:
        pytest.skip("GNU FriBidi (Debian libfribidi0) is not installed; scripts/setup.sh "
                    "installs it")
    return ctypes.CDLL(name)


def _displayed(text: str) -> str:
    """What a browser shows: each line reordered by FriBidi (the Unicode bidi algorithm,
    with mirroring), the invisible controls dropped."""
    lib = _fribidi()
    lines = []
    for line in text.split("\n"):
        n = len(line)
        if not n:
            lines.append(line)
            continue
        src = (ctypes.c_uint32 * n)(*map(ord, line))
        dst = (ctypes.c_uint32 * n)()
        base = ctypes.c_uint32(FRIBIDI_PAR_LTR)
        assert lib.fribidi_log2vis(src, n, ctypes.byref(base), dst, None, None, None)
        shown = "".join(map(chr, dst[:n]))
        lines.append("".join(ch for ch in shown if unicodedata.category(ch) != "Cf"))
    return "\n".join(lines)


@pytest.mark.parametrize("variant", d.BIDI_VARIANTS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bidi_copies_render_as_the_original(variant: str, lang: str) -> None:
    text = EXAMPLES[lang]
    spans = _spans(text)
    family = d.get_family(d.BIDI)
    controls = (d.RLO, d.RLI, d.FSI, d.LRI)
    scopes = set()
    for seed in range(8):  # both scopes: every line, or the claims only
        copy = family.apply(text, spans, lang, (variant,), random.Random(seed))
        assert copy != text
        assert d.RLO in copy
        scopes.add(all(line.startswith(controls) for line in copy.split("\n")))
        assert _displayed(copy) == text
    assert scopes == ({True} if variant.endswith("_open") else {True, False})
    # Stored as it is, the text does not read as the original (it is reversed).
    assert text not in copy


def test_fribidi_sees_the_reversal() -> None:
    """The check above is not vacuous: a reversed run without the override shows reversed."""
    assert _displayed("abc " + d.mirror_reversed("(fee) paid")) != "abc (fee) paid"
    assert _displayed("abc " + d.RLO + d.mirror_reversed("(fee) paid") + d.PDF) == \
        "abc (fee) paid"
