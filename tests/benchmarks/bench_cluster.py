"""Cluster benchmark: the flagship on the local pool against a Dask cluster on loopback, and a
projection to larger clusters from the measured unit costs.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_cluster.py [--quick] [--script PATH] [--json PATH]

1. cold, local pool: the script rendered with empty caches by this machine's worker processes;
2. cold, ``--cluster``: the same with a fresh ``dask scheduler`` and two single-thread ``dask
   worker`` processes on 127.0.0.1 (fresh workers: every input file is shipped), the render's units
   recorded by Dask's task stream (where each ran, and for how long);
3. dispatch overhead: 200 units that do nothing sent through the same pool, all at once (the
   cluster's cost per unit when it is busy) and one at a time (a unit's round trip);
4. bytes: input bytes shipped to workers and output bytes landed on the client;
5. a projection: wall time of the script and of a batch of 20 versions on 8, 32 and 128 workers,
   by list scheduling (longest unit first onto the first free worker) of the measured units (their CPU
   seconds, reported by the workers: steadier than wall time on a shared machine) plus the
   dispatch overhead each, in the render's two phases (narration, then segments with mixes), plus the
   client's own serial work (measured: the CPU seconds of the client process during the cluster render).

``--quick`` renders the draft (``--preview``) instead of the final video. The machine may be shared:
compare ratios from one run.
"""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SCRIPT = REPO / "scripts" / "xinjiang-un-report.yaml"
WORKER_COUNTS = (8, 32, 128)
BATCH = 20


def noop_remote(scratch: Path, n: int) -> int:
    return n


def noop_land(pool: object, result: int, n: int) -> int:
    return result


def noop(n: int) -> int:
    return n


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the local pool's workers, ffmpeg)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _render(script: Path, folder: Path, preview: bool, pool: object | None) -> tuple[float, float]:
    """Wall and CPU seconds of one render here (CPU: this process and the processes it waited for)."""
    from claimreel.pipeline.render import RenderOptions, render

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
        if not compute:
            continue
        start, stop = compute[0]["start"], compute[-1]["stop"]
        out.append({"kind": str(task["key"]).rsplit("-", 1)[0], "wall": stop - start, "start": start,
                    "stop": stop, "worker": task.get("worker"), "seconds": cpu.get(str(task["key"]), stop - start)})
    return out


def _dispatch(address: str) -> dict[str, float]:
    from claimreel.executor.dask import DaskPool
    from claimreel.pipeline.remote import Form

    pool = DaskPool(address, forms={noop: Form(noop_remote, noop_land)})
    try:
        pool.submit(noop, 0).result()  # the function reaches the workers
        n = 200
        start = time.perf_counter()
        futures = [pool.submit(noop, i) for i in range(n)]
        for f in pool.as_completed(futures):
            f.result()
        busy = (time.perf_counter() - start) / n
        start = time.perf_counter()
        for i in range(50):
            pool.submit(noop, i).result()
        round_trip = (time.perf_counter() - start) / 50
    finally:
        pool.close()
    return {"per_unit_busy_ms": busy * 1000, "round_trip_ms": round_trip * 1000}


def list_schedule(durations: list[float], workers: int, overhead: float) -> float:
    """Makespan of ``durations`` (+ ``overhead`` each) on ``workers``, longest first onto the first free."""
    free = [0.0] * workers
    for d in sorted(durations, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + d + overhead)
    return max(free)


def project(units: list[dict], client_serial: float, overhead: float) -> dict[str, dict[str, float]]:
    speech = [u["seconds"] for u in units if u["kind"] == "say"]
    rest = [u["seconds"] for u in units if u["kind"] != "say"]
    out: dict[str, dict[str, float]] = {}
    for w in WORKER_COUNTS:
        one = client_serial + list_schedule(speech, w, overhead) + list_schedule(rest, w, overhead)
        batch_cluster = list_schedule(speech * BATCH, w, overhead) + list_schedule(rest * BATCH, w, overhead)
        # one client prepares and writes the versions one after another, overlapping the cluster's work
        batch = max(BATCH * client_serial, batch_cluster) + client_serial
        out[str(w)] = {"script_s": round(one, 2), f"batch_{BATCH}_s": round(batch, 2),
                       f"batch_{BATCH}_cluster_only_s": round(batch_cluster, 2)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=SCRIPT)
    parser.add_argument("--quick", action="store_true", help="render the draft (--preview)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    from distributed import get_task_stream

    from claimreel.executor.dask import COSTS, DaskPool
    from tests.dask_processes import dask_cluster

    results: dict[str, object] = {"script": str(args.script), "preview": args.quick}
    base = Path(tempfile.mkdtemp(prefix="claimreel-bench-cluster-"))
    try:
        wall, cpu_local = _render(args.script, base / "local", args.quick, None)
        results["local_cold_s"], results["local_cold_cpu_s"] = round(wall, 2), round(cpu_local, 2)
        print(f"local pool, cold: {wall:.2f} s, {cpu_local:.1f} CPU-s", flush=True)
        with dask_cluster(base / "cluster", workers=2, as_nobody=False) as cluster:
            start, cpu_start = time.perf_counter(), _cpu()
            pool = DaskPool(cluster.address)
            try:
                with get_task_stream(pool.client) as stream:
                    _render(args.script, base / "remote", args.quick, pool)
                wall, client_cpu = time.perf_counter() - start, _cpu() - cpu_start
                shipped, returned, count = pool.bytes_shipped, pool.bytes_returned, pool.units
                cpu = {event["key"]: event["cpu_s"] for _, event in pool.client.get_events(COSTS)}
            finally:
                pool.close()
            units = _units(stream.data, cpu)
            results["cluster_cold_s"] = round(wall, 2)
            results["slower_pct"] = round((wall / results["local_cold_s"] - 1) * 100, 1)  # type: ignore[operator]
            print(f"cluster of 2 workers, cold: {wall:.2f} s ({results['slower_pct']:+} %)", flush=True)
            results["bytes_shipped_to_workers"] = shipped
            results["bytes_returned_to_client"] = returned
            results["units"] = count
            dispatch = _dispatch(cluster.address)
            results["dispatch"] = {k: round(v, 2) for k, v in dispatch.items()}
            print(f"dispatch: {dispatch['per_unit_busy_ms']:.1f} ms per unit when busy, "
                  f"{dispatch['round_trip_ms']:.1f} ms one unit's round trip", flush=True)
        phases = {}
        for name, kinds in (("narration", {"say"}), ("pictures", {"render_segment", "soundtrack"})):
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
        critical = max(by_kind.get("say", [0.0])) + max(by_kind.get("render_segment", [0.0]) +
                                                         by_kind.get("soundtrack", [0.0]))
        results["critical_path_work_s"] = round(critical, 2)
        overhead = dispatch["per_unit_busy_ms"] / 1000
        results["projection"] = project(units, client_serial, overhead)
        print(json.dumps(results, indent=1))
        print("projection assumptions: each unit costs the CPU seconds it took here (its ffmpeg included: a worker\n"
              "core as fast as one of this machine's, not slowed by neighbours); units of a\n"
              f"version as measured here, all {BATCH} versions alike; {overhead * 1000:.1f} ms dispatch per unit;\n"
              "narration before pictures (the render's order), segments and mixes together; list scheduling,\n"
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
