"""Submitting a job: the service the command line, the studio and the Python API call.

It checks every task against its script (the script loads; its formats, cuts, loudness
profile and voice exist) and only then hands the checked tasks to the store, so a bad
script or option raises its :class:`~claimreel.errors.ClaimreelError` (exit 2) and queues
nothing. Each task then records what it will render: the script's text and a stored copy of
every file it names (:mod:`.snapshot`), so a later edit does not reach a queued render. The
store itself takes rows as they are and needs no workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..errors import ClaimreelError
from .checks import check_task
from .model import NewTask, TaskSpec
from .snapshot import InputStore, store_for
from .store import Queue

__all__ = ["submit"]


def submit(queue: Queue, name: str, tasks: Sequence[TaskSpec]) -> str:
    """Check ``tasks`` and queue them as one job named ``name`` (all or none); returns its id."""
    if not tasks:
        raise ClaimreelError("a job needs at least one render; name a script or a job file")
    loaded: dict[Path, Any] = {}  # a job rendering one script several ways loads it once
    checked = [check_task(spec, loaded) for spec in tasks]
    store = InputStore(store_for(queue.path))
    inputs = {path: store.record(script) for path, script in loaded.items()}
    return queue.add(name, [NewTask(spec, story, out, inputs[spec.script]) for spec, story, out in checked])
