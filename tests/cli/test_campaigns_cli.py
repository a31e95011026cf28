"""Campaign memory from the command line: `labels import` of known scam texts makes their
reposts high in `score` and `scan` (which read the same store) at once; the CLI shows the
match; `labels forget` undoes it; `campaigns status|rebuild|seeds`. Messages hand-written
(tests, not data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from detector.cli import main

KNOWN = ("Good day! Our company needs online assistants to like and rate hotel listings from "
         "home, 20 minutes a day, paid 120 dollars daily. Message HR Grace on WhatsApp 555 0188 "
         "to start, a small activation deposit is refunded with your first salary.")
REPOST = ("Good day! Our company needs online assistants to like and rate hotel listings from "
          "home, 30 minutes a day, paid 200 dollars daily. Message HR Paul on WhatsApp 0161 496 "
          "0000 to start, a small activation deposit is refunded with your first salary.")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = str(tmp_path / "labels.sqlite")
    monkeypatch.setenv("DETECTOR_LABEL_DB", db)
    monkeypatch.setenv("DETECTOR_CAMPAIGN_POLL_SECONDS", "0")
    return db


def score_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["score", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_imported_scams_flag_reposts_in_score_and_scan(store: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    repost = tmp_path / "repost.txt"
    repost.write_text(REPOST, encoding="utf-8")
    before = score_json(repost, capsys)
    assert "known_scam_campaign" not in [f["id"] for f in before["flags"]]

    known = tmp_path / "known.csv"
    pd.DataFrame({"id": ["k1"], "text": [KNOWN], "label": ["scam"]}).to_csv(known, index=False)
    assert main(["labels", "import", str(known)]) == 0
    capsys.readouterr()

    after = score_json(repost, capsys)
    flag = next(f for f in after["flags"] if f["id"] == "known_scam_campaign")
    assert after["risk"] == "high" and flag["evidence"]
    assert flag["match"]["origin"] == "label_store" and flag["match"]["source"] == "import"
    assert main(["score", str(repost)]) == 0
    text = capsys.readouterr().out
    assert "known_scam_campaign" in text and "matches: decision" in text and "import" in text

    feed = tmp_path / "feed.csv"
    pd.DataFrame({"id": ["a", "b"], "text": [REPOST, "Registered nurse, cardiology ward, "
                                               "Bristol; apply through NHS Jobs."]}
                 ).to_csv(feed, index=False)
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(feed), "-o", str(out), "-q"]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert "known_scam_campaign" in rows[0]["flag_ids"]
    assert "known_scam_campaign" not in rows[1]["flag_ids"]
    assert next(f for f in rows[0]["flags"] if f["id"] == "known_scam_campaign")["match"]

    assert main(["labels", "forget", "k1"]) == 0
    capsys.readouterr()
    again = score_json(repost, capsys)
    assert "known_scam_campaign" not in [f["id"] for f in again["flags"]]


def test_status_and_rebuild(store: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    known = tmp_path / "known.csv"
    pd.DataFrame({"text": [KNOWN], "label": ["scam"]}).to_csv(known, index=False)
    assert main(["labels", "import", str(known)]) == 0
    capsys.readouterr()
    assert main(["campaigns", "status"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["store"] == "ok" and status["fingerprints"] == 1 and status["seeds"] > 0
    assert status["label_db"] == store and status["scheme"].startswith("mh")
    assert main(["campaigns", "rebuild"]) == 0
    assert "fingerprinted 0 of 1" in capsys.readouterr().out  # nothing was missing


def test_seeds_file_matches_the_corpus_and_has_no_test_rows(tmp_path: Path, corpus) -> None:
    from detector.campaigns.seeds import SEEDS_FILE, write_seeds
    from detector.hashing import sha256_file
    from detector.settings import DEFAULT_DATA_DIR

    shipped = DEFAULT_DATA_DIR / SEEDS_FILE
    with gzip.open(shipped, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        rows = [json.loads(line) for line in handle]
    assert header["corpus_sha256"] == sha256_file(DEFAULT_DATA_DIR / "posts.csv.gz"), (
        "labeled_posts/campaign_seeds.jsonl.gz is stale: run `detector campaigns seeds`")
    assert {row["split"] for row in rows} <= {"train", "valid"}
    assert "orfd_58" not in {row["source"] for row in rows}
    by_id = corpus.set_index("id")
    assert all(by_id.loc[row["id"], "label"] == 1 for row in rows)
    # Rewriting from the same corpus gives the same bytes.
    (tmp_path / "posts.csv.gz").symlink_to(DEFAULT_DATA_DIR / "posts.csv.gz")
    assert write_seeds(tmp_path, corpus) == len(rows)
    assert (tmp_path / SEEDS_FILE).read_bytes() == shipped.read_bytes()
