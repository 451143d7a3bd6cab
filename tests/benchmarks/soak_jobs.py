"""Soak test of the render-job queue under load (a benchmark: not collected by pytest).

Two ``claimreel jobs run`` runners share one queue holding preview renders of the example
scripts in ``scripts/`` (each script in several formats, one output root per format, so most
tasks really encode). CPU hogs keep the load average above the machine's cores many times
over. Midway one runner is SIGKILLed and started again; one job is cancelled while a task of
it encodes and retried at once. At the end it checks:

- every task is done exactly once (one ``done`` event, no late finish by a lost claim);
- every output folder verifies against its manifest (SHA-256 of every file);
- no live runner lost a lease (only the killed runner's tasks came back by lease expiry), and
  the longest time a live runner's claim went unrenewed, sampled from the queue;
- no attempt beyond what the faults explain (the kill, the cancel); no failed attempt;
- the cancelled attempt stopped (its claim let go) within 2 s, its workers and ffmpeg with it,
  and the retry never waited on its output lock; the killed runner left no process behind.

    PYTHONPATH=src python tests/benchmarks/soak_jobs.py            # 30 tasks, 8 hogs
    PYTHONPATH=src python tests/benchmarks/soak_jobs.py --tasks 12 --hogs 6 --json soak.json

Exit status 0 when every check holds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_jobs import REPO, workspace  # noqa: E402

FORMATS = ("16x9", "9x16", "1x1", "4x5")
LEASE = 10.0


def _env(ws: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "CLAIMREEL_QUEUE": str(ws / "queue.db")}


def _cli(ws: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "claimreel", *args], cwd=ws, env=_env(ws), capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"claimreel {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _runner(ws: Path, name: str) -> subprocess.Popen:
    log = open(ws / f"runner-{name}-{time.monotonic_ns()}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "claimreel", "jobs", "run", "--jobs", "1", "--tasks", "2",
                             "--lease", str(LEASE), "--cache", f"cache-{name}"],
                            cwd=ws, env=_env(ws), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _tree(pid: int) -> list[int]:
    """``pid``'s descendants, read from /proc."""
    from claimreel.jobs.reaper import descendants

    return descendants(pid)


def _pool_tree(runner: int) -> list[int]:
    """The runner's pool workers and everything they run (not its resource tracker, nor the ffmpeg
    the runner itself runs for another task's soundtrack or mux)."""
    workers = []
    for pid in _tree(runner):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
            workers.append(pid)
    return workers + [child for pid in workers for child in _tree(pid)]


