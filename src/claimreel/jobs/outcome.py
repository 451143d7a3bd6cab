"""How an attempt ended, decided in one place: what to record, whether a retry can help, and the
one message that ``jobs status``, ``jobs logs``, the runner's output and the report all show.

:func:`classify` is pure: the exception the render raised plus what the runner itself knows
(it cancelled the attempt, stopped it, or found its lease lost) in, an :class:`Outcome` out.
What the runner knows comes first: a render stopped by killing its worker pool raises
whatever the dying pool raised (``BrokenProcessPool``, ``RuntimeError: cannot schedule new
futures after shutdown``), and that is never the story. A retry is for what a retry can fix (a
killed worker, a lost cluster, a busy database); the same input failing the same way (bad
media, an ffmpeg error, a script problem) fails once, with its message.
"""

from __future__ import annotations

import errno
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from ..errors import ClaimreelError, FFmpegError, OutputLocked, QueueError, TaskCancelled

__all__ = ["Outcome", "classify", "disk_full"]

Kind = Literal["failed", "cancelled", "released", "lost"]

#: Errors of claimreel that the same input does not repeat, by class name (the cluster's come from
#: ``executor.dask``, which this module does not import: the names are enough).
_TRANSIENT_ERRORS = ("ClusterLost", "ClusterUnreachable")
#: Errors of Dask and the network that mean a machine or a connection went away.
_TRANSIENT_FOREIGN = ("KilledWorker", "CommClosedError", "StreamClosedError")
#: Signals that kill an ffmpeg from outside (the kernel's OOM killer, an operator, a stopped pool).
_KILLED_CODES = (-9, -15, 137, 143)


@dataclass(frozen=True)
class Outcome:
    """``kind``: ``failed`` (recorded as a failed attempt, queued again if ``retry`` and tries are
    left), ``cancelled`` (someone cancelled the task), ``released`` (the runner stopped it; back in
    the queue, the attempt not counted) or ``lost`` (this runner's lease was taken: the attempt
    stops and records nothing on the task). ``message`` says what happened, for people."""

    kind: Kind
    retry: bool
    message: str


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def disk_full(exc: BaseException) -> str | None:
    """The line saying the disk is full, if anything in ``exc``'s chain says so."""
    for seen in _chain(exc):
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return str(seen).strip() or "No space left on device"
        text = str(seen)
        if "No space left on device" in text:
            return next(line for line in text.splitlines() if "No space left" in line).strip()[:300]
    return None


def classify(exc: BaseException, *, cancelled: bool = False, stopped: str | None = None,
             lease_lost: bool = False, out: str = "the output folder", cache: str = "the cache") -> Outcome:
    """What the attempt that raised ``exc`` amounts to.

    ``cancelled``: the task was cancelled while it ran. ``stopped``: why the runner stopped it
    (itself stopping, or its pool killed to cancel another task). ``lease_lost``: the queue says
    another claim holds the task now. ``out`` and ``cache``: where the task writes, for the
    disk-full advice.
    """
    if lease_lost:
        return Outcome("lost", False, "this runner's lease on the task ran out and the task went back to the "
                                      "queue; this attempt stopped")
    if stopped:
        return Outcome("released", True, stopped)
    if cancelled or isinstance(exc, TaskCancelled):
        return Outcome("cancelled", False, "cancelled; the previous output is intact")
    full = disk_full(exc)
    if full:
        return Outcome("failed", False, f"the disk is full ({full}); free some space where {out} or {cache} "
                                        "lives and `claimreel jobs retry` the job; the previous output is intact")
    return _failure(exc)


def _failure(exc: BaseException) -> Outcome:
    # An error raised while unwinding from claimreel's own (a pool shut down under the cleanup,
    # say) hides the real one: that one is the story.
    if not isinstance(exc, ClaimreelError):
        exc = next((e for e in _chain(exc) if isinstance(e, ClaimreelError)), exc)
    name = type(exc).__name__
    if isinstance(exc, FFmpegError):
        killed = exc.returncode in _KILLED_CODES
        return Outcome("failed", killed, str(exc) if not killed else
                       f"ffmpeg was killed (exit {exc.returncode}; out of memory, or stopped from outside)")
    if isinstance(exc, (QueueError, OutputLocked)) or name in _TRANSIENT_ERRORS:
        return Outcome("failed", True, str(exc))
    if isinstance(exc, ClaimreelError):
        return Outcome("failed", False, str(exc))
    if isinstance(exc, BrokenProcessPool):
        return Outcome("failed", True, "a worker process died (out of memory, or killed)")
    if isinstance(exc, (CancelledError, RuntimeError)) and _pool_gone(exc):
        return Outcome("failed", True, "the worker pool was shut down under the render")
    if isinstance(exc, (MemoryError, ConnectionError, TimeoutError)) or name in _TRANSIENT_FOREIGN:
        return Outcome("failed", True, f"{_plain(name)}: {exc}" if str(exc) else _plain(name))
    return Outcome("failed", False, f"internal error: {name}: {exc}; please report it with `claimreel jobs logs`")


def _pool_gone(exc: BaseException) -> bool:
    return isinstance(exc, CancelledError) or "cannot schedule new futures" in str(exc)


def _plain(name: str) -> str:
    return {"MemoryError": "out of memory", "ConnectionError": "a connection broke",
            "TimeoutError": "timed out"}.get(name, name)
