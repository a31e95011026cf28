"""The core verdict on the real shipped model. Postings here are hand-written demos."""

from __future__ import annotations

from detector.core import Detector, verdict_dict
from detector.schema import parse_posting, posting_from_text

# Hand-written examples (not data): a Chinese training-fee scam and an ordinary job.
FEE_SCAM_ZH = (
    "【数据标注员】在家兼职，画框标注，一单五毛，轻松月入七八千，无需学历经验。"
    "入职需先交2580元培训费，做满一万即可全额退还。有意者加V：abc12345 详聊。"
)
LEGIT_EN = {
    "title": "Registered Nurse - Cardiology Ward",
    "company": "St Mary's Hospital NHS Trust",
    "description": "We are looking for a registered nurse to join our cardiology ward team. "
    "You will assess patients, administer medication and work with consultants.",
    "requirements": "NMC registration. At least one year of acute care experience.",
    "salary": "£28,407 - £34,581 a year",
}


def test_fee_scam_is_high_risk_with_evidence(detector: Detector) -> None:
    posting = posting_from_text(FEE_SCAM_ZH, posting_id="demo-1")
    verdict = detector.score(posting)
    assert verdict.risk == "high"
    assert verdict.language == "zh"
    ids = {hit.id for hit in verdict.flags}
    assert "upfront_fee" in ids
    for hit in verdict.flags:
        for ev in hit.evidence:
            assert posting.fields[ev.field][ev.start : ev.end] == ev.text
    assert verdict.fraud_probability >= detector.thresholds("zh")[1]


def test_ordinary_job_is_low_risk(detector: Detector) -> None:
    verdict = detector.score(parse_posting(LEGIT_EN))
    assert verdict.risk == "low", verdict
    assert verdict.language == "en"
    assert not [hit for hit in verdict.flags if hit.severity != "low"]


def test_batch_keeps_order_and_ids(detector: Detector) -> None:
    postings = [
        posting_from_text(FEE_SCAM_ZH, posting_id="a"),
        parse_posting({**LEGIT_EN, "id": "b"}),
        posting_from_text("Data entry from home, $900 a week, no experience", posting_id="c"),
    ]
    verdicts = detector.score_many(postings)
    assert [v.id for v in verdicts] == ["a", "b", "c"]
    assert [v.language for v in verdicts] == ["zh", "en", "en"]
    # Scoring alone gives the same numbers as scoring in a batch.
    assert detector.score(postings[1]).fraud_probability == verdicts[1].fraud_probability


def test_verdict_dict_is_json_ready_in_either_language(detector: Detector) -> None:
    verdict = detector.score(posting_from_text(FEE_SCAM_ZH))
    zh = verdict_dict(verdict)
    en = verdict_dict(verdict, "en")
    assert zh["flags"][0]["title"] != en["flags"][0]["title"]
    assert set(zh) >= {"id", "fraud_probability", "risk", "flags", "language", "model_version"}
    assert set(zh["flags"][0]) >= {"id", "severity", "title", "advice", "evidence"}


def test_each_scoring_thread_uses_one_openmp_thread(detector: Detector) -> None:
    """OpenMP's thread count is per thread: a fresh request thread must be limited too."""
    import threading

    import threadpoolctl

    seen: list[list[int]] = []

    def work() -> None:
        detector.score(parse_posting(LEGIT_EN))
        info = threadpoolctl.threadpool_info()
        seen.append([lib["num_threads"] for lib in info if lib["user_api"] == "openmp"])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen and seen[0] and all(n == 1 for n in seen[0])


# Hand-written short ordinary ads (demos, not data), as a job seeker would paste them.
SHORT_LEGIT = (
    "Cashier, Tesco Extra Manchester. Part time, 16 hours a week, £11.02 an hour.",
    "Barista wanted for our Shoreditch café. Weekend shifts, training given.",
    "Python engineer (Berlin), hybrid, 70-85k EUR. Django, PostgreSQL, AWS.",
    "KPMG graduate scheme 2027: audit, tax and advisory. Apply online by 30 November.",
)


def test_short_ordinary_ads_are_low_risk_with_low_confidence(detector: Detector) -> None:
    for text in SHORT_LEGIT:
        verdict = detector.score(posting_from_text(text))
        assert verdict.risk == "low", (text, verdict)
        assert verdict.confidence == "low", (text, verdict)


def test_tier_and_number_always_agree(detector: Detector) -> None:
    from detector.verdict import HIGH_AT, MEDIUM_AT

    postings = [posting_from_text(FEE_SCAM_ZH), parse_posting(LEGIT_EN),
                *(posting_from_text(t) for t in SHORT_LEGIT),
                posting_from_text("Data entry from home, $900 a week, no experience")]
    for verdict in detector.score_many(postings):
        p = verdict.fraud_probability
        expected = "high" if p >= HIGH_AT else "medium" if p >= MEDIUM_AT else "low"
        assert verdict.risk == expected, verdict
