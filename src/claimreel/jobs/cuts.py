"""Social cuts: short clips of some of a video's scenes, rendered beside each format.

A cut is the render job's :class:`~claimreel.jobs.render.Prepared` narrowed to
the scenes the cut names. Its timeline is built from those scene specs with the
narration already spoken for the full video (nothing is synthesised again), so
captions, chapters and audio are timed from the cut's first frame. Its scenes go
through the same segment jobs and cache as the full video: a scene that draws
the same frames (same length, caption spans and fades) comes from the cache, and
only what differs — typically the last scene, which fades out — is encoded.

Files go to ``<format>/cuts/<name>/`` inside the render's staging folder:
``video.mp4``, ``captions.srt``, ``captions.vtt``, ``chapters.vtt``, the
translated ``captions.<lang>.srt/.vtt`` tracks and ``poster.jpg`` (the verdict's
still, or the first scene's). Its segments share the render's worker pool; its
soundtrack is cached by its inputs like the full video's, so the second format
of a cut (same timeline, same sound) takes it from the cache.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..captions.rules import rules_for_format
from ..captions.translate import translated_tracks
from ..encode.ffmpeg import Ffmpeg
from ..encode.probe import probe
from ..encode.segments import mux
from ..errors import ClaimreelError
from ..layout.formats import Format
from ..publish.images import poster_jpeg
from ..publish.srt import srt_text
from ..publish.tracks import chapter_cues
from ..publish.vtt import vtt_text
from ..script.cuts import cut_refs
from ..script.model import Cut, Script
from ..timeline.build import NarrationTiming, build_timeline, scene_positions
from ..timeline.model import Timeline, ms_to_frame
from .output import atomic_write_bytes, atomic_write_text
from .progress import Progress

if TYPE_CHECKING:
    from .render import Prepared, RenderOptions

__all__ = ["CutResult", "cut_view", "render_cuts", "select_cuts"]


@dataclass(frozen=True)
class CutResult:
    """One cut rendered in one format; ``folder`` is relative to ``OUT/<id>``."""

    name: str
    format: str
    folder: Path
    timeline: Timeline
    positions: tuple[int, ...]  # the cut's scenes as positions in the full video's scene list
    segments_encoded: int
    segments_cached: int
    manifest: dict[str, Any]


def select_cuts(script: Script, names: Sequence[str] | None) -> tuple[Cut, ...]:
    """The cuts to render: all of the script's (``names`` None), or those named (exit 2 on unknown names)."""
    if names is None:
        return script.cuts
    by_name = {cut.name: cut for cut in script.cuts}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        have = ", ".join(by_name) or "none"
        raise ClaimreelError(
            f"--cuts: the script has no cut named {', '.join(repr(n) for n in unknown)}; "
            f"its cuts: {have} (or give --cuts none)"
        )
    return tuple(by_name[n] for n in dict.fromkeys(names))


def speaker_names(script: Script) -> list[str]:
    """Names the caption segmentation keeps whole: the claimant and the body's speakers."""
    return [script.claim.speaker.name] + [b.speaker for b in script.body if getattr(b, "speaker", None)]


def cut_view(prepared: Prepared, cut: Cut, fmt: Format) -> tuple[Prepared, tuple[int, ...]]:
    """``prepared`` narrowed to the cut's scenes in ``fmt``, re-timed; and their positions in the full video."""
    positions = scene_positions(prepared.specs, cut_refs(prepared.script, cut))
    specs = tuple(prepared.specs[p] for p in positions)
    speeches = {k: prepared.speeches[p] for k, p in enumerate(positions) if p in prepared.speeches}
    timings = {k: NarrationTiming(speech.duration_ms, speech.words, key) for k, (speech, key) in speeches.items()}
    timeline = build_timeline(specs, timings, fmt.fps, rules_for_format(fmt.name), names=speaker_names(prepared.script))
    # A full video ends on the silent credits; a cut may end on speech, where its last cue, held
    # to be read, can outlast the scene: the last scene then holds until the cue is over.
    last_cue_end = max((ms_to_frame(c.end_ms, timeline.fps) for c in timeline.cues), default=0)
    if last_cue_end > timeline.total_frames:
        scenes = timeline.scenes[:-1] + (dataclasses.replace(timeline.scenes[-1], end_frame=last_cue_end),)
        timeline = dataclasses.replace(timeline, scenes=scenes)
    view = dataclasses.replace(
        prepared, specs=specs, speeches=speeches, formats=(fmt,), timelines={fmt.name: timeline},
        layouts={fmt.name: tuple(prepared.layouts[fmt.name][p] for p in positions)},
    )
    return view, positions


