"""The studio's side of the job queue: submitting renders, reading their state, one runner.

The queue is ``claimreel.jobs.Queue`` over the workspace's ``render/queue.db``;
the studio writes tasks into it and a runner renders them. Unless told not to,
the studio starts one runner, a ``claimreel jobs run`` process in the workspace,
and stops it when it shuts down; any other runner on the same queue helps.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..errors import ClaimreelError
from .workspace import Workspace

__all__ = ["QueueMissing", "RunnerThread", "StudioQueue"]


class QueueMissing(ClaimreelError):
    """This installation has no job queue module."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the job queue is not available here ({reason}); install claimreel with its jobs module")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class StudioQueue:
    ws: Workspace

    def __post_init__(self) -> None:
        self._queue: Any = None

    @property
    def queue(self) -> Any:
        if self._queue is None:
            try:
                from ..jobs import Queue
            except ImportError as exc:
                raise QueueMissing(str(exc)) from None
            self.ws.queue_path.parent.mkdir(parents=True, exist_ok=True)
            self._queue = Queue(self.ws.queue_path)
        return self._queue

    def submit(self, name: str, script: Path, formats: Sequence[str], cuts: Sequence[str] | None, *,
               preview: bool, voice: str | None, loudness: str | None = None) -> str:
        from ..jobs import TaskSpec, submit

        spec = TaskSpec(script=script, formats=tuple(formats), cuts=None if cuts is None else tuple(cuts),
                        loudness=loudness, voice=voice, preview=preview, out=self.ws.out)
        return submit(self.queue, name, [spec])

    def jobs(self) -> list[Any]:
        return self.queue.jobs()

    def status(self, job_id: str) -> Any:
        return self.queue.status(job_id)

    def snapshot(self, job_id: str) -> dict[str, Any]:
        """The job's state as plain data, for the progress stream."""
        from ..jobs.states import TERMINAL

        job = self.status(job_id)
        tasks = [{
            "id": str(t.id), "script": str(t.script), "state": t.state, "stage": t.stage or "",
            "percent": round(float(t.percent or 0), 1), "attempts": t.attempts, "error": t.error or "",
            "out": str(t.out or ""), "options": _jsonable(t.options or {}),
            "folder": str((t.result or {}).get("folder") or ""),  # the task's own output (see jobs.folders)
        } for t in job.tasks]
        return {"id": job.id, "name": job.name, "state": job.state, "tasks": tasks,
                "finished": job.state in TERMINAL, "cancellable": job.cancellable, "retryable": job.retryable}

    def logs(self, job_id: str) -> str:
        return self.queue.logs(job_id)

    def cancel(self, job_id: str) -> None:
        self.queue.cancel(job_id)

    def retry(self, job_id: str) -> None:
        self.queue.retry(job_id)


class RunnerThread:
    """One :class:`claimreel.jobs.Runner` owned by the studio: started with it in a thread of its
    own (the worker pool lives as long as that thread), stopped with it. Tasks in flight at
    shutdown go back to the queue."""

    def __init__(self, studio_queue: StudioQueue, workers: int = 0) -> None:
        self.studio_queue = studio_queue
        self.workers = workers
        self.runner: Any = None
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        from ..jobs import Runner

        self.runner = Runner(self.studio_queue.queue, jobs=self.workers, cache=self.studio_queue.ws.cache)
        self.thread = threading.Thread(target=self._run, name="claimreel-studio-runner", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.runner.run()
        except BaseException as exc:  # kept for stop() to report; the studio keeps serving pages
            self.error = exc

    def stop(self, timeout: float = 30) -> None:
        if self.runner is None or self.thread is None:
            return
        self.runner.stop("the studio was stopped")
        self.thread.join(timeout)
        self.runner = self.thread = None
