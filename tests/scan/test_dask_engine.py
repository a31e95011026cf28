"""The Dask engine on a LocalCluster of 2 worker processes gives the local engine's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.scan.runner import ScanConfig, run_scan

pytest.importorskip("distributed")


def test_dask_matches_local(have_model: Path, tmp_path: Path, feed_csv: Path) -> None:
    local, dask = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    base = {"input": feed_csv, "model_dir": have_model, "chunk_size": 40, "quiet": True,
            "jobs": 2}
    run_scan(ScanConfig(output=local, **base))
    summary = run_scan(ScanConfig(output=dask, engine="dask", **base))
    import pandas as pd

    a, b = pd.read_parquet(local), pd.read_parquet(dask)
    assert len(a) == 240 and summary["engine"] == "dask"
    pd.testing.assert_frame_equal(a, b)
