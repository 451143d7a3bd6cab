"""Clip scene benchmark: what a 1080p30 clip scene costs against the encode floor of its frames.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_clip.py [--seconds 10] [--json PATH]

1. A source clip is made once (not timed): ``testsrc2`` at 1920x1080, 30 fps, H.264, with a tone,
   ``--seconds`` long plus a second either side, so the scene's range is seeked into.
2. clip scene: in a fresh process, the script is prepared (not timed), then the clip scene's
   segment is rendered as a render's worker renders it (``render_segment``: ffmpeg decodes the
   range and scales it, Python blends the corner mark, lower third and captions onto every frame,
   x264 encodes; the still is written). Wall and CPU time of that call (the process and its
   ffmpeg children) are measured in the process.
3. the encode floor: ffmpeg encoding the identical frames (the segment decoded to raw yuv420p
   first, so decoding is not timed) with the same encoder settings.

The target is clip scene / encode floor <= 1.3 (wall time). Both encoders use the same settings
(libx264 veryfast, CRF 20, the delivery profile's threads), so the ratio is the pipeline's cost
over x264's. A shared machine's speed drifts: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import encode_floor  # noqa: E402  (the same floor as the render benchmark)

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """\
id: bench-clip
title: Clip benchmark
outlet: {{name: Bench Desk}}
published: 2024-05-01
claim:
  quote: The river is dry.
  speaker: {{name: Ana Ruiz}}
  date: 2024-04-30
verdict:
  rating: "False"
  summary: The river was running on that day.
body:
  - type: clip
    file: assets/clips/source.mp4
    start: 1.0
    end: {end}
    audio: under
    caption: A test pattern, as footage
    credit: Benchmark footage
    description: A moving test pattern.
    narration: {narration}
voice: {{engine: fake}}
"""


def child(script: str, out: str) -> None:
    """Prepare the script, then render its clip scene's segment, timed (runs in a fresh process)."""
    import dataclasses

    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.encode.segments import VideoSettings
    from claimreel.pipeline.encoding import _keyed_segment_jobs
    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions
    from claimreel.pipeline.segments import render_segment

    options = RenderOptions(cache=Path(out).parent / "cache", voice="fake")
    prepared = prepare(Path(script), options)
    fmt = prepared.formats[0]
    jobs = _keyed_segment_jobs(prepared, fmt, Path(out).parent, options, Ffmpeg())
    job = next(job for job, _ in jobs if job.layout.clip is not None)
    job = dataclasses.replace(job, out_path=Path(out), span=None,  # the whole scene, not its first piece
                              settings=VideoSettings.delivery(fmt.width, fmt.height, fmt.fps))
    before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    start = time.perf_counter()
    render_segment(job)
    wall = time.perf_counter() - start
    after = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum((a.ru_utime + a.ru_stime) - (b.ru_utime + b.ru_stime) for a, b in zip(after, before))
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "frames": job.frames}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from claimreel.encode.ffmpeg import Ffmpeg

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    ff = Ffmpeg()
    with tempfile.TemporaryDirectory(prefix="bench-clip-") as tmp_name:
        ws = Path(tmp_name)
        (ws / "assets" / "clips").mkdir(parents=True)
        (ws / "scripts").mkdir()
        length = args.seconds + 2
        ff.run(["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={length}",
                "-f", "lavfi", "-i", f"sine=f=330:sample_rate=48000:duration={length}",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "60",
                "-c:a", "aac", str(ws / "assets" / "clips" / "source.mp4")])
        narration = "A short line over the footage."
        script = ws / "scripts" / "bench.yaml"
        script.write_text(SCRIPT.format(end=1.0 + args.seconds, narration=narration))
        segment = ws / "clip-scene.mp4"
        code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_clip; " \
               f"bench_clip.child({str(script)!r}, {str(segment)!r})"
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
        scene = json.loads(proc.stdout.decode().strip().splitlines()[-1])
        print(f"  {scene['wall_s']:8.1f} s  {scene['cpu_s']:8.1f} CPU s  clip scene ({scene['frames']} frames)",
              file=sys.stderr)
        floor = encode_floor(segment, ws, scene["frames"], env)
    ratios = {"clip scene / encode floor, wall (<= 1.3)": scene["wall_s"] / floor["wall_s"],
              "clip scene / encode floor, CPU": scene["cpu_s"] / floor["cpu_s"]}
    report = {"clip_scene": scene, "encode_floor": floor, "ratios": ratios, "cpus": os.cpu_count()}
    print(textwrap.indent(json.dumps(report, indent=2), "  "))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
