"""Issue 27 item 8: what a promote and a rollback keep alive in a server worker. The holder
owns the model it serves: once a reload swaps in another, nothing keeps the old one (the
process-wide cache of `detector.core.get_detector` kept the first model a worker loaded for
its whole life). The memory figures are measured by benchmarks/bench_reload_memory.py."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from api.feedback import ServingHolder
from tests.api.conftest import base_settings, needs_model


@needs_model
def test_a_reload_frees_the_model_it_replaces(tmp_path: Path) -> None:
    settings = base_settings(label_db=str(tmp_path / "labels.sqlite"), reload_poll_seconds=0)
    holder = ServingHolder(settings)

    async def serve_then_reload() -> tuple[weakref.ref, weakref.ref]:
        first = await holder.get()
        old = weakref.ref(first.bundle)
        del first
        await holder.reload(force=True)  # a promote or a rollback: another model swapped in
        second = holder.ready
        assert second is not None
        new = weakref.ref(second.bundle)
        await holder.reload(force=True)  # and back
        return old, new

    old, new = asyncio.run(serve_then_reload())
    gc.collect()
    assert old() is None, "the first model is still alive after a reload"
    assert new() is None, "the second model is still alive after the next reload"
    assert holder.ready is not None
