"""Running the app under uvicorn, with our JSON access log instead of uvicorn's."""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

import uvicorn

from detector.settings import Settings

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


def run(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve until interrupted; each worker process builds its own app from the env."""
    level = Settings.from_env().log_level
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        access_log=False,
        log_config=log_config(level),
        log_level=level.lower(),
    )


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
