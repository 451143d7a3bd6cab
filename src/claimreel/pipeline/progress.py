"""Progress reporting: rich bars on a terminal, plain log lines otherwise, nothing in tests."""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable, Literal, Protocol, TextIO

__all__ = ["LineProgress", "NullProgress", "Progress", "RichProgress", "StageKind", "progress_for"]

#: What a stage does: ``prepare`` (speech, layout: in this process) or ``encode`` (segments handed
#: to the worker pool). A job runner stops an encoding render by stopping its workers.
StageKind = Literal["prepare", "encode"]


class Progress(Protocol):
    def start(self, stage: str, total: int, kind: StageKind = "prepare") -> None: ...
    def advance(self, stage: str, amount: int = 1) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    def start(self, stage: str, total: int, kind: StageKind = "prepare") -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


#: Stages under way named in one status line; the rest are counted.
MAX_STAGES = 3


class LineProgress:
    """Plain lines for logs and CI: each stage's start and end, and while work runs, a status
    line at least every ``interval`` seconds (stage, percent done, estimated time left).

    Work can run for half a minute between two events (one long segment encoding), so a
    heartbeat thread calls :meth:`tick` every second; :meth:`tick` prints only when
    ``interval`` has passed since the last line. ``heartbeat=False`` leaves the calls to the
    caller (tests drive it with their own ``clock``, without sleeping).
    """

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic,
                 *, interval: float = 5.0, heartbeat: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.interval = interval
        self.t0 = clock()
        self.last = self.t0
        self.totals: dict[str, list[int]] = {}
        self.started: dict[str, float] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        if heartbeat:
            self.thread = threading.Thread(target=self._beat, name="claimreel-progress", daemon=True)
            self.thread.start()

    def _beat(self) -> None:
        while not self.stop.wait(1.0):
            self.tick()

    def _line(self, text: str) -> None:
        now = self.clock()
        self.last = now
        print(f"[{now - self.t0:7.1f}s] {text}", file=self.stream, flush=True)

    def start(self, stage: str, total: int, kind: StageKind = "prepare") -> None:
        with self.lock:
            self.totals[stage] = [0, total]
            self.started[stage] = self.clock()
            self._line(f"{stage}: 0/{total}")

    def advance(self, stage: str, amount: int = 1) -> None:
        with self.lock:
            done_total = self.totals.setdefault(stage, [0, 0])
            done_total[0] += amount
            if done_total[0] >= done_total[1]:
                self._line(f"{stage}: done ({done_total[1]})")

    def status(self) -> str:
        """Every stage under way: done/total, percent, and time left at its pace so far."""
        now = self.clock()
        parts = []
        for stage, (done, total) in self.totals.items():
            if done >= total:
                continue
            percent = 100 * done // total if total else 0
            if done:
                left = (now - self.started[stage]) * (total - done) / done
                eta = f"about {_duration(left)} left"
            else:
                eta = "time left not known yet"
            parts.append(f"{stage}: {done}/{total} ({percent}%), {eta}")
        if len(parts) > MAX_STAGES:  # a line a log reader can take in
            parts[MAX_STAGES:] = [f"{len(parts) - MAX_STAGES} more under way"]
        return "; ".join(parts)

    def tick(self) -> None:
        """A status line if ``interval`` seconds passed since the last line and work is under way."""
        with self.lock:
            if self.clock() - self.last < self.interval:
                return
            text = self.status()
            if text:
                self._line(text)

    def note(self, message: str) -> None:
        with self.lock:
            self._line(message)

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


class RichProgress:
    """Progress bars for an interactive terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.bars = Bars(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                         TimeElapsedColumn(), console=self.console, transient=False)
        self.tasks: dict[str, int] = {}
        self.bars.start()

    def start(self, stage: str, total: int, kind: StageKind = "prepare") -> None:
        self.tasks[stage] = self.bars.add_task(stage, total=total)

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self.tasks:
            self.bars.advance(self.tasks[stage], amount)

    def note(self, message: str) -> None:
        self.bars.console.print(message)

    def close(self) -> None:
        self.bars.stop()


def progress_for(stream: TextIO) -> Progress:
    return RichProgress() if stream.isatty() else LineProgress(stream)
