"""Real processes for the fleet tests (issue 20): `detector serve` as a platform runs it,
Debian's redis-server and nginx, each on free loopback ports in a temporary directory,
stopped (and restartable) by the tests. PostgreSQL: tests/labels/postgres.py."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "detector.conf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 30
              ) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace")[-3000:])
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class RedisServer:
    """redis-server without persistence on a free loopback port."""

    def __init__(self, base: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server not found (Debian package `redis-server`)")
        self.binary, self.base = binary, base
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        log = self.base / "redis.log"
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.base), "--protected-mode", "yes"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT)
        wait_port(self.port, self.process, log)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class NginxServer:
    """Debian's nginx running deploy/nginx/detector.conf, upstream ports replaced."""

    def __init__(self, base: Path, upstream_ports: list[int]) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise FileNotFoundError("nginx not found (Debian package `nginx`)")
        self.binary, self.base = binary, base
        self.port = free_port()
        site = NGINX_CONF.read_text(encoding="utf-8")
        upstreams = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n"
                            for p in upstream_ports)
        site = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+ .*\n", "", site)
        site = site.replace("upstream detector_replicas {\n",
                            "upstream detector_replicas {\n" + upstreams, 1)
        site = re.sub(r"listen \d+;", f"listen 127.0.0.1:{self.port};", site)
        (base / "detector.conf").write_text(site, encoding="utf-8")
        temp = base / "temp"
        temp.mkdir(exist_ok=True)
        os.chmod(base, 0o755)
        os.chmod(temp, 0o777)
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        (base / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {base}/nginx.pid;\n"
            f"error_log {base}/error.log warn;\nevents {{ worker_connections 512; }}\n"
            "http {\n"
            f"  access_log {base}/access.log;\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
            f"  scgi_temp_path {temp}/scgi;\n"
            f"  include {base}/detector.conf;\n}}\n", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> NginxServer:
        log = self.base / "nginx.out"
        conf = str(self.base / "nginx.conf")
        subprocess.run([self.binary, "-t", "-q", "-e", str(self.base / "error.log"),
                        "-c", conf], check=True, capture_output=True)
        self.process = subprocess.Popen(
            [self.binary, "-e", str(self.base / "error.log"), "-c", conf,
             "-g", "daemon off;"], stdout=log.open("ab"), stderr=subprocess.STDOUT)
        wait_port(self.port, self.process, log)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class ServeProcess:
    """`python -m detector serve` (= `.venv/bin/detector serve`) with settings from `env`."""

    def __init__(self, base: Path, env: dict[str, str], workers: int = 1,
                 name: str = "serve") -> None:
        self.base, self.workers, self.name = base, workers, name
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("DETECTOR_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        self.env.update(env)
        self.out = base / f"{name}.out"
        self.err = base / f"{name}.err"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "detector", "serve", "--port", str(self.port),
             "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=self.out.open("ab"), stderr=self.err.open("ab"))
        return self

    def wait_ready(self, timeout: float = 240) -> ServeProcess:
        """Until /v1/health says 200 on every worker (several answers in a row)."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        ok = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log()[-3000:]}")
            try:
                ok = ok + 1 if httpx.get(f"{self.url}/v1/health", timeout=5
                                         ).status_code == 200 else 0
            except httpx.HTTPError:
                ok = 0
            if ok >= 4 * self.workers:
                return self
            time.sleep(0.1 if ok else 0.3)
        raise TimeoutError(f"{self.name} never became ready: {self.log()[-3000:]}")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        out = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                # uvicorn's workers run the app; skip its resource tracker and dead workers.
                if child.status() == psutil.STATUS_ZOMBIE or "resource_tracker" in " ".join(
                        child.cmdline()):
                    continue
            except psutil.Error:
                continue
            out.append(child.pid)
        return out

    def log(self) -> str:
        return self.err.read_text(errors="replace") if self.err.exists() else ""

    def stop(self, timeout: float = 60) -> int | None:
        """SIGTERM (drains in-flight requests), then SIGKILL if it hangs; the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for pid in self.worker_pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait(timeout=10)
            return None


def metric_values(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Samples of one metric from Prometheus exposition text: {sorted label pairs: value}."""
    out: dict[tuple[tuple[str, str], ...], float] = {}
    pattern = re.compile(rf"^{re.escape(name)}(?:{{(.*)}})? (\S+)$")
    for line in text.splitlines():
        found = pattern.match(line)
        if found:
            labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', found.group(1) or "")))
            out[labels] = float(found.group(2))
    return out
