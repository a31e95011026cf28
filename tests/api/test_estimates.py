"""The number a person reads (issue 17): three texts, exactly as the issue writes them,
through the API, the page and the CLI, which must agree. Run against the shipped model."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.api.conftest import needs_model

# The texts, verbatim (hand-written demos, not evaluation data).
MISSION_EXAMPLE = ("招聘数据标注员，无需学历，小学生都能做，月入七八千轻轻松松。"
                   "新人需缴纳2580元培训费，收入满一万元全额退还。加V：bz2580")
AI_TRAINER = ("AI Trainer (Finance expert), remote, $90-150/hour. Review and rank model answers "
              "to finance questions; CFA or 5+ years in corporate finance required. Apply through "
              "our careers portal; we never charge applicants.")
BYTEDANCE = ("字节跳动 AI数据标注专家（大模型方向）北京 15-25K·14薪 "
             "岗位职责：负责大模型训练数据的标注、质检与评估；"
             "任职要求：本科及以上学历，语言学、计算机相关专业优先。通过公司官网投递简历。")
CASES = [(MISSION_EXAMPLE, 0.90, 1.0), (AI_TRAINER, 0.0, 0.10), (BYTEDANCE, 0.0, 0.10)]


def _cli(text: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "detector", "score", "--format", "json"],
                            input=text.encode(), capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_model
@pytest.mark.parametrize(("text", "low", "high"), CASES)
def test_api_page_and_cli_agree_on_the_estimate(client, text: str, low: float,
                                                high: float) -> None:  # type: ignore[no-untyped-def]
    api = client.post("/v1/score", json={"text": text}).json()
    assert low <= api["fraud_probability"] < high or (high == 1.0 and api["fraud_probability"]
                                                      >= low), api
    page = client.post("/?lang=en", data={"text": text}).text
    shown = re.search(r'data-probability="([0-9.]+)"', page)
    assert shown is not None and float(shown.group(1)) == api["fraud_probability"]
    cli = _cli(text)
    assert cli["fraud_probability"] == api["fraud_probability"]
    assert cli["risk"] == api["risk"]


@needs_model
def test_mission_example_reads_as_near_certain_not_a_coin_flip(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/?lang=zh", data={"text": MISSION_EXAMPLE}).text
    assert "估计这是诈骗的可能性：" in page
    assert "50%" not in re.search(r'<p class="prob"[^>]*>(.*?)</p>', page, re.S).group(1)
