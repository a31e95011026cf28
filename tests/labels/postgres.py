"""A throwaway PostgreSQL server from Debian's `postgresql` package, on loopback, for tests.

initdb + postgres in a temporary directory, trust auth, a free port. PostgreSQL refuses to
run as root, so under root the server runs as the `postgres` system user (runuser).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def find_bin(name: str) -> str | None:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    def __init__(self, base: Path) -> None:
        initdb, postgres = find_bin("initdb"), find_bin("postgres")
        if not initdb or not postgres:
            raise FileNotFoundError("initdb/postgres not found (Debian package `postgresql`)")
        self.initdb, self.postgres = initdb, postgres
        self.base = base
        self.data = base / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if not runuser:
                raise FileNotFoundError("running as root and no runuser to drop to `postgres`")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(base, "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> PostgresServer:
        """initdb (first start only), then the server; start again after stop() to bring
        the same database back on the same port."""
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                [*self.as_user, self.initdb, "-D", str(self.data), "-U", "postgres", "-A",
                 "trust", "-E", "UTF8", "--no-sync"],
                check=True, capture_output=True,
            )
        log = open(self.base / "server.log", "ab")  # noqa: SIM115 (kept open for the server)
        self.process = subprocess.Popen(
            [*self.as_user, self.postgres, "-D", str(self.data), "-p", str(self.port),
             "-h", "127.0.0.1", "-k", str(self.base), "-c", "fsync=off"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.base / "server.log").read_text(errors="replace"))
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    time.sleep(0.3)
                    return self
            time.sleep(0.1)
        raise TimeoutError("postgres did not start")

    def stop(self) -> None:
        """Fast shutdown (SIGINT: open transactions are rolled back, connections cut)."""
        if self.process is not None and self.process.poll() is None:
            try:  # the postmaster itself (under root, self.process is runuser)
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGINT)
            except (OSError, ValueError, IndexError):
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
