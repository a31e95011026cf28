"""Shared fixtures: the real shipped model and the real corpus (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from detector.core import Detector, get_detector
from detector.corpus.build import load_corpus
from detector.settings import DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def detector() -> Detector:
    return get_detector(DEFAULT_MODEL_DIR)


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return load_corpus(DEFAULT_DATA_DIR)
