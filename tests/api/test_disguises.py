"""Disguises don't work (issue 26): the issue's eleven strings, verbatim, through the API, the
page and the CLI. Each must come out medium or high and carry the flag its undisguised text
gets; the disguise flag alone is not enough. Hand-written demos, not evaluation data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import needs_model

DISGUISED = [
    'Pay a $50 upfront fee.',
    'Data entry clerk, work from home. Pay a $50 upfront registration fee to start.',
    "Remote assistant, $30/hour. A registration f\u0435\u0435 of $80 is payable by Western "
    "Uni\u043en before your first shift.",
    "\u202e\u505a\u80fd\u5c31\u673a\u624b\uff0c\u767e\u4e09\u7ed3\u65e5\uff0c\u4f63\u8fd4\u5355"
    "\u5237\u202c",
    "\u202e\u5143005\u8d39\u8bad\u57f9\u4ea4\u5148\u804c\u5165\u202c",
    'Data entry clerk, work from home. Pay a $50 registration f.e.e to start.',
    'Data entry clerk, work from home. A u.p.f.r.o.n.t f.e.e of $50 is due.',
    "Data entry clerk, work from home. A $50 upfront\U0001f4b0fee is due before you start.",
    'Earn $300 a day from home. Contact our hiring manager on Wh4tsApp +1 555 0100.',
    'You will receive a check for $2,800; deposit it and wire the remainder to our supplier '
    'in gift cards.',
    '请发送身份证照片和银行卡信息给我们办理入职',
]
EXPECTED = ["upfront_fee", "upfront_fee", "upfront_fee", "task_scam", "upfront_fee",
            "upfront_fee", "upfront_fee", "upfront_fee", "off_platform_contact",
            "payment_scheme", "personal_data_request"]
CASES = list(zip(DISGUISED, EXPECTED, strict=True))


@needs_model
@pytest.mark.parametrize(("text", "flag"), CASES)
def test_the_api_and_the_page_see_through_the_disguise(client, text: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    api = client.post("/v1/score", json={"text": text}).json()
    assert api["risk"] in ("medium", "high"), api
    assert flag in {f["id"] for f in api["flags"]}, api["flags"]
    for found in api["flags"]:
        for ev in found["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]
    page = client.post("/?lang=en", data={"text": text}).text
    assert f'data-risk="{api["risk"]}"' in page
    assert f'id="flag-{flag}"' in page


@needs_model
def test_the_cli_sees_through_every_disguise(tmp_path: Path) -> None:
    feed = tmp_path / "disguised.jsonl"
    feed.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n"
                            for i, text in enumerate(DISGUISED)), encoding="utf-8")
    out = tmp_path / "verdicts.jsonl"
    result = subprocess.run([sys.executable, "-m", "detector", "scan", str(feed), "-o",
                             str(out)], capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    for i, flag in enumerate(EXPECTED):
        row = rows[str(i)]
        assert row["risk"] in ("medium", "high"), row
        assert flag in row["flag_ids"], row
    one = subprocess.run([sys.executable, "-m", "detector", "score", "--format", "json"],
                         input=DISGUISED[3].encode(), capture_output=True, timeout=180)
    assert one.returncode == 0, one.stderr
    assert "task_scam" in {f["id"] for f in json.loads(one.stdout)["flags"]}
