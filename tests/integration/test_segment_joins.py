"""Fast rendering stays correct: exact frame count, seamless joins, same frames cold or warm.

The video is built from scenes encoded apart, and inside a scene from chunks,
still GOPs encoded once and repeated. Decoding the joined file at every join
must give the frame the unsegmented path (SceneFrames) draws for that instant.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from claimreel.compose.frames import SceneFrames
from claimreel.encode.ffmpeg import Ffmpeg, media_path
from claimreel.encode.probe import count_frames, probe
from claimreel.pipeline.encoding import _keyed_segment_jobs
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.render import render
from claimreel.pipeline.segment_plan import scene_cues
from claimreel.pipeline.request import RenderOptions
from claimreel.pipeline.segments import Chunk, unit_chunks

pytestmark = pytest.mark.integration


def _frame_hashes(path: Path) -> list[str]:
    """One MD5 per decoded frame (ffmpeg's framemd5 muxer): cheap to compare whole videos."""
    out = Ffmpeg().run(["-i", media_path(path), "-map", "0:v:0", "-f", "framemd5", "pipe:1"]).stdout
    return re.findall(r"^\s*0,.*,\s*([0-9a-f]{32})\s*$", out.decode("ascii"), re.M)


def _scene_frames(prepared, fmt_name: str, options: RenderOptions) -> list[tuple[int, SceneFrames, list[Chunk]]]:
    """Each unit's scene start frame, its scene's frames drawn unsegmented the way the render's
    segment job asks (same cues, motion and fades), and the chunks the render encodes the unit in
    (in the scene's frame numbering: a unit may be a span of its scene)."""
    fmt = next(f for f in prepared.formats if f.name == fmt_name)
    out = []
    for job, _ in _keyed_segment_jobs(prepared, fmt, Path("unused"), options, Ffmpeg()):
        frames = SceneFrames(job.layout, fmt, prepared.theme, prepared.book, job.frames, job.cues,
                             motion=job.motion, fade_out_all=job.fade_out_all)
        out.append((prepared.timelines[fmt_name].scenes[job.index].start_frame, frames, unit_chunks(job, frames)))
    return out


@pytest.fixture(scope="module")
def preview_render(small_preview):
    """The session's preview of the small script, rendered from an empty cache (tests/conftest.py)."""
    return small_preview


def test_frame_count_is_duration_times_fps(preview_render):
    _, _, _, result = preview_render
    video = result.folder / "16x9" / "video.mp4"
    timeline = result.timeline
    assert timeline.total_frames == sum(s.frames for s in timeline.scenes)
    assert count_frames(Ffmpeg(), video) == timeline.total_frames


def test_still_stretches_are_repeated_not_reencoded(preview_render):
    ws, script, options, _ = preview_render
    prepared = prepare(script, options)
    repeated = 0
    covered: dict[int, int] = {}  # frames each scene's units encode, by scene start
    for start, frames, chunks in _scene_frames(prepared, "16x9", options):
        assert chunks[0].start == 0 or start in covered, "a scene's first unit starts at its first frame"
        covered[start] = covered.get(start, 0) + sum(c.frames for c in chunks)
        assert covered[start] <= frames.n
        repeated += sum(c.repeat - 1 for c in chunks)
    assert covered == {s.start_frame: s.frames for s in prepared.timelines["16x9"].scenes}
    assert repeated > 0, "the small script has still holds long enough to repeat a GOP"


def _decode_in_one_pass(video: Path, indexes: list[int]) -> list[np.ndarray]:
    """The frames at ``indexes`` (sorted, distinct) as RGB arrays, from one decode of ``video``.

    ffmpeg's expression parser refuses a sum of more than about a hundred terms, but takes sums of
    bracketed sums: the select expression is written in groups of 50, so a whole video is decoded
    once rather than once for every few dozen frames (what decode_frames would do here)."""
    info = probe(Ffmpeg(), video)
    terms = [f"eq(n\\,{n})" for n in indexes]
    expr = "+".join("(" + "+".join(terms[k:k + 50]) + ")" for k in range(0, len(terms), 50))
    data = Ffmpeg().run(["-i", media_path(video), "-map", "0:v:0", "-vf", f"select={expr}", "-fps_mode",
                         "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]).stdout
    size = info.width * info.height * 3
    assert len(data) == size * len(indexes), f"asked for {len(indexes)} frames, decoded {len(data) / size}"
    return list(np.frombuffer(data, np.uint8).reshape(len(indexes), info.height, info.width, 3))


def assert_joins_match(script: Path, options: RenderOptions, video: Path, fmt_name: str = "16x9") -> None:
    """Decode ``video`` at every scene and chunk join and compare with the unsegmented frames."""
    prepared = prepare(script, options)
    scenes = _scene_frames(prepared, fmt_name, options)
    wanted: dict[int, tuple[SceneFrames, int]] = {}
    for start, frames, chunks in scenes:
        for chunk in chunks:
            for r in range(chunk.repeat):
                first = chunk.start + r * (chunk.end - chunk.start)
                for local in (first - 1, first, first + 1):
                    if 0 <= local < frames.n:
                        wanted[start + local] = (frames, local)
    indexes = sorted(wanted)
    assert len(indexes) > 3 * len(scenes)
    decoded = _decode_in_one_pass(video, indexes)
    for index, got in zip(indexes, decoded):
        frames, local = wanted[index]
        expected = frames.rgb(local).astype(np.int16)
        err = np.abs(got.astype(np.int16) - expected).mean()
        assert err < 3.0, f"frame {index} (scene frame {local}) differs from the unsegmented path by {err:.2f}"
        # A frame shifted by one at a join would match a neighbour better than itself.
        for other in (local - 1, local + 1):
            if 0 <= other < frames.n:
                neighbour = frames.rgb(other).astype(np.int16)
                if np.abs(neighbour - expected).mean() > 2.0:
                    assert err < np.abs(got.astype(np.int16) - neighbour).mean(), f"frame {index} is off by one"


def test_every_join_decodes_to_the_unsegmented_frame(preview_render):
    ws, script, options, result = preview_render
    assert_joins_match(script, options, result.folder / "16x9" / "video.mp4")


def test_cold_and_warm_cache_give_identical_frames(preview_render, tmp_path):
    ws, script, options, result = preview_render
    first = _frame_hashes(result.folder / "16x9" / "video.mp4")
    warm = render(script, RenderOptions(out=tmp_path / "warm", cache=options.cache, preview=True, jobs=2))
    assert warm.segments_encoded == 0 and warm.segments_cached == len(result.timeline.scenes)
    assert _frame_hashes(warm.folder / "16x9" / "video.mp4") == first
    cold = render(script, RenderOptions(out=tmp_path / "cold", cache=tmp_path / "cache2", preview=True, jobs=2))
    assert cold.segments_encoded == len(result.timeline.scenes)
    hashes = _frame_hashes(cold.folder / "16x9" / "video.mp4")
    assert len(hashes) == result.timeline.total_frames
    assert hashes == first


def test_a_draft_draws_each_zoom_step_once_and_a_final_every_frame(preview_render):
    """The preview's photo zoom advances every second frame (each step drawn once, shown twice,
    so the encoder gets the same bytes twice); the final render's moves on every frame."""
    ws, script, options, _ = preview_render
    prepared = prepare(script, options)
    photo = next(frames for _, frames, _ in _scene_frames(prepared, "16x9", options) if frames.burns is not None)
    held = [i for i in range(photo.n) if photo.state_key(i) is not None]
    assert len(held) > photo.n // 2, "most of a photo scene is between its fade in and its exit"
    pairs = [i for i in held if i % 2 == 0 and i + 1 in held and photo.caption_state(i) == photo.caption_state(i + 1)]
    for i in pairs:
        assert photo.state_key(i) == photo.state_key(i + 1) and photo.frame_bytes(i) is photo.frame_bytes(i + 1)
    steps = [photo.planes(i).y.astype(np.int16) for i in pairs[::10]]
    assert all(np.abs(a - b).mean() > 0.1 for a, b in zip(steps, steps[1:])), "the zoom still moves"

    final = SceneFrames(photo.layout, photo.fmt, photo.theme, photo.book, photo.n, photo.cues)
    assert all(final.state_key(i) is None for i in range(final.n))
    assert np.abs(final.planes(pairs[5]).y.astype(np.int16) - final.planes(pairs[5] + 1).y).mean() > 0


def test_a_preview_is_half_size_with_a_draft_soundtrack(preview_render):
    _, _, _, result = preview_render
    info = probe(Ffmpeg(), result.folder / "16x9" / "video.mp4")
    assert (info.width, info.height) == (960, 540)
    # the speech's own rate (espeak: 22.05 kHz), or 24 kHz if clips had to be resampled
    assert (info.audio_codec, info.channels) == ("aac", 2) and info.sample_rate in (22050, 24000)
    loudness = json.loads((result.folder / "manifest.json").read_text())["formats"]["16x9"]["loudness"]
    assert loudness["measured"] == "by ffmpeg's ebur128, before AAC encoding (preview)"
    assert loudness["true_peak_dbtp"] <= -1.0 and abs(loudness["integrated_lufs"] - loudness["target_lufs"]) < 1.0


def test_a_scene_cut_into_units_is_drawn_by_each_as_the_whole_scene(flagship_preview):
    """A moving scene's pieces are drawn with the scene's own motion (a document page's move is timed
    from the entrance's length); only the rest of a cut-opening card leaves its entrance out, and draws
    the same frames as the card drawn whole."""
    _, options, _, prepared = flagship_preview
    fmt = prepared.formats[0]
    units: dict[int, list] = {}
    for job, _ in _keyed_segment_jobs(prepared, fmt, Path("unused"), options, Ffmpeg()):
        units.setdefault(job.index, []).append(job)
    split = [jobs for jobs in units.values() if len(jobs) > 1]
    assert {jobs[0].layout.kind for jobs in split} >= {"claim", "photo"}, "the flagship splits both kinds"
    timeline = prepared.timelines[fmt.name]

    def drawn(job, cues) -> SceneFrames:
        return SceneFrames(job.layout, fmt, prepared.theme, prepared.book, job.frames, cues,
                           motion=job.motion, fade_out_all=job.fade_out_all)

    for first, *rest in split:
        if first.index not in prepared.openers:
            assert all(job.motion == first.motion for job in rest), first.layout.kind
            continue
        assert [job.motion for job in rest] == [first.motion.settled()]
        whole, (part,) = drawn(first, scene_cues(timeline, timeline.scenes[first.index])), rest
        drawn_part = drawn(part, part.cues)
        try:
            for i in (part.span[0], part.span[1] - 1):
                assert drawn_part.frame_bytes(i) == whole.frame_bytes(i), i
        finally:
            whole.close()
            drawn_part.close()
