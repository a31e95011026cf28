"""Reading the parts back: in input order, or riskiest first by an external merge sort.

`--sort risk` must not load the feed into memory. Each part is already sorted when it is
written (a sorted run of at most `--chunk-size` rows), so the output is a k-way
`heapq.merge` of the runs holding one record per run in memory. More than `FAN_IN` runs are
first merged in groups into bigger runs on disk, so open files stay bounded too.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from detector.scan.chunks import read_part, sort_key, write_part

FAN_IN = 128


def in_order(parts: list[Path]) -> Iterator[dict[str, Any]]:
    for part in parts:
        yield from read_part(part)


def _merge(runs: list[Path]) -> Iterator[dict[str, Any]]:
    return heapq.merge(*(read_part(run) for run in runs), key=sort_key)


def riskiest_first(parts: list[Path], scratch: Path,
                   fan_in: int = FAN_IN) -> Iterator[dict[str, Any]]:
    """Merge sorted runs; `scratch` holds intermediate runs (deleted as they are consumed)."""
    runs = list(parts)
    level = 0
    while len(runs) > fan_in:
        merged: list[Path] = []
        for start in range(0, len(runs), fan_in):
            group = runs[start:start + fan_in]
            target = scratch / f"run-{level}-{start // fan_in:06d}.jsonl"
            write_part(target, _merge(group))
            if level > 0:
                for run in group:
                    run.unlink(missing_ok=True)
            merged.append(target)
        runs = merged
        level += 1
    yield from _merge(runs)