def _exited(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def _rows(db: Path, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _verified(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    found = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"}
    return listed == found


class Sampler:
    """Load average, and how long each live runner's claims have gone unrenewed, every 0.2 s."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.loads: list[float] = []
        self.unrenewed: dict[str, float] = {}  # owner -> longest seconds since its last renewal
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self.loads.append(os.getloadavg()[0])
            try:
                rows = _rows(self.db, "SELECT owner, lease_until FROM tasks WHERE state = 'running'")
            except sqlite3.Error:
                continue
            now = time.time()
            for row in rows:
                if row["owner"] and row["lease_until"]:
                    since = LEASE - (row["lease_until"] - now)
                    self.unrenewed[row["owner"]] = max(self.unrenewed.get(row["owner"], 0.0), since)


def _submit(ws: Path, scripts: list[Path], count: int) -> list[str]:
    """One job per script; each task of a job renders the script in one format into its own root."""
    plan: dict[Path, list[tuple[str, int]]] = {s: [] for s in scripts}
    for n in range(count):
        script = scripts[n % len(scripts)]
        plan[script].append((FORMATS[len(plan[script]) % len(FORMATS)], len(plan[script])))
    jobs = []
    for script, renders in plan.items():
        if not renders:
            continue
        entries = "".join(f"  - scripts: [scripts/{script.name}]\n    formats: [{fmt}]\n    preview: true\n"
                          f"    out: out/{k}\n" for fmt, k in renders)
        path = ws / f"job-{script.stem}.yaml"
        path.write_text(f"name: soak {script.stem}\nrenders:\n{entries}", encoding="utf-8")
        jobs.append(_cli(ws, "jobs", "submit", str(path)).strip())
    return jobs


def _wait(check, timeout: float, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"not reached in {timeout} s")


def soak(ws: Path, tasks: int, hogs: int) -> dict[str, Any]:
    db = ws / "queue.db"
    scripts = sorted((ws / "scripts").glob("*.yaml"))
    jobs = _submit(ws, scripts, tasks)
    hog_procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(hogs)]
    sampler = Sampler(db)
    sampler.thread.start()
    figures: dict[str, Any] = {"tasks": tasks, "hogs": hogs, "jobs": len(jobs), "lease_s": LEASE}
    runners = {"a": _runner(ws, "a"), "b": _runner(ws, "b")}
    started = time.monotonic()
    try:
        time.sleep(10)  # let the hogs lift the load before the faults
        done = lambda: _rows(db, "SELECT COUNT(*) FROM tasks WHERE state = 'done'")[0][0]  # noqa: E731
        _wait(lambda: done() >= tasks // 3, 3600, 1.0)
        figures["kill"] = _kill_and_restart(ws, db, runners)
        figures["cancel"] = _cancel_and_retry(ws, db, jobs, figures["kill"]["owner_pid"])
        _wait(lambda: done() == tasks, 3600, 1.0)
        figures["wall_s"] = round(time.monotonic() - started, 1)
    finally:
        for proc in [*runners.values(), *hog_procs]:
            try:
                os.killpg(proc.pid, signal.SIGKILL) if proc in runners.values() else proc.kill()
            except ProcessLookupError:
                pass
        sampler.stop.set()
    loads = sampler.loads[50:] or sampler.loads  # after the first 10 s
    figures["load_avg"] = {"min": round(min(loads), 1), "mean": round(sum(loads) / len(loads), 1),
                           "max": round(max(loads), 1)}
    killed = f":{figures['kill']['owner_pid']}:" if "kill" in figures else None
    live = {owner: s for owner, s in sampler.unrenewed.items() if not killed or killed not in owner}
    figures["longest_unrenewed_live_s"] = round(max(live.values(), default=0.0), 2)  # goal: far below the lease
    figures["checks"] = _checks(ws, db, figures)
    return figures


def _kill_and_restart(ws: Path, db: Path, runners: dict[str, subprocess.Popen]) -> dict[str, Any]:
    """SIGKILL runner a while it renders; its processes must go with it; start it again."""
    victim = runners["a"]
    _wait(lambda: _tree(victim.pid), 600, 0.2)
    tree = _tree(victim.pid)
    owners = {r["owner"] for r in _rows(db, "SELECT owner FROM tasks WHERE state = 'running'")}
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    victim.wait()
    try:
        _wait(lambda: all(_exited(pid) for pid in tree), 10, 0.05)
        left = 0
    except TimeoutError:
        left = sum(not _exited(pid) for pid in tree)
    runners["a"] = _runner(ws, "a")
    held = [r["id"] for r in _rows(db, "SELECT id, owner FROM tasks WHERE state = 'running'")
            if r["owner"] and f":{victim.pid}:" in r["owner"]]
    return {"tree": len(tree), "left_after_10_s": left, "its_tasks": held,
            "its_processes_gone_s": round(time.monotonic() - killed_at, 2), "owner_pid": victim.pid,
            "owners_running_then": sorted(o for o in owners if o)}


def _cancel_and_retry(ws: Path, db: Path, jobs: list[str], killed: int) -> dict[str, Any]:
    """Cancel a job while one of its tasks encodes on a live runner (in this process, to time it
    exactly), and retry it at once from the command line."""
    from claimreel.jobs import Queue

    def encoding() -> Any:
        rows = _rows(db, "SELECT id, job, claim, owner FROM tasks WHERE state = 'running' "
                         "AND stage LIKE 'video %' AND percent < 60 AND owner NOT LIKE ?", (f"%:{killed}:%",))
        if not rows and not _rows(db, "SELECT 1 FROM tasks WHERE state IN ('queued', 'running')"):
            raise RuntimeError("every task ended before one could be cancelled while encoding; queue more")
        return rows[0] if rows else None

    row = _wait(encoding, 1800, 0.05)
    workers = _pool_tree(int(row["owner"].split(":")[-2]))
    gone: dict[str, float] = {}

    def watch(what: str, check) -> None:
        _wait(check, 120, 0.02)
        gone[what] = time.monotonic()

    watchers = [
        threading.Thread(target=watch, args=("attempt", lambda: _rows(
            db, "SELECT claim FROM tasks WHERE id = ?", (row["id"],))[0][0] != row["claim"])),
        threading.Thread(target=watch, args=("processes", lambda: all(_exited(pid) for pid in workers))),
    ]
    Queue(db).cancel(row["job"])
    cancelled_at = time.monotonic()
    for watcher in watchers:
        watcher.start()
    _cli(ws, "jobs", "retry", row["job"])
    for watcher in watchers:
        watcher.join()
    return {"task": row["id"], "job": row["job"], "attempt_gone_s": round(gone["attempt"] - cancelled_at, 2),
            "processes": len(workers), "processes_gone_s": round(gone["processes"] - cancelled_at, 2)}


def _running_when_cancelled(said: list[str]) -> int:
    """1 if the task was running when it was cancelled (the retry then claims it once more)."""
    if "cancelled" not in said:
        return 0
    before = said[:said.index("cancelled")]
    claims = [i for i, m in enumerate(before) if m.startswith("claimed by ")]
    back = [i for i, m in enumerate(before) if "back in the queue" in m]
    return int(bool(claims) and (not back or claims[-1] > back[-1]))


def _checks(ws: Path, db: Path, figures: dict[str, Any]) -> dict[str, Any]:
    tasks = _rows(db, "SELECT * FROM tasks ORDER BY id")
    events = _rows(db, "SELECT task, message FROM events ORDER BY id")
    by_task: dict[int, list[str]] = {}
    for e in events:
        by_task.setdefault(e["task"], []).append(e["message"])
    kill, cancel = figures["kill"], figures["cancel"]
    killed = f":{kill['owner_pid']}:"
    problems: list[str] = []
    late_cancels = 0  # cancelled as the render was committing its output (then retried and done)
    claims = Counter()
    for t in tasks:
        said = by_task.get(t["id"], [])
        claims[t["id"]] = sum(m.startswith("claimed by ") for m in said)
        if t["state"] != "done" or said.count("done") != 1:
            problems.append(f"task {t['id']}: {t['state']}, {said.count('done')} done events")
        if any(m.startswith("finished, but no longer") for m in said):
            problems.append(f"task {t['id']}: a lost claim finished it")
        late_cancels += any(m.startswith("finished as it was cancelled") for m in said)
        folder = Path(t["out"])
        if not (folder / "manifest.json").is_file() or not _verified(folder):
            problems.append(f"task {t['id']}: {folder} does not verify against its manifest")
        expired = [m for m in said if "stopped renewing its lease" in m]
        if any(killed not in m for m in expired):
            problems.append(f"task {t['id']}: a live runner lost its lease: {expired}")
        if any("lease on the task ran out" in m for m in said):
            problems.append(f"task {t['id']}: a live runner found its lease lost")
        if any(" failed" in m and m.startswith("attempt ") for m in said):
            problems.append(f"task {t['id']}: a failed attempt: {[m for m in said if ' failed' in m]}")
        explained = 1 + len(expired) + _running_when_cancelled(said)
        if claims[t["id"]] > explained:
            problems.append(f"task {t['id']}: {claims[t['id']]} claims, {explained} explained: {said}")
        if any("waiting for it to finish" in m for m in said):
            problems.append(f"task {t['id']}: an attempt waited on another's output lock")
    if cancel["attempt_gone_s"] > 2.0 or cancel["processes_gone_s"] > 2.0:
        problems.append(f"the cancelled attempt took {cancel['attempt_gone_s']} s to stop, its processes "
                        f"{cancel['processes_gone_s']} s")
    if kill["left_after_10_s"]:
        problems.append(f"the killed runner left {kill['left_after_10_s']} processes running")
    return {"attempts": sum(claims.values()), "tasks": len(tasks), "cancelled_while_committing": late_cancels,
            "problems": problems, "ok": not problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=30, help="preview renders to queue (default 30)")
    parser.add_argument("--hogs", type=int, default=8, help="busy-looping processes keeping the load up (default 8)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the runners and hogs on the way out
    with tempfile.TemporaryDirectory(prefix="claimreel-soak-") as tmp:
        ws = workspace(Path(tmp))
        figures = soak(ws, args.tasks, args.hogs)
        logs = "".join(p.read_text() for p in sorted(ws.glob("runner-*.log")))
        figures["runner_output_leaks"] = [line for line in logs.splitlines()
                                          if "cannot schedule" in line or "Traceback" in line]
        if figures["runner_output_leaks"]:
            figures["checks"]["problems"].append("internal errors in the runners' output")
            figures["checks"]["ok"] = False
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if figures["checks"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
