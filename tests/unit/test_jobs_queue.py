"""The job queue without rendering: claims, leases, attempts, cancel/retry, and damaged databases."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from claimreel.errors import QueueError, TaskCancelled
from claimreel.jobs import MAX_ATTEMPTS, Queue, TaskSpec
from claimreel.jobs.progress import QueueProgress
from claimreel.jobs.store import MIGRATIONS

from ..conftest import SMALL_SCRIPT, make_workspace


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def scripts(tmp_path: Path) -> list[Path]:
    first = make_workspace(tmp_path)
    paths = [first]
    for n in range(2, 5):
        path = tmp_path / "scripts" / f"small-check-{n}.yaml"
        path.write_text(SMALL_SCRIPT.replace("id: small-check", f"id: small-check-{n}"), encoding="utf-8")
        paths.append(path)
    return paths


def _queue(tmp_path: Path, clock: Clock | None = None) -> Queue:
    return Queue(tmp_path / "q" / "queue.db", clock=clock or Clock())


def test_submit_then_claim_each_task_once_in_order(tmp_path, scripts):
    q = _queue(tmp_path)
    job = q.submit("four", [TaskSpec(p, preview=True, out=tmp_path / "out") for p in scripts])
    status = q.status(job)
    assert (status.name, status.state, [t.state for t in status.tasks]) == ("four", "queued", ["queued"] * 4)
    assert [t.story for t in status.tasks] == ["small-check", "small-check-2", "small-check-3", "small-check-4"]
    assert status.tasks[0].out == str((tmp_path / "out" / "_previews" / "small-check").resolve())
    assert status.tasks[0].options["formats"] == ["16x9"]  # the script's own formats, made explicit
    claimed = [q.claim("r1", 30) for _ in range(5)]
    assert [t.id for t in claimed[:4]] == [t.id for t in status.tasks] and claimed[4] is None
    assert all(t.state == "running" and t.attempts == 1 for t in claimed[:4])
    assert q.finish(claimed[0].id, "r1", {"wall_s": 1.0}) is True
    assert q.finish(claimed[1].id, "someone-else", {}) is False  # not theirs
    assert q.status(job).tasks[0].state == "done" and q.status(job).tasks[0].result == {"wall_s": 1.0}


def test_threads_claiming_at_once_never_share_a_task(tmp_path, scripts):
    q = _queue(tmp_path)
    outs = [tmp_path / f"out{i}" for i in range(10)]
    q.submit("many", [TaskSpec(p, out=o) for o in outs for p in scripts])
    got: dict[str, list[int]] = {}

    def runner(name: str) -> None:
        mine = got.setdefault(name, [])
        while (task := q.claim(name, 30)) is not None:
            mine.append(task.id)

    threads = [threading.Thread(target=runner, args=(f"r{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [i for mine in got.values() for i in mine]
    assert sorted(ids) == list(range(1, 41)) and len(set(ids)) == 40


def test_a_task_waits_while_another_writes_its_output_folder(tmp_path, scripts):
    q = _queue(tmp_path)
    q.submit("same folder twice", [TaskSpec(scripts[0], ("16x9",)), TaskSpec(scripts[0], ("9x16",)),
                                   TaskSpec(scripts[1])])
    first = q.claim("r1", 30)
    second = q.claim("r2", 30)
    assert (first.story, second.story) == ("small-check", "small-check-2")  # the 9x16 task waits its turn
    assert q.claim("r2", 30) is None
    q.finish(first.id, "r1", {})
    assert q.claim("r2", 30).options["formats"] == ["9x16"]


def test_expired_leases_return_to_the_queue_then_fail_after_the_last_attempt(tmp_path, scripts):
    clock = Clock()
    q = _queue(tmp_path, clock)
    job = q.submit("one", [TaskSpec(scripts[0])])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        task = q.claim(f"r{attempt}", 10)
        assert task is not None and task.attempts == attempt
        clock.now += 5
        assert q.renew(f"r{attempt}", [task.id], 10) == {task.id: "running"}
        clock.now += 11  # the runner died: no renewal
    assert q.claim("late", 10) is None
    task = q.status(job).tasks[0]
    assert task.state == "failed" and task.attempts == MAX_ATTEMPTS
    assert task.error == ("runner r3 stopped renewing its lease (killed or hung); gave up after 3 attempts; "
                          "last error: runner r2 stopped renewing its lease (killed or hung)")
    assert "back in the queue" in q.logs(job)


def test_failures_are_tried_again_up_to_the_limit_and_input_errors_are_not(tmp_path, scripts):
    q = _queue(tmp_path)
    job = q.submit("two", [TaskSpec(scripts[0]), TaskSpec(scripts[1])])
    a = q.claim("r", 30)
    assert q.fail(a.id, "r", "ffmpeg failed", again=True) == "queued"
    b = q.claim("r", 30)
    assert b.id != a.id
    assert q.fail(b.id, "r", "bad photo", again=False) == "failed"
    for attempt in (2, 3):
        again = q.claim("r", 30)
        assert (again.id, again.attempts) == (a.id, attempt)
        state = q.fail(a.id, "r", f"ffmpeg failed {attempt}", again=True)
    assert state == "failed"
    tasks = q.status(job).tasks
    assert [(t.state, t.attempts, t.error) for t in tasks] == [("failed", 3, "ffmpeg failed 3"),
                                                               ("failed", 1, "bad photo")]


def test_cancel_and_retry(tmp_path, scripts):
    q = _queue(tmp_path)
    job = q.submit("two", [TaskSpec(scripts[0]), TaskSpec(scripts[1])])
    running = q.claim("r", 30)
    assert q.cancel(job[:12]) == 2  # a unique start of the id will do
    assert q.renew("r", [running.id], 30) == {running.id: "cancelled"}
    assert q.finish(running.id, "r", {}) is False
    assert [t.state for t in q.status(job).tasks] == ["cancelled", "cancelled"]
    assert q.status(job).state == "cancelled"
    assert q.retry(job) == 2
    assert [(t.state, t.attempts, t.error) for t in q.status(job).tasks] == [("queued", 0, None)] * 2
    with pytest.raises(QueueError, match=r"no job 'nope' in .*queue.db; `claimreel jobs status` lists the jobs"):
        q.cancel("nope")


def test_a_stopped_task_goes_back_without_counting_the_attempt(tmp_path, scripts):
    q = _queue(tmp_path)
    job = q.submit("one", [TaskSpec(scripts[0])])
    task = q.claim("r", 30)
    q.release(task.id, "r", "the runner was stopped")
    assert [(t.state, t.attempts) for t in q.status(job).tasks] == [("queued", 0)]


def test_jobs_are_listed_newest_first(tmp_path, scripts):
    clock = Clock()
    q = _queue(tmp_path, clock)
    first = q.submit("first", [TaskSpec(scripts[0])])
    clock.now += 60
    second = q.submit("second", [TaskSpec(scripts[1])])
    assert [j.id for j in q.jobs()] == [second, first]


def test_a_bad_task_queues_nothing(tmp_path, scripts):
    q = _queue(tmp_path)
    with pytest.raises(Exception, match="the script has no cut named 'nope'"):
        q.submit("bad", [TaskSpec(scripts[0]), TaskSpec(scripts[1], cuts=("nope",))])
    with pytest.raises(Exception, match=r"unknown loudness profile 'loudest'"):
        q.submit("bad", [TaskSpec(scripts[0], loudness="loudest")])
    with pytest.raises(Exception, match=r"script not found"):
        q.submit("bad", [TaskSpec(scripts[0].with_name("missing.yaml"))])
    assert q.jobs() == []


def test_a_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "queue.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(QueueError) as caught:
        Queue(path).jobs()
    assert str(caught.value) == (
        f"{path}: this queue was written by a newer claimreel (schema {len(MIGRATIONS) + 1}, this one knows "
        f"{len(MIGRATIONS)}); upgrade claimreel, or give --queue another file")
    assert caught.value.exit_code == 2
    assert path.read_bytes() == before


def test_a_corrupt_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "queue.db"
    path.write_bytes(b"this is not a database, but somebody's notes" * 100)
    before = path.read_bytes()
    with pytest.raises(QueueError) as caught:
        Queue(path).jobs()
    assert str(caught.value) == (
        f"{path}: not a usable queue database (file is not a database); it is left as it is: move it aside "
        "(or give --queue another file) to start a new queue")
    assert path.read_bytes() == before


def test_a_database_locked_too_long_is_a_clear_error(tmp_path, scripts):
    q = _queue(tmp_path)
    q.jobs()  # made
    holder = sqlite3.connect(q.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(QueueError, match=r"queue.db: the queue database stayed locked by another process "
                           r"\(database is locked\); try again"):
            Queue(q.path, busy_timeout=0.2).submit("x", [TaskSpec(scripts[0])])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_opening_again_keeps_the_data_and_the_schema_version(tmp_path, scripts):
    q = _queue(tmp_path)
    job = q.submit("kept", [TaskSpec(scripts[0])])
    q.close()
    again = Queue(q.path)
    assert again.status(job).name == "kept"
    assert sqlite3.connect(q.path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert sqlite3.connect(q.path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_progress_is_written_at_most_every_interval_and_carries_cancellation(tmp_path, scripts):
    q = _queue(tmp_path)
    q.submit("one", [TaskSpec(scripts[0])])
    task = q.claim("r", 30)
    now = [0.0]
    progress = QueueProgress(q, task.id, "r", interval=0.5, clock=lambda: now[0])
    progress.start("video 16x9", 10)
    for step in range(4):
        now[0] += 0.1
        progress.advance("video 16x9")
    assert (q.task(task.id).stage, q.task(task.id).percent) == ("video 16x9", 0.0)  # throttled
    now[0] += 0.2
    progress.advance("video 16x9")
    assert q.task(task.id).percent == 50.0
    progress.advance("video 16x9")
    progress.close()
    assert q.task(task.id).percent == 60.0
    progress.cancelled.set()
    with pytest.raises(TaskCancelled):
        progress.advance("video 16x9")
