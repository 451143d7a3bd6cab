"""A runner: claims tasks from the queue and renders them, sharing one worker pool.

One pool of worker processes, sized to the cores, serves every render of the run
(``render(..., pool=pool)``), and two tasks are in flight at once by default, so the
next task's preparation (speech, layout) runs in its thread while the current task's
segments fill the pool. Tasks share one cache folder, so the tasks of one story reuse
its narration and segments.

A :class:`~claimreel.jobs.lease.LeaseKeeper` renews the claims in flight on a thread of
its own and says when a task was cancelled or its claim lost. That attempt stops at its
next progress call; if its segments are already in the pool, the pool's processes and
their ffmpeg are killed at once (its other renders go back to the queue without counting
an attempt) and a fresh pool takes over. An attempt keeps its claim until it has
unwound, so the next attempt never finds the output folder still locked. Workers die
with the runner (``die_with_parent``), so a SIGKILLed runner leaves nothing running,
and its tasks return to the queue when their leases run out.

How an attempt ended (and whether to try again) is decided by :func:`.outcome.classify`.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import ClaimreelError
from ..executor import Tls, WorkPool
from ..pipeline.killpoint import kill_point
from .folders import job_folder, publish
from .lease import LeaseKeeper
from .model import Claim, TaskStatus
from .outcome import Outcome, classify
from .progress import QueueProgress
from .reaper import kill_trees
from .snapshot import InputStore, store_for
from .states import State
from .store import Queue

__all__ = ["Runner"]


@dataclass
class _Work:
    """A task in flight in this runner."""

    task: TaskStatus
    claim: Claim
    pool: WorkPool
    progress: QueueProgress
    thread: threading.Thread | None = None
    interrupted: str | None = None  # why the runner stopped it (then it goes back to the queue)
    cancelled: float | None = None  # when the runner learnt the task was cancelled (monotonic)
    lease_lost: bool = False  # the queue says another claim holds the task now
    ended: bool = False  # the render has returned or raised


class Runner:
    """Renders tasks of ``queue`` until stopped (or, with ``run(once=True)``, until none is left).

    ``jobs``: worker processes in the shared pool (0: one per core); ``cluster``: a Dask scheduler's
    address to run them on instead (None: local processes). ``tasks``: renders in flight at
    once. ``lease``: seconds a claim lasts without renewal. ``check``: how often leases are renewed
    and cancellations looked for. ``cache``: the render cache every task shares. ``engine``: a
    speech engine object for every render (tests); ``say``: where one-line reports go.
    """

    def __init__(self, queue: Queue, *, jobs: int = 0, tasks: int = 2, lease: float = 30.0,
                 check: float = 0.5, poll: float = 1.0, cache: Path = Path("render/cache"),
                 engine: Any = None, ffmpeg: str | None = None, cluster: str | None = None,
                 cache_url: str | None = None, say: Callable[[str], None] | None = None, owner: str | None = None,
                 tls: Tls | None = None) -> None:
        if tasks < 1 or jobs < 0 or lease <= check:
            raise ClaimreelError("runner: tasks must be at least 1, jobs 0 or more, and the lease longer "
                                 "than the check interval")
        self.queue = queue
        self.workers = jobs
        self.slots = tasks
        self.lease = lease
        self.check = check
        self.poll = poll
        self.cache = cache.resolve()
        self.engine = engine
        self.ffmpeg = ffmpeg
        self.cluster = cluster  # a Dask cluster (see executor.dask), or None: local processes
        self.cache_url = cache_url  # with a cluster: the segment cache the workers share
        self.tls = tls  # with a tls:// cluster: the client's certificate (None: Dask's configuration)
        self.say = say or (lambda line: None)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{os.urandom(2).hex()}"
        self.counts = {"done": 0, "failed": 0, "cancelled": 0, "requeued": 0}
        self.inputs = InputStore(store_for(queue.path))  # the files tasks were submitted with
        self.keeper = LeaseKeeper(queue, lease=lease, check=check, notice=self._notice, say=self.say)
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
        self.keeper.start()
        try:
            while True:
                self._replace_broken_pool()
                while self._can_claim():
                    task = self.queue.claim(self.owner, self.lease, skip=list(self._inflight))
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
            self.keeper.stop()
            if self._pool is not None:
                self._pool.close(wait=False, cancel=True)
        return dict(self.counts)

    def _can_claim(self) -> bool:
        """Room for another task, and a pool that is not being replaced (a task started on a
        killed pool would fail at once, for nothing)."""
        return (not self._stopping.is_set() and len(self._inflight) < self.slots
                and id(self._pool) not in self._broken)

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
        claim = task.held
        work = _Work(task, claim, self._pool, QueueProgress(self.queue, claim))
        work.thread = threading.Thread(target=self._work, args=(work,), name=f"claimreel-task-{task.id}")
        with self._lock:
            self._inflight[task.id] = work
        self.keeper.hold(claim)
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

        return open_render_pool(self.cluster, self.workers, cache_url=self.cache_url, tls=self.tls)

    # -- cancellation and lost claims ------------------------------------------------------------

    def _notice(self, task_id: int, state: str) -> None:
        """(the lease keeper's thread) The task is no longer running under our claim: stop it."""
        with self._lock:
            work = self._inflight.get(task_id)
            if work is None or work.ended or work.progress.cancelled.is_set():
                return
            if state == "lost":
                work.lease_lost = True
            else:
                work.cancelled = time.monotonic()
            work.progress.cancelled.set()
            if work.progress.encoding:
                for other in self._inflight.values():
                    if other is not work and other.pool is work.pool and not other.ended:
                        other.interrupted = f"the worker pool was stopped to stop task {task_id}"
                        other.progress.cancelled.set()
                self._kill(work.pool)
        self.say(f"task {task_id}: {'lease lost' if state == 'lost' else state}; stopping it")
        self._wake.set()

    def _kill(self, pool: WorkPool) -> None:
        """Kill the pool's processes and their ffmpeg now."""
        self._broken.add(id(pool))
        if pool.remote:  # its workers are not this machine's to kill: let them go
            pool.close(wait=False, cancel=True)
            return
        kill_trees(pool.processes())

    # -- one task --------------------------------------------------------------------------------

    def _work(self, work: _Work) -> None:
        from ..pipeline.options import render_options
        from ..pipeline.render import render
        from ..publish.credentials import SigningRequest

        task, spec = work.task, work.task.spec
        started = time.monotonic()
        signing = (SigningRequest(spec.sign_cert, spec.sign_key, spec.sign_tsa_url, "the job's sign_cert/sign_key")
                   if spec.sign_cert is not None and spec.sign_key is not None else None)
        try:
            try:
                # What was submitted, not what the script and its files say now (None: a task
                # queued by a claimreel that recorded nothing renders the files as they are).
                script = self.inputs.restore(task.inputs, spec.script) if task.inputs else spec.script
                options = render_options(  # a stored spec's cuts: None is all of them, even for a preview
                    script, formats=spec.formats or None, cuts="all" if spec.cuts is None else spec.cuts,
                    preview=spec.preview, described=spec.described, voice=spec.voice, loudness=spec.loudness,
                    out=job_folder(spec.out, task.job), cache=self.cache, jobs=work.pool.workers, ffmpeg=self.ffmpeg,
                    wait_for_output=True, signing=signing)
                result = render(script, options, engine=self.engine, progress=work.progress, pool=work.pool)
                published = self._publish(work, result.folder)
            except BaseException as exc:  # every way a render can end is recorded in the queue
                work.ended = True
                self._ended(work, exc)
            else:
                work.ended = True
                self._done(work, result, published, time.monotonic() - started)
        except ClaimreelError as exc:  # the queue could not be written: the lease runs out, the task comes back
            self.say(f"task {task.id} {task.story}: could not record how it ended: {exc}")
        finally:
            self.keeper.drop(work.claim)
            self._report(task.job)
            with self._lock:
                self._inflight.pop(task.id, None)
            self._wake.set()

    def _publish(self, work: _Work, own: Path) -> bool:
        """Show the task's output in the script's output folder, unless a later submission shows there."""
        task = work.task
        stamp = {"job": task.job, "task": task.id, "submitted": task.created}

        def waiting() -> None:
            work.progress.note(f"{task.out}: another render of {task.story} is writing here; waiting for it")

        kill_point("job-publish")  # crash-safety tests: the job's own output written, nothing published yet
        return publish(own, Path(task.out).parent, stamp, waiting)

    def _done(self, work: _Work, result: Any, published: bool, wall: float) -> None:
        task = work.task
        work.progress.close()
        summary = {
            "folder": str(result.folder),
            "published": task.out if published else None,  # None: a later submission shows there
            "files": [str(p.relative_to(result.folder)) for p in result.files],
            "wall_s": round(wall, 2),
            "video_s": round(result.timeline.total_frames / float(result.timeline.fps), 3),
            "segments_encoded": result.segments_encoded,
            "segments_cached": result.segments_cached,
            "synthesized": result.synthesized,
            "notes": work.progress.notes,
        }
        if self.queue.finish(work.claim, summary):
            self.counts["done"] += 1
            shown = "" if published else f"; {task.out} shows a render submitted after this one"
            self.say(f"task {task.id} {task.story}: done in {wall:.1f} s ({result.folder}{shown})")
        else:
            self.queue.let_go(work.claim)
            self.say(f"task {task.id} {task.story}: finished, but it was cancelled or taken meanwhile "
                     f"(`claimreel jobs logs {task.job}` says which)")

    def _ended(self, work: _Work, exc: BaseException) -> None:
        """Record an attempt that raised: the one message goes to the queue and to ``say``."""
        task = work.task
        outcome = classify(exc, cancelled=work.cancelled is not None, stopped=work.interrupted,
                           lease_lost=work.lease_lost, out=task.out, cache=str(self.cache))
        where = f"task {task.id} {task.story}: attempt {task.attempts}"
        if outcome.kind == "failed":
            state = self.queue.fail(work.claim, outcome.message, again=outcome.retry)
            if state in (State.QUEUED, State.FAILED):
                if state == State.FAILED:
                    self.counts["failed"] += 1
                tail = "; back in the queue" if state == State.QUEUED else ""
                self.say(f"{where} failed{tail}: {outcome.message}")
                return
            # cancelled (or lost) while it was failing: that is what happened to it
            outcome = classify(exc, cancelled=state != "lost", lease_lost=state == "lost")
        self._stopped(work, outcome)

    def _stopped(self, work: _Work, outcome: Outcome) -> None:
        task = work.task
        where = f"task {task.id} {task.story}: attempt {task.attempts}"
        if outcome.kind == "released" and self.queue.release(work.claim, outcome.message):
            self.counts["requeued"] += 1
            self.say(f"{where} back in the queue ({outcome.message})")
            return
        if outcome.kind == "lost":
            message = outcome.message
        else:
            took = f" {time.monotonic() - work.cancelled:.1f} s after the cancel was seen" if work.cancelled else ""
            message = f"attempt {task.attempts} stopped{took}: {outcome.message}"
            self.counts["cancelled"] += 1
        self.queue.let_go(work.claim, f"{message} (runner {self.owner})")
        self.say(f"task {task.id} {task.story}: {message}")

    def _report(self, job_id: str) -> None:
        from .report import write_report

        try:
            write_report(self.queue.status(job_id))
        except (OSError, ClaimreelError) as exc:  # a report is a convenience; the queue holds the truth
            self.say(f"job {job_id}: could not write its report: {exc}")
