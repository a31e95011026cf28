"""`detector labels ...` in-process on real corpus postings and real files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.cli import main
from detector.labels.store import LabelStore
from detector.schema import TEXT_FIELDS


def feed_rows(corpus: pd.DataFrame, n: int) -> pd.DataFrame:
    rows = corpus[corpus["role"] == "core"].sample(n, random_state=3)
    return rows[["id", *[f for f in TEXT_FIELDS if f != "text"]]].fillna("")


def labels_for(rows: pd.DataFrame, corpus: pd.DataFrame) -> list[str]:
    truth = corpus.set_index("id")["label"]
    return ["scam" if truth[i] == 1 else "legit" for i in rows["id"]]


def test_import_csv_reports_and_skips_bad_rows(tmp_path: Path, corpus, capsys) -> None:
    rows = feed_rows(corpus, 5)
    rows["label"] = labels_for(rows, corpus)
    rows.loc[rows.index[1], "label"] = "spam"
    rows.loc[rows.index[2], [f for f in TEXT_FIELDS if f in rows]] = ""
    path = tmp_path / "decisions.csv"
    rows.to_csv(path, index=False)
    db = str(tmp_path / "l.sqlite")
    assert main(["labels", "--db", db, "import", str(path), "--reviewer", "ann"]) == 0
    out, err = capsys.readouterr()
    assert "recorded 3 decisions" in out and "skipped 2" in out
    assert "row 2: unknown label 'spam'" in err and "row 3: invalid posting: empty" in err
    store = LabelStore(db)
    assert {row["reviewer"] for row in store.decisions()} == {"ann"}
    assert {row["source"] for row in store.decisions()} == {"import"}


def test_import_ids_joined_with_the_feed(tmp_path: Path, corpus, capsys) -> None:
    rows = feed_rows(corpus, 6)
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        for record in rows.to_dict("records"):
            handle.write(json.dumps({k: v for k, v in record.items() if v}) + "\n")
    decisions = pd.DataFrame({"id": [*rows["id"][:4], "not-in-feed"],
                              "label": [*labels_for(rows, corpus)[:4], "scam"]})
    path = tmp_path / "ids.csv"
    decisions.to_csv(path, index=False)
    db = str(tmp_path / "l.sqlite")
    assert main(["labels", "--db", db, "import", str(path), "--feed", str(feed)]) == 0
    out, err = capsys.readouterr()
    assert "recorded 4 decisions" in out and "'not-in-feed' is not in" in err
    stored = {item.external_id: item.label for item in LabelStore(db).labeled()}
    assert stored == dict(zip(decisions["id"][:4], decisions["label"][:4], strict=True))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_export_then_import_round_trips(tmp_path: Path, corpus, suffix: str) -> None:
    rows = feed_rows(corpus, 4)
    rows["label"] = labels_for(rows, corpus)
    source = tmp_path / "in.csv"
    rows.to_csv(source, index=False)
    first, second = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    assert main(["labels", "--db", first, "import", str(source)]) == 0
    exported = tmp_path / f"out{suffix}"
    assert main(["labels", "--db", first, "export", str(exported)]) == 0
    assert main(["labels", "--db", second, "import", str(exported)]) == 0
    def labelled(db: str) -> list[tuple[str, str]]:
        return [(i.hash, i.label) for i in LabelStore(db).labeled()]
    assert labelled(first) == labelled(second) and len(labelled(first)) == 4


def test_forget_and_conflicts(tmp_path: Path, corpus, capsys) -> None:
    rows = feed_rows(corpus, 2)
    rows["label"] = ["scam", "legit"]
    path = tmp_path / "in.csv"
    rows.to_csv(path, index=False)
    db = str(tmp_path / "l.sqlite")
    main(["labels", "--db", db, "import", str(path)])
    rows["label"] = ["legit", "legit"]
    rows.to_csv(path, index=False)
    main(["labels", "--db", db, "import", str(path), "--source", "moderator"])
    capsys.readouterr()
    assert main(["labels", "--db", db, "conflicts"]) == 0
    assert "1 conflicting posting(s)" in capsys.readouterr().out
    before = LabelStore(db).counts()
    assert main(["labels", "--db", db, "forget", "no-such-posting"]) == 2
    assert "no stored posting" in capsys.readouterr().err
    assert LabelStore(db).counts() == before
    assert main(["labels", "--db", db, "forget", str(rows["id"].iloc[0])]) == 0
    assert LabelStore(db).counts()["postings"] == 1
    assert main(["labels", "--db", db, "list", "--format", "json"]) == 0


def test_unreadable_files_are_clear_errors(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["labels", "--db", str(tmp_path / "l.sqlite"), "import", str(empty)]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["labels", "--db", str(tmp_path / "l.sqlite"), "import",
                 str(tmp_path / "x.txt")]) == 2


def test_list_has_a_header_row(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: `labels list` printed rows with no header."""
    path = tmp_path / "in.csv"
    path.write_text("id,title,description,label\np1,Cook,Kitchen work in a hotel,legit\n",
                    encoding="utf-8")
    db = str(tmp_path / "l.sqlite")
    assert main(["labels", "--db", db, "import", str(path)]) == 0
    capsys.readouterr()
    assert main(["labels", "--db", db, "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[1].split()
    assert header[:3] == ["id", "decided", "at"] and "label" in header and "note" in header
    assert lines[2].split()[2:4] == ["import", "legit"]
