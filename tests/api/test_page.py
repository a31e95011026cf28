"""The HTML page through the no-JavaScript path (plain form posts), via the test client."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.api.samples import EN_LEGIT, ZH_FEE_SCAM

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> 交培训费500元'


def test_form_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<form method="post" action="/"' in page
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
    response = client.post("/", data={"text": ZH_FEE_SCAM, "company": "某某科技"})
    assert response.status_code == 200
    page = response.text
    assert "高风险：这很可能是诈骗" in page  # listing's language picks the UI
    assert re.search(r"\d+%|>99%", html.unescape(page))
    marks = re.findall(
        r'<mark class="flag-(\w+)" data-flag="(\w+)" title="[^"]*"><a href="#flag-(\w+)">', page
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