class _Prefixed:
    """Progress whose stage names say which cut they belong to."""

    def __init__(self, progress: Progress, prefix: str) -> None:
        self.progress, self.prefix = progress, prefix

    def start(self, stage: str, total: int) -> None:
        self.progress.start(self.prefix + stage, total)

    def advance(self, stage: str, amount: int = 1) -> None:
        self.progress.advance(self.prefix + stage, amount)

    def note(self, message: str) -> None:
        self.progress.note(message)

    def close(self) -> None:
        pass


def render_cuts(
    prepared: Prepared,
    cuts: Sequence[Cut],
    options: RenderOptions,
    ffmpeg: Ffmpeg,
    staging: Path,
    tmp: Path,
    progress: Progress,
    pool: ProcessPoolExecutor,
) -> list[CutResult]:
    """Render each of ``cuts`` in every format of ``prepared`` into ``staging/<format>/cuts/<name>/``."""
    return [render_cut(prepared, cut, fmt, options, ffmpeg, staging, tmp, progress, pool)
            for cut in cuts for fmt in prepared.formats]


def render_cut(
    prepared: Prepared,
    cut: Cut,
    fmt: Format,
    options: RenderOptions,
    ffmpeg: Ffmpeg,
    staging: Path,
    tmp: Path,
    progress: Progress,
    pool: ProcessPoolExecutor,
) -> CutResult:
    """One cut in one format: segments (cached where they match), its own soundtrack, captions, chapters."""
    from .render import _encode_videos, _soundtracks, _spoken  # the full video's own machinery

    view, positions = cut_view(prepared, cut, fmt)
    timeline = view.timelines[fmt.name]
    relative = Path(fmt.name) / "cuts" / cut.name
    folder = staging / relative
    folder.mkdir(parents=True, exist_ok=True)
    video_only = tmp / f"{fmt.name}-cut-{cut.name}-video.mp4"
    counts = {"encoded": 0, "cached": 0}
    # The audio needs no pictures: mix and encode it while the segments encode.
    with ThreadPoolExecutor(max_workers=1) as audio_worker:
        mixing = audio_worker.submit(_soundtracks, view, options, ffmpeg)
        stills = _encode_videos(view, options, ffmpeg, {fmt.name: video_only},
                                _Prefixed(progress, f"cut {cut.name}: "), counts, pool)
        audio, loudness = mixing.result()[fmt.name]
    mux(ffmpeg, video_only, audio, folder / "video.mp4", copy_audio=True)
    atomic_write_text(folder / "captions.srt", srt_text(timeline.cues))
    atomic_write_text(folder / "captions.vtt", vtt_text(timeline.cues))
    atomic_write_text(folder / "chapters.vtt", vtt_text(chapter_cues(timeline), kind="chapters"))
    for lang, cues in translated_tracks(view.specs, _spoken(view, timeline), fmt.fps, fmt.name).items():
        atomic_write_text(folder / f"captions.{lang}.srt", srt_text(cues))
        atomic_write_text(folder / f"captions.{lang}.vtt", vtt_text(cues, kind="subtitles"))
    atomic_write_bytes(folder / "poster.jpg", poster_jpeg(stills[fmt.name], timeline))
    info = probe(ffmpeg, folder / "video.mp4")
    manifest = {
        "title": cut.title,
        "scenes": [
            {"ref": ref, "kind": scene.kind, "title": scene.title, "start_frame": scene.start_frame,
             "frames": scene.frames}
            for ref, scene in zip(cut.scenes, timeline.scenes)
        ],
        "duration_s": round(timeline.total_frames / float(timeline.fps), 3),
        "frames": timeline.total_frames,
        "probed_duration_s": round(info.duration_s, 3),
        "cues": len(timeline.cues),
        "loudness": loudness,
    }
    return CutResult(cut.name, fmt.name, relative, timeline, positions, counts["encoded"], counts["cached"],
                     manifest)
