"""The job queue's store without rendering or a workspace: claims and their tokens, leases,
attempts, cancel/retry, the state table, and damaged databases."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

import pytest

from claimreel.errors import QueueError, TaskCancelled
from claimreel.jobs import MAX_ATTEMPTS, Queue, TaskSpec
from claimreel.jobs.model import Claim, NewTask
from claimreel.jobs.progress import QueueProgress
from claimreel.jobs.states import allowed
from claimreel.jobs.store import MIGRATIONS


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _queue(tmp_path: Path, clock: Clock | None = None) -> Queue:
    return Queue(tmp_path / "q" / "queue.db", clock=clock or Clock())


def _tasks(tmp_path: Path, n: int, out: Path | None = None) -> list[NewTask]:
    """``n`` tasks as the submit service would hand them over; the store reads no script."""
    return [NewTask(TaskSpec(tmp_path / f"s{i}.yaml", ("16x9",), preview=True, out=out or tmp_path / "out"),
                    f"story-{i}", (out or tmp_path / "out") / f"story-{i}") for i in range(1, n + 1)]


def test_the_store_works_on_an_empty_folder_and_claims_each_task_once_in_order(tmp_path):
    q = _queue(tmp_path)
    assert list(tmp_path.iterdir()) == []
    job = q.add("four", _tasks(tmp_path, 4))
    status = q.status(job)
    assert (status.name, status.state, [t.state for t in status.tasks]) == ("four", "queued", ["queued"] * 4)
    assert [t.story for t in status.tasks] == ["story-1", "story-2", "story-3", "story-4"]
    assert status.tasks[0].options["formats"] == ["16x9"]
    claimed = [q.claim("r1", 30) for _ in range(5)]
    assert [t.id for t in claimed[:4]] == [t.id for t in status.tasks] and claimed[4] is None
    assert all(t.state == "running" and t.attempts == 1 and t.claim for t in claimed[:4])
    assert len({t.claim for t in claimed[:4]}) == 4
    assert q.finish(claimed[0].held, {"wall_s": 1.0}) is True
    assert q.finish(Claim(claimed[1].id, "someone-else's"), {}) is False  # not theirs
    assert q.status(job).tasks[0].state == "done" and q.status(job).tasks[0].result == {"wall_s": 1.0}
    assert q.status(job).tasks[0].claim is None  # let go with the finish


def test_threads_claiming_at_once_never_share_a_task(tmp_path):
    q = _queue(tmp_path)
    q.add("many", [t for i in range(10) for t in _tasks(tmp_path, 4, tmp_path / f"out{i}")])
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


def test_a_task_waits_while_another_writes_its_output_folder(tmp_path):
    q = _queue(tmp_path)
    first, second = _tasks(tmp_path, 2)
    q.add("same folder twice", [first, NewTask(dataclasses.replace(first.spec, formats=("9x16",)), first.story,
                                               first.out), second])
    a = q.claim("r1", 30)
    b = q.claim("r2", 30)
    assert (a.story, b.story) == ("story-1", "story-2")  # the 9x16 task waits its turn
    assert q.claim("r2", 30) is None
    q.finish(a.held, {})
    assert q.claim("r2", 30).options["formats"] == ["9x16"]


def test_expired_leases_return_to_the_queue_then_fail_after_the_last_attempt(tmp_path):
    clock = Clock()
    q = _queue(tmp_path, clock)
    job = q.add("one", _tasks(tmp_path, 1))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        task = q.claim(f"r{attempt}", 10)
        assert task is not None and task.attempts == attempt
        clock.now += 5
        assert q.renew([task.held], 10) == {task.id: "running"}
        clock.now += 11  # the runner died: no renewal
    assert q.claim("late", 10) is None
    task = q.status(job).tasks[0]
    assert task.state == "failed" and task.attempts == MAX_ATTEMPTS
    assert task.error == ("runner r3 stopped renewing its lease (killed or hung); gave up after 3 attempts; "
                          "last error: runner r2 stopped renewing its lease (killed or hung)")
    assert "back in the queue" in q.logs(job)


def test_a_lost_claim_changes_nothing_even_for_the_same_runner(tmp_path):
    """The runner that lost its lease claims the task again: the first attempt's writes are
    refused (its token is stale), and the runner does not claim a task it still has in flight."""
    clock = Clock()
    q = _queue(tmp_path, clock)
    job = q.add("one", _tasks(tmp_path, 1))
    first = q.claim("r", 10)
    clock.now += 11  # renewal starved past the lease
    assert q.claim("r", 10, skip=[first.id]) is None  # its own attempt is still in flight here
    second = q.claim("r", 10)
    assert second.id == first.id and second.attempts == 2 and second.claim != first.claim
    assert q.renew([first.held], 10) == {first.id: "lost"}
    q.progress(first.held, "video 16x9", 50)
    assert q.finish(first.held, {"from": "first"}) is False
    assert q.fail(first.held, "late failure", again=True) == "lost"
    assert q.release(first.held, "stopped") is False
    q.let_go(first.held)
    now = q.task(first.id)
    assert (now.state, now.claim, now.stage) == ("running", second.claim, "waiting")
    assert now.error == "runner r stopped renewing its lease (killed or hung)"  # not "late failure"
    assert q.finish(second.held, {"from": "second"}) is True
    assert q.status(job).tasks[0].result == {"from": "second"}


def test_deterministic_failures_fail_at_once_and_others_are_tried_again_up_to_the_limit(tmp_path):
    q = _queue(tmp_path)
    job = q.add("two", _tasks(tmp_path, 2))
    a = q.claim("r", 30)
    assert q.fail(a.held, "a worker process died", again=True) == "queued"
    b = q.claim("r", 30)
    assert b.id != a.id
    assert q.fail(b.held, "bad photo", again=False) == "failed"
    for attempt in (2, 3):
        again = q.claim("r", 30)
        assert (again.id, again.attempts) == (a.id, attempt)
        state = q.fail(again.held, f"a worker process died {attempt}", again=True)
    assert state == "failed"
    tasks = q.status(job).tasks
    assert [(t.state, t.attempts, t.error) for t in tasks] == [("failed", 3, "a worker process died 3"),
                                                               ("failed", 1, "bad photo")]
    log = q.logs(job)
    assert log.count("back in the queue") == 2 and "attempt 3 failed: a worker process died 3\n" in log


def test_cancel_keeps_the_output_fenced_until_the_attempt_lets_go_and_retry_waits_for_it(tmp_path):
    q = _queue(tmp_path)
    job = q.add("two", _tasks(tmp_path, 2))
    running = q.claim("r", 30)
    assert q.cancel(job[:12]) == 2  # a unique start of the id will do
    assert q.renew([running.held], 30) == {running.id: "cancelled"}
    assert q.finish(running.held, {}) is False
    assert "finished as it was cancelled: the new output was written; the task stays cancelled" in q.logs(job)
    assert [t.state for t in q.status(job).tasks] == ["cancelled", "cancelled"]
    assert q.status(job).state == "cancelled"
    assert q.retry(job) == 2
    assert [(t.state, t.attempts, t.error) for t in q.status(job).tasks] == [("queued", 0, None)] * 2
    # the cancelled attempt is still stopping: its task waits, the other one starts
    assert q.claim("r2", 30).id == running.id + 1
    assert q.claim("r2", 30) is None
    assert q.renew([running.held], 30) == {running.id: "queued"}  # still its claim: it knows to stop
    q.let_go(running.held, "attempt 1 stopped")
    again = q.claim("r2", 30)
    assert (again.id, again.attempts) == (running.id, 1)
    assert "attempt 1 stopped" in q.logs(job)
    with pytest.raises(QueueError, match=r"no job 'nope' in .*queue.db; `claimreel jobs status` lists the jobs"):
        q.cancel("nope")


def test_a_stopped_task_goes_back_without_counting_the_attempt(tmp_path):
    q = _queue(tmp_path)
    job = q.add("one", _tasks(tmp_path, 1))
    task = q.claim("r", 30)
    assert q.release(task.held, "the runner was stopped") is True
    assert [(t.state, t.attempts, t.claim) for t in q.status(job).tasks] == [("queued", 0, None)]


def test_jobs_are_listed_newest_first(tmp_path):
    clock = Clock()
    q = _queue(tmp_path, clock)
    first = q.add("first", _tasks(tmp_path, 1))
    clock.now += 60
    second = q.add("second", _tasks(tmp_path, 1))
    assert [j.id for j in q.jobs()] == [second, first]


def test_every_statement_follows_the_state_table(tmp_path):
    """Drive a task through every operation and check each change against :data:`MOVES`."""
    clock = Clock()
    q = _queue(tmp_path, clock)
    job = q.add("one", _tasks(tmp_path, 1))
    seen = []

    def state() -> str:
        seen.append(q.status(job).tasks[0].state)
        return seen[-1]

    state()
    t = q.claim("r", 10); state()
    q.fail(t.held, "x", again=True); state()
    t = q.claim("r", 10); state()
    q.release(t.held, "stop"); state()
    t = q.claim("r", 10); state()
    clock.now += 11
    q.claim("other", 10, skip=[t.id]); state()
    q.cancel(job); state()
    q.retry(job); state()
    t = q.claim("r", 10); state()
    q.finish(t.held, {}); state()
    assert q.retry(job) == 0 and q.cancel(job) == 0 and state() == "done"
    for before, after in zip(seen, seen[1:]):
        assert before == after or allowed(before, after), (before, after)
    assert not allowed("done", "queued") and not allowed("cancelled", "running")


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
        f"{len(MIGRATIONS)}); upgrade claimreel, or give the queue option another file")
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
        "(or give the queue option another file) to start a new queue")
    assert path.read_bytes() == before


def test_a_database_locked_too_long_is_a_clear_error(tmp_path):
    q = _queue(tmp_path)
    q.jobs()  # made
    holder = sqlite3.connect(q.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(QueueError, match=r"queue.db: the queue database stayed locked by another process "
                           r"\(database is locked\); try again"):
            Queue(q.path, busy_timeout=0.2).add("x", _tasks(tmp_path, 1))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_opening_again_keeps_the_data_and_the_schema_version(tmp_path):
    q = _queue(tmp_path)
    job = q.add("kept", _tasks(tmp_path, 1))
    q.close()
    again = Queue(q.path)
    assert again.status(job).name == "kept"
    assert sqlite3.connect(q.path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert sqlite3.connect(q.path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_progress_is_written_at_most_every_interval_and_carries_cancellation(tmp_path):
    q = _queue(tmp_path)
    q.add("one", _tasks(tmp_path, 1))
    task = q.claim("r", 30)
    now = [0.0]
    progress = QueueProgress(q, task.held, interval=0.5, clock=lambda: now[0])
    progress.start("video 16x9", 10, kind="encode")
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


def test_encoding_is_known_from_the_stage_kind_not_its_label(tmp_path):
    q = _queue(tmp_path)
    q.add("one", _tasks(tmp_path, 1))
    progress = QueueProgress(q, q.claim("r", 30).held)
    progress.start("video poster frames", 3)  # named like an encode, but made in this process
    assert not progress.encoding
    progress.start("final pass", 2, kind="encode")
    assert progress.encoding


def _open_at_once(path: str, barrier, answers) -> None:
    """(in a forked process) Open the queue at ``path`` with the others, and say how it went."""
    barrier.wait()
    try:
        Queue(Path(path)).jobs()
        answers.put("ok")
    except QueueError as exc:
        answers.put(str(exc))


def test_processes_opening_a_new_queue_at_once_each_get_in(tmp_path):
    """Several producers at once on a queue not made yet (one submit per producer): every one of them
    opens it, however their switches of the new file to WAL mode cross (SQLite refuses one of two at
    once, without waiting)."""
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    refused = []
    for trial in range(15):  # about one trial in ten crossed badly before the switch was tried again
        barrier, answers = fork.Barrier(6), fork.Queue()
        openers = [fork.Process(target=_open_at_once, args=(str(tmp_path / f"{trial}.db"), barrier, answers))
                   for _ in range(6)]
        for process in openers:
            process.start()
        refused += [a for a in (answers.get(timeout=60) for _ in openers) if a != "ok"]
        for process in openers:
            process.join(timeout=60)
    assert refused == []
