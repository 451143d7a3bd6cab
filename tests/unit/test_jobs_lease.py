"""The lease keeper: renews on a thread of its own while other threads hog the interpreter,
tells of cancelled and lost claims once each, and survives a failing notice."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from claimreel.jobs import Queue, TaskSpec
from claimreel.jobs.lease import LeaseKeeper
from claimreel.jobs.model import NewTask


def _queue_with(tmp_path: Path, n: int) -> tuple[Queue, str]:
    q = Queue(tmp_path / "queue.db")
    job = q.add("j", [NewTask(TaskSpec(tmp_path / f"s{i}.yaml"), f"s{i}", tmp_path / "out" / f"s{i}")
                      for i in range(n)])
    return q, job


def _until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_leases_stay_renewed_while_other_threads_hog_the_interpreter(tmp_path):
    q, _ = _queue_with(tmp_path, 1)
    task = q.claim("r", 2.0)
    said: list[str] = []
    keeper = LeaseKeeper(q, lease=2.0, check=0.05, notice=lambda *a: said.append(str(a)), say=said.append)
    keeper.hold(task.held)
    keeper.start()
    stop = time.monotonic() + 3.0

    def hog() -> None:  # pure-Python work, as layout and mixing do between C calls
        n = 0
        while time.monotonic() < stop:
            n += sum(i * i for i in range(2000))

    hogs = [threading.Thread(target=hog) for _ in range(3)]
    for h in hogs:
        h.start()
    for h in hogs:
        h.join()
    keeper.stop()
    assert q.task(task.id).lease_until > time.time()  # never ran out
    assert q.claim("other", 2.0) is None  # so nobody else could take it
    assert 0 < keeper.longest_gap < 2.0 and said == []


def test_cancelled_and_lost_claims_are_told_once_each_and_a_failing_notice_is_survived(tmp_path):
    q, job = _queue_with(tmp_path, 2)
    first, second = q.claim("r", 5.0), q.claim("r", 5.0)
    told: list[tuple[int, str]] = []

    def notice(task_id: int, state: str) -> None:
        told.append((task_id, state))
        if len(told) == 1:
            raise RuntimeError("the notice itself broke")

    said: list[str] = []
    keeper = LeaseKeeper(q, lease=5.0, check=0.05, notice=notice, say=said.append)
    keeper.hold(first.held)
    keeper.hold(second.held)
    keeper.start()
    try:
        conn = sqlite3.connect(q.path)
        conn.execute("UPDATE tasks SET claim = 'taken' WHERE id = ?", (second.id,))  # another runner's now
        conn.commit()
        conn.close()
        _until(lambda: len(told) >= 1)
        q.cancel(job)
        _until(lambda: len(told) >= 2)
        time.sleep(0.3)  # more beats: nothing is told twice
    finally:
        keeper.stop()
    assert sorted(told) == [(first.id, "cancelled"), (second.id, "lost")]
    assert said == [f"task {second.id}: could not stop it (RuntimeError: the notice itself broke)"]
    assert q.task(first.id).lease_until > time.time() + 4  # the cancelled claim is still renewed
