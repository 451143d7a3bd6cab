"""Cluster benchmark: the flagship on the local pool against a Dask cluster on loopback, and a
projection to larger clusters from the measured unit costs.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_cluster.py [--quick] [--script PATH] [--json PATH]
    PYTHONPATH=src python tests/benchmarks/bench_cluster.py --dispatch-only   # 3. alone, in seconds

1. cold, local pool: the script rendered with empty caches by this machine's worker processes;
2. cold, ``--cluster``: the same with a fresh ``dask scheduler`` and two single-thread ``dask
   worker`` processes on 127.0.0.1 (fresh workers: every input file is shipped), the render's units
   recorded by Dask's task stream (where each ran, and for how long);
3. dispatch overhead: 200 units that do nothing sent through the same pool, all at once (the
   cluster's cost per unit when it is busy) and one at a time (a unit's round trip); the same
   through a bare ``client.submit`` for comparison (what Dask alone costs);
4. bytes: input bytes shipped to workers and output bytes landed on the client;
5. a projection: wall time of the script and of a batch of 20 versions on 8, 32 and 128 workers,
   by list scheduling (longest unit first onto the first free worker) of the measured units (their CPU
   seconds, reported by the workers: steadier than wall time on a shared machine) plus the
   dispatch overhead each, in the render's two phases (narration, then segments with soundtracks: a
   final soundtrack is a mix unit, then its AAC pieces, joined on the client, so that phase lasts at
   least the mix plus its longest piece plus the join), plus the client's own serial work (measured:
   the CPU seconds of the client process during the cluster render).

``critical_path_work_s`` is the CPU work no number of workers shortens: the longest speech unit,
then the longer of the longest segment and the soundtrack's chain (mix unit + longest piece + the
client's join, or a preview's one soundtrack unit).

``--quick`` renders the draft (``--preview``) instead of the final video. The machine may be shared:
compare ratios from one run.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import json
import operator
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SCRIPT = REPO / "scripts" / "xinjiang-un-report.yaml"
WORKER_COUNTS = (8, 32, 128)
BATCH = 20


# The no-op units' remote form is a standard-library function, which every process unpickles by
# name: a function of this script (``__main__``) would be pickled by value with every unit (Dask
# then pickles twice), a cost no render pays. ``is_not(scratch, arg)`` does nothing with either.
NOOP_REMOTE = operator.is_not


def noop(arg: object) -> object:
    """The local unit the no-op units stand for (the pool's key for their form)."""
    return arg


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the local pool's workers, ffmpeg)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _render(script: Path, folder: Path, preview: bool, pool: object | None) -> tuple[float, float]:
    """Wall and CPU seconds of one render here (CPU: this process and the processes it waited for)."""
    from claimreel.pipeline.render import render
    from claimreel.pipeline.request import RenderOptions

    options = RenderOptions(out=folder / "out", cache=folder / "cache", preview=preview,
                            cuts=() if preview else None)
    start, cpu = time.perf_counter(), _cpu()
    render(script, options, pool=pool)  # type: ignore[arg-type]
    return time.perf_counter() - start, _cpu() - cpu


def _units(stream: list[dict], cpu: dict[str, float]) -> list[dict]:
    """Each unit's kind, wall and CPU seconds and span, from Dask's task stream and the workers' reports."""
    out = []
    for task in stream:
        compute = [s for s in task.get("startstops", ()) if s["action"] == "compute"]
        if not compute or str(task["key"]).startswith("warm_up-"):  # a worker's warm-up: no unit of the render
            continue
        start, stop = compute[0]["start"], compute[-1]["stop"]
        out.append({"kind": str(task["key"]).rsplit("-", 1)[0], "wall": stop - start, "start": start,
                    "stop": stop, "worker": task.get("worker"), "seconds": cpu.get(str(task["key"]), stop - start)})
    return out


def _timed(submit: Callable[[int], Any], as_completed: Callable[[list], Iterable[Any]], cpu: Callable[[], float],
           n: int = 200, one_by_one: int = 50, warm_up: int = 1) -> tuple[float, float, float]:
    """Per unit: wall seconds with ``n`` units submitted at once and waited for, the CPU seconds of the
    cluster's processes and the client over them (steadier than wall time on a shared machine), and
    wall seconds of ``one_by_one`` units in turn; after ``warm_up`` units, one at a time (the function,
    and any input files, reach the workers)."""
    for i in range(warm_up):
        submit(i).result()
    start, cpu_start = time.perf_counter(), cpu()
    futures = [submit(i) for i in range(n)]
    for f in as_completed(futures):
        f.result()
    busy, busy_cpu = (time.perf_counter() - start) / n, (cpu() - cpu_start) / n
    start = time.perf_counter()
    for i in range(one_by_one):
        submit(i).result()
    return busy, busy_cpu, (time.perf_counter() - start) / one_by_one


def _process_cpu(pids: Iterable[int]) -> Callable[[], float]:
    """CPU seconds so far of this process and the processes ``pids``, with their children."""
    import psutil  # a dependency of distributed

    procs = [psutil.Process(), *(psutil.Process(pid) for pid in pids)]

    def total() -> float:
        seconds = 0.0
        for proc in procs:
            for p in (proc, *proc.children(recursive=True)):
                try:
                    t = p.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                seconds += t.user + t.system
        return seconds

    return total


def _script_jobs(script: Path, folder: Path) -> list[Any]:
    """The preview's segment jobs of ``script`` (narrated with the fake voice: only their arguments matter)."""
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.narration.engines.fake import FakeEngine
    from claimreel.pipeline.encoding import segment_jobs
    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions

    options = RenderOptions(out=folder / "out", cache=folder / "cache", preview=True, cuts=())
    prepared = prepare(script, options, engine=FakeEngine())
    return [job for fmt in prepared.formats for job in segment_jobs(prepared, fmt, options, Ffmpeg())]


def _dispatch(address: str, jobs: list[Any], pids: Iterable[int]) -> dict[str, float]:
    """Dispatch overhead per unit through the pool: units that do nothing with a number, and units
    that do nothing with a real segment job (its layout, fonts and photos: what the pool walks,
    hashes, ships once and serialises for every unit); and through Dask alone (a bare
    ``client.submit`` of a no-op: the floor the pool adds to). ``pids``: the scheduler's and workers'."""
    from distributed import as_completed

    from claimreel.executor import Form
    from claimreel.executor.dask import DaskPool

    cpu = _process_cpu(pids)
    pool = DaskPool(address, forms={noop: Form(NOOP_REMOTE)})
    try:
        numbers = _timed(lambda i: pool.submit(noop, i), pool.as_completed, cpu)
        segment_jobs = _timed(lambda i: pool.submit(noop, jobs[i % len(jobs)]), pool.as_completed, cpu,
                              warm_up=len(jobs))
        bare = _timed(lambda i: pool.client.submit(operator.index, i, pure=False), as_completed, cpu)
    finally:
        pool.close()
    out = {}
    for name, (busy, busy_cpu, round_trip) in (("pool", numbers), ("pool_segment_args", segment_jobs),
                                               ("dask_alone", bare)):
        out.update({f"{name}_busy_ms": busy * 1000, f"{name}_busy_cpu_ms": busy_cpu * 1000,
                    f"{name}_round_trip_ms": round_trip * 1000})
    return out


def _print_dispatch(d: dict[str, float]) -> None:
    print("dispatch per unit: 200 at once (wall; CPU of client, scheduler and workers) / one unit's round trip\n"
          + "\n".join(f"  {label}: {d[f'{name}_busy_ms']:.1f} ms ({d[f'{name}_busy_cpu_ms']:.1f} CPU-ms) / "
                      f"{d[f'{name}_round_trip_ms']:.1f} ms"
                      for name, label in (("pool", "pool, no-op units"),
                                          ("pool_segment_args", "pool, no-op units carrying a segment job"),
                                          ("dask_alone", "Dask alone, a bare client.submit"))), flush=True)


def list_schedule(durations: list[float], workers: int, overhead: float) -> float:
    """Makespan of ``durations`` (+ ``overhead`` each) on ``workers``, longest first onto the first free."""
    free = [0.0] * workers
    for d in sorted(durations, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + d + overhead)
    return max(free)


def sound_chain(units: list[dict], join_s: float) -> float:
    """The soundtrack's chain of work: the longest mix unit, its longest piece, the client's join."""
    mixes = [u["seconds"] for u in units if u["kind"] == "soundtrack_mix"]
    pieces = [u["seconds"] for u in units if u["kind"] == "soundtrack_piece"]
    drafts = [u["seconds"] for u in units if u["kind"] == "soundtrack"]
    chain = max(mixes, default=0.0) + max(pieces, default=0.0) + (join_s if mixes else 0.0)
    return max([chain, *drafts])


def project(units: list[dict], client_serial: float, overhead: float, join_s: float = 0.0
            ) -> dict[str, dict[str, float]]:
    speech = [u["seconds"] for u in units if u["kind"] == "say"]
    rest = [u["seconds"] for u in units if u["kind"] != "say"]
    # a soundtrack's pieces wait for its mix: the pictures phase lasts at least that chain
    chain = sound_chain(units, join_s) + (2 * overhead if any(u["kind"] == "soundtrack_mix" for u in units) else 0.0)
    out: dict[str, dict[str, float]] = {}
    for w in WORKER_COUNTS:
        one = client_serial + list_schedule(speech, w, overhead) + max(list_schedule(rest, w, overhead), chain)
        batch_cluster = (list_schedule(speech * BATCH, w, overhead)
                         + max(list_schedule(rest * BATCH, w, overhead), chain))
        # one client prepares and writes the versions one after another, overlapping the cluster's work
        batch = max(BATCH * client_serial, batch_cluster) + client_serial
        out[str(w)] = {"script_s": round(one, 2), f"batch_{BATCH}_s": round(batch, 2),
                       f"batch_{BATCH}_cluster_only_s": round(batch_cluster, 2)}
    return out


@contextlib.contextmanager
def _timing_joins() -> Iterator[list[float]]:
    """The CPU seconds of each soundtrack join on the client (its thread and its ffmpeg run; other
    children finishing meanwhile would count too, so it is an upper bound)."""
    import claimreel.pipeline.mixdown as mixdown

    joins: list[float] = []
    finish = mixdown.finish_soundtrack

    def timed(*args: Any) -> Any:
        import resource

        def cpu() -> float:
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            return time.thread_time() + children.ru_utime + children.ru_stime

        before = cpu()
        try:
            return finish(*args)
        finally:
            joins.append(cpu() - before)

    mixdown.finish_soundtrack = timed  # type: ignore[assignment]
    try:
        yield joins
    finally:
        mixdown.finish_soundtrack = finish  # type: ignore[assignment]


def _cluster_pids(cluster: Any) -> list[int]:
    return [cluster.scheduler.pid, *(w.pid for w in cluster.workers)]


def _dispatch_only(script: Path) -> int:
    from tests.dask_processes import dask_cluster

    with tempfile.TemporaryDirectory(prefix="claimreel-bench-dispatch-") as name:
        jobs = _script_jobs(script, Path(name) / "jobs")
        with dask_cluster(Path(name) / "cluster", workers=2, as_nobody=False) as cluster:
            _print_dispatch(_dispatch(cluster.address, jobs, _cluster_pids(cluster)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=SCRIPT)
    parser.add_argument("--quick", action="store_true", help="render the draft (--preview)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--dispatch-only", action="store_true",
                        help="only the dispatch overhead (3.), on a fresh cluster: no renders")
    args = parser.parse_args(argv)
    if args.dispatch_only:
        return _dispatch_only(args.script)

    from distributed import get_task_stream

    from claimreel.pipeline.remote import open_render_pool
    from tests.dask_processes import dask_cluster

    results: dict[str, object] = {"script": str(args.script), "preview": args.quick}
    base = Path(tempfile.mkdtemp(prefix="claimreel-bench-cluster-"))
    try:
        wall, cpu_local = _render(args.script, base / "local", args.quick, None)
        results["local_cold_s"], results["local_cold_cpu_s"] = round(wall, 2), round(cpu_local, 2)
        print(f"local pool, cold: {wall:.2f} s, {cpu_local:.1f} CPU-s", flush=True)
        with dask_cluster(base / "cluster", workers=2, as_nobody=False) as cluster:
            start, cpu_start = time.perf_counter(), _cpu()
            pool = open_render_pool(cluster.address)
            try:
                with get_task_stream(pool.client) as stream, _timing_joins() as joins:
                    _render(args.script, base / "remote", args.quick, pool)
                wall, client_cpu = time.perf_counter() - start, _cpu() - cpu_start
                traffic = pool.traffic
                shipped, returned, count, cpu = traffic.shipped, traffic.returned, traffic.units, dict(traffic.unit_cpu)
            finally:
                pool.close()
            units = _units(stream.data, cpu)
            results["cluster_cold_s"] = round(wall, 2)
            results["slower_pct"] = round((wall / results["local_cold_s"] - 1) * 100, 1)  # type: ignore[operator]
            print(f"cluster of 2 workers, cold: {wall:.2f} s ({results['slower_pct']:+} %)", flush=True)
            results["bytes_shipped_to_workers"] = shipped
            results["bytes_returned_to_client"] = returned
            results["units"] = count
            dispatch = _dispatch(cluster.address, _script_jobs(args.script, base / "jobs"), _cluster_pids(cluster))
            results["dispatch"] = {k: round(v, 2) for k, v in dispatch.items()}
            _print_dispatch(dispatch)
        phases = {}
        for name, kinds in (("narration", {"say"}),
                            ("pictures", {"render_segment", "soundtrack", "soundtrack_mix", "soundtrack_piece"})):
            part = [u for u in units if u["kind"] in kinds]
            phases[name] = (max(u["stop"] for u in part) - min(u["start"] for u in part)) if part else 0.0
        client_wall_serial = max(0.0, wall - sum(phases.values()))
        client_serial = client_cpu  # the client's own work, in CPU seconds (it waits while the units run)
        results["client_cpu_s"] = round(client_cpu, 2)
        results["client_wall_outside_units_s"] = round(client_wall_serial, 2)
        results["cluster_cpu_s"] = round(client_cpu + sum(u["seconds"] for u in units), 2)
        by_kind: dict[str, list[float]] = {}
        for u in units:
            by_kind.setdefault(u["kind"], []).append(u["seconds"])
        results["unit_cpu_seconds"] = {k: {"count": len(v), "total": round(sum(v), 2), "max": round(max(v), 2),
                                           "mean": round(sum(v) / len(v), 2)} for k, v in by_kind.items()}
        results["unit_wall_seconds_total"] = round(sum(u["wall"] for u in units), 2)
        results["longest_units_cpu_s"] = [f"{u['kind']} {u['seconds']:.2f}"
                                          for u in sorted(units, key=lambda u: -u["seconds"])[:8]]
        join_s = max(joins, default=0.0)
        results["soundtrack_join_client_cpu_s"] = round(join_s, 2)
        results["soundtrack_chain_cpu_s"] = round(sound_chain(units, join_s), 2)
        critical = max(by_kind.get("say", [0.0])) + max(max(by_kind.get("render_segment", [0.0])),
                                                         sound_chain(units, join_s))
        results["critical_path_work_s"] = round(critical, 2)
        first = min((u["start"] for u in units), default=0.0)
        results["unit_timeline"] = [[u["kind"], str(u["worker"]).rsplit(":", 1)[-1], round(u["start"] - first, 2),
                                     round(u["stop"] - first, 2), round(u["seconds"], 2)]
                                    for u in sorted(units, key=lambda u: u["start"])]
        overhead = dispatch["pool_busy_ms"] / 1000
        results["projection"] = project(units, client_serial, overhead, join_s)
        print(json.dumps(results, indent=1))
        print("projection assumptions: each unit costs the CPU seconds it took here (its ffmpeg included: a worker\n"
              "core as fast as one of this machine's, not slowed by neighbours); units of a\n"
              f"version as measured here, all {BATCH} versions alike; {overhead * 1000:.1f} ms dispatch per unit;\n"
              "narration before pictures (the render's order), segments and soundtrack units together, a\n"
              "soundtrack's pieces after its mix and joined on the client; list scheduling,\n"
              "longest unit first; the client's own work (prepare, join, mux, write: "
              f"{client_serial:.2f} s per version) serial on one client, overlapping the cluster in a batch;\n"
              "input shipping and the network not modelled beyond the measured dispatch.")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
