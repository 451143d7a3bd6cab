"""A runner: claims tasks from the queue and renders them, sharing one worker pool.

One pool of worker processes, sized to the cores, serves every render of the run
(``render(..., pool=pool)``), and two tasks are in flight at once by default, so the
next task's preparation (speech, layout) runs in its thread while the current task's
segments fill the pool. Tasks share one cache folder, so the tasks of one story reuse
its narration and segments.

A heartbeat thread renews the leases of the tasks in flight every ``check`` seconds and
reads their state back. A cancelled task stops at its next progress call; if its
segments are already in the pool, the pool's processes are killed at once (its other
renders go back to the queue without counting an attempt) and a fresh pool takes over.
Workers die with the runner (``die_with_parent``), so a SIGKILLed runner leaves nothing
running, and its tasks return to the queue when their leases run out.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import ClaimreelError
from ..executor import Tls, WorkPool
from .model import TaskStatus
from .progress import QueueProgress
from .store import Queue

__all__ = ["Runner"]


@dataclass
class _Work:
    """A task in flight in this runner."""

    task: TaskStatus
    pool: WorkPool
    progress: QueueProgress
    thread: threading.Thread | None = None
    interrupted: str | None = None  # why the runner stopped it (then it goes back to the queue)
    outcome: dict[str, Any] = field(default_factory=dict)


def _disk_full(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Runner:
    """Renders tasks of ``queue`` until stopped (or, with ``run(once=True)``, until none is left).

    ``workers``: processes in the shared pool (0: one per core). ``tasks``: renders in flight at
    once. ``lease``: seconds a claim lasts without renewal. ``check``: how often leases are renewed
    and cancellations looked for. ``cache``: the render cache every task shares. ``engine``: a
    speech engine object for every render (tests); ``say``: where one-line reports go.
    """

    def __init__(self, queue: Queue, *, workers: int = 0, tasks: int = 2, lease: float = 30.0,
                 check: float = 0.5, poll: float = 1.0, cache: Path = Path("render/cache"),
                 engine: Any = None, ffmpeg: str | None = None, pool_address: str | None = None,
                 cache_url: str | None = None, say: Callable[[str], None] | None = None, owner: str | None = None,
                 tls: Tls | None = None) -> None:
        if tasks < 1 or workers < 0 or lease <= check:
            raise ClaimreelError("runner: tasks must be at least 1, workers 0 or more, and the lease longer "
                                 "than the check interval")
        self.queue = queue
        self.workers = workers
        self.slots = tasks
        self.lease = lease
        self.check = check
        self.poll = poll
        self.cache = cache.resolve()
        self.engine = engine
        self.ffmpeg = ffmpeg
        self.pool_address = pool_address  # a Dask cluster (see executor.dask), or None: local processes
        self.cache_url = cache_url  # with a cluster: the segment cache the workers share
        self.tls = tls  # with a tls:// cluster: the client's certificate (None: Dask's configuration)
        self.say = say or (lambda line: None)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{os.urandom(2).hex()}"
        self.counts = {"done": 0, "failed": 0, "cancelled": 0, "requeued": 0}
        self._inflight: dict[int, _Work] = {}
        self._lock = threading.RLock()  # stop() may run in a signal handler while the loop holds it
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pool: WorkPool | None = None
        self._broken: set[int] = set()  # ids of pools whose processes were killed

    # -- the loop --------------------------------------------------------------------------------

    def run(self, once: bool = False) -> dict[str, int]:
        """Claim and render tasks; returns how many ended done, failed, cancelled or requeued.

        ``once``: return when no task is queued or running anywhere (a task another runner holds
        may still come back to the queue when its lease runs out), instead of waiting for more.
        """
        # Opened in this thread, which outlives every render: workers die with the thread that
        # started them (PR_SET_PDEATHSIG), so they must not be started by a task's thread.
        self._pool = self._open_pool()
        beat = threading.Thread(target=self._heartbeat, name="claimreel-lease", daemon=True)
        beat.start()
        try:
            while True:
                self._replace_broken_pool()
                while not self._stopping.is_set() and len(self._inflight) < self.slots:
                    task = self.queue.claim(self.owner, self.lease)
                    if task is None:
                        break
                    self._start(task)
                if not self._inflight and (self._stopping.is_set() or (once and not self.queue.pending())):
                    break
                self._wake.wait(self.poll)
                self._wake.clear()
        except BaseException:
            self.stop("the runner was interrupted")
            raise
        finally:
            for work in list(self._inflight.values()):
                if work.thread is not None:
                    work.thread.join()
            self._stopping.set()
            beat.join(timeout=self.check * 4)
            if self._pool is not None:
                self._pool.close(wait=False, cancel=True)
        return dict(self.counts)

    def stop(self, why: str = "the runner was stopped") -> None:
        """Stop at once: tasks in flight go back to the queue (attempt not counted), workers are killed."""
        self._stopping.set()
        with self._lock:
            for work in self._inflight.values():
                work.interrupted = why
                work.progress.cancelled.set()
            if self._inflight and self._pool is not None:
                self._kill(self._pool)
        self._wake.set()

    def _start(self, task: TaskStatus) -> None:
        assert self._pool is not None
        progress = QueueProgress(self.queue, task.id, self.owner)
        work = _Work(task, self._pool, progress)
        work.thread = threading.Thread(target=self._work, args=(work,), name=f"claimreel-task-{task.id}")
        with self._lock:
            self._inflight[task.id] = work
        self.say(f"task {task.id} {task.story}: started (job {task.job}, attempt {task.attempts})")
        work.thread.start()

    def _replace_broken_pool(self) -> None:
        pool = self._pool
        if pool is None or id(pool) not in self._broken or self._stopping.is_set():
            return
        if any(w.pool is pool for w in self._inflight.values()):
            return  # its renders are still failing over; replace it when they are gone
        pool.close(wait=False, cancel=True)
        self._broken.discard(id(pool))
        self._pool = self._open_pool()

    def _open_pool(self) -> WorkPool:
        from ..pipeline.remote import open_render_pool

        return open_render_pool(self.pool_address, self.workers, cache_url=self.cache_url, tls=self.tls)

    # -- leases and cancellation -----------------------------------------------------------------

    def _heartbeat(self) -> None:
        while not (self._stopping.is_set() and not self._inflight):
            with self._lock:
                ids = list(self._inflight)
            try:
                states = self.queue.renew(self.owner, ids, self.lease)
            except ClaimreelError as exc:  # the database is busy for long: try again next beat
                self.say(f"runner: could not renew leases: {exc}")
                states = {}
            for task_id, state in states.items():
                if state != "running":
                    self._cancel(task_id, state)
            time.sleep(self.check)

    def _cancel(self, task_id: int, state: str) -> None:
        with self._lock:
            work = self._inflight.get(task_id)
            if work is None or work.progress.cancelled.is_set():
                return
            work.progress.cancelled.set()
            if work.progress.encoding and not work.outcome:
                for other in self._inflight.values():
                    if other is not work and other.pool is work.pool:
                        other.interrupted = f"the worker pool was stopped to cancel task {task_id}"
                        other.progress.cancelled.set()
                self._kill(work.pool)
        self.say(f"task {task_id}: {state}; stopping it")
        self._wake.set()

    def _kill(self, pool: WorkPool) -> None:
        """SIGKILL the pool's processes now (their ffmpeg children see their input close and exit)."""
        self._broken.add(id(pool))
        if pool.remote:  # its workers are not this machine's to kill: let them go
            pool.close(wait=False, cancel=True)
            return
        for pid in pool.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    # -- one task --------------------------------------------------------------------------------

    def _work(self, work: _Work) -> None:
        from ..pipeline.render import RenderOptions, render
        from ..publish.credentials import SigningRequest

        task, spec = work.task, work.task.spec
        started = time.monotonic()
        options = RenderOptions(
            formats=spec.formats, out=spec.out, cache=self.cache, preview=spec.preview,
            voice_engine=spec.voice, jobs=work.pool.workers, ffmpeg=self.ffmpeg, profile=spec.loudness,
            cuts=spec.cuts, wait_for_output=True, described=spec.described,
            signing=SigningRequest(spec.sign_cert, spec.sign_key, spec.sign_tsa_url, "the job's --sign-cert/--sign-key")
            if spec.sign_cert is not None and spec.sign_key is not None else None)
        try:
            try:
                result = render(spec.script, options, engine=self.engine, progress=work.progress, pool=work.pool)
            except BaseException as exc:  # every way a render can end is recorded in the queue
                work.outcome = {"error": exc}
                self._failed(work, exc)
            else:
                work.outcome = {"done": True}
                self._done(work, result, time.monotonic() - started)
        except ClaimreelError as exc:  # the queue could not be written: the lease runs out, the task comes back
            self.say(f"task {task.id} {task.story}: could not record how it ended: {exc}")
        finally:
            self._report(task.job)
            with self._lock:
                self._inflight.pop(task.id, None)
            self._wake.set()

    def _done(self, work: _Work, result: Any, wall: float) -> None:
        task = work.task
        work.progress.close()
        summary = {
            "folder": str(result.folder),
            "files": [str(p.relative_to(result.folder)) for p in result.files],
            "wall_s": round(wall, 2),
            "video_s": round(result.timeline.total_frames / float(result.timeline.fps), 3),
            "segments_encoded": result.segments_encoded,
            "segments_cached": result.segments_cached,
            "synthesized": result.synthesized,
            "notes": work.progress.notes,
        }
        if self.queue.finish(task.id, self.owner, summary):
            self.counts["done"] += 1
            self.say(f"task {task.id} {task.story}: done in {wall:.1f} s ({result.folder})")

    def _failed(self, work: _Work, exc: BaseException) -> None:
        task = work.task
        if work.interrupted:
            self.queue.release(task.id, self.owner, work.interrupted)
            self.counts["requeued"] += 1
            self.say(f"task {task.id} {task.story}: back in the queue ({work.interrupted})")
            return
        if work.progress.cancelled.is_set():
            self.queue.log(task.id, "stopped; the previous output is intact")
            self.counts["cancelled"] += 1
            self.say(f"task {task.id} {task.story}: stopped (cancelled)")
            return
        again = True
        if _disk_full(exc):
            lines = str(exc).strip().splitlines() or [type(exc).__name__]
            said = next((line for line in lines if "No space left" in line), lines[-1]).strip()[:300]
            message = (f"the disk is full ({said}); free some space where {task.out} or {self.cache} lives "
                       "and `claimreel jobs retry` the job; the previous output is intact")
            again = False
        elif isinstance(exc, ClaimreelError):
            message, again = str(exc), exc.exit_code != 2
        elif isinstance(exc, BrokenProcessPool):
            message = "a worker process died (out of memory, or killed); the render will be tried again"
            self._broken.add(id(work.pool))
        else:
            message = f"internal error: {type(exc).__name__}: {exc}"
        state = self.queue.fail(task.id, self.owner, message, again=again)
        if state == "failed":
            self.counts["failed"] += 1
        self.say(f"task {task.id} {task.story}: attempt {task.attempts} failed ({state}): {message.splitlines()[0]}")

    def _report(self, job_id: str) -> None:
        from .report import write_report

        try:
            write_report(self.queue.status(job_id))
        except (OSError, ClaimreelError) as exc:  # a report is a convenience; the queue holds the truth
            self.say(f"job {job_id}: could not write its report: {exc}")
