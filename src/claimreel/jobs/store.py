"""The durable queue: jobs, tasks and their events in one SQLite file that producers and
runners share. It stores; checking what is submitted is :mod:`.service`'s job.

SQLite in WAL mode lets readers (``jobs status``) run beside one writer; every change
is one short transaction, and ``busy_timeout`` makes a writer wait its turn instead of
failing. A task is claimed inside ``BEGIN IMMEDIATE`` (one writer at a time), so two
runners never get the same task. A claim carries a token and a lease that the runner
renews while it works; every change a runner makes names its token, so an attempt whose
claim was lost changes nothing. A runner that dies stops renewing, and the next claim by
anyone first puts tasks with an expired lease back in the queue (or fails them after
:data:`~claimreel.jobs.model.MAX_ATTEMPTS` tries). Which state may follow which is
:mod:`.states`' table.

The schema is versioned with ``PRAGMA user_version``: opening a database applies the
migrations it lacks, in one transaction, and refuses a database written by a newer
claimreel. Nothing here ever deletes or re-creates a database.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import ClaimreelError, QueueError
from .model import MAX_ATTEMPTS, Claim, JobStatus, NewTask, TaskStatus
from .schema import MIGRATIONS, fix_for as _fix_for
from .states import ACTIVE, MOVES, State, sql_states

__all__ = ["DEFAULT_QUEUE", "ENV_VAR", "MIGRATIONS", "Queue", "queue_path"]

ENV_VAR = "CLAIMREEL_QUEUE"
DEFAULT_QUEUE = Path("render/queue.db")

def queue_path(path: Path | str | None = None) -> Path:
    """``path``, else ``CLAIMREEL_QUEUE``, else ``render/queue.db``."""
    if path:
        return Path(path)
    return Path(os.environ.get(ENV_VAR) or DEFAULT_QUEUE)


class Queue:
    """Jobs and their tasks in the SQLite file at ``path`` (see the module docstring).

    Safe to share between threads (each gets its own connection) and between processes.
    ``busy_timeout``: seconds to wait for another writer before giving up with a
    :class:`~claimreel.errors.QueueError`. ``clock``: Unix time, for tests.
    """

    def __init__(self, path: Path | str | None = None, *, busy_timeout: float = 15.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = queue_path(path)
        self.busy_timeout = busy_timeout
        self.clock = clock
        self._local = threading.local()
        self._migrated = False  # the file is opened (and made, or migrated) on first use

    # -- connections -----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise QueueError(f"{self.path}: cannot make its folder ({exc.strerror}); "
                                 "give the queue option a writable place").naming("queue") from None
            try:
                conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                       check_same_thread=False)
                conn.row_factory = sqlite3.Row
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > len(MIGRATIONS):  # before WAL mode, which would change the file's header
                    conn.close()
                    raise QueueError(
                        f"{self.path}: this queue was written by a newer claimreel (schema {version}, this one "
                        f"knows {len(MIGRATIONS)}); upgrade claimreel, or give the queue option another file").naming("queue")
                self._write_ahead(conn)
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._migrated:
                    self._migrate(conn)
                    self._migrated = True
            except sqlite3.Error as exc:
                raise _fix_for(self.path, exc) from None
            self._local.conn = conn
        return conn

    def _write_ahead(self, conn: sqlite3.Connection) -> None:
        """Put the file in WAL mode, waiting up to ``busy_timeout`` for the other processes opening it.

        On a new file several processes switch at once; SQLite refuses the one that would deadlock at
        once, without its busy handler, so the switch is tried again until the file is in WAL mode.
        """
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not ("locked" in str(exc) or "busy" in str(exc)) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``) so it never deadlocks on upgrade."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _fix_for(self.path, exc) from None

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._connection().execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _fix_for(self.path, exc) from None

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Apply the migrations the file lacks, all in one transaction (another process may race us)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for statements in MIGRATIONS[version:]:
                for sql in statements:
                    conn.execute(sql)
            if version < len(MIGRATIONS):
                conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- producers -------------------------------------------------------------------------------

    def add(self, name: str, tasks: Sequence[NewTask]) -> str:
        """Store a job of ``tasks`` (all or none) and return its id. The tasks are taken as they
        are: checking them is :func:`claimreel.jobs.service.submit`'s job."""
        if not tasks:
            raise ClaimreelError("a job needs at least one render; name a script or a job file")
        now = self.clock()
        for _ in range(5):
            job_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now)) + "-" + secrets.token_hex(3)
            with self._tx() as conn:
                if conn.execute("SELECT 1 FROM jobs WHERE id = ?", (job_id,)).fetchone():
                    continue
                conn.execute("INSERT INTO jobs (id, name, created) VALUES (?, ?, ?)", (job_id, name, now))
                conn.executemany(
                    "INSERT INTO tasks (job, script, story, options, out, created, inputs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(job_id, str(t.spec.script), t.story, json.dumps(t.spec.options()), str(t.out), now,
                      None if t.inputs is None else json.dumps(t.inputs, ensure_ascii=False)) for t in tasks])
            return job_id
        raise QueueError(f"{self.path}: could not find a free job id; try again")  # pragma: no cover

    def jobs(self) -> list[JobStatus]:
        """Every job with its tasks, newest first."""
        rows = self._read("SELECT * FROM jobs ORDER BY created DESC, id DESC")
        tasks: dict[str, list[TaskStatus]] = {}
        for row in self._read("SELECT * FROM tasks ORDER BY id"):
            tasks.setdefault(row["job"], []).append(_task(row))
        return [JobStatus(r["id"], r["name"], r["created"], tasks.get(r["id"], [])) for r in rows]

    def status(self, job_id: str) -> JobStatus:
        """One job (by its id or a unique start of it) with its tasks."""
        row = self._job_row(job_id)
        tasks = [_task(r) for r in self._read("SELECT * FROM tasks WHERE job = ? ORDER BY id", (row["id"],))]
        return JobStatus(row["id"], row["name"], row["created"], tasks)

    def _job_row(self, job_id: str) -> sqlite3.Row:
        rows = self._read("SELECT * FROM jobs WHERE id = ? OR id LIKE ? ORDER BY id",
                          (job_id, job_id.replace("%", "").replace("_", "") + "%"))
        exact = [r for r in rows if r["id"] == job_id]
        if exact or len(rows) == 1:
            return (exact or rows)[0]
        if rows:
            raise QueueError(f"job {job_id!r} is ambiguous: {', '.join(r['id'] for r in rows[:5])}; give more of it")
        raise QueueError(f"no job {job_id!r} in {self.path}; `claimreel jobs status` lists the jobs")

    def cancel(self, job_id: str) -> int:
        """Cancel the job's queued and running tasks; returns how many. A runner working on one
        notices within a second and stops its workers; the previous output stays. A running
        task's claim stays until its runner has let go, so nothing else writes its output
        folder meanwhile."""
        job = self._job_row(job_id)["id"]
        move = MOVES["cancel"]
        with self._tx() as conn:
            rows = conn.execute(f"UPDATE tasks SET state = ?, finished = ?, stage = NULL "
                                f"WHERE job = ? AND state IN {sql_states(move.sources)} RETURNING id",
                                (move.target.value, self.clock(), job)).fetchall()
            self._events(conn, [r["id"] for r in rows], "cancelled")
        return len(rows)

    def retry(self, job_id: str) -> int:
        """Queue the job's failed and cancelled tasks again, with their attempts reset; returns how
        many. A cancelled attempt still stopping keeps its claim: the task starts once it is gone."""
        job = self._job_row(job_id)["id"]
        move = MOVES["retry"]
        with self._tx() as conn:
            rows = conn.execute(
                f"UPDATE tasks SET state = ?, attempts = 0, error = NULL, stage = NULL, percent = NULL, "
                f"started = NULL, finished = NULL WHERE job = ? AND state IN {sql_states(move.sources)} RETURNING id",
                (move.target.value, job)).fetchall()
            self._events(conn, [r["id"] for r in rows], "queued again (retry)")
        return len(rows)

    def logs(self, job_id: str) -> str:
        """What happened to the job's tasks, one line per event, oldest first."""
        job = self._job_row(job_id)["id"]
        rows = self._read("SELECT e.time, e.task, e.message, t.story FROM events e JOIN tasks t ON t.id = e.task "
                          "WHERE t.job = ? ORDER BY e.id", (job,))
        return "".join(
            f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(r['time']))}Z task {r['task']} {r['story']}: "
            f"{r['message']}\n" for r in rows)

    # -- runners ---------------------------------------------------------------------------------
    #
    # Every change a runner makes names the claim it holds (``Claim``: the task and the claim's
    # token). A claim that is no longer the task's (its lease ran out and the task went back to
    # the queue, or another runner holds it now) changes nothing, so two attempts of one task
    # never both write to it.

    def claim(self, owner: str, lease: float, *, skip: Iterable[int] = ()) -> TaskStatus | None:
        """The oldest queued task (fewest attempts first), now running for ``owner`` until
        ``lease`` seconds from now, with a new claim token; None when nothing can start.

        Tasks whose lease ran out go back first (or fail after the last try). A task is skipped
        while any live claim holds its output folder (a running task, or a cancelled one still
        stopping), and so are the ids in ``skip`` (the runner's own attempts still in flight)."""
        now = self.clock()
        skipped = [int(i) for i in skip]
        not_these = f"AND t.id NOT IN ({','.join('?' * len(skipped))}) " if skipped else ""
        move = MOVES["claim"]
        token = secrets.token_hex(8)
        with self._tx() as conn:
            self._expire(conn, now)
            row = conn.execute(
                f"UPDATE tasks SET state = ?, owner = ?, claim = ?, lease_until = ?, attempts = attempts + 1, "
                f"started = ?, finished = NULL, stage = 'waiting', percent = 0 "
                f"WHERE id = (SELECT t.id FROM tasks t WHERE t.state IN {sql_states(move.sources)} {not_these}"
                f"  AND NOT EXISTS (SELECT 1 FROM tasks r WHERE r.claim IS NOT NULL AND r.lease_until >= ? "
                f"  AND r.out = t.out) ORDER BY t.attempts, t.id LIMIT 1) RETURNING *",
                (move.target.value, owner, token, now + lease, now, *skipped, now)).fetchone()
            if row is not None:
                self._events(conn, [row["id"]], f"claimed by {owner} (attempt {row['attempts']})")
        return _task(row) if row is not None else None

    def _expire(self, conn: sqlite3.Connection, now: float) -> None:
        lost = conn.execute("SELECT id, attempts, owner, error FROM tasks WHERE state = ? AND lease_until < ?",
                            (State.RUNNING.value, now)).fetchall()
        for row in lost:
            said = f"runner {row['owner']} stopped renewing its lease (killed or hung)"
            if row["attempts"] >= MAX_ATTEMPTS:
                conn.execute("UPDATE tasks SET state = ?, finished = ?, owner = NULL, claim = NULL, error = ? "
                             "WHERE id = ?", (MOVES["expire last"].target.value, now,
                                              f"{said}; gave up after {row['attempts']} attempts"
                                              + (f"; last error: {row['error']}" if row["error"] else ""), row["id"]))
                self._events(conn, [row["id"]], f"{said}; failed after {row['attempts']} attempts")
            else:
                conn.execute("UPDATE tasks SET state = ?, owner = NULL, claim = NULL, lease_until = NULL, "
                             "stage = NULL, percent = NULL, error = ? WHERE id = ?",
                             (MOVES["expire"].target.value, said, row["id"]))
                self._events(conn, [row["id"]], f"{said}; back in the queue")

    def pending(self) -> int:
        """Tasks queued or running anywhere (a running one may yet come back when its lease ends)."""
        return int(self._read(f"SELECT COUNT(*) FROM tasks WHERE state IN {sql_states(ACTIVE)}")[0][0])

    def renew(self, claims: Iterable[Claim], lease: float) -> dict[int, str]:
        """Extend the leases of ``claims``; returns each task's state, or ``lost`` where the claim
        is no longer the task's. A cancelled task's claim is renewed too, until its runner lets go."""
        held = list(claims)
        if not held:
            return {}
        with self._tx() as conn:
            until = self.clock() + lease
            states: dict[int, str] = {}
            for claim in held:
                row = conn.execute("UPDATE tasks SET lease_until = ? WHERE id = ? AND claim = ? RETURNING state",
                                   (until, claim.task, claim.token)).fetchone()
                states[claim.task] = str(row["state"]) if row is not None else "lost"
        return states

    def progress(self, claim: Claim, stage: str, percent: float) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE tasks SET stage = ?, percent = ? WHERE id = ? AND claim = ? AND state = ?",
                         (stage, round(percent, 1), claim.task, claim.token, State.RUNNING.value))

    def log(self, task_id: int, message: str) -> None:
        with self._tx() as conn:
            self._events(conn, [task_id], message)

    def finish(self, claim: Claim, result: dict[str, Any]) -> bool:
        """Mark the claimed task done with what it wrote and let go of the claim; False if it was
        cancelled or lost meanwhile."""
        with self._tx() as conn:
            done = conn.execute(
                "UPDATE tasks SET state = ?, stage = NULL, percent = 100, finished = ?, error = NULL, "
                "result = ?, claim = NULL, lease_until = NULL WHERE id = ? AND claim = ? AND state = ?",
                (MOVES["finish"].target.value, self.clock(), json.dumps(result), claim.task, claim.token,
                 State.RUNNING.value)).rowcount
            if done:
                self._events(conn, [claim.task], "done")
            elif self._state(conn, claim) == State.CANCELLED:  # the cancel came as the render was committing
                self._events(conn, [claim.task], "finished as it was cancelled: the new output was written; "
                                                 "the task stays cancelled")
            else:
                self._events(conn, [claim.task], "finished, but no longer this runner's task")
        return bool(done)

    def fail(self, claim: Claim, error: str, *, again: bool) -> str:
        """Record a failed attempt and let go of the claim: back to the queue if ``again`` and
        tries are left, else failed. Returns the task's state afterwards (``lost`` if the claim
        was no longer the task's: nothing is recorded then)."""
        with self._tx() as conn:
            row = conn.execute(
                "UPDATE tasks SET state = CASE WHEN ? AND attempts < ? THEN ? ELSE ? END, "
                "finished = ?, error = ?, owner = NULL, claim = NULL, lease_until = NULL, stage = NULL "
                "WHERE id = ? AND claim = ? AND state = ? RETURNING state, attempts",
                (again, MAX_ATTEMPTS, MOVES["fail again"].target.value, MOVES["fail"].target.value, self.clock(),
                 error, claim.task, claim.token, State.RUNNING.value)).fetchone()
            if row is None:
                return self._state(conn, claim)
            self._events(conn, [claim.task], f"attempt {row['attempts']} failed: {error}"
                         + ("; back in the queue" if row["state"] == State.QUEUED.value else ""))
            return str(row["state"])

    def release(self, claim: Claim, why: str) -> bool:
        """Put the claimed task back in the queue without counting the attempt (its runner
        stopped it) and let go of the claim. False if the claim was no longer running."""
        with self._tx() as conn:
            changed = conn.execute(
                "UPDATE tasks SET state = ?, attempts = MAX(attempts - 1, 0), owner = NULL, claim = NULL, "
                "lease_until = NULL, stage = NULL, percent = NULL, started = NULL "
                "WHERE id = ? AND claim = ? AND state = ?",
                (MOVES["release"].target.value, claim.task, claim.token, State.RUNNING.value)).rowcount
            if changed:
                self._events(conn, [claim.task], f"back in the queue: {why}")
        return bool(changed)

    def let_go(self, claim: Claim, message: str | None = None) -> None:
        """The attempt holding ``claim`` has ended (cancelled, or lost): free its output folder for
        the next claim, whatever the task's state, and log ``message``."""
        with self._tx() as conn:
            conn.execute("UPDATE tasks SET claim = NULL, lease_until = NULL, owner = CASE WHEN state = ? "
                         "THEN owner ELSE NULL END WHERE id = ? AND claim = ?",
                         (State.RUNNING.value, claim.task, claim.token))
            if message:
                self._events(conn, [claim.task], message)

    def task(self, task_id: int) -> TaskStatus:
        rows = self._read("SELECT * FROM tasks WHERE id = ?", (task_id,))
        if not rows:
            raise QueueError(f"no task {task_id} in {self.path}")
        return _task(rows[0])

    def _state(self, conn: sqlite3.Connection, claim: Claim) -> str:
        row = conn.execute("SELECT state, claim FROM tasks WHERE id = ?", (claim.task,)).fetchone()
        if row is None:
            return "missing"
        return str(row["state"]) if row["claim"] == claim.token else "lost"

    def _events(self, conn: sqlite3.Connection, task_ids: Iterable[int], message: str) -> None:
        now = self.clock()
        conn.executemany("INSERT INTO events (task, time, message) VALUES (?, ?, ?)",
                         [(t, now, message) for t in task_ids])


def _task(row: sqlite3.Row) -> TaskStatus:
    return TaskStatus(
        id=row["id"], job=row["job"], script=row["script"], story=row["story"], options=json.loads(row["options"]),
        state=row["state"], stage=row["stage"], percent=row["percent"], attempts=row["attempts"],
        created=row["created"], started=row["started"], finished=row["finished"], out=row["out"],
        error=row["error"], result=json.loads(row["result"]) if row["result"] else None,
        lease_until=row["lease_until"], claim=row["claim"],
        inputs=json.loads(row["inputs"]) if row["inputs"] else None,
    )
