"""Rendering benchmark on the flagship script, at 1920x1080 30 fps, all in one run.

Run by hand from the repository root (not collected by the test suite):

    PYTHONPATH=src python tests/benchmarks/bench_render.py [--quick] [--json PATH]

It measures, each command in a fresh process, wall time, CPU time (user + system,
of the whole process tree: steadier than wall time on a shared machine) and the
peak RSS of the whole process tree (sampled from /proc every 50 ms):

1. claimreel cold: empty caches, ``render --format 16x9`` (the whole command,
   the flagship's social cuts included; without ``--quick`` also with ``--cuts none``);
2. the encode floor: ffmpeg encoding the identical frames (claimreel's own
   output, decoded to a raw yuv420p file first so decoding is not timed) with
   the same encoder settings (libx264 veryfast, CRF 20, stillimage, closed GOP 15);
3. a naive moviepy reference: the same scenes (same layouts, texts, photos,
   captions and timing) built as typical moviepy pipelines do: a
   CompositeVideoClip of ImageClip/TextClip/ColorClip layers per scene, resized
   with a lambda for the pan/zoom, ``concatenate_videoclips``, ``write_videofile``
   (same preset and CRF, so the difference is the pipeline), on the first 20 s;
4. warm: re-render after changing the text of one quote block;
5. ``--format all``, cold;
6. ``--preview``, cold, twice (the mean is reported);
7. ``described_track``: the audio description's speech and described soundtrack made again cold
   on the cold render's caches, in a fresh process (``bench_described.py``): its CPU time over the
   cold render's without it;
8. ``signing``: Content Credentials on the cold render's files (``bench_signing.py``, which times
   checking the identity, hashing the sources and signing each video, poster and storyboard on a
   copy of the folder: a render signs its final files only, so that is all signing adds).
9. the voice: the flagship is narrated by Piper's neural voice (the default for English), so
   every row above includes it; ``cold_16x9_espeak`` is the cold render with ``--voice espeak``
   in the same run;
10. edits that stay cheap, with each voice on its own cold render's cache: ``warm_claim_quote_edit``
    (a phrase added to the claim card's quote: the card holds longer and every later scene moves) and
    ``warm_narration_edit`` (one narration block's text changed), each counting the segments,
    soundtrack pieces and narration blocks it made (``new_*``; the narration edit says 1 block again).

The cold render is measured again last (``cold_16x9_again``): a shared machine's
speed drifts over the ten minutes of a run, so the ratios against "cold" use the
mean of both cold runs, and the drift between them is printed.

``--quick`` runs the naive reference on 5 s and skips ``--format all``.
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

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "xinjiang-un-report.yaml"
QUOTE_OLD = "text: appear credible\n"
QUOTE_NEW = "text: appear credible to the office\n"
CLAIM_OLD = "    forces and is completely illegal, null and void.\n"
CLAIM_NEW = "    forces and is completely illegal, null and void, a smear against China.\n"
NARRATION_OLD = "Polygraph.info checked\n  the claim."
NARRATION_NEW = "Polygraph.info checked\n  that claim."


# -- measuring ----------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """RSS of ``root`` and all its descendants, summed."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo += _children(pid)
    return total


def run_measured(cmd: list[str], *, env: dict[str, str], stdin_path: Path | None = None) -> dict[str, float]:
    """Run ``cmd``; wall seconds and peak RSS (MB) of its process tree (also logged to stderr)."""
    peak = 0
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree: every process was waited for
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    done.set()
    sampler.join()
    if stdin_path:
        stdin.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    print(f"  {wall:8.1f} s  {cpu:8.1f} CPU s  {peak / 1024:6.0f} MB  {' '.join(cmd[-6:])}", file=sys.stderr,
          flush=True)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak / 1024}


# -- the workspace --------------------------------------------------------------------------------

def make_workspace(base: Path) -> Path:
    """A copy of the flagship script and its assets, so edits and caches stay out of the repository."""
    (base / "scripts").mkdir(parents=True)
    shutil.copytree(REPO / "assets", base / "assets")
    shutil.copy(SCRIPT, base / "scripts" / SCRIPT.name)
    return base / "scripts" / SCRIPT.name


