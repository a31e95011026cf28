"""Fingerprints: what a repost changes is masked, what it keeps is matched, and the shared
spans quote the original text exactly. Texts here are hand-written (tests, not data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from detector.campaigns.fingerprint import (
    MIN_KEY_CHARS,
    NUM_PERM,
    _key_map,
    from_bytes,
    key_of,
    key_of_text,
    scheme,
    shared_spans,
    signature_of,
    signatures,
    similarity,
    to_bytes,
)
from detector.campaigns.memory import THRESHOLD
from detector.schema import parse_posting, posting_from_text

SCAM = ("Data entry from home! No experience needed. Pay a $50 starter kit fee today, then "
        "earn $900 every week typing simple forms. WhatsApp +1 555 123 4567 now and ask for "
        "Mary. Details: https://jobs.example/apply?id=77 or mary.h@mail.example")
REPOST = ("Data entry from home!  No experience needed. Pay a $65 starter kit fee today, then "
          "earn $1,200 every week typing simple forms. WhatsApp +44 7700 900123 now and ask "
          "for Mary. Details: https://work.example/x/9 or jobs123@mail.example")
ZH_SCAM = ("招聘数据标注员，无需学历，小学生都能做，月入七八千轻轻松松。"
           "新人需缴纳2580元培训费，收入满一万元全额退还。加V：bz2580")
ZH_REPOST = ("招聘数据标注员，无需学历，小学生都能做，月入八九千轻轻松松。"
             "新人需缴纳1980元培训费，收入满两万元全额退还。加V：kk1980")


def sim(a: str, b: str) -> float:
    sa, sb = signature_of(posting_from_text(a)), signature_of(posting_from_text(b))
    assert sa is not None and sb is not None
    return similarity(sa, sb)


def test_masks_numbers_links_addresses_and_spacing() -> None:
    assert key_of_text(SCAM) == key_of_text(REPOST)
    assert key_of_text(ZH_SCAM) == key_of_text(ZH_REPOST)  # 七八千 / 一万 are amounts too
    assert "http" not in key_of_text(SCAM) and "mail" not in key_of_text(SCAM)
    assert key_of_text("ＷＥＣＨＡＴ：ab_1234") == key_of_text("wechat: zz99")


def test_reposts_match_and_other_postings_do_not() -> None:
    assert sim(SCAM, REPOST) == 1.0
    other_name = REPOST.replace("Mary", "Jonathan")
    assert sim(SCAM, other_name) >= THRESHOLD
    unrelated = ("Warehouse operative, Leeds. Forklift licence an advantage; 39 hours a week "
                 "on rotating shifts. Apply through our careers page; we never charge fees.")
    assert sim(SCAM, unrelated) < 0.2


def test_signature_shape_and_round_trip() -> None:
    sig = signature_of(posting_from_text(SCAM))
    assert sig is not None and sig.shape == (NUM_PERM,) and sig.dtype == np.uint32
    assert np.array_equal(from_bytes(to_bytes(sig)), sig)
    batch, ok = signatures([key_of_text(SCAM), key_of_text(ZH_SCAM), "tooshort"])
    assert ok.tolist() == [True, True, False]
    assert np.array_equal(batch[0], sig) and not batch[2].any()


def test_short_texts_get_no_fingerprint() -> None:
    assert signature_of(posting_from_text("Data entry clerk, full time")) is None
    assert len(key_of_text("x" * (MIN_KEY_CHARS - 1))) < MIN_KEY_CHARS


def test_only_wording_fields_count() -> None:
    base = {"title": "Remote typist", "description": SCAM}
    moved = {**base, "company": "Another Name Ltd", "location": "Leeds", "salary": "$5,000",
             "contact": "call 0800 000 000", "company_profile": "We are a great company."}
    assert key_of(parse_posting(base)) == key_of(parse_posting(moved))


@pytest.mark.parametrize(("known", "repost"), [(SCAM, REPOST.replace("Mary", "Tom")),
                                               (ZH_SCAM, ZH_REPOST)])
def test_shared_spans_quote_the_original(known: str, repost: str) -> None:
    posting = parse_posting({"title": "Hiring now", "text": repost})
    spans = shared_spans(posting, key_of_text(known))
    assert spans
    for ev in spans:
        assert posting.fields[ev.field][ev.start:ev.end] == ev.text
    covered = "".join(ev.text for ev in spans)
    assert "Tom" not in covered and "7700" not in covered  # what differs is not evidence
    assert "starter kit fee" in covered or "新人需缴纳" in covered


def test_positions_map_gives_the_same_key_on_real_postings(corpus: pd.DataFrame) -> None:
    from detector.model.fitting import to_postings

    rows = corpus.sample(400, random_state=5)
    for posting in to_postings(rows):
        assert _key_map(posting).key == key_of(posting)


def test_scheme_names_its_parameters() -> None:
    assert f"p{NUM_PERM}" in scheme() and f"m{MIN_KEY_CHARS}" in scheme()


def test_a_batch_signs_each_key_as_alone() -> None:
    """Keys are hashed in one pass per batch: no shingle may straddle two keys."""
    rng = np.random.default_rng(1)
    keys = ["".join(chr(97 + x) for x in rng.integers(0, 26, n)) for n in (40, 300, 31, 29, 77)]
    batch, ok = signatures(keys)
    for key, row, usable in zip(keys, batch, ok, strict=True):
        alone, alone_ok = signatures([key])
        assert usable == alone_ok[0]
        assert not usable or np.array_equal(alone[0], row)


def test_a_reading_is_reused_not_read_again(monkeypatch) -> None:
    """Given the pipeline's reading, the fingerprints cut their key from it: the text is not
    normalised a second time (issue 23: one reading, shared)."""
    from detector.textnorm import reading

    posting = posting_from_text(SCAM)
    once = reading.read(posting)
    expected = key_of(posting)

    def read_again(text: str) -> None:
        raise AssertionError("the text was read again")

    monkeypatch.setattr(reading, "normalize_field", read_again)
    assert key_of(once) == expected
    with pytest.raises(AssertionError):
        key_of(posting)


def _shared_spans_as_before(posting, known_key: str) -> tuple:  # type: ignore[no-untyped-def]
    """`shared_spans` as it was before it was vectorised (issue 28): a loop per character."""
    import numpy as np

    from detector.campaigns import fingerprint as fp
    from detector.verdict import Evidence

    mapped = fp._key_map(posting)
    key = mapped.key[:fp.MAX_KEY_CHARS]
    hashes = fp.shingle_hashes(key)
    if not len(hashes):
        return ()
    known = np.unique(fp.shingle_hashes(known_key[:fp.MAX_KEY_CHARS]))
    shared = np.isin(hashes, known)
    covered = np.zeros(len(key), dtype=bool)
    for start in np.flatnonzero(shared):
        covered[start:start + fp.K] = True
    spans: list[tuple[int, int, int]] = []
    for i in np.flatnonzero(covered):
        f, p = int(mapped.field_of[i]), int(mapped.position[i])
        if spans and spans[-1][0] == f and fp._joins(mapped.fields[f][1].text, spans[-1][2], p):
            spans[-1] = (f, spans[-1][1], p + 1)
        else:
            spans.append((f, p, p + 1))
    spans.sort(key=lambda s: s[1] - s[2])
    out = []
    for f, s, e in spans[:fp.MAX_SPANS]:
        name, norm = mapped.fields[f]
        start, end = norm.span(s, e)
        out.append(Evidence(name, start, end, norm.original[start:end]))
    order = {name: i for i, (name, _) in enumerate(mapped.fields)}
    return tuple(sorted(out, key=lambda ev: (order[ev.field], ev.start)))


def test_shared_spans_are_those_of_the_loop_it_replaced(corpus) -> None:
    """Real pairs: each scam of the corpus (English and Chinese) against the next scam of
    its group (reposts share most of their wording), and against a scam of another group
    (little shared); every span must be the one the per-character loop found."""
    from detector.model.fitting import to_postings
    from detector.textnorm.reading import read

    scams = corpus[corpus["label"] == 1].sort_values(["group", "id"]).head(1500)
    postings = [read(p) for p in to_postings(scams)]
    keys = [key_of(p) for p in postings]
    groups = scams["group"].tolist()
    compared = with_spans = 0
    for i, posting in enumerate(postings):
        for j in (i + 1, (i + 97) % len(postings)):
            if j >= len(postings) or (j == i + 1 and groups[j] != groups[i]):
                continue
            found = shared_spans(posting, keys[j])
            assert found == _shared_spans_as_before(posting, keys[j])
            compared += 1
            with_spans += bool(found)
    assert compared > 1000 and with_spans > 300
