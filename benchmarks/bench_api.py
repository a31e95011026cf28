"""Load test of the real API: uvicorn in a subprocess on 127.0.0.1, N concurrent clients.

    .venv/bin/python benchmarks/bench_api.py [--workers 2] [--clients 32] [--duration 15]

Sends single real postings (a language-mixed sample of labeled_posts/posts.csv.gz) to
POST /v1/score and, as a baseline measured in the same run, GET /v1/health. Prints requests/s,
median and p99 latency and errors; exits 1 if the floor (>=300 rps, p99 <=100 ms) is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detector.schema import BOOL_FIELDS, TEXT_FIELDS  # noqa: E402

FLOOR_RPS = 300.0
FLOOR_P99_MS = 100.0


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        ms = sorted(x * 1000 for x in self.latencies)
        return ms[min(len(ms) - 1, math.ceil(q * len(ms)) - 1)] if ms else math.nan

    def line(self) -> str:
        return (f"{self.name:<11} {len(self.latencies):>7} req  {self.rps:8.1f} req/s  "
                f"median {self.percentile_ms(0.5):6.1f} ms  p99 {self.percentile_ms(0.99):6.1f} ms"
                f"  errors {self.errors}")


def sample_bodies(n: int, seed: int) -> list[bytes]:
    """`n` real postings, half English and half Chinese, from the held-out test split."""
    frame = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", low_memory=False)
    frame = frame[frame["split"] == "test"]
    parts = [group.sample(min(len(group), n // 2), random_state=seed)
             for _, group in frame.groupby("language")]
    rows = pd.concat(parts).sample(frac=1.0, random_state=seed)
    bodies = []
    for row in rows.to_dict("records"):
        posting: dict[str, object] = {"id": str(row["id"])}
        for name in TEXT_FIELDS:
            if isinstance(row.get(name), str) and row[name].strip():
                posting[name] = row[name]
        for name in BOOL_FIELDS:
            value = row.get(name)
            if isinstance(value, bool):
                posting[name] = value
        bodies.append(json.dumps(posting, ensure_ascii=False).encode("utf-8"))
    return bodies


def tree_cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its descendants (uvicorn workers), from /proc.
    Divided by requests served it gives a cost that does not depend on how busy the box is."""
    total = 0.0
    stack = [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("server never became healthy")


async def load(url: str, name: str, clients: int, seconds: float,
               bodies: list[bytes] | None) -> Result:
    """`clients` concurrent loops, each sending its next request as soon as one returns."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            headers = {"content-type": "application/json"}
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    if bodies is None:
                        response = await http.get("/v1/health")
                    else:
                        response = await http.post("/v1/score", content=bodies[i % len(bodies)],
                                                   headers=headers)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1
                i += clients

        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.perf_counter() - started
    return Result(name, elapsed, latencies, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase")
    parser.add_argument("--sample", type=int, default=400, help="postings to cycle through")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    bodies = sample_bodies(args.sample, args.seed)
    load_before = os.getloadavg()[0]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers)
    try:
        wait_healthy(url, proc)
        asyncio.run(load(url, "warm-up", args.clients, 3.0, bodies))
        cpu0 = tree_cpu_seconds(proc.pid)
        health = asyncio.run(load(url, "GET health", args.clients, args.duration, None))
        cpu1 = tree_cpu_seconds(proc.pid)
        score = asyncio.run(load(url, "POST score", args.clients, args.duration, bodies))
        cpu2 = tree_cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    sizes = sorted(len(b) for b in bodies)
    print(f"server: uvicorn, {args.workers} worker(s); {args.clients} concurrent clients; "
          f"{len(bodies)} real postings (median {sizes[len(sizes) // 2]} bytes); "
          f"{os.cpu_count()} CPUs")
    print(f"load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} "
          "(other processes compete for the same CPUs)")
    print(health.line())
    print(score.line())
    for result, cpu in ((health, cpu1 - cpu0), (score, cpu2 - cpu1)):
        served = len(result.latencies) + result.errors
        print(f"{result.name:<11} server CPU per request: {cpu / max(served, 1) * 1000:.2f} ms")
    ok = score.rps >= FLOOR_RPS and score.percentile_ms(0.99) <= FLOOR_P99_MS and score.errors == 0
    print(f"floor (>= {FLOOR_RPS:.0f} req/s, p99 <= {FLOOR_P99_MS:.0f} ms, no errors): "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
