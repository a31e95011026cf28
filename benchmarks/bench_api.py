"""Load test of the real API as the README starts it, driven by wrk on the same machine.

    .venv/bin/python benchmarks/bench_api.py                # README's `detector serve`, defaults
    .venv/bin/python benchmarks/bench_api.py --bodies seed  # the seed scam, each request distinct
    .venv/bin/python benchmarks/bench_api.py --workers 1 --runs 3 --duration 15 --no-bare

Starts `detector serve` (default options: one worker per CPU, at most 4; metrics on, no
Redis; DETECTOR_* unset) on a free loopback port, waits for /v1/health, warms up, then runs
`wrk -t2 -c32 -d15s` `--runs` times, rotating bodies (benchmarks/wrk_rotate.lua): every
request carries a different text, so no cache of responses, verdicts or readings can serve
the load. `--bodies real` (default): 2,000 real postings (75% EMSCAD with its yes/no
fields, 25% 58.com, the corpus's own texts as `bench_scan.py` picks them), each request one
of them with its own reference line added; `--bodies seed`: the hand-written 160-character
Chinese training-fee scam the earlier figures used, with its own reference line per
request. Then the same bodies against the bare stack (benchmarks/bare_app.py: same server,
constant answer), the ceiling any scoring API could reach here. It prints the settings it
ran with: workers (counted from the process tree), coalescer bounds, what was on.

Prints each run and the medians of req/s, p50 and p99, errors; the server's CPU time per
request and wrk's (from /proc and rusage: they do not depend on how busy the machine is);
how much CPU other processes took during the runs (from /proc/stat), so a reader can tell a
quiet run from a contended one; the server's own /metrics (requests counted against wrk's
totals, coalescer batch sizes and queue wait). Floor (issue 28, idle machine): >= 2,000
req/s and p99 <= 50 ms with no errors, median of 3. Needs Debian's `wrk`.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
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
LUA = ROOT / "benchmarks" / "wrk_rotate.lua"
REF_MARK = "@@REF@@"
#: Keys of this run (the server is started with them; wrk scores with the first).
SCORE_KEY = secrets.token_urlsafe(24)
METRICS_KEY = secrets.token_urlsafe(24)
FLOOR_RPS = 2000.0
FLOOR_P99_MS = 50.0


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
    if not bare:  # the README's setup with keys: wrk scores with one, /metrics is read with another
        env["DETECTOR_API_KEYS"] = f"{SCORE_KEY},{METRICS_KEY}:metrics"
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


def write_bodies(path: Path, kind: str, n: int = 2000) -> str:
    """The request bodies wrk rotates through, one JSON posting a line, each with REF_MARK
    in a text field (wrk_rotate.lua puts a reference of its own there per request).
    Returns a caption."""
    import json

    if kind == "seed":
        text = SEED_SCAM + "\n\nReference: " + REF_MARK
        path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
        return (f"the hand-written seed scam ({len(SEED_SCAM)} characters), its own reference "
                "line per request")
    import pandas as pd

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_scan import CORPUS, EN_SHARE, _distinct

    from detector.schema import BOOL_FIELDS, TEXT_FIELDS

    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    en = _distinct(corpus[corpus["source"] == "emscad"]).sample(round(n * EN_SHARE),
                                                                  random_state=0)
    zh = _distinct(corpus[corpus["source"] == "orfd_58"]).sample(n - len(en), random_state=0)
    chosen = pd.concat([en, zh]).sample(frac=1.0, random_state=1)
    sizes = []
    with path.open("w", encoding="utf-8") as handle:
        for record in chosen.to_dict("records"):
            body: dict[str, object] = {k: record[k] for k in TEXT_FIELDS if record.get(k)}
            where = "description" if body.get("description") else "text"
            body[where] = (str(body.get(where, "")) + "\n\nReference: " + REF_MARK).lstrip()
            for name in BOOL_FIELDS:
                if record.get(name) in ("True", "False"):
                    body[name] = record[name] == "True"
            line = json.dumps(body, ensure_ascii=False)
            sizes.append(len(line.encode("utf-8")))
            handle.write(line + "\n")
    sizes.sort()
    return (f"{n:,} real postings ({len(en):,} EMSCAD, {len(zh):,} 58.com; body median "
            f"{sizes[len(sizes) // 2]:,} bytes, p90 {sizes[int(len(sizes) * 0.9)]:,}), each "
            "request one of them with its own reference line")


#: The hand-written demo scam of the earlier figures (not data).
SEED_SCAM = ("【高薪急聘】居家兼职数据录入员，无需经验，手机就能做，每天两小时，"
             "日结300到800元，多劳多得，学生宝妈均可。入职前需缴纳培训费和保证金共1980元，"
             "工作满一个月后全额退还。名额仅剩5个，今天报名优先安排岗位。有意者请加微信："
             "hr2580xx，备注兼职，客服一对一指导，正规公司，绝无套路，名额有限，先到先得，"
             "赶快来！")


def server_processes(pid: int) -> int:
    """Processes in the server's tree (supervisor + workers + helpers)."""
    import psutil

    try:
        return 1 + len(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return 0


def wrk(url: str, seconds: float, pid: int, threads: int, connections: int,
        bodies: Path) -> Run:
    cpu0 = tree_cpu_seconds(pid)
    busy0 = machine_busy_seconds()
    child0 = os.times()
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
         "-s", str(LUA), f"{url}/v1/score"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "BENCH_BODIES": str(bodies), "BENCH_KEY": SCORE_KEY},
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
    request = urllib.request.Request(f"{url}/metrics",
                                     headers={"Authorization": f"Bearer {METRICS_KEY}"})
    with urllib.request.urlopen(request, timeout=30) as response:
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


