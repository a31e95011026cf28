"""How long a full garbage collection stalls a worker, with the model loaded, before and
after `gc.freeze()` (what api/model.py does once the model is loaded).

    .venv/bin/python benchmarks/bench_gc.py

A full collection walks every tracked object; a worker holding the model has ~130k of them.
While it runs, nothing else in the worker runs: every request in flight waits.
"""

from __future__ import annotations

import gc
import statistics
import time

from detector.core import get_detector
from detector.schema import parse_posting

#: Hand-written posting (not data), the benchmark's usual seed scam.
SEED = ("【高薪急聘】居家兼职数据录入员，无需经验，手机就能做，每天两小时，日结300到800元。"
        "入职前需缴纳培训费和保证金共1980元，工作满一个月后全额退还。有意者请加微信：hr2580xx。")


def full_collection_ms(runs: int = 5) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one full collection, medians."""
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu0 = time.perf_counter(), time.process_time()
        gc.collect()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    detector = get_detector()
    detector.score_many([parse_posting({"text": SEED})] * 16)
    gc.unfreeze()  # loading the artifact already freezes what it unpickled: undo, to compare
    tracked = len(gc.get_objects())
    before = full_collection_ms()
    gc.freeze()
    after = full_collection_ms()
    print(f"objects tracked by the collector with the model loaded: {tracked:,}")
    print(f"full collection (median of 5): {before[0]:.1f} ms wall / {before[1]:.1f} ms CPU "
          f"before gc.freeze(), {after[0]:.2f} ms wall / {after[1]:.2f} ms CPU after "
          f"({gc.get_freeze_count():,} objects frozen)")


if __name__ == "__main__":
    main()
