"""Every command that runs longer than a few seconds shows progress (issue 19: `detector
evaluate` printed two lines, then nothing for 300 s)."""

from __future__ import annotations

import io
import time

from detector.cli import COMMANDS, LONG_RUNNING
from detector.cli.progress import Progress, duration


def test_a_silent_step_gets_heartbeat_lines_naming_it() -> None:
    out = io.StringIO()
    progress = Progress("evaluate", every=0.2, stream=out).start()
    progress.log("[zh] training the plain baseline on the same rows")
    time.sleep(0.9)
    progress.log("[zh] evaluating on the test split")
    time.sleep(0.1)
    progress.stop()
    lines = out.getvalue().splitlines()
    beats = [line for line in lines if "still running" in line]
    assert lines[0] == "[zh] training the plain baseline on the same rows"
    assert beats and all("[zh] training the plain baseline" in line for line in beats)
    assert lines[-1].startswith("detector evaluate: finished in")


def test_a_step_that_keeps_talking_gets_no_heartbeat() -> None:
    out = io.StringIO()
    progress = Progress("train", every=0.5, stream=out).start()
    for i in range(8):
        progress.log(f"fold {i}")
        time.sleep(0.1)
    progress.stop()
    assert "still running" not in out.getvalue()


def test_the_long_commands_have_a_heartbeat() -> None:
    assert {"train", "evaluate", "corpus", "rules", "labels", "models"} == LONG_RUNNING
    assert set(COMMANDS) > LONG_RUNNING
    assert duration(5.2) == "5 s" and duration(125) == "2 min 05 s"


def test_scan_without_a_terminal_prints_progress_lines(capsys) -> None:  # type: ignore[no-untyped-def]
    from detector.scan.runner import ProgressLines

    lines = ProgressLines(every=0.0)
    lines.update(2000)
    lines.update(2000)
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("scanning: 4,000 rows scored (")
