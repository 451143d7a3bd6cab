"""A render's progress written to the queue, so ``jobs status`` shows each running task's stage.

Renders report many small steps (one per segment); the database gets at most one write every
``interval`` seconds per task, plus one when the render ends. The same object is how a
cancellation reaches the render: once the runner sets ``cancelled``, the render's next progress
call raises :class:`~claimreel.errors.TaskCancelled`. A stage of kind ``encode`` marks the
render as encoding: from then on its segments are in the worker pool, and stopping it means
stopping the pool's workers.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from ..errors import TaskCancelled
from ..pipeline.progress import StageKind
from .model import Claim
from .store import Queue

__all__ = ["QueueProgress"]


class QueueProgress:
    """:class:`~claimreel.pipeline.progress.Progress` for one task of ``queue``."""

    def __init__(self, queue: Queue, claim: Claim, *, interval: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.queue = queue
        self.claim = claim
        self.task_id = claim.task
        self.interval = interval
        self.clock = clock
        self.cancelled = threading.Event()
        self.notes: list[str] = []
        self.encoding = False  # True once the render has handed segments to the pool
        self._stages: dict[str, list[int]] = {}
        self._current = "waiting"
        self._written = float("-inf")
        self._dirty = False

    def _check(self) -> None:
        if self.cancelled.is_set():
            raise TaskCancelled(f"task {self.task_id} was cancelled")

    def percent(self) -> float:
        """Share of the current stage's steps done, in percent."""
        done, total = self._stages.get(self._current, [0, 0])
        return 100.0 * done / total if total else 0.0

    def _write(self, force: bool = False) -> None:
        now = self.clock()
        if force or now - self._written >= self.interval:
            self.queue.progress(self.claim, self._current, self.percent())
            self._written = now
            self._dirty = False
        else:
            self._dirty = True

    def start(self, stage: str, total: int, kind: StageKind = "prepare") -> None:
        self._check()
        self._stages[stage] = [0, total]
        if kind == "encode":
            self.encoding = True
        done, total = self._stages.get(self._current, [0, 0])
        if self._current == "waiting" or done >= total:  # show the new stage once the current one is over
            self._current = stage
        self._write()

    def advance(self, stage: str, amount: int = 1) -> None:
        self._check()
        counts = self._stages.setdefault(stage, [0, 0])
        counts[0] += amount
        self._current = stage
        self._write()

    def note(self, message: str) -> None:
        self.notes.append(message)
        self.queue.log(self.task_id, message)

    def close(self) -> None:
        if self._dirty:
            self._write(force=True)
