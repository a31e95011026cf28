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


class PostingIn(BaseModel):
    """A job posting: every field optional, at least one text field non-empty; unknown keys
    are ignored. Pasted listings can go whole into `text`."""

    id: str | int | None = None
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


class BatchIn(BaseModel):
    postings: list[PostingIn] = Field(..., description="Up to max_batch postings (default 1000).")


class EvidenceOut(BaseModel):
    field: str
    start: int = Field(..., description="Offset into the original text of `field`.")
    end: int
    text: str


class FlagOut(BaseModel):
    id: str
    severity: Literal["low", "medium", "high"]
    title: str
    explanation: str
    advice: str
    evidence: list[EvidenceOut]


class VerdictOut(BaseModel):
    id: str | None
    fraud_probability: float
    risk: Literal["low", "medium", "high"]
    language: Literal["en", "zh"]
    model_version: str
    model_probability: float | None
    flags: list[FlagOut]


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


def json_body(model: type[BaseModel], examples: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` declaring a JSON request body we read ourselves."""
    schema = _inline_refs(model.model_json_schema())
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
        422: "Empty posting or a field of the wrong type",
        429: "Rate limit exceeded (see Retry-After)",
        503: "Model not loaded yet",
    }.items()
}
