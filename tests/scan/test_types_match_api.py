"""One rule for wrong types (issue 10.5): the same posting gets the same answer from
`detector scan` (JSONL and Parquet, which carry typed values) and from the API."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.scan.runner import ScanConfig, run_scan

fastapi_testclient = pytest.importorskip("fastapi.testclient")

GOOD = {"id": "ok", "title": "Line cook", "description": "Prep and cook in our kitchen."}
BAD = [
    {"id": "num-text", "text": 123},
    {"id": "float-text", "title": "Cook", "salary": 5000.0},
    {"id": "list-text", "title": "Cook", "description": ["a", "b"]},
    {"id": "bool-text", "text": True},
    {"text": "Cook wanted", "id": {"x": 1}},
    {"text": "Cook wanted", "id": 1.5},
]


@pytest.fixture(scope="module")
def api_client(have_model: Path):
    from api.app import create_app
    from detector.settings import Settings

    with fastapi_testclient.TestClient(create_app(Settings(model_dir=have_model))) as client:
        for _ in range(600):
            if client.get("/v1/health").status_code == 200:
                break
            __import__("time").sleep(0.1)
        yield client


def api_answer(client, posting: dict) -> str | None:
    """None when scored, else the API's error message."""
    response = client.post("/v1/score", json=posting)
    if response.status_code == 200:
        return None
    assert response.status_code == 422, response.text
    return response.json()["error"]["message"]


def scan_answers(have_model: Path, path: Path) -> list[str | None]:
    out = path.with_name(path.stem + ".out.jsonl")
    run_scan(ScanConfig(input=path, output=out, model_dir=have_model, quiet=True))
    return [json.loads(line)["error"] for line in out.read_text().splitlines()]


def test_jsonl_and_api_reject_the_same_postings_with_the_same_words(
        have_model: Path, api_client, tmp_path: Path) -> None:
    postings = [GOOD, *BAD]
    path = tmp_path / "typed.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in postings), encoding="utf-8")
    from_scan = scan_answers(have_model, path)
    from_api = [api_answer(api_client, p) for p in postings]
    assert from_scan[0] is None and from_api[0] is None  # the control is scored by both
    assert all(message for message in from_api[1:])  # every bad posting is rejected...
    assert from_scan == from_api  # ...by both, with the same message
    assert "field 'text' must be a string, got int" in from_scan[1]


def test_typed_parquet_column_is_held_to_the_api_rule(have_model: Path, api_client,
                                                      tmp_path: Path) -> None:
    """A numeric `salary` column in Parquet is rejected the way the API rejects 5000."""
    path = tmp_path / "typed.parquet"
    pd.DataFrame({"title": ["Cook", "Nurse"], "salary": [5000, 6000]}).to_parquet(path)
    from_scan = scan_answers(have_model, path)
    from_api = api_answer(api_client, {"title": "Cook", "salary": 5000})
    assert from_scan == [from_api, from_api]
    assert "field 'salary' must be a string, got int" in from_api


def test_yes_no_cells_are_the_one_place_feeds_are_read_as_people_write_them(
        have_model: Path, api_client, tmp_path: Path) -> None:
    """Issue 24: a feed's yes/no cell ("yes", 1.0 as pandas writes a column with a gap) is
    read in JSONL as in CSV; the API keeps its document's rule (a JSON boolean), and a cell
    nobody can read leaves the field out of the scan, never the posting."""
    rows = [{"id": "word", "text": "Cook wanted", "has_company_logo": "yes"},
            {"id": "float", "text": "Cook wanted", "has_company_logo": 1.0},
            {"id": "zh", "text": "Cook wanted", "telecommuting": "否"},
            {"id": "unreadable", "text": "Cook wanted", "has_questions": "maybe"}]
    path = tmp_path / "cells.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    assert scan_answers(have_model, path) == [None, None, None, None]
    for row in rows:
        assert api_answer(api_client, row), row  # the API still says 422


def test_csv_cells_are_text_so_yes_no_words_are_read(have_model: Path,
                                                     tmp_path: Path) -> None:
    """CSV has no types: "5000" is text and "t"/"f" are yes/no (EMSCAD exports)."""
    path = tmp_path / "feed.csv"
    path.write_text("title,salary,has_company_logo\nCook,5000,t\nNurse,6000,f\n",
                    encoding="utf-8")
    assert scan_answers(have_model, path) == [None, None]
