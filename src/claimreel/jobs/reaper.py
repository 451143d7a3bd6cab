"""Stopping a worker pool at once: its processes and everything they started (ffmpeg).

Killing only the workers would leave each one's ffmpeg to notice its input closing and
finish on its own, which under load takes seconds; a cancelled task must be gone in two.
Linux lists a process's children in ``/proc/<pid>/task/<tid>/children``; elsewhere only the
workers themselves are killed, and their ffmpeg exits when its input closes.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Iterable

__all__ = ["descendants", "kill_trees"]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first, then theirs), as far as ``/proc`` shows them."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(k) for k in children.read_text().split()]
            except (OSError, ValueError):
                continue  # the thread or the process ended meanwhile
            found += kids
            todo += kids
    return found


def kill_trees(pids: Iterable[int]) -> list[int]:
    """SIGKILL each of ``pids`` and its descendants; returns the pids signalled.

    The descendants are listed before anything is killed (a killed worker's children are
    handed to init, where they can no longer be found), and killed first, so a worker never
    starts another ffmpeg in between: it is stopped (SIGSTOP) while its tree is read."""
    roots = list(pids)
    for pid in roots:
        _signal(pid, signal.SIGSTOP)
    doomed = [child for pid in roots for child in descendants(pid)] + roots
    for pid in doomed:
        _signal(pid, signal.SIGKILL)
    return doomed


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
