"""Pydantic models used ONLY for the OpenAPI document: bodies are parsed by
`detector.schema.parse_posting` (one schema for every face), not by these models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

#: Hand-written examples (not from any data set).
ZH_FEE_SCAM: dict[str, Any] = {
    "id": "example-zh-1",
    "title": "数据标注员（居家兼职）",
    "text": (
        "招聘数据标注员，在家用手机就能做，日结300-500元，无需经验。"
        "入职前需缴纳培训费2580元，收入满1万后全额返还。名额有限，今天报名加V详聊：abc12345"
    ),
}
EN_LEGIT: dict[str, Any] = {
    "id": "example-en-1",
    "title": "Junior Data Analyst",
    "company": "Northbridge Analytics Ltd",
    "description": (
        "Northbridge Analytics is hiring a junior data analyst for our Manchester office. "
        "You will build weekly reports in SQL and Python and work with the finance team."
    ),
    "requirements": "A degree in a quantitative subject; some SQL experience.",
    "salary": "£28,000 - £32,000 per year",
    "location": "Manchester, UK",
    "employment_type": "Full-time",
    "has_company_logo": True,
}
SCORE_EXAMPLES = {
    "zh_fee_scam": {"summary": "Chinese training-fee scam (hand-written)", "value": ZH_FEE_SCAM},
    "en_legit": {"summary": "English legitimate posting (hand-written)", "value": EN_LEGIT},
}
BATCH_EXAMPLES = {
    "mixed": {
        "summary": "Two postings (hand-written)",
        "value": {"postings": [ZH_FEE_SCAM, EN_LEGIT]},
    }
}


#: A string with at least one character that is not whitespace (nor NUL, which is dropped):
#: what `parse_posting` calls non-empty. Covers both Python's and ECMAScript's whitespace.
NON_BLANK = r"[^\s\x00\x1c-\x1f\x85]"


class PostingFields(BaseModel):
    """A job posting's fields, all optional; unknown keys are ignored. Text fields are strings
    (or null), yes/no fields booleans, `id` a string or integer. Pasted listings can go
    whole into `text`."""

    id: str | int | None = Field(None, description="Carried through to the verdict.")
    title: str | None = None
    company: str | None = None
    company_profile: str | None = None
    description: str | None = None
    requirements: str | None = None
    benefits: str | None = None
    salary: str | None = None
    location: str | None = None
    employment_type: str | None = None
    required_experience: str | None = None
    required_education: str | None = None
    industry: str | None = None
    function: str | None = None
    department: str | None = None
    contact: str | None = None
    text: str | None = Field(None, description="A whole pasted listing.")
    has_company_logo: bool | None = None
    telecommuting: bool | None = None
    has_questions: bool | None = None


class PostingIn(PostingFields):
    """A job posting: every field optional, but at least one text field must hold something
    other than whitespace (a posting with only `id` is rejected with 422)."""


class BatchIn(BaseModel):
    postings: list[PostingFields] = Field(
        ..., description="Up to max_batch postings (default 1000; more is answered 422 "
        "`too_many_postings`). A posting of the wrong shape (not an object, a field of the "
        "wrong type) rejects the whole request with 422; a well-formed posting that cannot be "
        "scored (no text, too long, a lone surrogate in its text, an id over 200 characters, "
        "holding a NUL or an integer beyond ±(2^53-1)) gets an error object at its index in "
        "`results`, and the others are scored.",
    )


class EvidenceOut(BaseModel):
    field: str = Field(..., description="The posting field the span is in.")
    start: int = Field(..., description="Offset into the original text of `field`.")
    end: int = Field(..., description="End offset (exclusive): `text == field[start:end]`.")
    text: str


class FlagOut(BaseModel):
    id: str
    severity: Literal["low", "medium", "high"] = Field(
        ..., description="high: sets risk to high; medium: at least medium; low: shown only.")
    title: str
    explanation: str
    advice: str
    evidence: list[EvidenceOut] = Field(
        ..., description="Every span that made the flag fire. For `known_scam_campaign`, the "
        "spans shared with the known scam, shown to moderator/admin keys only (empty for "
        "others: nothing that tells how far a repost is from not matching).")
    match: dict[str, Any] | None = Field(
        None, description="`known_scam_campaign` only, moderator/admin keys only: the known "
        "scam matched (`origin` label_store with `decision_id`, `decided_at`, `source`, or "
        "corpus with `corpus_id`) and the estimated `similarity`.")


class TermOut(BaseModel):
    field: str = Field(..., description="The posting field the span is in.")
    start: int = Field(..., description="Offset into the original text of `field`.")
    end: int = Field(..., description="End offset (exclusive): `text == field[start:end]`.")
    text: str
    weight: float = Field(
        ..., description="How much this word (or phrase) moved the text model's estimate, in "
        "log-odds of `fraud_probability`: positive raised it, negative lowered it. What the "
        "model weighed, not proof.")


class VerdictOut(BaseModel):
    id: str | None
    fraud_probability: float = Field(
        ..., ge=0, le=1,
        description="Estimated chance that this posting is a scam, for a platform where about "
        "5 in 100 postings are (calibrated on such a mix; a message sent to a person directly "
        "is not such a mix, so there it is a guide). It joins the text model's estimate and "
        "each red flag's measured weight (how much more often the flag fires on real scams "
        "than on real legit postings), capped at 0.99; a flag too rare to be weighed raises it "
        "to its severity's floor (0.50 high, 0.20 medium). The tier is a fixed band of this "
        "number, the same in every language: low < 0.20 <= medium < 0.50 <= high.",
    )
    risk: Literal["low", "medium", "high"] = Field(
        ..., description="The tier of `fraud_probability` (see there); always agrees with it.")
    confidence: Literal["low", "normal"] = Field(
        "normal",
        description="`low` when the text is too short or too plain for the model to tell "
        "either way: the risk then stays low unless a red flag fires, and means 'nothing "
        "found', not 'checked and fine'. `normal` otherwise.",
    )
    language: Literal["en", "zh"] = Field(..., description="The posting's language.")
    model_version: str
    model_probability: float | None = Field(
        ..., description="The text model's own estimate, before the red flags were joined in.",
    )
    flags: list[FlagOut] = Field(..., description="The red flags that fired.")
    model_evidence: list[TermOut] = Field(
        default_factory=list,
        description="The words the text model weighed most (largest first): always for "
        "medium and high verdicts, for every verdict with `explain=true`.")
    basis: Literal["red_flags", "model_words", "no_particular_words", "low_risk"] = Field(
        "low_risk",
        description="What a medium or high verdict rests on: `red_flags` (a medium- or "
        "high-severity flag fired), `model_words` (the words in `model_evidence` account for "
        "at least half of the text model's rise above the base rate), or "
        "`no_particular_words` (the text model's estimate rests on no particular words). "
        "`low_risk` for a low verdict.")
    notes: list[dict[str, Any]] | None = Field(
        None, description="Moderator/admin keys only: e.g. a trusted legit decision on a "
        "near-duplicate (`kind` legit_near_duplicate). Never changes the estimate.")


class StoreStateOut(BaseModel):
    reachable: bool = Field(..., description="The label store answered its last check.")
    reason: str = Field(..., description="A short word: `ok`, `unreachable`, `no_answer` "
                        "(no answer in time), `not_checked`, `refuses_writes`, "
                        "`file_missing` (the SQLite file was deleted while serving). The driver's "
                        "error (which can name hosts, ports or files) is in the server log, "
                        "and shown to admin keys as `error`.")
    writable: bool | None = Field(
        None, description="The label store took the last write (a decision or a no-op write "
        "check); false until one succeeds after a refusal; null before any write was tried.")
    error: str | None = Field(None, description="Admin keys only: why not, when it did not.")
    checked_seconds_ago: float | None = Field(None, description="Admin keys only.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    model_version: str
    store: StoreStateOut | None = Field(
        None, description="The label store (feedback, promotions). Scoring does not need "
        "it: a 200 here with `reachable: false` still scores.")
    promotion_error: str | None = Field(
        None, description="The promoted version cannot be served on this replica (e.g. not "
        "in its models home); the model named in model_version is served instead. Which "
        "version and where it was looked for: server log, or an admin key.")
    campaigns: dict[str, Any] | None = Field(
        None, description="Campaign memory: `store` (ok, unreachable, absent) and "
        "`index_age_seconds` since the store last answered. When the store is unreachable, "
        "scoring goes on with the index last loaded. Admin keys also get `fingerprints` "
        "from the label store, corpus `seeds`, `threshold` and `error`.")


class LiveOut(BaseModel):
    status: Literal["alive"]


class ErrorDetail(BaseModel):
    code: str
    message: str
    status: int
    request_id: str | None
    index: int | None = Field(None, description="Position in the batch (batch entries only).")


class ErrorOut(BaseModel):
    error: ErrorDetail


class BatchOut(BaseModel):
    results: list[VerdictOut | ErrorOut]


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace local `$defs` references by their definitions (our models are not recursive),
    so the schema is valid wherever it is embedded in the OpenAPI document."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


#: What an `id` may be (detector.schema.parse_id): at most MAX_ID_CHARS characters and no
#: NUL, or an integer within ±(2^53-1). A lone surrogate is refused too (JSON Schema cannot say
#: it; no generator makes one).
NO_NUL = "^[^\\x00]*$"


def id_schema() -> dict[str, Any]:
    from detector.schema import API_MAX_INT_ID, MAX_ID_CHARS

    return {"anyOf": [
        {"type": "string", "maxLength": MAX_ID_CHARS, "pattern": NO_NUL},
        {"type": "integer", "minimum": -API_MAX_INT_ID, "maximum": API_MAX_INT_ID},
        {"type": "null"}],
        "description": f"Carried through to the verdict: a string of at most {MAX_ID_CHARS} "
        "characters without NUL, or an integer within ±(2^53-1) (larger ones as strings)."}


def posting_schema() -> dict[str, Any]:
    """PostingIn's JSON schema plus the rules pydantic cannot express: at least one text field
    is a non-blank string, and the id's limits (a batch entry breaking those gets its own
    error instead, so `BatchIn` leaves them out)."""
    from detector.schema import TEXT_FIELDS

    schema = _inline_refs(PostingIn.model_json_schema())
    schema["properties"]["id"] = id_schema()
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string", "pattern": NON_BLANK}}}
        for name in TEXT_FIELDS
    ]
    return schema


def batch_schema(max_batch: int) -> dict[str, Any]:
    schema = _inline_refs(BatchIn.model_json_schema())
    schema["properties"]["postings"]["maxItems"] = max_batch
    return schema


def json_body(model: type[BaseModel] | dict[str, Any], examples: dict[str, Any]
              ) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON request body we read ourselves."""
    schema = model if isinstance(model, dict) else _inline_refs(model.model_json_schema())
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema, "examples": examples}},
        }
    }


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "Malformed JSON or invalid UTF-8",
        401: "Missing or wrong API key (when keys are configured)",
        413: "Body over the size limit",
        422: "Empty posting, a field of the wrong type, text that is not Unicode (a lone "
             "surrogate), an id over 200 characters or holding a NUL, or a batch with more "
             "entries than its maxItems (DETECTOR_MAX_BATCH)",
        429: "Rate limit exceeded (see Retry-After)",
        503: "Model not loaded yet",
    }.items()
}
