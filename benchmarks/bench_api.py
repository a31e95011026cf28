"""Load test of the real API as the README starts it, driven by wrk on the same machine.

    .venv/bin/python benchmarks/bench_api.py                # README's `detector serve`, defaults
    .venv/bin/python benchmarks/bench_api.py --workers 1 --runs 3 --duration 15

Starts `detector serve` (default options: one worker per CPU, at most 4) on a free loopback
port, waits for /v1/health, warms up, then runs `wrk -t2 -c32 -d15s` posting a hand-written
160-character Chinese scam (benchmarks/wrk_score.lua) `--runs` times. Prints each run and the
median of req/s, p50 and p99, errors, and the server's CPU time per request (from /proc, so
it does not depend on how busy the machine is), plus the machine, load and commit.
Issue 11's floor: >= 500 req/s and p99 <= 100 ms with no errors. Needs Debian's `wrk`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "benchmarks" / "wrk_score.lua"
FLOOR_RPS = 500.0
FLOOR_P99_MS = 100.0


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def line(self, name: str) -> str:
        return (f"{name:<8} {self.rps:8.1f} req/s  p50 {self.p50_ms:6.1f} ms  "
                f"p99 {self.p99_ms:6.1f} ms  errors {self.errors}  "
                f"server CPU {self.server_cpu_ms:.2f} ms/request")


def tree_cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its descendants (uvicorn workers), from /proc."""
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


def start_server(port: int, workers: int | None) -> subprocess.Popen[bytes]:
    # `python -m detector` is `.venv/bin/detector`, run from this checkout.
    cmd = [sys.executable, "-m", "detector", "serve", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    # Access log lines go to stdout as in production; discarded here.
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError("server never became healthy")


def wrk(url: str, seconds: float, pid: int, threads: int, connections: int) -> Run:
    cpu0 = tree_cpu_seconds(pid)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
         "-s", str(LUA), f"{url}/v1/score"],
        capture_output=True, text=True, check=True,
    ).stdout
    cpu = tree_cpu_seconds(pid) - cpu0
    found = re.search(r"BENCH (.*)", out)
    if not found:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    values = {k: float(v) for k, v in (item.split("=") for item in found.group(1).split())}
    requests = int(values["requests"])
    return Run(
        requests=requests, seconds=values["seconds"],
        p50_ms=values["p50_us"] / 1000, p99_ms=values["p99_us"] / 1000,
        errors=int(values["non2xx"] + values["socket_errors"]),
        server_cpu_ms=cpu / max(requests, 1) * 1000,
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} CPUs ({model}); commit {commit}"
            f"{' + uncommitted changes' if dirty else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None,
                        help="server workers (default: detector serve's own default)")
    parser.add_argument("--runs", type=int, default=3, help="measured wrk runs (median)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (-t)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers)
    runs: list[Run] = []
    try:
        wait_healthy(url, proc)
        wrk(url, 3, proc.pid, args.threads, args.connections)  # warm-up, not counted
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):
            runs.append(wrk(url, args.duration, proc.pid, args.threads, args.connections))
        load_after = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    workers = args.workers or "default"
    print(f"detector serve (workers: {workers}); wrk -t{args.threads} -c{args.connections} "
          f"-d{args.duration:g}s POST /v1/score, 160-character Chinese scam (hand-written)")
    print(f"machine: {machine()}")
    print(f"load average: {load_before:.2f} before, {load_after:.2f} after "
          "(other processes on this machine compete for the same CPUs)")
    for i, run in enumerate(runs, 1):
        print(run.line(f"run {i}"))
    median = Run(
        requests=int(statistics.median(r.requests for r in runs)),
        seconds=statistics.median(r.seconds for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
        server_cpu_ms=statistics.median(r.server_cpu_ms for r in runs),
    )
    rps = statistics.median(r.rps for r in runs)
    print(f"median   {rps:8.1f} req/s  p50 {median.p50_ms:6.1f} ms  p99 {median.p99_ms:6.1f} ms"
          f"  errors {median.errors} (all runs)  server CPU {median.server_cpu_ms:.2f} ms/request")
    ok = rps >= FLOOR_RPS and median.p99_ms <= FLOOR_P99_MS and median.errors == 0
    print(f"floor (>= {FLOOR_RPS:.0f} req/s, p99 <= {FLOOR_P99_MS:.0f} ms, no errors): "
          f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
