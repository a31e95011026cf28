"""Issue 27: the deploy/ comments name files and addresses that exist: the test that runs the
nginx config, and the address the systemd unit makes replicas listen on."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_comments_name_real_tests_and_the_units_address() -> None:
    for path in (ROOT / "deploy").rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for named in re.findall(r"tests/[\w/]+\.py", text):
            assert (ROOT / named).is_file(), (path, named)
    unit = (ROOT / "deploy" / "systemd" / "detector@.service").read_text(encoding="utf-8")
    host = re.search(r"detector serve --host (\S+)", unit)
    assert host is not None
    nginx = (ROOT / "deploy" / "nginx" / "detector.conf").read_text(encoding="utf-8")
    for comment_host in re.findall(r"detector serve --host (\S+)", nginx):
        assert comment_host == host.group(1), (comment_host, host.group(1))
    assert "0.0.0.0" not in nginx
