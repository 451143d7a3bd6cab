"""CPU time of warm renders after the benchmark's edits, for two source trees measured in one run.

For each tree (``--before SRC`` and ``--after SRC``, each a ``src`` folder holding ``claimreel``):
a cold ``render --format 16x9`` of the flagship in a workspace of its own, then, ``--repeat`` times
and alternating between the trees, each edit of ``bench_render.py`` (the claim quote lengthened,
one narration block changed) rendered on a fresh copy of that tree's cold cache. Each command runs
in a fresh process; CPU is user + system time of its whole process tree. Prints one line per run,
with its CPU time over its own tree's cold render.

Run (about five minutes with eSpeak NG): ``PYTHONPATH=src python tests/benchmarks/bench_warm_cpu.py
--before OLD/src --after src --voice espeak`` (``OLD/src``: e.g. ``git archive`` of main's ``src``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import (
    CLAIM_NEW,
    CLAIM_OLD,
    NARRATION_NEW,
    NARRATION_OLD,
    make_workspace,
)

EDITS = (("claim quote", CLAIM_OLD, CLAIM_NEW), ("narration", NARRATION_OLD, NARRATION_NEW))


def measured(src: Path, ws: Path, cache: str, voice: tuple[str, ...]) -> tuple[float, float]:
    """Wall and CPU seconds of one render of the workspace's script with ``src`` on the path."""
    script = ws / "scripts" / "xinjiang-un-report.yaml"
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
    subprocess.run([sys.executable, "-m", "claimreel", "render", str(script), "--out", str(ws / "out"),
                    "--cache", str(ws / cache), "--format", "16x9", *voice], check=True,
                   env={**os.environ, "PYTHONPATH": str(src)}, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time() - start, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--voice", default=None)
    args = parser.parse_args(argv)
    voice = ("--voice", args.voice) if args.voice else ()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="bench-warm-cpu-") as tmp:
        spaces = {name: make_workspace(Path(tmp) / name).parents[1] for name in trees}
        original = (spaces["before"] / "scripts" / "xinjiang-un-report.yaml").read_text(encoding="utf-8")
        cold = {}
        for name, src in trees.items():
            wall, cold[name] = measured(src, spaces[name], "cold", voice)
            print(f"{'cold':12} {name:7} wall {wall:6.1f} s  CPU {cold[name]:6.1f} s", flush=True)
        for _ in range(args.repeat):
            for label, old, new in EDITS:
                for name, src in trees.items():
                    ws = spaces[name]
                    (ws / "scripts" / "xinjiang-un-report.yaml").write_text(original.replace(old, new, 1),
                                                                             encoding="utf-8")
                    shutil.rmtree(ws / "warm", ignore_errors=True)
                    shutil.copytree(ws / "cold", ws / "warm")
                    wall, cpu = measured(src, ws, "warm", voice)
                    print(f"{label:12} {name:7} wall {wall:6.1f} s  CPU {cpu:6.1f} s  "
                          f"CPU x cold {cpu / cold[name]:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
