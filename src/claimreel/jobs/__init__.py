"""Render jobs: a durable queue of renders that producers fill and runners empty.

``Queue`` (the SQLite file, default ``render/queue.db`` or ``CLAIMREEL_QUEUE``) stores jobs
and reports :class:`JobStatus`; :func:`submit` checks a job of :class:`TaskSpec` and queues
it; :class:`Runner` claims and renders tasks. Names are imported on first use, so
``import claimreel.jobs`` does no work.

    from claimreel.jobs import Queue, TaskSpec, submit
    q = Queue()
    job = submit(q, "morning", [TaskSpec(Path("scripts/x.yaml"), formats=("16x9", "9x16"))])
    q.status(job).state
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .jobfile import LoadedJob, load_job_file
    from .model import MAX_ATTEMPTS, JobStatus, TaskSpec, TaskStatus
    from .runner import Runner
    from .states import State
    from .store import Queue
    from .service import submit

__all__ = ["MAX_ATTEMPTS", "JobStatus", "LoadedJob", "Queue", "Runner", "State", "TaskSpec", "TaskStatus",
           "load_job_file", "submit"]

_WHERE = {"MAX_ATTEMPTS": "model", "JobStatus": "model", "TaskSpec": "model", "TaskStatus": "model",
          "Queue": "store", "Runner": "runner", "LoadedJob": "jobfile", "load_job_file": "jobfile",
          "State": "states", "submit": "service"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
