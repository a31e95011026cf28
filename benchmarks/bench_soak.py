"""Soak: `detector serve` (default options) under a steady request rate for 10 minutes, with
the memory of every server process, errors and latency printed minute by minute.

    .venv/bin/python benchmarks/bench_soak.py                       # 10 min at ~200 req/s
    .venv/bin/python benchmarks/bench_soak.py --minutes 2 --rate 100

The load is wrk (benchmarks/wrk_soak.lua), one run per minute, its connections pacing
themselves (each waits connections/rate between requests): 95% POST /v1/score with five
hand-written postings of varied length and language, 5% POST /v1/feedback into a temporary
SQLite label store. Every 5 s, as a platform's probes and scraper would, /v1/health,
/v1/live and /metrics are fetched and the resident memory of each server process is read.
Passes when no request failed and each process's memory at the end is within 5% (+10 MB)
of its value after the first minute (RSS flat). A benchmark, not a test: figures go to
benchmarks/README.md. Needs Debian's `wrk`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "benchmarks" / "wrk_soak.lua"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_api import free_port, machine, tree_cpu_seconds, wait_healthy  # noqa: E402

CONNECTIONS = 8
PROBES = ("/v1/health", "/v1/live", "/metrics")


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


def probe(url: str) -> list[str]:
    errors = []
    for path in PROBES:
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=10) as response:
                if response.status != 200:
                    errors.append(f"{path} {response.status}")
        except OSError as exc:
            errors.append(f"{path} {type(exc).__name__}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    minutes: list[dict[str, float]] = []
    memory: list[dict[int, float]] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="detector-soak-") as tmp:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("DETECTOR_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        env.update(DETECTOR_LABEL_DB=str(Path(tmp) / "labels.sqlite"),
                   DETECTOR_MODELS_HOME=str(Path(tmp) / "home"))
        proc = subprocess.Popen([sys.executable, "-m", "detector", "serve", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        wrk_env = {**os.environ, "SOAK_DELAY_MS": f"{CONNECTIONS / args.rate * 1000:.1f}"}
        try:
            wait_healthy(url, proc)
            load_before = os.getloadavg()[0]
            cpu0 = tree_cpu_seconds(proc.pid)
            for _ in range(args.minutes):
                load = subprocess.Popen(
                    ["wrk", "-t1", f"-c{CONNECTIONS}", "-d60s", "--latency", "-s", str(LUA),
                     url], stdout=subprocess.PIPE, text=True, env=wrk_env)
                while load.poll() is None:
                    errors += probe(url)
                    memory.append(rss_by_process(proc.pid))
                    time.sleep(5)
                out = load.communicate()[0]
                found = re.search(r"BENCH (.*)", out)
                if not found:
                    raise RuntimeError(f"unexpected wrk output:\n{out}")
                minutes.append({k: float(v) for k, v in
                                (item.split("=") for item in found.group(1).split())})
            cpu = tree_cpu_seconds(proc.pid) - cpu0
            load_after = os.getloadavg()[0]
        finally:
            proc.terminate()
            proc.wait(timeout=60)

    total = sum(m["requests"] for m in minutes)
    failed = sum(m["non2xx"] + m["socket_errors"] for m in minutes) + len(errors)
    seconds = sum(m["seconds"] for m in minutes)
    print(f"soak: detector serve (default options), wrk -t1 -c{CONNECTIONS} paced to "
          f"{args.rate:g} req/s for {args.minutes} min (95% /v1/score, 5% /v1/feedback; "
          f"{'/'.join(PROBES)} and RSS every 5 s)")
    print(f"machine: {machine()}; load average {load_before:.2f} before, {load_after:.2f} after")
    print(f"{total:.0f} requests in {seconds:.0f} s ({total / seconds:.0f}/s); server CPU "
          f"{cpu / max(total, 1) * 1000:.2f} ms/request; failed: {failed:.0f}"
          + (f" ({sorted(set(errors))[:5]})" if errors else ""))
    print("| minute | requests | p50 ms | p99 ms | errors |")
    print("|---:|---:|---:|---:|---:|")
    for i, m in enumerate(minutes, 1):
        print(f"| {i} | {m['requests']:.0f} | {m['p50_us'] / 1000:.1f} | "
              f"{m['p99_us'] / 1000:.1f} | {m['non2xx'] + m['socket_errors']:.0f} |")
    first = memory[min(12, len(memory) - 1)]  # after the first minute (samples every 5 s)
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
    ok = failed == 0 and flat
    print(f"RSS flat (within 5% + 10 MB) and no errors: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