def measure(args: argparse.Namespace, bare: bool, bodies: Path
            ) -> tuple[list[Run], str, str, int, int]:
    """(runs, /metrics before, /metrics after, requests wrk counted in all its runs,
    processes in the server's tree)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, args.workers, bare)
    runs: list[Run] = []
    before = after = ""
    try:
        wait_healthy(url, proc)
        processes = server_processes(proc.pid)
        if not bare:
            before = scrape(url)
        warm = wrk(url, 3, proc.pid, args.threads, args.connections, bodies)  # not counted
        for _ in range(args.runs):
            runs.append(wrk(url, args.duration, proc.pid, args.threads, args.connections,
                            bodies))
        if not bare:
            after = scrape(url)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return runs, before, after, warm.requests + sum(r.requests for r in runs), processes


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
    parser.add_argument("--bodies", choices=("real", "seed"), default="real",
                        help="what wrk rotates through (see above; default: real postings)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    import tempfile

    from api.batcher import BATCH_CHARS, GATHER_S, LONG_CHARS, MAX_COALESCE
    from api.server import default_workers

    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        bodies = Path(tmp) / "bodies.jsonl"
        caption = write_bodies(bodies, args.bodies)
        load_before = os.getloadavg()[0]
        runs, before, after, wrk_total, processes = measure(args, False, bodies)
        bare_runs = [] if args.no_bare else measure(args, True, bodies)[0]
        load_after = os.getloadavg()[0]

    workers = args.workers or default_workers()
    print(f"detector serve --workers {workers} ({'given' if args.workers else 'its default'}"
          f"; {processes} processes in the server's tree); DETECTOR_* unset: metrics on, no "
          "Redis, no rate limit, campaign memory on (corpus seeds), access log to stdout "
          "(discarded); API keys as the README sets them up (wrk sends a scoring key, "
          "/metrics is read with a metrics key)")
    print(f"coalescer: up to {MAX_COALESCE} postings and {BATCH_CHARS:,} characters per "
          f"call, waits <= {GATHER_S * 1000:g} ms for companions when busy, postings over "
          f"{LONG_CHARS:,} characters alone in a thread")
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s --latency "
          f"-s benchmarks/wrk_rotate.lua, POST /v1/score: {caption}")
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
