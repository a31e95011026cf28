"""The field separator of a delimited feed: `--delimiter`, else csv.Sniffer on the first
lines, else the extension's usual one (`,` for .csv, tab for .tsv and .txt).

European Excel writes `;`, Excel's "Unicode text" and most database exports write tabs
(issue 19: both were refused). Only the separator is taken from the sniffer; quoting stays
Excel's (`"`, doubled inside a field), which the strict CSV parser checks.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

#: The separators a feed may use, with the words a user can type for them.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_WORDS = {**{word: sep for sep, word in DELIMITERS.items()}, "\\t": "\t"}
#: Separator by extension when the sniffer cannot tell (one column, or too few lines).
DEFAULT_BY_SUFFIX = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
SAMPLE_CHARS = 64 * 1024


def parse_delimiter(text: str) -> str:
    """`--delimiter` value: one of , ; | or a tab, typed as itself or as a word."""
    value = _WORDS.get(text.strip().lower(), text)
    if value not in DELIMITERS:
        words = ", ".join(f"{word} ({sep!r})" for sep, word in DELIMITERS.items())
        raise ValueError(f"--delimiter must be one of {words}; got {text!r}")
    return value


def name(delimiter: str) -> str:
    return f"{DELIMITERS.get(delimiter, 'custom')} ({delimiter!r})"


def sniff(sample: str, suffix: str, names_columns: Callable[[list[str]], bool]
          ) -> tuple[str, str]:
    """(separator, how it was chosen) from the first lines of the decoded feed.

    The sniffer's answer is kept unless its header names no posting column while the
    extension's usual separator gives one that does (a guess misled by the text)."""
    default = DEFAULT_BY_SUFFIX.get(suffix.lower(), ",")
    cut = sample.rfind("\n", 0, SAMPLE_CHARS)
    text = sample[: cut + 1] if cut > 0 else sample[:SAMPLE_CHARS]
    try:
        found = csv.Sniffer().sniff(text, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return default, f"the usual one for {suffix or 'this file'}"
    if found != default and not names_columns(_header(text, found)) \
            and names_columns(_header(text, default)):
        return default, f"the usual one for {suffix}"
    return found, "sniffed"


def _header(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(text.splitlines()[:1], delimiter=delimiter), [])
    except csv.Error:
        return []
