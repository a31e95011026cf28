"""`detector serve` and api.server.run wire uvicorn to the app factory with our logging."""

from __future__ import annotations

import argparse
import logging.config
import os
from typing import Any

import pytest

from api import server
from detector.cli import serve


@pytest.fixture
def uvicorn_calls(monkeypatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    # run() sets the metrics directory variable; monkeypatch takes it away again after.
    monkeypatch.delenv(server.MULTIPROC_ENV, raising=False)
    monkeypatch.delenv("DETECTOR_SERVE_AFTER_LOAD", raising=False)
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setattr(server, "supervise",
                        lambda app, workers, **kw: calls.append({"app": app, "workers": workers,
                                                                 **kw}))
    return calls


def test_cli_serve_runs_uvicorn(uvicorn_calls) -> None:
    args = argparse.Namespace(host="0.0.0.0", port=9001, workers=2)
    assert serve.run(args) == 0
    call = uvicorn_calls[0]
    assert call["app"] == "api.app:create_app" and call["factory"] is True
    assert (call["host"], call["port"], call["workers"]) == ("0.0.0.0", 9001, 2)
    assert call["access_log"] is False  # ours replaces uvicorn's


def test_single_worker_and_module_entry(uvicorn_calls) -> None:
    server.main(["--port", "9002", "--workers", "1"])
    assert uvicorn_calls[0]["workers"] is None and uvicorn_calls[0]["port"] == 9002


def test_default_workers_is_one_per_cpu_capped(uvicorn_calls, monkeypatch) -> None:
    monkeypatch.setattr(server.os, "sched_getaffinity", lambda _: set(range(8)))
    assert server.default_workers() == server.MAX_DEFAULT_WORKERS
    monkeypatch.setattr(server.os, "sched_getaffinity", lambda _: {0})
    assert server.default_workers() == 1
    monkeypatch.setattr(server.os, "sched_getaffinity", lambda _: {0, 1})
    assert serve.run(argparse.Namespace(host="127.0.0.1", port=8000, workers=None)) == 0
    assert uvicorn_calls[-1]["workers"] == 2


def test_log_config_is_valid() -> None:
    logging.config.dictConfig(server.log_config("INFO"))
    assert logging.getLogger("api.access").handlers
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False,
                               "loggers": {"api.access": {"handlers": [], "propagate": True},
                                           "api": {"handlers": [], "propagate": True}}})


def test_import_does_not_build_or_load() -> None:
    import api.app

    assert "app" not in vars(api.app)


def test_server_lines_are_logged_under_the_project_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: `detector serve` printed "INFO uvicorn.error: Application startup
    complete". The real command, on a free port, until it says it is up."""
    import os
    import subprocess
    import sys
    import time

    from tests.api.conftest import free_port

    port = free_port()
    env = {**os.environ, "DETECTOR_LABEL_DB": str(tmp_path / "labels.sqlite")}
    proc = subprocess.Popen([sys.executable, "-m", "detector", "serve", "--port", str(port),
                             "--workers", "1"], stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "Uvicorn running on" in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = "".join(lines)
    assert "Application startup complete" in text and "Uvicorn running on" in text, text
    assert "uvicorn.error" not in text
    assert all(f"INFO {server.SERVER_LOGGER}:" in line or "INFO api" in line
               for line in lines if " INFO " in line), text


def test_trial_opt_in_only_on_loopback(uvicorn_calls, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: `--open-decisions-for-trial` is for one's own machine."""
    from detector.cli import main

    for name in ("DETECTOR_API_KEYS", "DETECTOR_API_KEYS_FILE",
                 "DETECTOR_OPEN_DECISIONS_FOR_TRIAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DETECTOR_OPEN_DECISIONS_FOR_TRIAL", "0")  # restored after the test
    assert main(["serve", "--open-decisions-for-trial", "--host", "0.0.0.0"]) == 2
    assert "listen on 127.0.0.1, not 0.0.0.0" in capsys.readouterr().err
    assert uvicorn_calls == []
    assert main(["serve", "--open-decisions-for-trial", "--workers", "1"]) == 0
    assert os.environ["DETECTOR_OPEN_DECISIONS_FOR_TRIAL"] == "1"  # every worker reads it
    assert uvicorn_calls[0]["host"] == "127.0.0.1"


def test_bad_keys_stop_serve_before_it_starts(uvicorn_calls, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                              capsys) -> None:
    from detector.cli import main

    monkeypatch.delenv("DETECTOR_API_KEYS_FILE", raising=False)
    monkeypatch.setenv("DETECTOR_API_KEYS", "k-123456:moderator,admin")
    assert main(["serve", "--workers", "1"]) == 2
    assert "DETECTOR_API_KEYS entry 2: 'admin' is a role name" in capsys.readouterr().err
    monkeypatch.delenv("DETECTOR_API_KEYS")
    keys_file = tmp_path / "api-keys"
    keys_file.write_text("k-123456:moderator\nk-654321:owner\n", encoding="utf-8")
    monkeypatch.setenv("DETECTOR_API_KEYS_FILE", str(keys_file))
    assert main(["serve", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "unknown role 'owner'" in err and "k-654321" not in err
    assert uvicorn_calls == []
