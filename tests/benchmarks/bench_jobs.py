"""Render-jobs benchmark: a batch through the queue against the same renders one after another.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_jobs.py [--quick] [--json PATH]

Every example script in ``scripts/`` is rendered, all formats and all social cuts
(``--quick``: previews in 16:9 without cuts, a few minutes on two cores), each run
with empty caches in a copy of the workspace:

1. one after another: one ``claimreel render`` command per script (each renders all of
   its formats, as a producer would run it); the sum of their wall times;
2. the batch: the same renders submitted as one job and run by one ``claimreel jobs run
   --once`` (one shared pool, two tasks in flight), then again with ``--tasks 1`` (no
   overlap of one task's preparation with another's encoding), to show what the overlap buys;
3. the queue alone: submit, claim, renew, progress writes, log and finish for 200 tasks
   on a fresh database, per task (script checks at submit timed separately).

Reported: batch wall / sum of single renders (goal at most 0.85), CPU used over the batch
as a share of all cores (goal at least 90%), queue overhead per task (goal at most 50 ms),
the peak RSS of the runner process alone and of its whole tree (goal at most 1.5 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import REPO, _rss_kb, tree_rss_kb  # noqa: E402  (the same /proc sampling)


def run(cmd: list[str], *, env: dict[str, str], cwd: Path) -> dict[str, float]:
    """Run ``cmd``: wall and CPU seconds of its whole tree, peak RSS of the process and of its tree."""
    peak_tree = peak_own = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_own
        while not done.is_set():
            peak_tree = max(peak_tree, tree_rss_kb(proc.pid))
            peak_own = max(peak_own, _rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"  {wall:8.1f} s  {cpu:8.1f} CPU s  {peak_own / 1024:6.0f} / {peak_tree / 1024:6.0f} MB  "
          f"{' '.join(cmd[3:8])}", file=sys.stderr, flush=True)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak_own / 1024, "tree_peak_rss_mb": peak_tree / 1024}


def workspace(base: Path) -> Path:
    """A copy of the scripts and assets, so outputs, caches and the queue stay out of the repository."""
    shutil.copytree(REPO / "scripts", base / "scripts")
    shutil.copytree(REPO / "assets", base / "assets")
    (base / "pyproject.toml").write_text("# workspace root for the benchmark\n")
    return base


def render_flags(quick: bool) -> list[str]:
    return ["--preview", "--format", "16x9", "--cuts", "none"] if quick else ["--format", "all", "--cuts", "all"]


def sequential(ws: Path, scripts: list[Path], quick: bool, env: dict[str, str]) -> dict[str, float]:
    runs = [run([sys.executable, "-m", "claimreel", "render", str(s), *render_flags(quick), "--out", "seq-out",
                 "--cache", "seq-cache"], env=env, cwd=ws) for s in scripts]
    return {"wall_s": sum(r["wall_s"] for r in runs), "cpu_s": sum(r["cpu_s"] for r in runs),
            "peak_rss_mb": max(r["tree_peak_rss_mb"] for r in runs)}


def batch(ws: Path, scripts: list[Path], quick: bool, env: dict[str, str], tasks: int, tag: str) -> dict[str, float]:
    queue = ws / f"queue-{tag}.db"
    submit = [sys.executable, "-m", "claimreel", "jobs", "submit", *map(str, scripts), *render_flags(quick),
              "--out", f"{tag}-out", "--queue", str(queue)]
    subprocess.run(submit, env=env, cwd=ws, check=True, capture_output=True)
    measured = run([sys.executable, "-m", "claimreel", "jobs", "run", "--once", "--tasks", str(tasks),
                    "--cache", f"{tag}-cache", "--queue", str(queue)], env=env, cwd=ws)
    cores = os.cpu_count() or 1
    measured["cpu_share"] = measured["cpu_s"] / (measured["wall_s"] * cores)
    return measured


def queue_overhead(ws: Path, scripts: list[Path], n: int = 200) -> dict[str, float]:
    """Milliseconds per task of the queue's own work, as a runner does it for one task."""
    from claimreel.jobs import Queue, TaskSpec, submit
    from claimreel.jobs.progress import QueueProgress

    queue = Queue(ws / "queue-overhead.db")
    specs = [TaskSpec(scripts[i % len(scripts)], out=ws / f"o{i}") for i in range(n)]
    t0 = time.perf_counter()
    job = submit(queue, "overhead", specs)
    submit_ms = (time.perf_counter() - t0) * 1000 / n
    t0 = time.perf_counter()
    for _ in range(n):
        task = queue.claim("bench", 30)
        assert task is not None
        progress = QueueProgress(queue, task.held, interval=0)  # every call written: the worst case
        progress.start("narration", 5)
        for _ in range(5):
            progress.advance("narration")
        progress.start("video 16x9", 10, kind="encode")
        for _ in range(10):
            progress.advance("video 16x9")
        queue.renew([task.held], 30)
        queue.log(task.id, "a note")
        queue.finish(task.held, {"wall_s": 1.0})
    per_task_ms = (time.perf_counter() - t0) * 1000 / n
    t0 = time.perf_counter()
    queue.status(job)
    status_ms = (time.perf_counter() - t0) * 1000
    return {"per_task_ms": per_task_ms, "submit_per_task_ms": submit_ms, "status_of_200_ms": status_ms,
            "writes_per_task": 1 + 17 + 1 + 1 + 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="previews in 16:9 without cuts")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here too")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with tempfile.TemporaryDirectory(prefix="claimreel-bench-jobs-") as tmp:
        ws = workspace(Path(tmp))
        scripts = sorted((ws / "scripts").glob("*.yaml"))
        print(f"{len(scripts)} scripts, {'previews 16x9, no cuts' if args.quick else 'all formats and cuts'}, "
              f"{os.cpu_count()} cores", file=sys.stderr)
        print("one render command after another:", file=sys.stderr)
        seq = sequential(ws, scripts, args.quick, env)
        print("the batch, two tasks in flight:", file=sys.stderr)
        two = batch(ws, scripts, args.quick, env, 2, "batch2")
        print("the batch, one task at a time:", file=sys.stderr)
        one = batch(ws, scripts, args.quick, env, 1, "batch1")
        overhead = queue_overhead(ws, scripts)
    results = {
        "quick": args.quick, "cores": os.cpu_count(), "scripts": len(scripts), "sequential": seq,
        "batch_two_in_flight": two, "batch_one_at_a_time": one, "queue": overhead,
        "ratios": {"batch_over_sequential": two["wall_s"] / seq["wall_s"],
                   "one_at_a_time_over_sequential": one["wall_s"] / seq["wall_s"],
                   "two_in_flight_over_one_at_a_time": two["wall_s"] / one["wall_s"]},
    }
    r = results["ratios"]
    print(f"""
| measure | value | goal |
|---|---|---|
| sum of single renders, wall | {seq['wall_s']:.1f} s ({seq['cpu_s']:.1f} CPU s) | |
| batch, two in flight, wall | {two['wall_s']:.1f} s ({two['cpu_s']:.1f} CPU s) | |
| batch / sum of single renders | {r['batch_over_sequential']:.2f} | <= 0.85 |
| batch, one at a time / sum | {r['one_at_a_time_over_sequential']:.2f} | |
| CPU used over the batch, share of {os.cpu_count()} cores | {two['cpu_share']:.0%} (one at a time {one['cpu_share']:.0%}) | >= 90% |
| queue overhead per task | {overhead['per_task_ms']:.1f} ms (submit with script checks {overhead['submit_per_task_ms']:.1f} ms) | <= 50 ms |
| runner peak RSS, process / tree | {two['peak_rss_mb']:.0f} MB / {two['tree_peak_rss_mb']:.0f} MB | <= 1536 MB |""")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
