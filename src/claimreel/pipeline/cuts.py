"""Social cuts: short clips of some of a video's scenes, rendered beside each format.

A cut is the render job's :class:`~claimreel.pipeline.prepared.Prepared` narrowed to
the scenes the cut names. Its timeline is built from those scene specs with the
narration already spoken for the full video (nothing is synthesised again), so
captions, chapters and audio are timed from the cut's first frame. Its scenes go
through the same segment jobs and cache as the full video: a scene that draws
the same frames (same length, caption spans and fades) comes from the cache, and
only what differs — typically the last scene, which fades out — is encoded.
The render job encodes the cuts' segments and soundtracks in the same batch as
the full videos' (one worker pool, one audio thread); a cut's soundtrack is
shared by its formats when their timelines match.

Files go to ``<format>/cuts/<name>/`` inside the render's staging folder:
``video.mp4``, ``captions.srt``, ``captions.vtt``, ``chapters.vtt``, the
translated ``captions.<lang>.srt/.vtt`` tracks and ``poster.jpg`` (the verdict's
still, or the first scene's).

Every cut opens on a full-strength frame (its first scene has no entrance: feeds
show the first frame as the thumbnail) and ends on the theme's end card (the
verdict, the outlet's mark and the article's address), which the manifest lists as
the scene ``end``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..captions.rules import rules_for_format
from ..errors import ClaimreelError
from ..layout.formats import Format
from ..publish.images import poster_jpeg
from ..publish.tracks import chapter_cues
from ..publish.vtt import vtt_text
from ..script.cuts import cut_refs
from ..script.model import Cut, Script
from ..layout.elements import SceneLayout
from ..script.blocks import Timing
from ..timeline.build import NarrationTiming, SceneSpec, build_timeline, caption_names, scene_positions
from ..timeline.reading import reading_seconds
from ..timeline.model import Cue, Timeline, ms_to_frame
from .output import atomic_write_bytes, atomic_write_text
from .prepared import Prepared, Video

__all__ = ["CutResult", "cut_openers", "cut_view", "end_spec", "select_cuts", "write_cut"]


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
            f"cuts: the script has no cut named {', '.join(repr(n) for n in unknown)}; "
            f"its cuts: {have} (or give the cuts option none)"
        ).naming("cuts")
    return tuple(by_name[n] for n in dict.fromkeys(names))


def end_spec(prepared: Prepared, end: SceneLayout) -> SceneSpec:
    """The end card's scene: the theme's hold, or longer when its text needs it to be read."""
    texts = tuple(" ".join(e.lines) for e in end.texts())
    seconds = max(prepared.theme.end_card.seconds, reading_seconds(texts, prepared.script.language))
    return SceneSpec("end", None, "End card", None, Timing(), seconds, card=texts)


def cut_openers(prepared: Prepared) -> frozenset[int]:
    """The full video's scenes (by index) that open one of the script's cuts (rendered or not: what
    the video's segments are does not depend on which cuts a render makes)."""
    return frozenset(scene_positions(prepared.specs, cut_refs(prepared.script, cut))[0]
                     for cut in prepared.script.cuts if cut.scenes)


def cut_view(prepared: Prepared, cut: Cut, fmt: Format) -> tuple[Prepared, tuple[int, ...]]:
    """``prepared`` narrowed to the cut's scenes in ``fmt``, re-timed; and their positions in the full video."""
    positions = scene_positions(prepared.specs, cut_refs(prepared.script, cut))
    end = prepared.end_cards[fmt.name]
    specs = tuple(prepared.specs[p] for p in positions) + (end_spec(prepared, end),)
    speeches = {k: prepared.speeches[p] for k, p in enumerate(positions) if p in prepared.speeches}
    timings = {k: NarrationTiming(speech.duration_ms, speech.words, key) for k, (speech, key) in speeches.items()}
    timeline = build_timeline(specs, timings, fmt.fps, rules_for_format(fmt.name), names=caption_names(prepared.script))
    # A full video ends on the silent credits; a cut may end on speech, where its last cue, held
    # to be read, can outlast the scene: the last scene then holds until the cue is over.
    last_cue_end = max((ms_to_frame(c.end_ms, timeline.fps) for c in timeline.cues), default=0)
    if last_cue_end > timeline.total_frames:
        scenes = timeline.scenes[:-1] + (dataclasses.replace(timeline.scenes[-1], end_frame=last_cue_end),)
        timeline = dataclasses.replace(timeline, scenes=scenes)
    view = dataclasses.replace(
        prepared, specs=specs, speeches=speeches, formats=(fmt,), timelines={fmt.name: timeline},
        layouts={fmt.name: tuple(prepared.layouts[fmt.name][p] for p in positions) + (end,)}, social=True,
        openers=frozenset(k for k, p in enumerate(positions) if p in prepared.openers),
    )
    return view, positions


def write_cut(cut: Cut, video: Video, positions: tuple[int, ...], staging: Path, relative: Path,
              translations: Mapping[str, Sequence[Cue]], facts: Mapping[str, Any], stills: Sequence[bytes],
              counts: dict[str, int]) -> CutResult:
    """The rest of one cut's files in one format, beside the video and captions the render job wrote
    into ``staging/relative``: chapters, translated WebVTT and poster; and its manifest entry, the
    video's ``facts`` (duration, frames, loudness...) with the cut's title, scenes and cue count."""
    timeline, folder = video.timeline, staging / relative
    atomic_write_text(folder / "chapters.vtt", vtt_text(chapter_cues(timeline), kind="chapters"))
    for lang, cues in translations.items():
        atomic_write_text(folder / f"captions.{lang}.vtt", vtt_text(cues, kind="subtitles"))
    atomic_write_bytes(folder / "poster.jpg", poster_jpeg(stills, timeline))
    manifest = {
        "title": cut.title,
        "scenes": [
            {"ref": ref, "kind": scene.kind, "title": scene.title, "start_frame": scene.start_frame,
             "frames": scene.frames}
            for ref, scene in zip((*cut.scenes, "end"), timeline.scenes)
        ],
        **facts,
        "cues": len(timeline.cues),
    }
    return CutResult(cut.name, video.fmt.name, relative, timeline, positions, counts["encoded"], counts["cached"],
                     manifest)
