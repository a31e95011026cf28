"""A reason behind every alarm (issue 17), over the whole labelled corpus, not examples:
every medium or high verdict carries a red flag or the words the model weighed, and a
model-driven one either shows words that account for at least half of the model's rise
above the base rate or says plainly that it rests on no particular words."""

from __future__ import annotations

import math

import pytest

from detector.core import EVIDENCE_SHARE, get_detector
from detector.corpus.build import load_corpus
from detector.model.fitting import to_postings
from detector.settings import DEFAULT_DATA_DIR
from tests.api.conftest import needs_model

POSTS = DEFAULT_DATA_DIR / "posts.csv.gz"


@needs_model
@pytest.mark.skipif(not POSTS.exists(), reason="needs labeled_posts/posts.csv.gz")
def test_every_alarm_in_the_labelled_corpus_has_a_reason() -> None:
    detector = get_detector()
    postings = to_postings(load_corpus(DEFAULT_DATA_DIR))
    alarms = 0
    for start in range(0, len(postings), 1000):
        batch = postings[start:start + 1000]
        for posting, verdict in zip(batch, detector.score_many(batch), strict=True):
            if verdict.risk == "low":
                continue
            alarms += 1
            assert verdict.flags or verdict.model_evidence, posting.id
            for term in verdict.model_evidence:
                assert posting.fields[term.field][term.start:term.end] == term.text
            if any(h.severity != "low" for h in verdict.flags):
                assert verdict.basis == "red_flags"
                continue
            prevalence = detector.bundle.languages[verdict.language].prevalence
            rise = (math.log(verdict.model_probability / (1 - verdict.model_probability))
                    - math.log(prevalence / (1 - prevalence)))
            shown = sum(t.weight for t in verdict.model_evidence if t.weight > 0)
            if verdict.basis == "model_words":
                assert shown >= EVIDENCE_SHARE * rise - 1e-6, posting.id
            else:
                assert verdict.basis == "no_particular_words", posting.id
    assert alarms > 100
