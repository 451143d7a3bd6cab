"""Progress reporting: rich bars on a terminal, plain log lines otherwise, nothing in tests."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

__all__ = ["LineProgress", "NullProgress", "Progress", "RichProgress", "progress_for"]


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None: ...
    def advance(self, stage: str, amount: int = 1) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress:
    """One line per stage start and end, for logs and CI."""

    def __init__(self, stream: TextIO | None = None, clock=time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.t0 = clock()
        self.totals: dict[str, list[int]] = {}

    def _line(self, text: str) -> None:
        print(f"[{self.clock() - self.t0:7.1f}s] {text}", file=self.stream, flush=True)

    def start(self, stage: str, total: int) -> None:
        self.totals[stage] = [0, total]
        self._line(f"{stage}: 0/{total}")

    def advance(self, stage: str, amount: int = 1) -> None:
        done_total = self.totals.setdefault(stage, [0, 0])
        done_total[0] += amount
        if done_total[0] >= done_total[1]:
            self._line(f"{stage}: done ({done_total[1]})")

    def note(self, message: str) -> None:
        self._line(message)

    def close(self) -> None:
        pass


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

    def start(self, stage: str, total: int) -> None:
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
