"""Load test of the real API as the README starts it, driven by wrk on the same machine.

    .venv/bin/python benchmarks/bench_api.py                # README's `detector serve`, defaults
    .venv/bin/python benchmarks/bench_api.py --workers 1 --runs 3 --duration 15 --no-bare

Starts `detector serve` (default options: one worker per CPU, at most 4; metrics on, no
Redis) on a free loopback port, waits for /v1/health, warms up, then runs `wrk -t2 -c32
-d15s` posting a hand-written 160-character Chinese scam (benchmarks/wrk_score.lua) `--runs`
times. Then the same against the bare stack (benchmarks/bare_app.py: same server, constant
answer), the ceiling any scoring API could reach here.

Prints each run and the medians of req/s, p50 and p99, errors; the server's CPU time per
request and wrk's (from /proc and rusage: they do not depend on how busy the machine is);
how much CPU other processes took during the runs (from /proc/stat), so a reader can tell a
quiet run from a contended one; the server's own /metrics (requests counted against wrk's
totals, coalescer batch sizes and queue wait). Floor (issue 20): >= 1,000 req/s and p99
<= 100 ms with no errors. Needs Debian's `wrk`.
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
FLOOR_RPS = 1000.0
FLOOR_P99_MS = 100.0


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms: float
    wrk_cpu_ms: float = 0.0
    others_cores: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def line(self, name: str) -> str:
        return (f"{name:<8} {self.rps:8.1f} req/s  p50 {self.p50_ms:6.1f} ms  "
                f"p99 {self.p99_ms:6.1f} ms  errors {self.errors}  "
                f"CPU/request: server {self.server_cpu_ms:.2f} ms, wrk {self.wrk_cpu_ms:.2f} ms"
                f"  other processes: {self.others_cores:.2f} cores")


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used (user+nice+system+irq+softirq)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


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


def start_server(port: int, workers: int | None, bare: bool = False
                 ) -> subprocess.Popen[bytes]:
    from api.server import default_workers

    if bare:
        cmd = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:create_app", "--factory",
               "--port", str(port), "--workers", str(workers or default_workers()),
               "--no-access-log", "--log-level", "warning"]
    else:  # `python -m detector` is `.venv/bin/detector`, run from this checkout
        cmd = [sys.executable, "-m", "detector", "serve", "--port", str(port)]
        if workers:
            cmd += ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DETECTOR_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    # Access log lines go to stdout as in production; discarded here.
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, env=env)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    """Until /v1/health answers 200 eight times in a row (each on a new connection, so
    every worker has had its turn)."""
    deadline = time.monotonic() + timeout
    in_a_row = 0
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/v1/health", timeout=2) as response:
                in_a_row = in_a_row + 1 if response.status == 200 else 0
        except (urllib.error.URLError, OSError):
            in_a_row = 0
        if in_a_row >= 8:
            return
        time.sleep(0.05 if in_a_row else 0.5)
    raise TimeoutError("server never became healthy")


def wrk(url: str, seconds: float, pid: int, threads: int, connections: int) -> Run:
    cpu0 = tree_cpu_seconds(pid)
    busy0 = machine_busy_seconds()
    child0 = os.times()
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
         "-s", str(LUA), f"{url}/v1/score"],
        capture_output=True, text=True, check=True,
    ).stdout
    cpu = tree_cpu_seconds(pid) - cpu0
    child1 = os.times()
    wrk_cpu = (child1.children_user - child0.children_user
               + child1.children_system - child0.children_system)
    others = machine_busy_seconds() - busy0 - cpu - wrk_cpu
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
        wrk_cpu_ms=wrk_cpu / max(requests, 1) * 1000,
        others_cores=max(0.0, others) / values["seconds"],
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


def scrape(url: str) -> str:
    with urllib.request.urlopen(f"{url}/metrics", timeout=30) as response:
        return response.read().decode("utf-8")


def metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        rest = head[len(name):]
        if rest and not rest.startswith("{"):
            continue
        if all(f'{k}="{v}"' in rest for k, v in labels.items()):
            total += float(value)
    return total


def bucket_quantile(text: str, name: str, q: float) -> float | None:
    """Upper bound of the histogram bucket holding quantile q."""
    buckets = []
    for line in text.splitlines():
        found = re.match(rf'{name}_bucket{{le="([^"]+)"}} (\S+)$', line)
        if found:
            buckets.append((float(found.group(1)), float(found.group(2))))
    if not buckets or buckets[-1][1] == 0:
        return None
    buckets.sort()
    for bound, count in buckets:
        if count >= q * buckets[-1][1]:
            return bound
    return None


def measure(args: argparse.Namespace, bare: bool) -> tuple[list[Run], str, str, int]:
    """(runs, /metrics before, /metrics after, requests wrk counted in all its runs)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers, bare)
    runs: list[Run] = []
    before = after = ""
    try:
        wait_healthy(url, proc)
        if not bare:
            before = scrape(url)
        warm = wrk(url, 3, proc.pid, args.threads, args.connections)  # warm-up, not counted
        for _ in range(args.runs):
            runs.append(wrk(url, args.duration, proc.pid, args.threads, args.connections))
        if not bare:
            after = scrape(url)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return runs, before, after, warm.requests + sum(r.requests for r in runs)


