"""Worker memory after a promote and a rollback, beside a fresh worker's (issue 27 item 8).

    .venv/bin/python benchmarks/bench_reload_memory.py              # 2 workers, 1 cycle
    .venv/bin/python benchmarks/bench_reload_memory.py --cycles 3   # promote+rollback x3

Starts `detector serve` (2 workers, as on a 2-core machine by default) on a temporary label
store and models home holding a second version: the shipped model re-saved under another
version string (a different artifact and sha256, so a real reload, with the same size as a
retrained model). Then, through the label store as `detector models promote/rollback` do
(the gate's comparison is skipped: it is not what is measured), it promotes that version,
waits until every worker serves it, rolls back, waits again; after each step 60 scoring
requests of real postings (labeled_posts) go to the workers, and each worker's resident
memory (RSS, and USS: the memory only it holds) is read. A benchmark, not a test: the
figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_api import free_port  # noqa: E402


def make_second_version(home: Path) -> tuple[str, str]:
    """The shipped model re-saved under a new version string: (directory name, version)."""
    from detector.evaluation.card import write_card
    from detector.model.artifact import load_bundle, save_bundle
    from detector.model.version import make_version
    from detector.settings import DEFAULT_MODEL_DIR

    bundle, card = load_bundle(DEFAULT_MODEL_DIR)
    version = make_version("bench" * 8, "reload" * 8, 0)
    target = home / version
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    bundle.version = version
    sha = save_bundle(bundle, target)
    artifact = target / card["artifact"]["file"]
    card.update(version=version, model_version=version,
                artifact={**card["artifact"], "sha256": sha, "bytes": artifact.stat().st_size})
    write_card(card, target)
    load_bundle(target)  # the card and the artifact agree
    return target.name, version


def change(env: dict[str, str], action: str, name: str = "") -> None:
    """Promote `name` or roll back, in a subprocess with the server's settings."""
    code = f"""
from detector.settings import Settings
from detector.registry.state import change_state
from detector.registry.versions import resolve
from detector.registry.promote import rollback
settings = Settings.from_env()
if {action!r} == "promote":
    new = resolve(settings, {name!r})
    def promoted(state):
        if state["promoted"]:
            state["stack"].append(state["promoted"])
        state["promoted"] = new.entry()
        return {{"event": "promote", "to": new.entry(), "forced": True,
                 "reason": "bench_reload_memory"}}
    change_state(settings, promoted)
else:
    rollback(settings)
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def wait_serving(url: str, version: str, timeout: float = 300) -> None:
    """Until 20 health checks in a row (spread over the workers) name `version`."""
    deadline = time.monotonic() + timeout
    streak = 0
    while time.monotonic() < deadline:
        try:
            streak = streak + 1 if get(f"{url}/v1/health")["model_version"] == version else 0
        except OSError:
            streak = 0
        if streak >= 20:
            return
        time.sleep(0.1)
    raise TimeoutError(f"the workers did not all serve {version}")


def postings(n: int) -> list[dict[str, str]]:
    import pandas as pd

    corpus = pd.read_csv(ROOT / "labeled_posts" / "posts.csv.gz", dtype=str,
                         keep_default_na=False)
    rows = corpus[corpus["split"] == "test"].sample(n, random_state=27)
    fields = ("title", "company", "description", "requirements", "salary", "text")
    return [{f: row[f] for f in fields if row[f]} for _, row in rows.iterrows()]


def workers(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    found = [p for p in root.children(recursive=True)
             if "resource_tracker" not in " ".join(p.cmdline())]
    return sorted(found, key=lambda p: p.pid) or [root]


def memory(pid: int) -> list[tuple[float, float]]:
    """(RSS, USS) in MB of each worker process."""
    out = []
    for proc in workers(pid):
        info = proc.memory_full_info()
        out.append((info.rss / 2**20, info.uss / 2**20))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cycles", type=int, default=1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reload-"))
    home = tmp / "versions"
    home.mkdir()
    name, version = make_second_version(home)
    from detector.settings import DEFAULT_MODEL_DIR

    shipped = json.loads((DEFAULT_MODEL_DIR / "model_card.json").read_text())["version"]
    port = free_port()
    env = {**os.environ, "DETECTOR_MODELS_HOME": str(home),
           "DETECTOR_LABEL_DB": str(tmp / "labels.sqlite"),
           "DETECTOR_RELOAD_POLL_SECONDS": "0.5", "DETECTOR_LOG_LEVEL": "WARNING"}
    env.pop("DETECTOR_MODEL_DIR", None)  # a pinned directory never reloads
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "detector"), "serve", "--port",
                               str(port), "--workers", str(args.workers)], cwd=ROOT, env=env)
    rows: list[tuple[str, list[tuple[float, float]]]] = []
    try:
        wait_serving(url, shipped)
        load = postings(60)

        def step(label: str) -> None:
            for body in load:
                post(f"{url}/v1/score", body)
            time.sleep(1)
            rows.append((label, memory(server.pid)))
            shown = ", ".join(f"{rss:.0f} MB RSS / {uss:.0f} MB USS" for rss, uss in rows[-1][1])
            print(f"{label:<32} {shown}", flush=True)

        step("fresh (shipped model)")
        for cycle in range(1, args.cycles + 1):
            change(env, "promote", name)
            wait_serving(url, version)
            step(f"after promote #{cycle}")
            change(env, "rollback")
            wait_serving(url, shipped)
            step(f"after promote+rollback #{cycle}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    fresh = rows[0][1]
    last = rows[-1][1]
    print("\nper worker: fresh -> after the last rollback (RSS; USS)")
    for i, ((rss0, uss0), (rss1, uss1)) in enumerate(zip(fresh, last, strict=True), start=1):
        print(f"  worker {i}: RSS {rss0:.0f} -> {rss1:.0f} MB ({rss1 - rss0:+.0f}); "
              f"USS {uss0:.0f} -> {uss1:.0f} MB ({uss1 - uss0:+.0f})")


if __name__ == "__main__":
    main()
