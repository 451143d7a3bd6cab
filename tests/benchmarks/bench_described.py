"""What the audio description costs a render: its speech and its described soundtrack, against a cold render.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_described.py [--preview]

renders the flagship cold (``--format 16x9 --cuts none``; ``--preview`` for a draft), then, in a fresh
process on that render's caches, times what the described track alone adds: describing every scene
with an empty speech cache (each description spoken by the script's engine) and mixing, normalising
and encoding the described soundtrack into an empty audio cache. The ratio is CPU time (steadier
than wall time on a shared machine; the described soundtrack runs in the audio thread beside the
video encode, so on wall time it mostly hides) of that work over the cold render's, which includes it:
``described / (cold - described)`` is what it adds to a render without it (target ≤ 0.15).
``bench_render.py`` runs the same child after its cold render (row ``described_track``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def described_cost(script: Path, cache: Path, preview: bool) -> dict[str, float]:
    """Seconds (wall, CPU incl. ffmpeg) to describe the 16x9 video and make its described soundtrack cold."""
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.encode.profiles import load_profile
    from claimreel.narration import SpeechCache
    from claimreel.narration.engines import get_engine
    from claimreel.pipeline.described import Speaker, describe, description_voice
    from claimreel.pipeline.described_mix import DescribedSoundtrack
    from claimreel.pipeline.mixdown import Soundtrack
    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions
    from claimreel.pipeline.soundtrack_store import soundtrack

    prepared = prepare(script, RenderOptions(formats=("16x9",), cache=cache, preview=preview, cuts=()))
    timeline = prepared.timelines[prepared.formats[0].name]
    name, voice = description_voice(prepared.loaded, None)
    engine = get_engine(name)
    engine.synthesize("Ready.", voice)  # a cold render's narration has loaded the engine (a Piper model) already
    main = Soundtrack(timeline, prepared.speeches, prepared.script.music, prepared.music,
                      prepared.profile or load_profile(None), draft=preview, clip_files=prepared.loaded.assets)
    with tempfile.TemporaryDirectory(prefix="claimreel-described-") as fresh:
        cpu, wall = _cpu(), time.perf_counter()
        description = describe(prepared.script, prepared.specs, timeline, prepared.theme,
                               Speaker(SpeechCache(Path(fresh) / "speech"), engine, voice))
        spoken = time.perf_counter() - wall
        soundtrack(DescribedSoundtrack(main, description.said), Ffmpeg(), Path(fresh) / "audio")
        return {"wall_s": time.perf_counter() - wall, "cpu_s": _cpu() - cpu, "speech_wall_s": spoken,
                "parts_said": len(description.said), "parts_dropped": len(description.dropped)}


def run_child(script: Path, cache: Path, preview: bool, env: dict[str, str]) -> dict[str, float]:
    """:func:`described_cost` in a fresh process (nothing imported or cached in memory beforehand)."""
    cmd = [sys.executable, str(Path(__file__)), "--child", str(script), str(cache), *(["--preview"] if preview else [])]
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", action="store_true", help="measure against a cold --preview render")
    parser.add_argument("--child", nargs=2, metavar=("SCRIPT", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(described_cost(Path(args.child[0]), Path(args.child[1]), args.preview)))
        return 0
    sys.path.insert(0, str(HERE))
    from bench_render import claimreel_cmd, make_workspace, run_measured

    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory(prefix="claimreel-bench-") as tmp_name:
        script = make_workspace(Path(tmp_name) / "ws")
        ws = script.parents[1]
        extra = ("--format", "16x9", "--cuts", "none", *(["--preview"] if args.preview else []))
        cold = run_measured(claimreel_cmd(script, ws, *extra), env=env)
        described = run_child(script, ws / "cache", args.preview, env)
    kind = "preview" if args.preview else "final"
    print(f"flagship, {kind}, 16x9, no cuts: cold {cold['wall_s']:.1f} s wall, {cold['cpu_s']:.1f} CPU s")
    print(f"described track alone: {described['wall_s']:.1f} s wall ({described['speech_wall_s']:.1f} s speaking), "
          f"{described['cpu_s']:.1f} CPU s; {described['parts_said']} parts said, {described['parts_dropped']} dropped")
    print(f"described / cold (CPU): {described['cpu_s'] / cold['cpu_s']:.3f}; added to a render without it: "
          f"{described['cpu_s'] / (cold['cpu_s'] - described['cpu_s']):.3f} (target <= 0.15)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
