"""Shared fixtures: a small mixed en/zh feed resampled from labeled_posts, and the model."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from detector.model.artifact import has_artifact  # noqa: E402
from detector.schema import ALL_FIELDS  # noqa: E402
from detector.settings import Settings  # noqa: E402


def model_dir() -> Path:
    return Settings.from_env().model_dir


@pytest.fixture(scope="session")
def have_model() -> Path:
    path = model_dir()
    if not has_artifact(path):
        pytest.skip(f"no model at {path} (set DETECTOR_MODEL_DIR)")
    return path


@pytest.fixture(scope="session")
def sample_frame() -> pd.DataFrame:
    """240 real postings, half en half zh, scams over-represented so every tier shows up."""
    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False)
    parts = []
    for lang in ("en", "zh"):
        rows = corpus[corpus["language"] == lang]
        parts.append(rows[rows["label"] == "1"].sample(30, random_state=7))
        parts.append(rows[rows["label"] == "0"].sample(90, random_state=7))
    return pd.concat(parts).sample(frac=1, random_state=7).reset_index(drop=True)


@pytest.fixture
def feed_csv(tmp_path: Path, sample_frame: pd.DataFrame) -> Path:
    path = tmp_path / "feed.csv"
    sample_frame.to_csv(path, index=False)
    return path


def run_cli(*args: str, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m detector.scan ...` in a subprocess (independent of the other CLI commands)."""
    full_env = {**os.environ, "DETECTOR_MODEL_DIR": str(model_dir()), **(env or {})}
    return subprocess.run([sys.executable, "-m", "detector.scan", *args], cwd=ROOT,
                          env=full_env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def real_postings() -> pd.DataFrame:
    """2,001 real postings (orfd_58, ids orfd58_NNNNN; multi-line descriptions)."""
    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False)
    orfd = corpus[corpus["source"] == "orfd_58"].sort_values("id")
    assert len(orfd) >= 2001
    return orfd.head(2001)[list(ALL_FIELDS)].reset_index(drop=True)


def feed_lines(frame: pd.DataFrame) -> list[str]:
    """The frame as CSV, split into physical lines the way `grep -n` counts them."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return io.StringIO(buf.getvalue(), newline="\n").readlines()


def write_broken_feed(tmp_path: Path, frame: pd.DataFrame,
                      record: int = 1000) -> tuple[Path, str, int]:
    """The feed with an unclosed quote opened in the title of 0-based `record`, as a
    hand edit would leave it; returns (path, that record's id, its 0-based line)."""
    broken_id = frame["id"][record]
    lines = feed_lines(frame)
    at = next(i for i, line in enumerate(lines) if line.startswith(broken_id + ","))
    posting_id, title, rest = lines[at].split(",", 2)
    assert not title.startswith('"')
    lines[at] = f'{posting_id},"{title},{rest}'
    path = tmp_path / "feed.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path, broken_id, at
