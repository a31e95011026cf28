"""Concurrent single requests are coalesced into one scoring call without changing verdicts,
and one failing posting does not fail its companions."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from api import batcher
from api.batcher import Coalescer
from detector.core import Detector, get_detector
from detector.schema import Posting, parse_posting
from detector.settings import DEFAULT_MODEL_DIR
from detector.verdict import Verdict
from tests.api.conftest import needs_model
from tests.api.samples import EN_FEE_SCAM, EN_LEGIT, ZH_FEE_SCAM

POSTINGS = [parse_posting({"id": str(i), "text": text})
            for i, text in enumerate([ZH_FEE_SCAM, EN_LEGIT, EN_FEE_SCAM] * 6)]


@needs_model
def test_coalesced_verdicts_equal_individual_ones(monkeypatch) -> None:
    detector = get_detector(DEFAULT_MODEL_DIR)
    expected = [detector.score(p) for p in POSTINGS]
    sizes: list[int] = []
    original = batcher.score_many

    def counting(det: Detector, postings: Sequence[Posting]) -> list[Verdict]:
        sizes.append(len(postings))
        return original(det, postings)

    monkeypatch.setattr(batcher, "score_many", counting)

    async def main() -> list[Verdict]:
        coalescer = Coalescer(max_batch=8)
        return await asyncio.gather(*(coalescer.score(detector, p) for p in POSTINGS))

    assert asyncio.run(main()) == expected
    assert sizes == [8, 8, 2]  # really batched, capped at max_batch

    async def lone() -> Verdict:
        return await Coalescer(max_batch=8).score(detector, POSTINGS[0])

    sizes.clear()
    assert asyncio.run(lone()) == expected[0]
    assert sizes == [1]  # a lone request is scored at once, not held for company


class PickyDetector:
    """A stand-in that fails whenever a batch contains a posting titled 'boom'."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def score_many(self, postings: list[Posting]) -> list[Verdict]:
        self.calls.append(len(postings))
        if any(p.get("title") == "boom" for p in postings):
            raise RuntimeError("boom")
        return [Verdict(id=p.id, fraud_probability=0.1, risk="low", language="en",
                        model_version="stub") for p in postings]


def test_one_failure_does_not_fail_companions() -> None:
    detector = PickyDetector()
    postings = [parse_posting({"id": str(i), "title": "boom" if i == 3 else "ok"})
                for i in range(6)]

    async def main() -> list[Verdict | BaseException]:
        coalescer = Coalescer()
        return await asyncio.gather(
            *(coalescer.score(detector, p) for p in postings),  # type: ignore[arg-type]
            return_exceptions=True,
        )

    results = asyncio.run(main())
    assert isinstance(results[3], RuntimeError)
    assert [r.id for i, r in enumerate(results) if i != 3] == ["0", "1", "2", "4", "5"]


def test_busy_server_keeps_batches_whole_idle_one_does_not_wait() -> None:
    """Closed-loop clients (each sends its next request when answered, as wrk does) came back
    a moment apart, so batches split into ever smaller ones, each paying the per-call cost.
    While busy, a batch now waits for the clients of the previous one. An idle server answers
    a lone request at once. The window is widened so the test does not depend on speed."""
    detector = PickyDetector()

    async def main() -> None:
        coalescer = Coalescer(max_batch=8, gather_s=5.0)
        lone = parse_posting({"id": "lone", "title": "ok"})
        await coalescer.score(detector, lone)  # type: ignore[arg-type]
        assert detector.calls == [1]
        await asyncio.sleep(0.2)  # idle again

        async def client(k: int) -> None:
            for round_ in range(3):
                posting = parse_posting({"id": f"{k}-{round_}", "title": "ok"})
                await coalescer.score(detector, posting)  # type: ignore[arg-type]
                await asyncio.sleep(0.005 * k)  # clients come back at different moments

        await asyncio.gather(*(client(k) for k in range(4)))
        assert detector.calls == [1, 4, 4, 4]  # whole rounds, not 4, 1, 1, 1, 1, ...

    asyncio.run(main())


@needs_model
def test_long_postings_go_alone_and_calls_stop_at_the_text_budget(monkeypatch) -> None:
    import threading

    detector = get_detector(DEFAULT_MODEL_DIR)
    long = parse_posting({"id": "long", "text": EN_LEGIT * (batcher.LONG_CHARS // len(EN_LEGIT)
                                                            + 1)}, max_chars=10**6)
    medium = parse_posting({"id": "medium", "text": (EN_LEGIT * 60)[: batcher.LONG_CHARS]})
    calls: list[tuple[list[str | None], bool]] = []
    original = batcher.score_many
    loop_thread = threading.get_ident()

    def recording(det: Detector, postings: Sequence[Posting]) -> list[Verdict]:
        calls.append(([p.id for p in postings], threading.get_ident() == loop_thread))
        return original(det, postings)

    monkeypatch.setattr(batcher, "score_many", recording)

    async def main() -> list[Verdict]:
        coalescer = Coalescer(max_batch=16)
        items = [POSTINGS[0], long, POSTINGS[1], medium, medium, medium, POSTINGS[2]]
        return await asyncio.gather(*(coalescer.score(detector, p) for p in items))

    verdicts = asyncio.run(main())
    assert [v.id for v in verdicts] == ["0", "long", "1", "medium", "medium", "medium", "2"]
    long_calls = [(ids, on_loop) for ids, on_loop in calls if "long" in ids]
    assert long_calls == [(["long"], False)]  # alone, in a worker thread
    short_calls = [ids for ids, on_loop in calls if "long" not in ids and on_loop]
    assert sorted(i for ids in short_calls for i in ids) == sorted(
        ["0", "1", "2", "medium", "medium", "medium"])
    assert all(sum(len(POSTINGS[0].full_text()) if i in "012" else batcher.LONG_CHARS
                   for i in ids) <= batcher.BATCH_CHARS or len(ids) == 1
               for ids in short_calls)