def median_run(runs: list[Run]) -> tuple[Run, float]:
    med = Run(
        requests=int(statistics.median(r.requests for r in runs)),
        seconds=statistics.median(r.seconds for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
        server_cpu_ms=statistics.median(r.server_cpu_ms for r in runs),
        wrk_cpu_ms=statistics.median(r.wrk_cpu_ms for r in runs),
        others_cores=statistics.median(r.others_cores for r in runs),
    )
    return med, statistics.median(r.rps for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None,
                        help="server workers (default: detector serve's own default)")
    parser.add_argument("--runs", type=int, default=3, help="measured wrk runs (median)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (-t)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip the bare-stack ceiling (constant answer, same server)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0]
    runs, before, after, wrk_total = measure(args, bare=False)
    bare_runs = [] if args.no_bare else measure(args, bare=True)[0]
    load_after = os.getloadavg()[0]

    workers = args.workers or "default"
    print(f"detector serve (workers: {workers}; metrics on, no Redis); wrk -t{args.threads} "
          f"-c{args.connections} -d{args.duration:g}s POST /v1/score, 160-character Chinese "
          "scam (hand-written)")
    print(f"machine: {machine()}")
    print(f"load average: {load_before:.2f} before, {load_after:.2f} after; 'other "
          "processes' below is the CPU the rest of the machine took during each run, of 2 "
          "cores")
    for i, run in enumerate(runs, 1):
        print(run.line(f"run {i}"))
    median, rps = median_run(runs)
    print(median.line("median").replace(f"{median.rps:8.1f}", f"{rps:8.1f}", 1))
    if bare_runs:
        for i, run in enumerate(bare_runs, 1):
            print(run.line(f"bare {i}"))
        bare, bare_rps = median_run(bare_runs)
        print(bare.line("bare med").replace(f"{bare.rps:8.1f}", f"{bare_rps:8.1f}", 1)
              + f"   (API = {rps / bare_rps:.0%} of the bare stack's req/s)")
    counted = (metric(after, "detector_http_requests_total", route="/v1/score")
               - metric(before, "detector_http_requests_total", route="/v1/score"))
    batches = (metric(after, "detector_coalescer_batch_size_count")
               - metric(before, "detector_coalescer_batch_size_count"))
    postings = (metric(after, "detector_coalescer_batch_size_sum")
                - metric(before, "detector_coalescer_batch_size_sum"))
    wait_p99 = bucket_quantile(after, "detector_coalescer_queue_wait_seconds", 0.99)
    print(f"/metrics: {counted:.0f} /v1/score requests counted by the server, {wrk_total} "
          f"completed in wrk's {args.runs + 1} runs (the server also answers the <= "
          f"{args.connections} in flight when each run stops); "
          f"{postings / max(batches, 1):.1f} postings per "
          f"coalesced call; queue wait p99 <= {wait_p99 * 1000 if wait_p99 else 0:.1f} ms")
    cores = os.cpu_count() or 2
    print(f"CPU-bound ceiling if this server had all {cores} cores: "
          f"{cores / (median.server_cpu_ms + median.wrk_cpu_ms) * 1000:,.0f} req/s "
          "(cores / CPU per request, server and wrk; an estimate, not a measurement)")
    ok = rps >= FLOOR_RPS and median.p99_ms <= FLOOR_P99_MS and median.errors == 0
    print(f"floor (>= {FLOOR_RPS:.0f} req/s, p99 <= {FLOOR_P99_MS:.0f} ms, no errors): "
          f"{'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
