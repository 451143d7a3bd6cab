"""Every scene type renders at any length: 1, 11, 30 and 90 s, final and preview, 16:9 and 9:16.

A scene is cut into units (pieces of a moving scene, a card whole) and each unit into chunks
(still stretches encoded one GOP long and repeated); which plan a unit gets depends on its
length. Here the render's own planning (prepare, segment_jobs, SceneFrames.state_key,
unit_chunks) runs on real scenes of each type and length, and every unit's plan goes through the
render's own encoder path (encode_chunks, real ffmpeg) on small blank frames, so every plan
shape a length can produce is encoded without paying for full-size pictures. One real final
render of a long document scene (the case producers met) closes the loop with full frames.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claimreel.compose.frames import SceneFrames
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import count_frames
from claimreel.encode.segments import VideoSettings
from claimreel.errors import FFmpegError
from claimreel.pipeline.encoding import segment_jobs
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.pipeline.segment_plan import unit_name
from claimreel.pipeline.segments import encode_chunks, unit_chunks

from ..conftest import make_photo
from ..media import make_clip, make_pdf

pytestmark = pytest.mark.integration

LENGTHS = (1, 11, 30, 90)
KINDS = ("photo", "quote", "fact", "clip", "document", "narration")
HIGHLIGHT = "may constitute international crimes"
# At the slowest voice rate the fake engine speaks a word of this text in about 0.7 s.
LONG_WORDS = "Words spoken slowly enough to hold the scene for ninety seconds."


def _timing(seconds: int) -> tuple[str, str]:
    """The block's timing and narration that make its scene about ``seconds`` long: up to a minute
    by ``min_duration``; beyond it by a lead, a tail and narration filling the rest."""
    if seconds <= 60:
        return f"{{lead: 0, tail: 0, min_duration: {seconds}}}", "Short."
    words = (LONG_WORDS + " ") * 9
    return "{lead: 10, tail: 10, min_duration: 60}", words.strip()


def _script(seconds: int, kinds: tuple[str, ...] = KINDS) -> str:
    timing, narration = _timing(seconds)
    clip_end = max(seconds, 1)
    blocks = {
        "photo": f"""
          - type: photo
            image: assets/photos/wide.jpg
            caption: A wide photo
            credit: Test photo
            description: A gradient.
            timing: {timing}
            narration: {narration}""",
        "quote": f"""
          - type: quote
            text: It was flowing.
            attribution: A witness
            timing: {timing}
            narration: {narration}""",
        "fact": f"""
          - type: fact
            headline: Flow in cubic metres per second
            number: "12"
            timing: {timing}
            narration: {narration}""",
        "clip": f"""
          - type: clip
            file: assets/clips/footage.mp4
            start: 0
            end: {clip_end}
            audio: mute
            caption: Footage of the river
            credit: Test footage
            description: Grey frames.
            timing: {timing}
            narration: {narration}""",
        "document": f"""
          - type: document
            file: assets/documents/report.pdf
            page: 1
            source: Test report
            highlight: {HIGHLIGHT}
            timing: {timing}
            narration: {narration}""",
        "narration": f"""
          - type: narration
            timing: {timing}
            narration: {narration}""",
    }
    body = "".join(textwrap.dedent(blocks[kind]) for kind in kinds)
    return textwrap.dedent(
        """\
        id: lengths
        title: Scenes of every length
        language: en
        outlet: {name: Test Desk}
        published: 2024-05-01
        claim:
          quote: The river is dry.
          speaker: {name: Ana Ruiz}
          date: 2024-04-30
        verdict:
          rating: "False"
          summary: The river was running on that day.
        voice: {engine: fake, rate: 80}
        body:"""
    ) + body + "\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lengths")
    make_photo(root / "assets" / "photos" / "wide.jpg")
    make_clip(root / "assets" / "clips" / "footage.mp4", frames=25 * 95, fps=25, audio=False)
    (root / "assets" / "documents").mkdir(parents=True)
    make_pdf(root / "assets" / "documents" / "report.pdf",
             [f"Conclusions. The abuses {HIGHLIGHT}, in particular crimes against humanity. " * 3])
    (root / "scripts").mkdir()
    for seconds in LENGTHS:
        (root / "scripts" / f"lengths-{seconds}.yaml").write_text(_script(seconds), encoding="utf-8")
    return root


def _blank_frames(settings: VideoSettings):
    blank = bytes(settings.frame_bytes)
    return lambda i: blank


def _unit_plans(prepared, fmt, options, ffmpeg) -> dict[str, list]:
    """Each body scene's kind -> its units as the render plans them, with their chunks (a scene's
    frames are set up once: which frames are still depends on the scene, not on the unit)."""
    kinds = {i: layout.kind for i, layout in enumerate(prepared.layouts[fmt.name]) if layout.kind in KINDS}
    plans: dict[str, list] = {}
    scene_frames: dict[int, SceneFrames] = {}
    try:
        for job in segment_jobs(prepared, fmt, options, ffmpeg):
            if job.index not in kinds:
                continue
            if job.index not in scene_frames:
                scene_frames[job.index] = SceneFrames(job.layout, fmt, prepared.theme, prepared.book, job.frames,
                                                      job.cues, motion=job.motion, fade_out_all=job.fade_out_all,
                                                      ffmpeg=ffmpeg)
            plans.setdefault(kinds[job.index], []).append((job, unit_chunks(job, scene_frames[job.index])))
    finally:
        for frames in scene_frames.values():
            frames.close()
    return plans


@pytest.mark.parametrize("seconds", LENGTHS)
@pytest.mark.parametrize("preview", [False, True], ids=["final", "preview"])
def test_every_unit_plan_of_every_scene_type_encodes(workspace: Path, tmp_path: Path, seconds: int,
                                                     preview: bool) -> None:
    options = RenderOptions(formats=("16x9", "9x16"), out=tmp_path / "out", cache=tmp_path / "cache",
                            preview=preview, cuts=())
    prepared = prepare(workspace / "scripts" / f"lengths-{seconds}.yaml", options)
    ffmpeg = Ffmpeg()
    (tmp_path / "units").mkdir()
    encoded: set[tuple] = set()
    for fmt in prepared.formats:
        plans = _unit_plans(prepared, fmt, options, ffmpeg)
        assert sorted(plans) == sorted(KINDS)
        for kind, units in plans.items():
            scene = prepared.timelines[fmt.name].scenes[units[0][0].index]
            if seconds >= 11:  # shorter scenes hold at least until their text is read
                assert abs(scene.frames / fmt.fps - seconds) < 3, (kind, fmt.name, scene)
            assert sum(job.length for job, _ in units) == scene.frames
            for job, chunks in units:
                assert sum(c.frames for c in chunks) == job.length, unit_name(job)
                # Units of the same shape take the same path through the encoder: each shape once.
                shape = (job.settings.fps, job.settings.keyint, tuple((c.end - c.start, c.repeat) for c in chunks))
                if shape in encoded:
                    continue
                encoded.add(shape)
                tiny = VideoSettings(32, 18, job.settings.fps, preset="ultrafast", gop=job.settings.keyint)
                out = tmp_path / "units" / f"{len(encoded)}.mp4"
                try:
                    encode_chunks(ffmpeg, _blank_frames(tiny), chunks, tiny, out)
                except FFmpegError as exc:
                    pytest.fail(f"{unit_name(job)}: chunks {chunks}: {exc}")
                assert count_frames(ffmpeg, out) == job.length, unit_name(job)


def test_a_long_document_scene_renders_in_full_in_both_shapes(workspace: Path, tmp_path: Path) -> None:
    """The render producers met failing: a PDF page held 12 s, final quality, 16:9 and 9:16."""
    script = workspace / "scripts" / "doc-12.yaml"
    script.write_text(_script(12, ("document",)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "claimreel", "render", str(script), "--format", "16x9,9x16", "--cuts", "none",
         "--out", str(tmp_path / "out")],
        cwd=workspace, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for fmt in ("16x9", "9x16"):
        video = tmp_path / "out" / "lengths" / fmt / "video.mp4"
        frames = count_frames(Ffmpeg(), video)
        assert frames > 12 * 30, (fmt, frames)
