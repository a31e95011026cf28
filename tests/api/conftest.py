"""Fixtures for the API tests: the real app with the real shipped model (no mocks), an
app factory for other settings, and a live uvicorn server for socket and browser tests."""

from __future__ import annotations

import atexit
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from detector.settings import DEFAULT_MODEL_DIR, Settings

MODEL_READY = (DEFAULT_MODEL_DIR / "model_card.json").exists()
needs_model = pytest.mark.skipif(
    not MODEL_READY, reason=f"no trained model in {DEFAULT_MODEL_DIR} (run `detector train`)"
)


#: Label store and models home of apps built with base_settings: never the repo tree.
_TMP = Path(tempfile.mkdtemp(prefix="detector-api-tests-"))
atexit.register(shutil.rmtree, _TMP, True)


#: API keys of the test servers (hand-written, valid only there). Tests that record
#: decisions, reload or scrape use these keys, never the trial opt-in (issue 25).
SCORE_KEY = "test-score-key-0001"
MODERATOR_KEY = "test-moderator-key-0002"
ADMIN_KEY = "test-admin-key-0003"
METRICS_KEY = "test-metrics-key-0004"
KEYS: dict[str, object] = {
    "api_keys": frozenset({SCORE_KEY, MODERATOR_KEY, ADMIN_KEY, METRICS_KEY}),
    "key_roles": frozenset({(MODERATOR_KEY, "moderator"), (ADMIN_KEY, "admin"),
                            (METRICS_KEY, "metrics")}),
}
#: The same keys in DETECTOR_API_KEYS syntax, for servers started as processes.
KEYS_ENV = (f"{SCORE_KEY},{MODERATOR_KEY}:moderator,{ADMIN_KEY}:admin,"
            f"{METRICS_KEY}:metrics")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def base_settings(**changes: object) -> Settings:
    defaults = Settings(model_dir=DEFAULT_MODEL_DIR, label_db=str(_TMP / "labels.sqlite"),
                        models_home=_TMP / "model_versions")
    return replace(defaults, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The real app, lifespan run (so the model is loaded), default settings."""
    if not MODEL_READY:
        pytest.skip(f"no trained model in {DEFAULT_MODEL_DIR}")
    with TestClient(create_app(base_settings())) as test_client:
        wait_ready(test_client)
        yield test_client


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """Build a client with changed settings; closed at the end of the test."""
    opened: list[TestClient] = []

    def make(**changes: object) -> TestClient:
        test_client = TestClient(create_app(base_settings(**changes)))
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def make_keyed(make_client: Callable[..., TestClient]) -> Callable[..., TestClient]:
    """A client of a server with the test KEYS that sends `key` (a moderator's by default)
    with every request."""

    def make(key: str = MODERATOR_KEY, **changes: object) -> TestClient:
        test_client = make_client(**{**KEYS, **changes})
        test_client.headers.update(bearer(key))
        return test_client

    return make


def wait_ready(test_client: TestClient | httpx.Client, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test_client.get("/v1/health").status_code == 200:
            return
        time.sleep(0.05)
    raise TimeoutError("model did not load")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn serving the real app in a background thread on a free local port."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port,
            log_level="warning", access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        with httpx.Client(base_url=self.url) as http:
            wait_ready(http)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    if not MODEL_READY:
        pytest.skip(f"no trained model in {DEFAULT_MODEL_DIR}")
    with LiveServer(base_settings()) as server:
        yield server


CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
#: Headless Chromium on a machine without network: no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian Chromium driven by playwright, one per test module: playwright's sync API keeps
    an event loop running in this thread while open, which would break `asyncio.run` in
    other modules' tests if it stayed open for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
