"""`detector score`: the verdict for one posting (pasted text, a text file, or a JSON object)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from detector import jsontext
from detector.cli.common import UsageError, print_json, read_text_file
from detector.schema import InvalidPosting, Posting, parse_posting

if TYPE_CHECKING:
    from detector.verdict import Verdict

RISK_WORDS = {
    "high": "HIGH RISK: this looks like a scam",
    "medium": "MEDIUM RISK: be careful, check the red flags",
    "low": "LOW RISK: no strong scam signs found (not a guarantee)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score one posting",
        description="Score one posting: text on stdin, a text file, or a JSON object "
        "with the posting fields (see README).",
    )
    parser.add_argument("file", nargs="?",
                        help="a .txt listing or a .json posting (default: stdin)")
    parser.add_argument("--json", action="store_true", help="treat the input as a JSON posting")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--lang", choices=("en", "zh"), help="language of flag titles and advice")
    parser.add_argument("--explain", action="store_true",
                        help="JSON output: model_evidence for a low verdict too (the text "
                        "output always shows the words the model weighed)")
    parser.set_defaults(func=run)


#: Files that hold many postings: `detector scan` reads these, `score` takes one posting.
FEED_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet")
SCAN_HINT = "`detector score` scores one posting; for a feed use `detector scan {} -o out.jsonl`"


def _json_lines(raw: str) -> int:
    """How many of the non-blank lines are JSON objects, when there are several and all
    are (a JSONL feed pasted or saved under another name); else 0."""
    lines = [line for line in raw.splitlines() if line.strip()]
    if len(lines) < 2:
        return 0
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return 0
        except json.JSONDecodeError:
            return 0
    return len(lines)


def read_posting(raw: str, as_json: bool, source: str = "-") -> Posting:
    """One posting from pasted text or JSON; JSON follows the API's type rules (strict)."""
    if as_json or raw.lstrip().startswith("{"):
        try:
            data = jsontext.loads(raw)
        except jsontext.JSONTooDeep as exc:
            raise UsageError(f"invalid JSON: {exc}") from None
        except json.JSONDecodeError as exc:
            many = _json_lines(raw)
            if many:
                raise UsageError(f"the input holds {many} JSON postings, one per line (a "
                                 f"JSONL feed); {SCAN_HINT.format(source)}") from exc
            if as_json:
                raise UsageError(f"invalid JSON: {exc}") from exc
            return _parse({"text": raw}, strict=False)
        if isinstance(data, list):
            raise UsageError(f"the input is a JSON list of {len(data)} items; "
                             f"{SCAN_HINT.format(source)} (JSONL: one posting per line)")
        return _parse(data, strict=True)
    return _parse({"text": raw}, strict=False)


def _parse(data: object, strict: bool) -> Posting:
    try:
        return parse_posting(data, strict=strict, default_id=None)  # type: ignore[arg-type]
    except InvalidPosting as exc:
        raise UsageError(str(exc)) from exc


def verdict_lines(verdict: Verdict) -> list[str]:
    """The tier, then what the number means and how sure it is (issue 19: "fraud
    probability: 50.0%" said neither)."""
    lines = [RISK_WORDS[verdict.risk],
             f"fraud probability: {verdict.fraud_probability:.1%} = the estimated chance that "
             "this is a scam, for a platform where about 5 in 100 postings are (a message "
             "sent to a person directly is not such a mix: there it is a guide)"]
    model = verdict.model_probability
    if model is not None and verdict.fraud_probability > model + 0.0005:
        lines.append(f"  the red flags below raised it (each by how much more often it fires "
                     f"on real scams than on real legit postings); the text model alone said "
                     f"{model:.1%}")
    lines.append("  risk bands: low below 20%, medium from 20%, high from 50%")
    if verdict.basis == "no_particular_words":
        lines.append("  the text model's estimate rests on no particular words: a reason to "
                     "check, not evidence")
    if verdict.confidence == "low":
        lines.append("confidence: low = too little text, or too plain, to tell either way: "
                     "'low risk' here means nothing was found, not that it was checked and "
                     "is fine")
    else:
        lines.append("confidence: normal = enough text for the model to judge")
    lines.append(f"language: {verdict.language}, model {verdict.model_version}")
    return lines


def run(args: argparse.Namespace) -> int:
    if args.file and args.file != "-":
        path = Path(args.file)
        if path.suffix.lower() in FEED_SUFFIXES:
            raise UsageError(f"{path} is a feed file ({path.suffix}); "
                             + SCAN_HINT.format(path))
        raw = read_text_file(path)
        as_json = args.json or path.suffix.lower() == ".json"
    else:
        data = sys.stdin.buffer.read()
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(f"stdin is not valid UTF-8 (byte {exc.start})") from exc
        as_json = args.json
    source = args.file if args.file and args.file != "-" else "FEED.jsonl"
    posting = read_posting(raw, as_json, source)
    from detector.core import get_detector, verdict_dict  # heavy: only once input is valid

    verdict = get_detector().score(posting, explain=args.format != "json" or args.explain)
    result = verdict_dict(verdict, args.lang, private=True)  # the CLI is the operator's
    if args.format == "json":
        print_json(result)
        return 0
    for line in verdict_lines(verdict):
        print(line)
    for flag in result["flags"]:
        print(f"\n[{flag['severity']}] {flag['id']}: {flag['title']}")
        for ev in flag["evidence"]:
            print(f"    {ev['field']}[{ev['start']}:{ev['end']}]: {ev['text']!r}")
        if "match" in flag:
            print(f"    matches: {describe_match(flag['match'])}")
        print(f"    advice: {flag['advice']}")
    for note in result.get("notes", []):
        print(f"\nnote: {note['message']} (decision {note['decision_id']}, "
              f"{note['decided_at']}, similarity {note['similarity']:.2f})")
    for line in evidence_lines(result["model_evidence"]):
        print(line)
    return 0


def evidence_lines(terms: list[dict]) -> list[str]:
    """The words the text model weighed (what it weighed, not proof)."""
    if not terms:
        return []
    lines = ["\nwords the text model weighed (log-odds; what it weighed, not proof):"]
    for term in terms:
        lines.append(f"    {term['weight']:+.2f}  {term['field']}[{term['start']}:{term['end']}]: "
                     f"{term['text']!r}")
    return lines


def describe_match(match: dict) -> str:
    """One line: which known scam, decided when and by whom, how similar."""
    if match.get("origin") == "corpus":
        return (f"corpus scam {match['corpus_id']} ({match['source']}, {match['split']} "
                f"split), similarity {match['similarity']:.2f}")
    return (f"decision {match['decision_id']} ({match['source']}, {match['decided_at']}), "
            f"similarity {match['similarity']:.2f}")
