"""The studio's side of the job queue: submitting renders, reading their state, one runner.

The queue is ``claimreel.jobs.Queue`` over the workspace's ``render/queue.db``;
the studio writes tasks into it and a runner renders them. Unless told not to,
the studio starts one runner, a ``claimreel jobs run`` process in the workspace,
and stops it when it shuts down; any other runner on the same queue helps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..errors import ClaimreelError
from .workspace import Workspace

__all__ = ["QueueMissing", "RunnerProcess", "StudioQueue", "TERMINAL"]

TERMINAL = frozenset({"done", "failed", "cancelled"})


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
        from ..jobs import TaskSpec

        spec = TaskSpec(script=script, formats=tuple(formats), cuts=None if cuts is None else tuple(cuts),
                        loudness=loudness, voice=voice, preview=preview, out=self.ws.out)
        return self.queue.submit(name, [spec])

    def jobs(self) -> list[Any]:
        return self.queue.jobs()

    def status(self, job_id: str) -> Any:
        return self.queue.status(job_id)

    def snapshot(self, job_id: str) -> dict[str, Any]:
        """The job's state as plain data, for the progress stream."""
        job = self.status(job_id)
        tasks = [{
            "id": str(t.id), "script": str(t.script), "state": t.state, "stage": t.stage or "",
            "percent": round(float(t.percent or 0), 1), "attempts": t.attempts, "error": t.error or "",
            "out": str(t.out or ""), "options": _jsonable(t.options or {}),
        } for t in job.tasks]
        return {"id": job.id, "name": job.name, "state": job.state, "tasks": tasks,
                "finished": job.state in TERMINAL}

    def logs(self, job_id: str) -> str:
        return self.queue.logs(job_id)

    def cancel(self, job_id: str) -> None:
        self.queue.cancel(job_id)

    def retry(self, job_id: str) -> None:
        self.queue.retry(job_id)


class RunnerProcess:
    """One ``claimreel jobs run`` process owned by the studio (started with it, stopped with it)."""

    def __init__(self, ws: Workspace, jobs: int = 0) -> None:
        self.ws = ws
        self.jobs = jobs
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "claimreel", "jobs", "run", "--queue", str(self.ws.queue_path)]
        if self.jobs:
            command += ["--jobs", str(self.jobs)]
        self.ws.queue_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.ws.root / "render" / "studio-runner.log", "ab")
        try:
            self.process = subprocess.Popen(command, cwd=self.ws.root, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=os.environ.copy(), start_new_session=True)
        finally:
            log.close()

    def stop(self, timeout: float = 15) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)  # a runner gives its task back to the queue on interrupt
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
