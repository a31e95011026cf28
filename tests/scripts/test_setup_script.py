"""scripts/setup.sh says what it is doing (issue 19: 120 s of silence on a fresh machine).

Run on a copy in a temporary directory whose `.venv/bin/python` is a stand-in that logs
its calls (the real pip and apt-get are not run): the script must announce each slow step
before taking it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKE_PYTHON = """#!/bin/sh
# Stand-in for .venv/bin/python: the venv check fails until pip "installed" the package.
echo "python $*" >> "$CALLS"
case "$*" in
  *"pip install"*" -e "*) touch "$INSTALLED" ;;
  -) cat > /dev/null; [ -f "$INSTALLED" ] ;;
esac
"""


def path_without_apt(bin_dir: Path) -> Path:
    """A PATH directory with every command of this machine except apt-get and sudo: the
    test must never install a Debian package (a missing one is then only a warning)."""
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for entry in Path(directory).iterdir():
            target = bin_dir / entry.name
            if entry.name in {"apt-get", "apt", "sudo"} or target.exists():
                continue
            if entry.is_file() and os.access(entry, os.X_OK):
                target.symlink_to(entry)
    return bin_dir


def test_setup_announces_its_slow_steps(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    calls = tmp_path / "calls.log"
    env = {**os.environ, "CALLS": str(calls), "INSTALLED": str(tmp_path / "installed"),
           "PATH": str(path_without_apt(tmp_path / "bin"))}
    result = subprocess.run(["bash", "scripts/setup.sh"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "setup: installing the package and its test tools into .venv with pip" in out
    assert out.index("installing the package") < out.index("setup: .venv is ready")
    assert "pip install -qq -e" in calls.read_text()
    # Run again with nothing changed: quiet, as before.
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "installing the package" not in again.stdout
