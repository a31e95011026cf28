"""One version scheme: release and time made before the digests, so versions sort in the
order they were made and a retrain never reads as a downgrade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from detector.model.version import RELEASE, made_at, make_version, sort_key

T0 = datetime(2026, 12, 4, 15, 30, 12, tzinfo=UTC)


def test_format_names_release_time_data_labels_and_content() -> None:
    version = make_version("1a2b3c4d5e", "9f8e7d6c5b", 25, made=T0)
    assert version == f"{RELEASE}.20261204153012+1a2b3c4d.m25.9f8e7d6c"
    assert made_at(version) == T0
    assert make_version("1a2b3c4d", "9f8e7d6c", made=T0).endswith("+1a2b3c4d.9f8e7d6c")


def test_versions_sort_in_the_order_they_were_made() -> None:
    made = [make_version("ffffffff", f"{i:08x}", i, made=T0 + timedelta(minutes=i))
            for i in (0, 1, 10, 100)]
    legacy = ["1.0+d1361c57.m0.5ae15375", "2.0+d1361c57.b3c6c7a8"]
    # A later retrain has a "smaller" digest and label count: it still sorts after.
    assert sorted(reversed(made + legacy), key=sort_key) == legacy + made
    assert sort_key("10.0.20200101000000+a.b") > sort_key("9.9.20991231235959+a.b")
    assert sort_key("not-a-version") < sort_key(legacy[0])
