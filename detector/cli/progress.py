"""Progress for commands that run longer than a few seconds (issue 19: `detector evaluate`
printed two lines, then nothing for minutes).

Commands announce each step with `log()`. While a step stays silent, a heartbeat line
every `every` seconds says which step is still running and for how long, so a long
baseline fit or bootstrap never looks like a hang; at the end, the total time is printed.
The lines go to stderr (stdout stays the command's result).
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

#: Seconds of silence before a "still running" line.
EVERY = 15.0


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


class Progress:
    """The current step and a heartbeat thread that reports it while it is silent."""

    def __init__(self, command: str, every: float = EVERY, stream: TextIO | None = None):
        self.command = command
        self.every = every
        self.stream = stream
        self.lock = threading.Lock()
        self.started = self.step_started = self.last = time.monotonic()
        self.step = ""
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def _write(self, line: str) -> None:
        stream = self.stream or sys.stderr
        print(line, file=stream, flush=True)

    def log(self, message: str) -> None:
        with self.lock:
            self._write(message)
            now = time.monotonic()
            self.step, self.step_started, self.last = message.strip(), now, now

    def start(self) -> Progress:
        self.thread = threading.Thread(target=self._beat, name="progress", daemon=True)
        self.thread.start()
        return self

    def _beat(self) -> None:
        while not self.stop_event.wait(min(1.0, self.every / 4)):
            with self.lock:
                now = time.monotonic()
                if now - self.last < self.every:
                    continue
                what = self.step or f"detector {self.command}"
                self._write(f"  … still running: {what} ({duration(now - self.step_started)})")
                self.last = now

    def stop(self, done: bool = True) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=2)
        elapsed = time.monotonic() - self.started
        if done and elapsed >= self.every:
            self._write(f"detector {self.command}: finished in {duration(elapsed)}")


_current: Progress | None = None


def log(message: str) -> None:
    """A step of the running command (plain stderr when no heartbeat is running)."""
    if _current is not None:
        _current.log(message)
    else:
        print(message, file=sys.stderr, flush=True)


def start(command: str, every: float = EVERY) -> Progress:
    global _current
    _current = Progress(command, every).start()
    return _current


def stop(done: bool = True) -> None:
    global _current
    if _current is not None:
        _current.stop(done)
        _current = None
