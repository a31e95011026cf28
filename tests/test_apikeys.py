"""The API key syntax (detector/apikeys.py), shared by DETECTOR_API_KEYS, the keys file and
`detector keys`: a mistake is an error naming the entry, never showing the key (issue 25)."""

from __future__ import annotations

import pytest

from detector.apikeys import (
    KeySyntaxError,
    expand,
    fingerprint,
    parse,
    parse_file_text,
)


def roles(raw: str) -> dict[str, frozenset[str]]:
    return {entry.key: entry.roles for entry in parse(raw)}


def test_entries_roles_and_comments() -> None:
    assert roles("k1, k2:moderator,k3:admin+metrics # a comment, k4\nk5:metrics") == {
        "k1": {"score"}, "k2": {"moderator"}, "k3": {"admin", "metrics"}, "k5": {"metrics"}}
    assert expand({"admin"}) == {"score", "moderator", "admin", "metrics"}
    assert expand({"moderator"}) == {"score", "moderator"}
    assert expand({"metrics"}) == {"metrics"}  # a scraper key scores nothing


@pytest.mark.parametrize(("raw", "where", "says"), [
    # Today's trap: a comma starts a new key, so this made a scoring key named "admin".
    ("s3cret-key:moderator,admin", "entry 2", "'admin' is a role name, not a key"),
    ("s3cret-key:moderator, metrics", "entry 2", "role name"),
    ("s3cret-key:modrator", "entry 1", "unknown role 'modrator'"),
    ("ok-key, s3cret-key:moderator+", "entry 2", "empty role"),
    ("s3cret-key:", "entry 1", "empty role"),
    ("s3cret key:moderator", "entry 1", "may not contain spaces"),
])
def test_a_mistake_names_the_entry_not_the_key(raw: str, where: str, says: str) -> None:
    with pytest.raises(KeySyntaxError) as caught:
        parse(raw)
    message = str(caught.value)
    assert f"DETECTOR_API_KEYS {where}" in message and says in message
    assert "s3cret-key" not in message and "s3cret key" not in message
    if "unknown role" in says or "empty role" in says:
        assert fingerprint("s3cret-key") in message


def test_a_keys_file_is_read_only_when_whole() -> None:
    assert [e.key for e in parse_file_text(b"a-key\n# c\nb-key:admin\n", "f")] == [
        "a-key", "b-key"]
    assert parse_file_text(b"", "f") == []
    with pytest.raises(KeySyntaxError, match="f line 2: the file does not end with a new line"):
        parse_file_text(b"a-key\nsec", "f")  # cut short while written: 'sec' is no key
    with pytest.raises(KeySyntaxError, match="not valid UTF-8"):
        parse_file_text(b"a-key\n\xff\n", "f")
    with pytest.raises(KeySyntaxError, match=r"f line 3 .*unknown role 'root'"):
        parse_file_text(b"a-key\n\nb-key:root\n", "f")
