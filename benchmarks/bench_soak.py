"""Soak: `detector serve` (default options) under a fixed request rate for 10 minutes, with the
memory of every server process, errors and latency printed minute by minute.

    .venv/bin/python benchmarks/bench_soak.py                       # 10 min at 200 req/s
    .venv/bin/python benchmarks/bench_soak.py --minutes 2 --rate 100

Open-loop load (requests are sent on schedule whether or not earlier ones have finished),
from one asyncio client: 95% POST /v1/score with hand-written postings of varied length and
language, 5% POST /v1/feedback into a temporary SQLite label store, plus /v1/health and
/metrics every few seconds as a platform's probes and scraper would. Passes when no request
failed and the resident memory of each process at the end is within 5% (+10 MB) of its
value after the first minute (RSS flat). A benchmark, not a test: figures go to
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_api import free_port, machine, wait_healthy  # noqa: E402

#: Hand-written postings (not data), short to long, English and Chinese.
POSTINGS = [
    {"text": "Data entry clerk, full time, Manchester. Excel skills needed."},
    {"text": "【高薪急聘】居家兼职数据录入员，入职前需缴纳培训费和保证金共1980元，"
              "加微信hr2580xx。"},
    {"title": "Registered nurse", "company": "St Mary's Hospital", "description":
     "Join our cardiology ward. " * 40, "salary": "£32,000-£38,000"},
    {"text": "Pay a $50 starter kit fee by gift card, then earn $900 a week from home. " * 10},
    {"text": "招聘仓库管理员，五险一金，双休，工作地点上海浦东。负责出入库登记和盘点。" * 20},
]


def rss_by_process(pid: int) -> dict[int, float]:
    """Resident memory (MB) of the server and each of its workers."""
    out = {}
    root = psutil.Process(pid)
    for proc in [root, *root.children(recursive=True)]:
        try:
            out[proc.pid] = proc.memory_info().rss / 2**20
        except psutil.Error:
            continue
    return out


async def soak(url: str, pid: int, minutes: float, rate: float) -> dict[str, object]:
    interval = 1.0 / rate
    latencies: list[list[float]] = [[] for _ in range(int(minutes) + 1)]
    errors: list[str] = []
    memory: list[dict[int, float]] = []
    sent = 0
    started = time.monotonic()
    end = started + minutes * 60
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)

    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:

        async def one(n: int) -> None:
            t0 = time.monotonic()
            if n % 20 == 0:
                body = {"posting": {"id": f"soak-{n}", **POSTINGS[n % len(POSTINGS)]},
                        "label": "scam" if n % 40 == 0 else "legit"}
                path, want = "/v1/feedback", 201
            else:
                body, path, want = POSTINGS[n % len(POSTINGS)], "/v1/score", 200
            try:
                response = await http.post(path, json=body)
                if response.status_code != want:
                    errors.append(f"{path} {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{path} {type(exc).__name__}")
            minute = int((t0 - started) // 60)
            latencies[min(minute, len(latencies) - 1)].append(time.monotonic() - t0)

        async def probes() -> None:
            while time.monotonic() < end:
                for path in ("/v1/health", "/metrics", "/v1/live"):
                    try:
                        response = await http.get(path)
                        if response.status_code != 200:
                            errors.append(f"{path} {response.status_code}")
                    except httpx.HTTPError as exc:
                        errors.append(f"{path} {type(exc).__name__}")
                memory.append(rss_by_process(pid))
                await asyncio.sleep(5)

        tasks: set[asyncio.Task[None]] = set()
        probe = asyncio.create_task(probes())
        while (now := time.monotonic()) < end:
            due = started + sent * interval
            if due > now:
                await asyncio.sleep(due - now)
            task = asyncio.create_task(one(sent))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sent += 1
        await asyncio.gather(*tasks, probe)
    return {"sent": sent, "errors": errors, "latencies": latencies, "memory": memory,
            "seconds": time.monotonic() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    args = parser.parse_args(argv)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="detector-soak-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("DETECTOR_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        env.update(DETECTOR_LABEL_DB=str(Path(tmp) / "labels.sqlite"),
                   DETECTOR_MODELS_HOME=str(Path(tmp) / "home"))
        proc = subprocess.Popen([sys.executable, "-m", "detector", "serve", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            wait_healthy(url, proc)
            load_before = os.getloadavg()[0]
            result = asyncio.run(soak(url, proc.pid, args.minutes, args.rate))
            load_after = os.getloadavg()[0]
        finally:
            proc.terminate()
            proc.wait(timeout=60)

    print(f"soak: detector serve (default options), {args.rate:g} req/s for "
          f"{args.minutes:g} min (95% /v1/score, 5% /v1/feedback, probes every 5 s)")
    print(f"machine: {machine()}; load average {load_before:.2f} before, {load_after:.2f} after")
    errors: list[str] = result["errors"]  # type: ignore[assignment]
    print(f"sent {result['sent']} requests in {result['seconds']:.0f} s; errors: {len(errors)}"
          + (f" ({sorted(set(errors))[:5]})" if errors else ""))
    print("| minute | requests | p50 ms | p99 ms |")
    print("|---:|---:|---:|---:|")
    for minute, values in enumerate(result["latencies"]):  # type: ignore[arg-type]
        if values:
            values = sorted(values)
            p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
            print(f"| {minute + 1} | {len(values)} | {statistics.median(values) * 1000:.1f} | "
                  f"{p99 * 1000:.1f} |")
    memory: list[dict[int, float]] = result["memory"]  # type: ignore[assignment]
    per_minute = max(1, int(60 / 5))
    first = memory[min(per_minute, len(memory) - 1)]
    last = memory[-1]
    flat = True
    print("| process | RSS after 1 min (MB) | RSS at end (MB) | change |")
    print("|---|---:|---:|---:|")
    for pid in sorted(first):
        if pid not in last:
            continue
        change = last[pid] - first[pid]
        flat &= change <= 0.05 * first[pid] + 10
        print(f"| {pid} | {first[pid]:.0f} | {last[pid]:.0f} | {change:+.1f} MB |")
    ok = not errors and flat
    print(f"RSS flat (within 5% + 10 MB) and no errors: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
