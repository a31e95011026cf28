"""The HTML page through the no-JavaScript path (plain form posts), via the test client."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from api.i18n import UI, percent
from api.page import result_context
from api.render import render
from detector.verdict import HIGH_AT, MEDIUM_AT
from tests.api.samples import EN_FEE_SCAM, EN_LEGIT, ZH_FEE_SCAM

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> 交培训费500元'


def test_form_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<form method="post" action="/?lang=en"' in page  # carries the page's language
    assert '<textarea id="text" name="text"' in page and '<label for="text">' in page
    for name in ("company", "salary", "contact"):
        assert f'<label for="{name}">' in page and f'name="{name}"' in page
    assert '<meta name="viewport"' in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert client.get("/static/app.css").status_code == 200


def test_form_language_choice(client: TestClient) -> None:
    assert 'lang="en"' in client.get("/").text
    zh = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert 'lang="zh-CN"' in zh and "检测这则招聘" in zh
    assert 'lang="en"' in client.get("/?lang=en", headers={"Accept-Language": "zh"}).text
    assert 'href="/?lang=zh"' in client.get("/").text  # visible switch
    # An explicit choice is carried into the form action.
    assert 'action="/?lang=zh"' in client.get("/?lang=zh").text


def test_result_for_chinese_scam(client: TestClient) -> None:
    response = client.post("/?lang=zh", data={"text": ZH_FEE_SCAM, "company": "某某科技"})
    assert response.status_code == 200
    page = response.text
    assert "高风险：看起来像诈骗" in page
    assert re.search(r"\d+%|>99%", html.unescape(page))
    marks = re.findall(
        r'<mark class="sign flag-(\w+)" data-kind="sign" data-flag="(\w+)" title="[^"]*">'
        r'<a href="#flag-(\w+)">', page
    )
    assert marks and all(a == b == c for a, b, c in marks)
    assert "upfront_fee" in {m[0] for m in marks}
    assert 'id="flag-upfront_fee"' in page
    assert "本工具无法知道的事" in page
    # Text outside marks survives intact once tags are removed.
    field = re.search(r'<div class="field" data-field="text">(.*?)</div>', page, re.S)
    assert field is not None
    assert html.unescape(re.sub(r"<[^>]+>", "", field.group(1))) == ZH_FEE_SCAM


def test_result_for_english_legit(client: TestClient) -> None:
    page = client.post("/", data={"text": EN_LEGIT}).text
    assert "Low risk" in page and "What this tool can&#39;t know" in page
    assert "EMSCAD" in page and "not a guarantee" in page
    assert 'class="raised"' not in page  # no flag raised the risk of an ordinary job


def test_interface_keeps_the_language_the_person_chose(client: TestClient) -> None:
    """Issue 10 item 8: a Chinese listing sent from the English page switched the whole page
    to Chinese. The UI now stays English; flag texts follow it, and the page says so."""
    form = client.get("/").text  # English (no Accept-Language)
    action = re.search(r'<form method="post" action="([^"]+)" class="check"', form)
    assert action is not None and action.group(1) == "/?lang=en"
    page = client.post(action.group(1), data={"text": ZH_FEE_SCAM}).text
    assert '<html lang="en">' in page and "High risk: this looks like a scam" in page
    assert "Check this listing" in page and "检测这则招聘" not in page
    assert "The listing is in Chinese; explanations are shown in English" in page
    titles = re.findall(r'<article class="flag[^"]*" id="flag-\w+">\s*<h3>([^<]+)', page)
    assert titles and not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(titles))
    # Without ?lang= (a bare POST), Accept-Language decides, never the listing.
    assert "Low risk" in client.post("/", data={"text": "招聘前台文员，上海，月薪六千"},
                                     headers={"Accept-Language": "en-GB"}).text
    zh = client.post("/?lang=zh", data={"text": EN_LEGIT}).text
    assert "这则招聘是英文的" in zh and '<html lang="zh-CN">' in zh


def test_lang_query_overrides_listing_language(client: TestClient) -> None:
    page = client.post("/?lang=en", data={"text": ZH_FEE_SCAM}).text
    assert "High risk: this looks like a scam" in page
    assert 'action="/?lang=zh"' in page  # the switch re-posts the listing in Chinese
    assert f'value="{html.escape(ZH_FEE_SCAM)}"' in page


def test_user_text_is_escaped(client: TestClient) -> None:
    page = client.post("/", data={"text": XSS, "company": '"><script>x()</script>'}).text
    assert "<script" not in page and "<img" not in page
    assert html.escape("<script>window.__pwned = 1</script>") in page
    assert "&#34;&gt;&lt;script&gt;x()&lt;/script&gt;" in page


def test_empty_form_rerenders_with_message(client: TestClient) -> None:
    response = client.post("/", data={"text": "   ", "company": "Acme", "salary": ""})
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "Please paste the job listing" in response.text
    assert 'value="Acme"' in response.text
    zh = client.post("/?lang=zh", data={"text": "", "salary": "日结500"})
    assert zh.status_code == 422 and "请先粘贴招聘信息" in zh.text and 'value="日结500"' in zh.text


def test_too_long_form_rerenders_with_text_kept(make_client) -> None:
    small = make_client(max_posting_bytes=5000)
    typed = "Earn money fast. " * 400
    response = small.post("/", data={"text": typed})
    assert response.status_code == 413
    assert "This listing is too long: 6,800 characters" in response.text
    assert typed in response.text


def test_oversized_form_body_is_refused(make_client) -> None:
    small = make_client(max_posting_bytes=1000)
    response = small.post("/", content=b"text=" + b"a" * 20_000,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and 'role="alert"' in response.text


def test_page_errors_keep_security_headers(client: TestClient) -> None:
    response = client.post("/", data={"text": ""})
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def _shown(page: str) -> tuple[str, float, str]:
    tier = re.search(r'<h1 id="verdict-title" class="tier" data-risk="(\w+)"', page)
    prob = re.search(r'<p class="prob" data-probability="([0-9.]+)">([^<]+)</p>', page)
    assert tier and prob, page[:500]
    return tier.group(1), float(prob.group(1)), html.unescape(prob.group(2))


@pytest.mark.parametrize("text", [ZH_FEE_SCAM, EN_LEGIT, EN_FEE_SCAM,
                                  "招聘前台文员，上海，月薪六千，五险一金",
                                  "Registered nurse, night shifts, St Mary hospital"])
def test_tier_and_number_agree(client: TestClient, text: str) -> None:
    """Issue 10 item 6: "very likely a scam" next to 30%, "Low risk" next to 25%. The tier
    is now a fixed band of the number shown, the same in both languages."""
    for lang in ("en", "zh"):
        page = client.post(f"/?lang={lang}", data={"text": text}).text
        risk, probability, line = _shown(page)
        band = "high" if probability >= HIGH_AT else "medium" if probability >= MEDIUM_AT else "low"
        assert risk == band, (text, lang, probability)
        assert f"{probability * 100:.0f}%" in line or "<1%" in line or ">99%" in line
        assert "很可能是诈骗" not in page and "very likely" not in page
        # Tier and reasons first, then the estimate with its meaning.
        order = [page.index(marker) for marker in
                 ('class="tier"', 'class="reasons"', 'class="flags"', 'class="estimate"')]
        assert order == sorted(order)
    verdict = client.post("/v1/score?lang=en", json={"text": text}).json()
    page = client.post("/?lang=en", data={"text": text}).text
    assert _shown(page)[:2] == (verdict["risk"], verdict["fraud_probability"])
    assert "where about 5 in 100 postings are scams" in page
    assert "A message sent to you directly (text message, chat) is not a platform listing" in page
    raised = verdict["model_probability"] < verdict["fraud_probability"]
    assert ("The warning signs above raised this figure" in page) is raised


def test_fee_scam_says_the_flags_set_the_figure(client: TestClient) -> None:
    verdict = client.post("/v1/score", json={"text": ZH_FEE_SCAM}).json()
    page = client.post("/?lang=en", data={"text": ZH_FEE_SCAM}).text
    assert verdict["risk"] == "high" and verdict["fraud_probability"] >= HIGH_AT
    if verdict["model_probability"] < verdict["fraud_probability"]:
        assert f"estimated {percent(verdict['model_probability'])}" in page
    for flag in verdict["flags"]:  # each flag shows the words that made it fire
        for ev in flag["evidence"]:
            assert f"<q>{html.escape(ev['text'])}</q>" in page


def test_low_confidence_wording() -> None:
    """A verdict the model cannot call (confidence "low") reads as such, with what to check."""
    shown = {"id": None, "fraud_probability": 0.04, "risk": "low", "confidence": "low",
             "language": "en", "model_version": "x", "model_probability": 0.04, "flags": []}
    for lang, headline in (("en", "Low risk, low confidence: too little text to tell"),
                           ("zh", "低风险，但把握不大：文字太少，无法判断")):
        page = render("result.html", lang, values={"text": "Driver"}, fields=[],
                      **result_context(shown, lang)).body.decode()
        assert headline in page and 'data-confidence="low"' in page
        assert page.count("<li>") >= len(UI[lang]["checks"])
    normal = result_context({**shown, "confidence": "normal"}, "en")
    assert normal["headline"] == "Low risk: no strong signs of a scam found"
    legacy = {key: value for key, value in shown.items() if key != "confidence"}
    assert result_context(legacy, "en")["confidence"] == "normal"


def test_wording_counts_signs_and_says_more_than_nine_in_ten() -> None:
    """Issue 27: "3 warning sign(s)" and "about >9 in 10" / "每 10 则中有 >9 则"."""
    from api.i18n import in_ten_phrase

    flag = {"id": "upfront_fee", "title": "t", "severity": "high"}
    base = {"id": None, "risk": "high", "confidence": "normal", "language": "en",
            "model_version": "x", "model_probability": 0.9}
    one = result_context({**base, "fraud_probability": 0.97, "flags": [flag]}, "en")
    three = result_context({**base, "fraud_probability": 0.97, "flags": [flag] * 3}, "en")
    assert one["reasons_flags"] == "Why: one warning sign, explained below."
    assert three["reasons_flags"] == "Why: 3 warning signs, explained below."
    assert "(s)" not in one["reasons_flags"] + three["reasons_flags"]
    assert in_ten_phrase(0.97, "en") == "more than 9 in 10"
    assert in_ten_phrase(0.01, "en") == "fewer than 1 in 10"
    assert in_ten_phrase(0.31, "en") == "about 3 in 10"
    assert in_ten_phrase(0.97, "zh") == "每 10 则中超过 9 则"
    assert in_ten_phrase(0.31, "zh") == "大约每 10 则中有 3 则"
    for lang in ("en", "zh"):
        context = result_context({**base, "fraud_probability": 0.97, "flags": [flag]}, lang)
        page = render("result.html", lang, values={"text": "x"}, fields=[],
                      listing_heading="", mark_kinds=set(), **context).body.decode()
        assert ">9" not in html.unescape(page)
