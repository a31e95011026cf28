"""Running the app under uvicorn, with our JSON access log instead of uvicorn's."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from detector.settings import Settings

#: prometheus-client's multiprocess directory variable (api/metrics.py reads it too).
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

#: The name the server's own lines are logged under (uvicorn says `uvicorn.error` even
#: for "Application startup complete"; issue 19).
SERVER_LOGGER = "detector.server"


class ServerName(logging.Filter):
    """uvicorn's lines under the project's name: `uvicorn.error` is uvicorn's name for its
    server log, errors or not, which reads like something went wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn" or record.name.startswith("uvicorn."):
            record.name = SERVER_LOGGER
        return True


def log_config(level: str) -> dict[str, Any]:
    """Access lines are already JSON: print the message as-is, one line per request."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"server_name": {"()": ServerName}},
        "formatters": {
            "plain": {"format": "%(message)s"},
            "default": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "access": {"class": "logging.StreamHandler", "formatter": "plain",
                       "stream": "ext://sys.stdout"},
            "default": {"class": "logging.StreamHandler", "formatter": "default",
                        "stream": "ext://sys.stderr", "filters": ["server_name"]},
        },
        "loggers": {
            "api.access": {"handlers": ["access"], "level": level, "propagate": False},
            "api": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }


#: More processes than this cost memory (a model copy each) without adding throughput here.
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One worker per CPU this process may use, at most MAX_DEFAULT_WORKERS: scoring is
    CPU-bound and each process scores on one core at a time."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_WORKERS))


def prepare_metrics_dir() -> str:
    """An empty directory for the workers' metric files (prometheus-client multiprocess
    mode), set in the environment before any worker imports the client. An operator's own
    PROMETHEUS_MULTIPROC_DIR is emptied of the previous run's files; otherwise a temporary
    directory is made and removed at exit."""
    path = os.environ.get(MULTIPROC_ENV)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink()
        return path
    path = tempfile.mkdtemp(prefix="detector-metrics-")
    atexit.register(shutil.rmtree, path, True)
    os.environ[MULTIPROC_ENV] = path
    return path


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve until interrupted; each worker process builds its own app from the env.

    SIGTERM (systemd stop, a rolling deploy) drains: the socket closes, requests in flight
    finish (up to DETECTOR_SHUTDOWN_GRACE_SECONDS), then the workers exit."""
    settings = Settings.from_env()
    level = settings.log_level
    if settings.metrics and (workers > 1 or os.environ.get(MULTIPROC_ENV)):
        # Several workers share counts through files (emptied now); a process alone counts
        # in its own registry unless the operator gave a directory.
        prepare_metrics_dir()
    options: dict[str, Any] = {
        "factory": True, "host": host, "port": port, "access_log": False,
        "log_config": log_config(level), "log_level": level.lower(),
        "timeout_graceful_shutdown": int(settings.shutdown_grace_seconds) or None,
    }
    if workers > 1:
        # Siblings share one socket: a worker that is still loading must not accept.
        os.environ.setdefault("DETECTOR_SERVE_AFTER_LOAD", "1")
        supervise("api.app:create_app", workers, **options)
    else:
        uvicorn.run("api.app:create_app", workers=None, **options)


class DrainingMultiprocess(Multiprocess):
    """uvicorn's worker supervisor, closing its own copy of the listening socket as soon as
    it is told to stop. Otherwise, while the workers drain, the kernel keeps accepting
    connections into a socket nobody reads any more, and those clients are reset when the
    supervisor exits at last (behind a proxy: a 502 instead of a retry on another
    replica)."""

    def terminate_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().terminate_all()


def supervise(app: str, workers: int, **options: Any) -> None:
    """`uvicorn.run(app, workers=N)`, with the draining supervisor."""
    config = uvicorn.Config(app, workers=workers, **options)
    DrainingMultiprocess(config, sockets=[config.bind_socket()]).run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: one per CPU, at most 4)")
    args = parser.parse_args(argv)
    run(args.host, args.port, args.workers or default_workers())


if __name__ == "__main__":
    main()