def _speech_entries(cache: Path) -> set[str]:
    """The speech cache's entries (one per narration block said)."""
    return {p.name for p in (cache / "speech").glob("*/*.json")}


def claimreel_cmd(script: Path, ws: Path, *extra: str, cache: str = "cache") -> list[str]:
    return [sys.executable, "-m", "claimreel", "render", str(script), "--out", str(ws / "out"),
            "--cache", str(ws / cache), *extra]


def video_facts(video: Path) -> tuple[int, float]:
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.encode.probe import count_frames, probe

    ff = Ffmpeg()
    return count_frames(ff, video, decode=False), probe(ff, video).duration_s or 0.0


def warm_edits(script: Path, ws: Path, text: str, env: dict[str, str], frames: int, cache: str,
               extra: tuple[str, ...], suffix: str = "") -> dict[str, dict[str, float]]:
    """Warm renders on ``cache`` (which holds the script's cold render) after each of two edits, each
    from the original script: the claim card's quote lengthened by a phrase (the card holds longer,
    every later scene moves) and one narration block's text changed; each row counts the segments,
    soundtrack pieces and narration blocks the render made (new cache entries)."""
    rows = {}
    for name, old, new in (("warm_claim_quote_edit", CLAIM_OLD, CLAIM_NEW),
                           ("warm_narration_edit", NARRATION_OLD, NARRATION_NEW)):
        if old not in text:
            raise RuntimeError(f"{script}: the text the benchmark edits ({old.strip()!r}) is gone; update it")
        before = _entries(ws / cache)
        script.write_text(text.replace(old, new, 1), encoding="utf-8")
        try:
            row = run_measured(claimreel_cmd(script, ws, "--format", "16x9", *extra, cache=cache), env=env)
        finally:
            script.write_text(text, encoding="utf-8")
        after = _entries(ws / cache)
        row.update(frames=frames, **{f"new_{kind}": len(after[kind] - before[kind]) for kind in after})
        rows[name + suffix] = row
    return rows


def _entries(cache: Path) -> dict[str, set[str]]:
    """The cache's entries by kind: encoded segments, soundtrack pieces, narration blocks said."""
    return {"segments": {p.name for p in (cache / "segments").glob("*.mp4")},
            "audio_pieces": {p.name for p in (cache / "audio" / "pieces").glob("*.npz")},
            "speech": _speech_entries(cache)}


# -- the encode floor -------------------------------------------------------------------------------

