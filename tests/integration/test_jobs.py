"""Render jobs with real processes: runners sharing a queue, a killed runner, cancel and retry,
producers submitting at once, a disk that fills.

Every render here is a small script with the fake speech engine; most are previews. Runners are
``claimreel jobs run`` subprocesses in their own process group, killed with the group at the end
even when a test fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from claimreel.cli import main
from claimreel.jobs import Queue

from ..conftest import REPO, SMALL_SCRIPT, make_photo

pytestmark = pytest.mark.integration


def _workspace(root: Path, ids: tuple[str, ...] = ("small-check",)) -> Path:
    (root / "scripts").mkdir(parents=True)
    make_photo(root / "assets" / "photos" / "river.jpg", (320, 180))
    for story in ids:
        (root / "scripts" / f"{story}.yaml").write_text(SMALL_SCRIPT.replace("id: small-check", f"id: {story}"),
                                                        encoding="utf-8")
    return root


def _env(ws: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "CLAIMREEL_QUEUE": str(ws / "queue.db"), **extra}


def _claimreel(ws: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claimreel", *args], cwd=ws, env=_env(ws, **env),
                          capture_output=True, text=True, timeout=300)


@contextmanager
def _runners(ws: Path, *commands: list[str], **env: str) -> Iterator[list[subprocess.Popen]]:
    procs = [subprocess.Popen([sys.executable, "-m", "claimreel", "jobs", "run", *cmd], cwd=ws, env=_env(ws, **env),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
             for cmd in commands]
    try:
        yield procs
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()


def _complete(folder: Path) -> bool:
    """The manifest lists exactly the folder's other files, with matching SHA-256."""
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    found = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"}
    return listed == found


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _until(check, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not reached in {timeout} s")


def test_two_runners_share_a_queue_and_render_each_task_once(tmp_path):
    ids = tuple(f"check-{n}" for n in range(1, 5))
    ws = _workspace(tmp_path, ids)
    sub = _claimreel(ws, "jobs", "submit", *[f"scripts/{i}.yaml" for i in ids], "--preview", "--voice", "fake",
                     "--out", "out")
    assert sub.returncode == 0, sub.stderr
    job = sub.stdout.strip()
    with _runners(ws, ["--once", "--jobs", "1", "--tasks", "1"], ["--once", "--jobs", "1", "--tasks", "1"]) as procs:
        results = [p.communicate(timeout=240) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
    status = Queue(ws / "queue.db").status(job)
    assert [(t.story, t.state, t.attempts) for t in status.tasks] == [(i, "done", 1) for i in ids]
    logs = Queue(ws / "queue.db").logs(job)
    claims = [line for line in logs.splitlines() if ": claimed by " in line]
    assert sorted(line.split(" task ")[1].split(":")[0] for line in claims) == sorted(
        f"{t.id} {t.story}" for t in status.tasks)  # each task claimed exactly once
    done_lines = [line for _, err in results for line in err.splitlines() if line.endswith(")") and ": done in " in line]
    assert sorted(line.split(":")[0] for line in done_lines) == sorted(f"task {t.id} {t.story}" for t in status.tasks)
    for story in ids:
        folder = ws / "out" / "_previews" / story
        assert _complete(folder)
        assert json.loads((folder / "manifest.json").read_text())["id"] == story
    report = json.loads((ws / "out" / "_jobs" / job / "report.json").read_text())
    assert report["state"] == "done" and [t["state"] for t in report["tasks"]] == ["done"] * 4
    assert all(t["formats"][0]["player"] == f"_previews/{t['story']}/16x9/index.html" for t in report["tasks"])


def test_a_killed_runner_loses_its_lease_and_the_task_completes_after_a_restart(tmp_path):
    ws = _workspace(tmp_path)
    job = _claimreel(ws, "jobs", "submit", "scripts/small-check.yaml", "--preview", "--voice", "fake",
                     "--out", "out").stdout.strip()
    with _runners(ws, ["--jobs", "1", "--lease", "2"], CLAIMREEL_TEST_KILL_AT="segments") as (killed,):
        assert killed.wait(timeout=120) == -signal.SIGKILL  # the runner SIGKILLed itself mid-encode
        gone_by = time.monotonic() + 0.5  # its workers get their parent-death signal in that time
        while (leftover := _left_in_group(killed.pid)) and time.monotonic() < gone_by:
            time.sleep(0.02)
        assert leftover == [], "a worker outlived the killed runner"
    task = Queue(ws / "queue.db").status(job).tasks[0]
    assert (task.state, task.attempts) == ("running", 1)
    _until(lambda: Queue(ws / "queue.db").status(job).tasks[0].lease_expired(time.time()), 5)
    assert "its runner stopped (lease expired" in _claimreel(ws, "jobs", "status", job).stdout
    assert not (ws / "out" / "_previews" / "small-check" / "manifest.json").exists()
    with _runners(ws, ["--once", "--jobs", "1", "--lease", "2"]) as (again,):
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, err
    task = Queue(ws / "queue.db").status(job).tasks[0]
    assert (task.state, task.attempts, task.error) == ("done", 2, None)
    assert "stopped renewing its lease (killed or hung); back in the queue" in Queue(ws / "queue.db").logs(job)
    assert _complete(ws / "out" / "_previews" / "small-check")


def _left_in_group(pgid: int) -> list[psutil.Process]:
    """The processes of group ``pgid`` that have not exited."""
    return [p for p in psutil.process_iter(["pid", "status"])
            if _in_group(p, pgid) and p.info["status"] != psutil.STATUS_ZOMBIE]


def _in_group(proc: psutil.Process, pgid: int) -> bool:
    try:
        return os.getpgid(proc.pid) == pgid
    except (ProcessLookupError, psutil.Error):
        return False


def _running(proc: psutil.Process) -> bool:
    """Not exited yet (a zombie has exited: it runs nothing and holds no memory; its parent reaps it)."""
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_for(ws: Path, job: str, state: str, timeout: float = 120) -> None:
    _until(lambda: Queue(ws / "queue.db").status(job).tasks[0].state == state, timeout)


def test_cancel_stops_the_workers_within_two_seconds_keeps_the_output_and_retry_completes(tmp_path, capsys):
    ws = _workspace(tmp_path)
    q = Queue(ws / "queue.db")
    queue = ["--queue", str(ws / "queue.db")]
    script, out = str(ws / "scripts" / "small-check.yaml"), str(ws / "out")

    def jobs(*args: str) -> tuple[int, str]:
        code = main(["jobs", *args, *queue])
        return code, capsys.readouterr().out

    _, first = jobs("submit", script, "--format", "1x1", "--preview", "--voice", "fake", "--out", out)
    with _runners(ws, ["--jobs", "2"]) as (runner,):
        _wait_for(ws, first.strip(), "done")
        folder = ws / "out" / "_previews" / "small-check"
        before = _snapshot(folder)
        _, second = jobs("submit", script, "--format", "16x9,9x16,4x5", "--preview", "--voice", "fake", "--out", out)
        second = second.strip()
        _until(lambda: (q.status(second).tasks[0].stage or "").startswith("video"), 60, 0.05)
        workers = [c for c in psutil.Process(runner.pid).children() if "spawn_main" in " ".join(c.cmdline())]
        assert len(workers) == 2
        _until(lambda: any(w.children() for w in workers), 30, 0.02)  # an ffmpeg is encoding
        doomed = workers + [child for w in workers for child in w.children(recursive=True)]
        assert jobs("cancel", second) == (0, f"cancelled 1 task(s) of job {second}\n")
        cancelled_at = time.monotonic()
        _until(lambda: not [p for p in doomed if _running(p)], 5, 0.01)
        gone_after = time.monotonic() - cancelled_at
        assert gone_after < 2.0, gone_after  # the workers and their ffmpeg
        _until(lambda: q.status(second).tasks[0].claim is None, 30, 0.05)
        stopped_after = time.monotonic() - cancelled_at
        assert stopped_after < 2.0, stopped_after  # the attempt has unwound and let go of the folder
        logs = q.logs(second)
        assert "attempt 1 stopped" in logs and "cancelled; the previous output is intact" in logs
        assert q.status(second).tasks[0].state == "cancelled"
        assert _snapshot(folder) == before
        assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []  # no staging, no lock left
        assert jobs("wait", second)[0] == 1
        assert jobs("retry", second) == (0, f"queued 1 task(s) of job {second} again\n")
        assert jobs("wait", second)[0] == 0
        logs = q.logs(second)
        assert "waiting for it to finish" not in logs  # the retry never waited on the cancelled attempt's lock
        assert "worker process died" not in logs and "tried again" not in logs
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=30) == 0
        said = runner.stderr.read()
        assert "cancelled; the previous output is intact" in said and "worker process died" not in said
        assert "cannot schedule" not in said
    task = q.status(second).tasks[0]
    assert (task.state, task.attempts) == ("done", 1)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(manifest["formats"]) == ["16x9", "1x1", "4x5", "9x16"]  # 1x1 kept from the first job
    assert _complete(folder)
    code, status = jobs("status", second)
    assert code == 0 and f"task {task.id:<4} small-check" in status and " done " in status


def test_four_producers_submitting_at_once_each_get_their_job(tmp_path):
    ids = tuple(f"check-{n}" for n in range(1, 5))
    ws = _workspace(tmp_path, ids)
    procs = [subprocess.Popen([sys.executable, "-m", "claimreel", "jobs", "submit", f"scripts/{i}.yaml", "--name", i],
                              cwd=ws, env=_env(ws), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in ids]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, results
    job_ids = [out.strip() for out, _ in results]
    assert len(set(job_ids)) == 4
    jobs = {j.id: j for j in Queue(ws / "queue.db").jobs()}
    assert {jobs[j].name: [t.story for t in jobs[j].tasks] for j in job_ids} == {i: [i] for i in ids}


def _mount_tmpfs(where: Path, size: str) -> str | None:
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    return None if proc.returncode == 0 else (proc.stderr.strip() or "mount failed")


def test_a_full_disk_fails_the_task_clearly_and_the_queue_goes_on(tmp_path):
    ws = _workspace(tmp_path, ("small-check", "other-check"))
    full = tmp_path / "full"
    problem = _mount_tmpfs(full, "300k")
    if problem:
        pytest.skip(f"needs a small tmpfs to fill (mount: {problem})")
    try:
        job = _claimreel(ws, "jobs", "submit", "scripts/small-check.yaml", "--preview", "--voice", "fake",
                         "--out", str(full)).stdout.strip()
        fine = _claimreel(ws, "jobs", "submit", "scripts/other-check.yaml", "--preview", "--voice", "fake",
                          "--out", "out").stdout.strip()
        run = _claimreel(ws, "jobs", "run", "--once", "--jobs", "1")
        assert run.returncode == 1
        q = Queue(ws / "queue.db")
        task = q.status(job).tasks[0]
        assert (task.state, task.attempts) == ("failed", 1)  # not tried again: it would fill up again
        assert task.error.startswith("the disk is full (") and "No space left on device" in task.error
        assert task.error.endswith("and `claimreel jobs retry` the job; the previous output is intact")
        assert q.status(fine).tasks[0].state == "done"
        assert _complete(ws / "out" / "_previews" / "other-check")
        assert not (full / "_previews" / "small-check").exists()
    finally:
        subprocess.run(["umount", str(full)], check=False)


def test_a_runner_that_finds_its_lease_lost_stops_that_attempt_and_writes_nothing(tmp_path):
    """Another claim takes the task mid-render (as after a lease ran out): the first attempt stops
    at once and records nothing on the task; when the other claim lapses the task is done once."""
    from claimreel.jobs import Runner, TaskSpec, submit

    ws = _workspace(tmp_path)
    q = Queue(ws / "queue.db")
    job = submit(q, "stolen", [TaskSpec(ws / "scripts" / "small-check.yaml", ("16x9", "9x16", "1x1", "4x5"),
                                        preview=True, voice="fake", out=ws / "out")])
    said: list[str] = []
    runner = Runner(q, jobs=1, tasks=1, lease=5, check=0.1, poll=0.2, cache=ws / "cache", say=said.append)
    thread = threading.Thread(target=runner.run, kwargs={"once": True})
    thread.start()
    try:
        _until(lambda: (q.status(job).tasks[0].stage or "").startswith("video"), 120, 0.02)
        conn = sqlite3.connect(q.path)
        conn.execute("UPDATE tasks SET claim = 'thief', owner = 'thief', attempts = attempts + 1, lease_until = ? "
                     "WHERE job = ?", (time.time() + 2, job))
        conn.commit()
        conn.close()
        _until(lambda: any("this attempt stopped" in line for line in said), 10, 0.02)
    finally:
        thread.join(timeout=180)
    task = q.status(job).tasks[0]
    logs = q.logs(job)
    assert (task.state, task.attempts) == ("done", 3)  # first attempt, the thief's, the one that finished
    assert logs.count(": done\n") == 1 and "finished, but no longer" not in logs
    assert "lease on the task ran out and the task went back to the queue; this attempt stopped" in logs
    assert "runner thief stopped renewing its lease" in logs
    assert runner.counts["done"] == 1 and runner.counts["failed"] == 0
    assert _complete(ws / "out" / "_previews" / "small-check")


def test_a_deterministic_ffmpeg_failure_is_tried_once_and_said_the_same_everywhere(tmp_path):
    """An encode that fails the same way every time (here an ffmpeg that refuses every video
    encode) fails after one attempt; the queue, its log, the runner and the report say the same."""
    import imageio_ffmpeg

    from claimreel.jobs import Runner, TaskSpec, submit

    ws = _workspace(tmp_path)
    fake = ws / "ffmpeg"
    fake.write_text('#!/bin/sh\ncase "$*" in *libx264*) echo "frame: Invalid data found when processing input" >&2; '
                    f'exit 1;; esac\nexec "{imageio_ffmpeg.get_ffmpeg_exe()}" "$@"\n')
    fake.chmod(0o755)
    q = Queue(ws / "queue.db")
    job = submit(q, "bad media", [TaskSpec(ws / "scripts" / "small-check.yaml", ("16x9",), preview=True,
                                           voice="fake", out=ws / "out")])
    said: list[str] = []
    counts = Runner(q, jobs=1, tasks=1, cache=ws / "cache", ffmpeg=str(fake), say=said.append).run(once=True)
    task = q.status(job).tasks[0]
    assert (task.state, task.attempts, counts["failed"]) == ("failed", 1, 1)
    assert "Invalid data found when processing input" in task.error
    logs = q.logs(job)
    assert f"attempt 1 failed: {task.error}\n" in logs and "back in the queue" not in logs
    assert [line for line in said if "failed" in line] == [f"task {task.id} small-check: attempt 1 failed: {task.error}"]
    report = json.loads((ws / "out" / "_jobs" / job / "report.json").read_text())
    assert report["tasks"][0]["error"] == task.error
    for text in (task.error, logs, *said):
        assert "tried again" not in text and "cannot schedule" not in text and "internal error" not in text
