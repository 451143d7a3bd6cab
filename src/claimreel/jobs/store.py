"""The durable queue: jobs and tasks in one SQLite file that producers and runners share.

SQLite in WAL mode lets readers (``jobs status``) run beside one writer; every change
is one short transaction, and ``busy_timeout`` makes a writer wait its turn instead of
failing. A task is claimed inside ``BEGIN IMMEDIATE`` (one writer at a time), so two
runners never get the same task. A claim carries a lease that the runner renews while
it works; a runner that dies stops renewing, and the next claim by anyone first puts
tasks with an expired lease back in the queue (or fails them after
:data:`~claimreel.jobs.model.MAX_ATTEMPTS` tries).

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
from .model import MAX_ATTEMPTS, JobStatus, TaskSpec, TaskStatus

__all__ = ["DEFAULT_QUEUE", "ENV_VAR", "MIGRATIONS", "Queue", "queue_path"]

ENV_VAR = "CLAIMREEL_QUEUE"
DEFAULT_QUEUE = Path("render/queue.db")

#: Schema changes in order; ``user_version`` counts how many a database has. Append, never edit.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created REAL NOT NULL
        )""",
        """CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            job TEXT NOT NULL REFERENCES jobs(id),
            script TEXT NOT NULL,
            story TEXT NOT NULL,
            options TEXT NOT NULL,
            out TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued',
            stage TEXT,
            percent REAL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created REAL NOT NULL,
            started REAL,
            finished REAL,
            owner TEXT,
            lease_until REAL,
            error TEXT,
            result TEXT
        )""",
        "CREATE INDEX tasks_by_state ON tasks(state, id)",
        "CREATE INDEX tasks_by_job ON tasks(job, id)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            task INTEGER NOT NULL REFERENCES tasks(id),
            time REAL NOT NULL,
            message TEXT NOT NULL
        )""",
        "CREATE INDEX events_by_task ON events(task, id)",
    ),
)


def queue_path(path: Path | str | None = None) -> Path:
    """``path``, else ``CLAIMREEL_QUEUE``, else ``render/queue.db``."""
    if path:
        return Path(path)
    return Path(os.environ.get(ENV_VAR) or DEFAULT_QUEUE)


def _fix_for(path: Path, exc: sqlite3.Error) -> QueueError:
    text = str(exc)
    if "full" in text:
        return QueueError(f"{path}: the disk holding the queue is full ({text}); free some space and try again "
                          "(what the queue held is intact)")
    if "locked" in text or "busy" in text:
        return QueueError(f"{path}: the queue database stayed locked by another process ({text}); "
                          "try again, or look for a stuck claimreel process holding it")
    return QueueError(f"{path}: not a usable queue database ({text}); it is left as it is: move it aside "
                      "(or give --queue another file) to start a new queue")


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
                                 "give --queue a writable place") from None
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
                        f"knows {len(MIGRATIONS)}); upgrade claimreel, or give --queue another file")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._migrated:
                    self._migrate(conn)
                    self._migrated = True
            except sqlite3.Error as exc:
                raise _fix_for(self.path, exc) from None
            self._local.conn = conn
        return conn

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

    def submit(self, name: str, tasks: Sequence[TaskSpec]) -> str:
        """Queue a job of ``tasks`` (all or none) and return its id.

        Every script is loaded and checked first, with the task's formats, cuts, loudness and
        voice, so a bad script or option raises its :class:`~claimreel.errors.ClaimreelError`
        (exit 2) and queues nothing.
        """
        from .checks import check_task

        if not tasks:
            raise ClaimreelError("a job needs at least one render; name a script or a job file")
        loaded: dict[Path, Any] = {}
        checked = [check_task(spec, loaded) for spec in tasks]
        now = self.clock()
        for _ in range(5):
            job_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now)) + "-" + secrets.token_hex(3)
            with self._tx() as conn:
                if conn.execute("SELECT 1 FROM jobs WHERE id = ?", (job_id,)).fetchone():
                    continue
                conn.execute("INSERT INTO jobs (id, name, created) VALUES (?, ?, ?)", (job_id, name, now))
                conn.executemany(
                    "INSERT INTO tasks (job, script, story, options, out, created) VALUES (?, ?, ?, ?, ?, ?)",
                    [(job_id, str(spec.script), story, json.dumps(spec.options()), str(out), now)
                     for spec, story, out in checked])
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
        notices within two seconds and stops its workers; the previous output stays."""
        job = self._job_row(job_id)["id"]
        with self._tx() as conn:
            rows = conn.execute("UPDATE tasks SET state = 'cancelled', finished = ?, lease_until = NULL "
                                "WHERE job = ? AND state IN ('queued', 'running') RETURNING id",
                                (self.clock(), job)).fetchall()
            self._events(conn, [r["id"] for r in rows], "cancelled")
        return len(rows)

    def retry(self, job_id: str) -> int:
        """Queue the job's failed and cancelled tasks again, with their attempts reset; returns how many."""
        job = self._job_row(job_id)["id"]
        with self._tx() as conn:
            rows = conn.execute(
                "UPDATE tasks SET state = 'queued', attempts = 0, error = NULL, stage = NULL, percent = NULL, "
                "started = NULL, finished = NULL, owner = NULL, lease_until = NULL "
                "WHERE job = ? AND state IN ('failed', 'cancelled') RETURNING id", (job,)).fetchall()
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

    def claim(self, owner: str, lease: float) -> TaskStatus | None:
        """The oldest queued task (fewest attempts first), now running for ``owner`` until ``lease`` seconds from now; None
        when nothing can start. Tasks whose lease ran out go back first (or fail after the last try);
        a task is skipped while another task writing the same output folder runs."""
        now = self.clock()
        with self._tx() as conn:
            self._expire(conn, now)
            row = conn.execute(
                "UPDATE tasks SET state = 'running', owner = ?, lease_until = ?, attempts = attempts + 1, "
                "started = ?, finished = NULL, stage = 'waiting', percent = 0 "
                "WHERE id = (SELECT t.id FROM tasks t WHERE t.state = 'queued' AND NOT EXISTS "
                "  (SELECT 1 FROM tasks r WHERE r.state = 'running' AND r.out = t.out) ORDER BY t.attempts, t.id LIMIT 1) "
                "RETURNING *", (owner, now + lease, now)).fetchone()
            if row is not None:
                self._events(conn, [row["id"]], f"claimed by {owner} (attempt {row['attempts']})")
        return _task(row) if row is not None else None

    def _expire(self, conn: sqlite3.Connection, now: float) -> None:
        lost = conn.execute("SELECT id, attempts, owner, error FROM tasks WHERE state = 'running' AND lease_until < ?",
                            (now,)).fetchall()
        for row in lost:
            said = f"runner {row['owner']} stopped renewing its lease (killed or hung)"
            if row["attempts"] >= MAX_ATTEMPTS:
                conn.execute("UPDATE tasks SET state = 'failed', finished = ?, owner = NULL, error = ? WHERE id = ?",
                             (now, f"{said}; gave up after {row['attempts']} attempts"
                              + (f"; last error: {row['error']}" if row["error"] else ""), row["id"]))
                self._events(conn, [row["id"]], f"{said}; failed after {row['attempts']} attempts")
            else:
                conn.execute("UPDATE tasks SET state = 'queued', owner = NULL, lease_until = NULL, stage = NULL, "
                             "percent = NULL, error = ? WHERE id = ?", (said, row["id"]))
                self._events(conn, [row["id"]], f"{said}; back in the queue")

    def pending(self) -> int:
        """Tasks queued or running anywhere (a running one may yet come back when its lease ends)."""
        return int(self._read("SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'running')")[0][0])

    def renew(self, owner: str, task_ids: Iterable[int], lease: float) -> dict[int, str]:
        """Extend ``owner``'s leases; returns each task's state, or ``lost`` for one another runner took."""
        ids = list(task_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._tx() as conn:
            conn.execute(f"UPDATE tasks SET lease_until = ? WHERE owner = ? AND state = 'running' AND id IN ({marks})",
                         (self.clock() + lease, owner, *ids))
            rows = conn.execute(f"SELECT id, state, owner FROM tasks WHERE id IN ({marks})", ids).fetchall()
        return {r["id"]: r["state"] if r["owner"] == owner or r["state"] != "running" else "lost" for r in rows}

    def progress(self, task_id: int, owner: str, stage: str, percent: float) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE tasks SET stage = ?, percent = ? WHERE id = ? AND owner = ? AND state = 'running'",
                         (stage, round(percent, 1), task_id, owner))

    def log(self, task_id: int, message: str) -> None:
        with self._tx() as conn:
            self._events(conn, [task_id], message)

    def finish(self, task_id: int, owner: str, result: dict[str, Any]) -> bool:
        """Mark ``owner``'s task done with what it wrote; False if it was cancelled or lost meanwhile."""
        with self._tx() as conn:
            done = conn.execute(
                "UPDATE tasks SET state = 'done', stage = NULL, percent = 100, finished = ?, error = NULL, "
                "result = ?, lease_until = NULL WHERE id = ? AND owner = ? AND state = 'running'",
                (self.clock(), json.dumps(result), task_id, owner)).rowcount
            self._events(conn, [task_id], "done" if done else "finished, but no longer this runner's task")
        return bool(done)

    def fail(self, task_id: int, owner: str, error: str, *, again: bool) -> str:
        """Record a failed attempt: back to the queue if ``again`` and tries are left, else failed.
        Returns the task's state afterwards."""
        with self._tx() as conn:
            row = conn.execute(
                "UPDATE tasks SET state = CASE WHEN ? AND attempts < ? THEN 'queued' ELSE 'failed' END, "
                "finished = ?, error = ?, owner = NULL, lease_until = NULL, stage = NULL "
                "WHERE id = ? AND owner = ? AND state = 'running' RETURNING state, attempts",
                (again, MAX_ATTEMPTS, self.clock(), error, task_id, owner)).fetchone()
            if row is None:
                return self._state(conn, task_id)
            self._events(conn, [task_id], f"attempt {row['attempts']} failed: {error}"
                         + ("; back in the queue" if row["state"] == "queued" else ""))
            return str(row["state"])

    def release(self, task_id: int, owner: str, why: str) -> None:
        """Put ``owner``'s task back in the queue without counting the attempt (the runner stopped it)."""
        with self._tx() as conn:
            changed = conn.execute(
                "UPDATE tasks SET state = 'queued', attempts = MAX(attempts - 1, 0), owner = NULL, lease_until = NULL, "
                "stage = NULL, percent = NULL, started = NULL WHERE id = ? AND owner = ? AND state = 'running'",
                (task_id, owner)).rowcount
            if changed:
                self._events(conn, [task_id], f"back in the queue: {why}")

    def task(self, task_id: int) -> TaskStatus:
        rows = self._read("SELECT * FROM tasks WHERE id = ?", (task_id,))
        if not rows:
            raise QueueError(f"no task {task_id} in {self.path}")
        return _task(rows[0])

    def _state(self, conn: sqlite3.Connection, task_id: int) -> str:
        row = conn.execute("SELECT state FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return str(row["state"]) if row else "missing"

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
        lease_until=row["lease_until"],
    )
