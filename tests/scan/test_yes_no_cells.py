"""Issue 24 item 3: yes/no cells as people (and pandas) write them. A yes/no column with a gap
is written by pandas as 1.0/0.0, which rejected every posting that had one (100 of a 200-row
feed). Real postings from labeled_posts (`sample_frame`), the real scan and model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from detector.scan.runner import ScanConfig, format_summary, run_scan


def scan(have_model: Path, feed: Path) -> tuple[list[dict], dict]:
    out = feed.with_name(feed.stem + ".out.jsonl")
    summary = run_scan(ScanConfig(input=feed, output=out, model_dir=have_model, quiet=True,
                                  jobs=1))
    return [json.loads(line) for line in out.read_text().splitlines()], summary


def with_gappy_flags(sample_frame: pd.DataFrame, n: int = 200) -> pd.DataFrame:
    """n real postings with yes/no columns as pandas holds them when a value is missing."""
    frame = sample_frame.head(n)[["id", "title", "company", "description", "requirements",
                                  "text"]]
    rng = np.random.default_rng(3)
    frame = frame.assign(
        has_company_logo=np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 2, n)),
        telecommuting=np.where(rng.random(n) < 0.5, np.nan, rng.integers(0, 2, n)))
    assert frame["has_company_logo"].dtype == float  # a gap makes the column float
    return frame


def test_csv_written_by_pandas_with_gaps_is_scored_whole(have_model: Path, tmp_path: Path,
                                                         sample_frame: pd.DataFrame) -> None:
    feed = tmp_path / "feed.csv"
    with_gappy_flags(sample_frame).to_csv(feed, index=False)
    assert "1.0" in feed.read_text(encoding="utf-8")
    _, summary = scan(have_model, feed)
    assert (summary["rows_read"], summary["scored"], summary["rejected"]) == (200, 200, 0)
    assert summary["warnings"] == {}


def test_parquet_float_yes_no_column_is_scored_whole(have_model: Path, tmp_path: Path,
                                                     sample_frame: pd.DataFrame) -> None:
    feed = tmp_path / "feed.parquet"
    with_gappy_flags(sample_frame).to_parquet(feed, index=False)
    _, summary = scan(have_model, feed)
    assert (summary["scored"], summary["rejected"]) == (200, 0)


def test_yes_no_words_in_both_languages_and_an_unreadable_cell_is_a_warning(
        have_model: Path, tmp_path: Path) -> None:
    feed = tmp_path / "words.csv"
    feed.write_text("id,title,description,has_company_logo,telecommuting\n"
                    "a,Cook,Prep and cook in our kitchen,yes,No\n"
                    "b,厨师,后厨备餐与烹饪，晚班,是,否\n"
                    "c,Cook,Prep and cook in our kitchen,TRUE,1\n"
                    "d,Cook,Prep and cook in our kitchen,maybe,0.0\n", encoding="utf-8")
    rows, summary = scan(have_model, feed)
    assert [row["error"] for row in rows] == [None] * 4  # the posting is never lost
    assert summary["rows_with_warnings"] == 1
    (kind, entry), = summary["warnings"].items()
    assert kind == "field 'has_company_logo'" and entry["first_rows"] == [4]
    assert "'maybe' is not a yes/no value" in entry["example"]
    shown = format_summary({**summary, "elapsed_s": 1.0, "rows_per_s": 4.0})
    assert "warning: 1 x field 'has_company_logo'" in shown
