"""The English vocabulary the reading rebuilds disguised words with (issue 26)."""

from __future__ import annotations

import pytest

from detector.textnorm import vocabulary
from detector.textnorm.disguise import LEXICON, as_known


@pytest.mark.skipif(not vocabulary.CORPUS.exists(), reason="needs labeled_posts/")
def test_the_committed_vocabulary_is_current() -> None:
    assert vocabulary.main(["--check"]) == 0


@pytest.mark.parametrize(("letters", "words"), [
    ("registrationfee", ["registration", "fee"]),
    ("dataentryclerk", ["data", "entry", "clerk"]),
    ("youbeselect", ["you", "be", "select"]),
])
def test_a_run_of_letters_splits_into_its_words(letters: str, words: list[str]) -> None:
    assert vocabulary.splitwords(letters, LEXICON) == words


@pytest.mark.parametrize(("token", "word"), [
    ("m0ney", "money"), ("da11y", "daily"), ("pharmac3ut1ca1", "pharmaceutical"),
    ("t0", "to"), ("r3gistration", "registration"),
])
def test_leetspeak_reads_as_the_word(token: str, word: str) -> None:
    assert as_known(token) == word


@pytest.mark.parametrize("token", ["b2b", "k8s", "mp3", "401k", "h1b", "x9z"])
def test_codes_are_not_words(token: str) -> None:
    assert as_known(token) is None
