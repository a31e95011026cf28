"""`disguised_text`: words written so that filters miss them.

Not a keyword rule: the pipeline's reading (`detector.textnorm.disguise`) undoes disguises
before anything matches, and records every word it had to undo in a flag-relevant way: a
lexicon word spelled with letters of another alphabet, dotted or spaced out, split by
symbols or written in digits, a Chinese key term split by symbols, or text stored backwards
inside a right-to-left override. Real postings almost never do any of these (its hits on
the real legit corpora are in docs/rules.md). Evidence: the disguised words, exact spans of
the original (a whole override run).

`medium`: a disguise says the text was written to dodge checks, not what it asks for; the
flags of the words themselves (a fee, a chat app) say that. A disguised copy of a genuine
posting is not to be rated high on the disguise alone. The examples are hand-written
(tests and demos, not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Triggers
from detector.flags.context import PostingText
from detector.verdict import Evidence


def _disguise_check(pt: PostingText, triggers: Triggers) -> list[Evidence] | None:
    spans = [Evidence(name, start, end, norm.original[start:end])
             for name, norm in pt.fields.items() for start, end in norm.disguises]
    return spans or None


DISGUISED_TEXT = RedFlag(
    id="disguised_text",
    severity="medium",
    title={"en": "Written to dodge filters", "zh": "刻意躲避平台审核的写法"},
    explanation={
        "en": "Words in this text are disguised so that a platform's filters miss them: "
        "letters borrowed from another alphabet, a word dotted out or split by symbols, "
        "digits for letters, or text stored backwards so that it only reads right on "
        "screen. Genuine employers have no reason to write like this.",
        "zh": "这段文字故意改写关键词来躲避平台审核：混入外文字母、用符号或空格拆开词语、"
        "用数字代替字母，或把文字倒着存储、只在屏幕上显示为正常顺序。正规招聘没有理由这样写。",
    },
    advice={
        "en": "Treat it as written to get past the site's checks. Do not pay anything, do not "
        "move to a chat app, and report the listing to the site where you saw it.",
        "zh": "这样的写法就是为了绕过平台审核。不要付任何钱，不要转到私聊软件，并向发布平台举报。",
    },
    examples=Examples(
        match={
            "en": (
                "Data entry clerk. Pay the registration f.e.e before your first shift.",
                "Earn $300 a day from home. Message our manager on Wh4tsApp +1 555 0100.",
                "A registration f\u0435\u0435 of $80 is payable by Western Uni\u043en.",
                {"title": "Remote assistant",
                 "description": "A $50 up\U0001f4b0front payment is due before you start."},
            ),
            "zh": (
                "\u202e单刷职兼\u202c，日结三百",
                "入职需缴纳培*训*费500元",
                "兼职打字员，详情加微❤信咨询",
            ),
        },
        no_match={
            "en": (
                "Email your CV to jobs@example.com, i.e. by Friday. B2B sales, 401k, "
                "e-mail and on-line tools, up-front about costs.",
                "ООО «Ромашка» ищет бухгалтера. Greek letters: α, β, μm.",
                {"title": "S A L E S  Associate",
                 "description": "★ Benefits ★ Full-time, 5+ years, C++ and C#."},
            ),
            "zh": (
                "五险一金·周末双休·带薪年假",
                "岗位职责：1. 负责客户接待 2. 整理资料",
                "★公司福利★ 包吃包住 · 节日礼品 · Excel/PPT 熟练",
            ),
        },
    ),
    check=_disguise_check,
)