def encode_floor(video: Path, work: Path, frames: int, env: dict[str, str]) -> dict[str, float]:
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.encode.segments import VideoSettings, encode_args
    from fractions import Fraction

    ff = Ffmpeg()
    raw = work / "frames.yuv"
    ff.run(["-i", str(video), "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw)])
    if raw.stat().st_size != frames * 1920 * 1080 * 3 // 2:
        raise RuntimeError(f"{raw}: decoded {raw.stat().st_size} bytes, expected {frames} frames")
    settings = VideoSettings.delivery(1920, 1080, Fraction(30))
    cmd = ff.command(encode_args(settings, work / "floor.mp4"))
    try:
        return run_measured(cmd, env=env, stdin_path=raw)
    finally:
        raw.unlink()


# -- the naive moviepy reference ------------------------------------------------------------------

def naive_child(script: Path, out: Path, seconds: float) -> None:
    """Build the first ``seconds`` of the video the way typical moviepy code does, and write it."""
    from moviepy import (ColorClip, CompositeVideoClip, ImageClip, TextClip, concatenate_videoclips,
                         vfx)

    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions
    from claimreel.layout.elements import ImageEl, RectEl, TextEl
    from claimreel.layout.captions import caption_elements

    with tempfile.TemporaryDirectory() as tmp:
        prepared = prepare(script, RenderOptions(cache=Path(tmp)))
    fmt = prepared.formats[0]
    timeline = prepared.timelines[fmt.name]
    fps = float(timeline.fps)
    size = (fmt.width, fmt.height)

    def element_clips(elements, duration):
        clips = []
        for el in elements:
            if isinstance(el, TextEl):
                font = str(prepared.book.weights[el.weight])
                clip = TextClip(font=font, text="\n".join(el.lines), font_size=el.size, color=el.color,
                                method="label", text_align=el.align, margin=(0, el.size // 4),
                                interline=max(0, el.line_height - el.size))
                clips.append(clip.with_position((el.box.x, el.box.y)).with_duration(duration))
            elif isinstance(el, RectEl) and el.opacity > 0:
                clip = ColorClip((el.box.w, el.box.h), color=_rgb(el.color)).with_opacity(el.opacity)
                clips.append(clip.with_position((el.box.x, el.box.y)).with_duration(duration))
            elif isinstance(el, ImageEl):
                clip = ImageClip(str(el.path)).resized(height=el.box.h)
                clips.append(clip.with_position((el.box.x, el.box.y)).with_duration(duration))
        return clips

    scenes = []
    t_end = 0.0
    for scene, layout in zip(timeline.scenes, prepared.layouts[fmt.name]):
        if t_end >= seconds:
            break
        duration = scene.frames / fps
        layers = [ColorClip(size, color=_rgb(layout.background)).with_duration(duration)]
        if layout.photo is not None:
            z0, z1 = layout.photo.zoom_from, layout.photo.zoom_to
            photo = ImageClip(str(layout.photo.path)).resized(height=fmt.height)
            zoom = photo.resized(lambda t, d=duration: z0 + (z1 - z0) * t / d)
            layers.append(zoom.with_position("center").with_duration(duration)
                          .with_effects([vfx.CrossFadeIn(0.4)]))
        main = element_clips(layout.elements, duration)
        layers += [c.with_effects([vfx.CrossFadeIn(0.47)]) for c in main]
        start_s = scene.start_frame / fps
        for cue in timeline.cues:
            a, b = cue.start_ms / 1000 - start_s, cue.end_ms / 1000 - start_s
            if b <= 0 or a >= duration:
                continue
            a, b = max(a, 0.0), min(b, duration)
            for clip in element_clips(caption_elements(cue.lines, fmt, prepared.theme, prepared.book,
                                                       bottom=layout.caption_bottom), b - a):
                layers.append(clip.with_start(a))
        scenes.append(CompositeVideoClip(layers, size=size).with_duration(duration))
        t_end += duration
    video = concatenate_videoclips(scenes, method="compose").subclipped(0, seconds)
    video.write_videofile(str(out), fps=fps, codec="libx264", preset="veryfast", audio=False,
                          ffmpeg_params=["-crf", "20"], logger=None)


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


# -- the run ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="naive reference on 5 s; skip --format all")
    parser.add_argument("--json", type=Path, default=Path("render/bench/bench_render.json"))
    parser.add_argument("--naive-child", nargs=3, metavar=("SCRIPT", "OUT", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.naive_child:
        naive_child(Path(args.naive_child[0]), Path(args.naive_child[1]), float(args.naive_child[2]))
        return 0

    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    sys.path.insert(0, str(REPO / "src"))
    rows: dict[str, dict[str, float]] = {}
    naive_seconds = 5.0 if args.quick else 20.0
    with tempfile.TemporaryDirectory(prefix="claimreel-bench-") as tmp_name:
        tmp = Path(tmp_name)
        script = make_workspace(tmp / "ws")
        ws = script.parents[1]

        rows["cold_16x9"] = run_measured(claimreel_cmd(script, ws, "--format", "16x9"), env=env)
        video = ws / "out" / "xinjiang-un-report" / "16x9" / "video.mp4"
        frames, duration = video_facts(video)
        rows["cold_16x9"]["frames"] = frames
        signing = subprocess.run([sys.executable, str(Path(__file__).with_name("bench_signing.py")),
                                  str(video.parents[1]), str(script), "--json"],
                                 env=env, check=True, capture_output=True, text=True)
        rows["signing"] = json.loads(signing.stdout.splitlines()[-1])
        # the audio description's share of the cold render: its speech and described soundtrack, made
        # again cold in a fresh process (bench_described.py)
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_described import run_child

        rows["described_track"] = run_child(script, ws / "cache", False, env)

        if not args.quick:  # the same without the script's social cuts, to show what they cost
            rows["cold_16x9_no_cuts"] = run_measured(
                claimreel_cmd(script, ws, "--format", "16x9", "--cuts", "none", cache="cache-nocuts"), env=env)
            rows["cold_16x9_no_cuts"]["frames"] = frames

        rows["encode_floor"] = encode_floor(video, tmp, frames, env)
        rows["encode_floor"]["frames"] = frames

        naive_out = tmp / "naive.mp4"
        rows["naive_moviepy"] = run_measured(
            [sys.executable, str(Path(__file__).resolve()), "--naive-child", str(script), str(naive_out),
             str(naive_seconds)], env=env)
        rows["naive_moviepy"]["frames"] = video_facts(naive_out)[0]

        text = script.read_text(encoding="utf-8")
        if QUOTE_OLD not in text:
            raise RuntimeError(f"{script}: the quote text the benchmark edits is gone; update QUOTE_OLD")
        script.write_text(text.replace(QUOTE_OLD, QUOTE_NEW, 1), encoding="utf-8")
        rows["warm_quote_edit"] = run_measured(claimreel_cmd(script, ws, "--format", "16x9"), env=env)
        rows["warm_quote_edit"]["frames"] = frames
        script.write_text(text, encoding="utf-8")
        rows.update(warm_edits(script, ws, text, env, frames, "cache", ()))

        rows["cold_16x9_espeak"] = run_measured(
            claimreel_cmd(script, ws, "--format", "16x9", "--voice", "espeak", cache="cache-espeak"), env=env)
        rows["cold_16x9_espeak"]["frames"] = frames
        rows.update(warm_edits(script, ws, text, env, frames, "cache-espeak", ("--voice", "espeak"), "_espeak"))
        if not args.quick:
            try:
                rows["cold_all_formats"] = run_measured(
                    claimreel_cmd(script, ws, "--format", "all", cache="cache-all"), env=env)
                rows["cold_all_formats"]["frames"] = sum(
                    video_facts(ws / "out" / "xinjiang-un-report" / f / "video.mp4")[0]
                    for f in ("16x9", "9x16", "1x1", "4x5"))
            except RuntimeError as exc:
                rows["cold_all_formats"] = {"skipped": 1.0}
                print(f"--format all skipped: {str(exc).splitlines()[-1]}", file=sys.stderr)

        # The machine is shared: its speed drifts over a run of ten minutes. The cold render is
        # measured again at the end and the ratios against it use the mean of both; the preview,
        # a few seconds long, is measured twice and reported as the mean.
        rows["cold_16x9_again"] = run_measured(claimreel_cmd(script, ws, "--format", "16x9", cache="cache-again"),
                                               env=env)
        rows["cold_16x9_again"]["frames"] = frames
        previews = [run_measured(claimreel_cmd(script, ws, "--preview", "--format", "16x9",
                                               cache=f"cache-preview{i}"), env=env) for i in (1, 2)]
        rows["preview"] = {key: sum(p[key] for p in previews) / 2 for key in ("wall_s", "cpu_s")}
        rows["preview"].update(peak_rss_mb=max(p["peak_rss_mb"] for p in previews), frames=frames,
                               runs_wall_s=[p["wall_s"] for p in previews])

    for row in rows.values():
        if "frames" in row and "wall_s" in row:
            row["fps"] = row["frames"] / row["wall_s"]
    first, again = rows["cold_16x9"], rows["cold_16x9_again"]
    cold = {key: (first[key] + again[key]) / 2 for key in ("wall_s", "cpu_s", "fps")}
    targets = {
        "cold / duration (<= 0.5)": cold["wall_s"] / duration,
        "cold / encode floor (<= 1.3)": cold["wall_s"] / rows["encode_floor"]["wall_s"],
        "per-frame speed vs naive (>= 15)": cold["fps"] / rows["naive_moviepy"]["fps"],
        "preview / duration (<= 0.1)": rows["preview"]["wall_s"] / duration,
        "warm edit / cold (<= 0.25)": rows["warm_quote_edit"]["wall_s"] / cold["wall_s"],
        "warm claim-quote edit / cold (<= 0.15)": rows["warm_claim_quote_edit"]["wall_s"] / cold["wall_s"],
        "warm narration edit / cold (<= 0.15)": rows["warm_narration_edit"]["wall_s"] / cold["wall_s"],
        "espeak: warm claim-quote edit / cold (<= 0.15)":
            rows["warm_claim_quote_edit_espeak"]["wall_s"] / rows["cold_16x9_espeak"]["wall_s"],
        "espeak: warm narration edit / cold (<= 0.15)":
            rows["warm_narration_edit_espeak"]["wall_s"] / rows["cold_16x9_espeak"]["wall_s"],
        "signing / cold (<= 0.02)": rows["signing"]["wall_s"] / cold["wall_s"],
        "described track / cold without it, CPU (<= 0.15)":
            rows["described_track"]["cpu_s"] / (rows["cold_16x9"]["cpu_s"] - rows["described_track"]["cpu_s"]),
        "peak RSS GB (<= 1.5)": max(r.get("peak_rss_mb", 0) for r in rows.values()) / 1024,
    }
    targets["neural voice: cold / duration (<= 0.6)"] = cold["wall_s"] / duration
    targets["neural cold / espeak cold (<= 1.6)"] = cold["wall_s"] / rows["cold_16x9_espeak"]["wall_s"]
    targets["narration edit: blocks said again (1)"] = rows["warm_narration_edit"]["new_speech"]
    if "cold_16x9_no_cuts" in rows:
        targets["cold without cuts / duration"] = rows["cold_16x9_no_cuts"]["wall_s"] / duration
    if "wall_s" in rows.get("cold_all_formats", {}):
        targets["--format all / cold (<= 3)"] = rows["cold_all_formats"]["wall_s"] / cold["wall_s"]
    # The same ratios in CPU time: what the work costs, whatever else the machine was doing.
    cpu_ratios = {
        "cold / encode floor": cold["cpu_s"] / rows["encode_floor"]["cpu_s"],
        "warm edit / cold": rows["warm_quote_edit"]["cpu_s"] / cold["cpu_s"],
        "warm claim-quote edit / cold": rows["warm_claim_quote_edit"]["cpu_s"] / cold["cpu_s"],
        "warm narration edit / cold": rows["warm_narration_edit"]["cpu_s"] / cold["cpu_s"],
        "espeak: warm claim-quote edit / cold":
            rows["warm_claim_quote_edit_espeak"]["cpu_s"] / rows["cold_16x9_espeak"]["cpu_s"],
        "espeak: warm narration edit / cold":
            rows["warm_narration_edit_espeak"]["cpu_s"] / rows["cold_16x9_espeak"]["cpu_s"],
        "preview / cold": rows["preview"]["cpu_s"] / cold["cpu_s"],
        "signing / cold": rows["signing"]["cpu_s"] / cold["cpu_s"],
    }
    if "cpu_s" in rows.get("cold_all_formats", {}):
        cpu_ratios["--format all / cold"] = rows["cold_all_formats"]["cpu_s"] / cold["cpu_s"]
    targets["cold drift (second / first run)"] = again["wall_s"] / first["wall_s"]
    report = {"video_duration_s": duration, "frames": frames, "cpus": os.cpu_count(),
              "naive_seconds": naive_seconds, "runs": rows, "ratios": targets, "cpu_ratios": cpu_ratios,
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"flagship: {duration:.1f} s, {frames} frames at 1920x1080 30 fps, {os.cpu_count()} CPUs")
    print(f"{'run':<30}{'wall s':>9}{'CPU s':>9}{'fps':>9}{'peak RSS MB':>13}{'x duration':>12}")
    for name, row in rows.items():
        if "wall_s" not in row:
            print(f"{name:<30}{'skipped':>9}")
            continue
        span = duration if name != "naive_moviepy" else row["frames"] / 30
        news = " ".join(f"{k[4:]} {int(v)}" for k, v in row.items() if k.startswith("new_"))
        print(f"{name:<30}{row['wall_s']:>9.1f}{row['cpu_s']:>9.1f}{row.get('fps', 0):>9.1f}{row.get('peak_rss_mb', 0):>13.0f}"
              f"{row['wall_s'] / span:>12.2f}  {news}")
    for name, value in targets.items():
        print(f"{name:<48}{value:>8.2f}")
    print("CPU-time ratios:")
    for name, value in cpu_ratios.items():
        print(f"  {name:<46}{value:>8.2f}")
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
