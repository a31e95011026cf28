"""The one posting schema used by the CLI, the API, the page and the model.

Every field is an optional string; a posting needs at least one non-empty text
field. Unknown keys are ignored so that feeds with extra columns still scan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from detector.jsontext import HugeInteger, type_name

#: Text fields, in the order they are shown and concatenated.
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "company",
    "company_profile",
    "description",
    "requirements",
    "benefits",
    "salary",
    "location",
    "employment_type",
    "required_experience",
    "required_education",
    "industry",
    "function",
    "department",
    "contact",
    "text",
)
#: Optional yes/no signals (EMSCAD-style metadata).
BOOL_FIELDS: tuple[str, ...] = ("has_company_logo", "telecommuting", "has_questions")
ALL_FIELDS: tuple[str, ...] = ("id", *TEXT_FIELDS, *BOOL_FIELDS)

#: Default cap on the total text of one posting (characters).
DEFAULT_MAX_CHARS = 1_000_000
#: Longest `id` (characters; an integer id by its digits): ids are keys, logged and stored
#: (the label store's column), not text.
MAX_ID_CHARS = 200
#: The largest integer id the API takes (its document says so): JSON readers that hold
#: numbers as doubles (JavaScript, JSON Schema validators) read larger ones inexactly, so
#: a larger id must come as a string. Feeds read any integer id exactly, as its digits.
API_MAX_INT_ID = 2**53 - 1
#: UTF-16 surrogate code points: never text on their own (JSON's "\ud800" escape makes one).
_SURROGATES = re.compile("[\ud800-\udfff]")

#: Yes/no cells as people write them (issue 24): words in English and Chinese, and 1/0 or
#: 1.0/0.0 (what pandas writes for a yes/no column with a gap). Compared case-folded.
YES_WORDS = frozenset({"1", "true", "t", "yes", "y", "是", "有"})
NO_WORDS = frozenset({"0", "false", "f", "no", "n", "否", "无", "没有"})
#: A cell that says "nothing here": the field is absent, no warning.
BLANK_WORDS = frozenset({"", "nan", "na", "n/a", "null", "none", "-"})


class InvalidPosting(ValueError):
    """A posting that cannot be scored; the message says why, in words a user can act on."""


@dataclass(frozen=True, slots=True)
class Posting:
    """A validated job posting: only non-empty text fields are kept."""

    fields: dict[str, str]
    id: str | None = None
    has_company_logo: bool | None = None
    telecommuting: bool | None = None
    has_questions: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def is_structured(self) -> bool:
        """True when the posting came as separate fields rather than one pasted `text`."""
        return any(name != "text" for name in self.fields)

    def full_text(self) -> str:
        """All text fields joined, in schema order (what a person would read)."""
        return "\n".join(self.fields[name] for name in TEXT_FIELDS if name in self.fields)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id} if self.id is not None else {}
        out.update(self.fields)
        for name in BOOL_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def text_problem(text: str) -> str | None:
    """Why `text` is not Unicode text (a lone surrogate), or None. ASCII is checked free."""
    if text.isascii():
        return None
    found = _SURROGATES.search(text)
    if found is None:
        return None
    return (f"a lone surrogate ({ascii(found.group())[1:-1]} at character {found.start():,}), "
            "which is not a character: send the text as valid Unicode (UTF-8)")


def _coerce_text(name: str, value: Any, strict: bool) -> str:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise InvalidPosting(f"field '{name}' holds {problem}")
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidPosting(f"field '{name}' is not valid UTF-8") from exc
    if not strict and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    raise InvalidPosting(f"field '{name}' must be a string, got {type_name(value)}")


class NotYesNo(ValueError):
    """A cell that cannot be read as yes or no."""


def parse_yes_no(value: Any) -> bool | None:
    """A yes/no cell as a spreadsheet, pandas or a person wrote it: True, False, or None for
    an empty cell. The one rule every feed reader uses (CSV, JSONL, Parquet, `labels
    import`, any reader added later): booleans; 1/0 and 1.0/0.0 as numbers or text;
    true/false, t/f, yes/no, y/n, 是/否, 有/无 in any case. NotYesNo otherwise."""
    if type(value).__module__ == "numpy":
        value = value.item()  # numpy.bool_, numpy.int64 ... as Python values
    if isinstance(value, bool):
        return value
    if _is_missing(value):
        return None
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise NotYesNo(f"{value!r:.40} is not a yes/no value")
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        if text in BLANK_WORDS:
            return None
        try:
            number = float(text)
        except ValueError:
            number = None
        if number in (0.0, 1.0):  # "1.0", "0.00", "1e0"
            return number == 1.0
    shown = ascii(value) if isinstance(value, str) and text_problem(value) else repr(value)
    raise NotYesNo(f"{shown:.40} is not a yes/no value (yes/no, true/false, 1/0, 是/否)")


def _coerce_bool(name: str, value: Any, strict: bool) -> bool | None:
    """The API's rule (`strict`: JSON booleans only) or the pipelines' (any yes/no cell)."""
    if isinstance(value, bool):
        return value
    if not strict:
        try:
            return parse_yes_no(value)
        except NotYesNo:
            pass
    raise InvalidPosting(f"field '{name}' must be true or false, got {value!r:.40}")


def parse_posting(
    data: Mapping[str, Any],
    *,
    strict: bool = False,
    yes_no_cells: bool = False,
    warnings: list[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    default_id: str | None = None,
    max_int_id: int | None = None,
) -> Posting:
    """Validate a mapping into a Posting. Raises InvalidPosting with the reason.

    `strict` is the rule of every face that receives typed values (API, page, `detector
    score` of JSON, `detector scan` of JSONL/Parquet): text fields must be strings, yes/no
    fields booleans, `id` a string or integer, so the same posting gets the same answer
    everywhere. `yes_no_cells` is the rule of feeds people and spreadsheets write (`detector
    scan` of any format, `labels import`): yes/no fields are read by `parse_yes_no`, and one
    that cannot be read is left out, with a line in `warnings`, never the posting refused
    over optional metadata. Non-strict is for the project's own data pipelines (training,
    rule QA), which may hold numbers from pandas. `max_int_id`: the API's bound on an
    integer id (API_MAX_INT_ID).
    """
    if not isinstance(data, Mapping):
        raise InvalidPosting(f"a posting must be an object, got {type(data).__name__}")
    texts: dict[str, str] = {}
    total = 0
    for name in TEXT_FIELDS:
        value = data.get(name)
        if _is_missing(value):
            continue
        text = _coerce_text(name, value, strict)
        if "\x00" in text:
            text = text.replace("\x00", "")
        if text.strip():
            texts[name] = text
            total += len(text)
    if not texts:
        raise InvalidPosting(
            "empty posting: give at least one non-empty text field "
            f"(e.g. 'text' or 'description'); known fields: {', '.join(TEXT_FIELDS)}"
        )
    if total > max_chars:
        raise InvalidPosting(f"posting too large: {total:,} characters (limit {max_chars:,})")
    bools: dict[str, bool | None] = {}
    for name in BOOL_FIELDS:
        value = data.get(name)
        if _is_missing(value):
            bools[name] = None
        elif yes_no_cells:
            try:
                bools[name] = parse_yes_no(value)
            except NotYesNo as exc:
                bools[name] = None
                if warnings is not None:
                    warnings.append(f"field '{name}': {exc}; left out")
        else:
            bools[name] = _coerce_bool(name, value, strict)
    raw_id = data.get("id")
    posting_id = default_id if _is_missing(raw_id) or raw_id == "" else \
        parse_id(raw_id, max_int_id)
    return Posting(fields=texts, id=posting_id, **bools)


def parse_id(raw_id: Any, max_int_id: int | None = None) -> str:
    """A posting's `id` as text: a string or an integer (a whole float is one: JSON Schema
    says so, and pandas holds integer columns with gaps so). Ids are keys, so a NUL, a lone
    surrogate, more than MAX_ID_CHARS characters or an integer beyond `max_int_id` is an
    error, not something to store."""
    if isinstance(raw_id, HugeInteger):
        raise InvalidPosting(f"field 'id' is too long: an integer of {raw_id.digits:,} digits "
                             f"(limit {MAX_ID_CHARS} characters)")
    if isinstance(raw_id, float) and raw_id.is_integer():
        raw_id = int(raw_id)  # 72.0 is the integer 72 (in JSON Schema too)
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        if max_int_id is not None and abs(raw_id) > max_int_id:
            raise InvalidPosting(f"field 'id' is out of range: an integer id must be within "
                                 f"±{max_int_id:,} (2^53-1, what every JSON reader holds "
                                 "exactly); send a larger id as a string")
        text = str(raw_id)
    elif isinstance(raw_id, str):
        text = raw_id
    else:
        raise InvalidPosting(f"field 'id' must be a string or integer, got {type_name(raw_id)}")
    if len(text) > MAX_ID_CHARS:
        raise InvalidPosting(f"field 'id' is too long: {len(text):,} characters "
                             f"(limit {MAX_ID_CHARS})")
    if "\x00" in text:
        raise InvalidPosting("field 'id' contains a NUL character (\\x00), which an id may "
                             "not hold")
    problem = text_problem(text)
    if problem:
        raise InvalidPosting(f"field 'id' holds {problem}")
    return text


def clean_id(raw_id: Any) -> str | None:
    """`raw_id` as text when it is a valid id, else None: what an error may echo back."""
    if raw_id is None or isinstance(raw_id, bool):
        return None
    try:
        return parse_id(raw_id)
    except InvalidPosting:
        return None


def posting_from_text(text: str, posting_id: str | None = None) -> Posting:
    """A pasted listing: everything goes into `text`."""
    return parse_posting({"text": text, "id": posting_id})


def postings_to_records(postings: Iterable[Posting]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in postings]
