"""A render's units of video work: each scene, or each piece of a long moving scene, as a
:class:`SegmentJob`, with what it is estimated to cost and the captions it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..compose.frames import CueSpan, Motion
from ..encode.segments import VideoSettings
from ..layout.elements import SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..timeline.model import Scene, Timeline, frame_to_ms, ms_to_frame

__all__ = ["FRAME_CPU", "SegmentJob", "frame_cpu", "opener_spans", "piece_frames", "piece_spans", "scene_cues",
           "scene_kind", "unit_name"]

# A scene that moves throughout (a photo's zoom, footage, a document page's move) is encoded in
# pieces of whole GOPs, each a unit of its own, so the render's longest unit (what a cluster render
# waits for at its end) stays short. How long the pieces are comes from what a frame costs: CPU
# seconds to draw and encode one 1920x1080 frame (x264 veryfast, one thread), by what moves in the
# scene, measured on the flagship's scenes encoded in pieces. A photo's zoom changes every pixel of
# every frame; footage is decoded as well; a document's page moves for about half its scene and holds
# otherwise; a still card encodes one GOP of each state and repeats it, so it stays one unit.
FRAME_CPU = {"photo": 0.045, "clip": 0.04, "document": 0.03, "card": 0.006}
FULL_HD = 1920 * 1080
# What a unit costs whatever its length: the worker's task, the static layers drawn, the photo decoded
# or the page rendered, the encoder (and a clip's decoder, from the keyframe before) started.
UNIT_CPU = 0.3
# The work a piece holds, at most about: shorter pieces shorten the longest unit, and each repeats
# UNIT_CPU: these keep the longest unit near PIECE_CPU for a few per cent more CPU (docs/speed.md).
PIECE_CPU = 2.2


def scene_kind(layout: SceneLayout) -> str:
    """What moves in a scene, as :data:`FRAME_CPU` names it."""
    if layout.photo is not None:
        return "photo"
    if layout.clip is not None:
        return "clip"
    if layout.document is not None:
        return "document"
    return "card"


def frame_cpu(layout: SceneLayout, fmt: Format) -> float:
    """Estimated CPU seconds to draw and encode one frame of this scene at this format's size."""
    return FRAME_CPU[scene_kind(layout)] * fmt.width * fmt.height / FULL_HD


def piece_frames(layout: SceneLayout, fmt: Format, gop: int) -> int | None:
    """The most frames a piece of this scene holds (whole GOPs, about :data:`PIECE_CPU` of work, at
    least one GOP); None for a still card, which stays one unit."""
    if scene_kind(layout) == "card":
        return None
    return max(gop, int((PIECE_CPU - UNIT_CPU) / frame_cpu(layout, fmt)) // gop * gop)


@dataclass(frozen=True)
class SegmentJob:
    index: int
    layout: SceneLayout
    fmt: Format
    theme: Theme
    book: FontBook
    frames: int
    cues: tuple[CueSpan, ...]
    settings: VideoSettings
    fade_out_all: bool
    out_path: Path
    ffmpeg_binary: str | None = None
    # A still stretch holding at least this many whole GOPs is encoded one GOP long and repeated
    # by stream copy (0: never). Each repeat spares encoding a GOP for the cost of a keyframe
    # where the stretch starts.
    still_repeats: int = 2
    motion: Motion = Motion()
    # The frames ``start <= f < end`` of the scene this unit encodes (a piece, starting at a GOP
    # boundary); None: the whole scene. The scene's still goes beside the piece holding its middle frame.
    span: tuple[int, int] | None = None

    @property
    def length(self) -> int:
        """Frames this unit encodes."""
        return self.frames if self.span is None else self.span[1] - self.span[0]

    @property
    def holds_still(self) -> bool:
        """True if this unit holds the scene's middle frame and so writes the scene's still (a clip
        scene's still is that frame, kept as it passes: the footage is decoded once)."""
        return self.span is None or self.span[0] <= self.frames // 2 < self.span[1]

    @property
    def cpu(self) -> float:
        """Estimated CPU seconds this unit takes (to start the heaviest first)."""
        return UNIT_CPU + self.length * frame_cpu(self.layout, self.fmt)


def piece_spans(frames: int, gop: int, limit: int | None) -> list[tuple[int, int] | None]:
    """How a scene of ``frames`` is cut into units: ``[None]`` (whole) or consecutive spans of
    whole GOPs of at most ``limit`` frames each (see :func:`piece_frames`; None: whole). The last
    piece takes the rest; less than a GOP left over joins the piece before it, rather than be a
    unit that is mostly its fixed cost."""
    if limit is None or frames <= limit:
        return [None]
    count = -(-frames // limit)
    size = -(-frames // count // gop) * gop  # equal pieces, rounded up to whole GOPs
    starts = list(range(0, frames, size))
    if len(starts) > 1 and frames - starts[-1] < gop:
        starts.pop()
    return [(start, end) for start, end in zip(starts, starts[1:] + [frames])]


def opener_spans(layout: SceneLayout, frames: int, gop: int) -> list[tuple[int, int] | None]:
    """How a scene that opens a social cut is cut into units: a card as its entrance (whole GOPs) and
    the rest, which the cut (opening on it without the entrance) shares with the full video; any
    other scene whole (a moving scene differs throughout, and a short card is not worth a unit more)."""
    first = -(-Motion().entrance // gop) * gop  # the full video's entrance: a cut's first scene has none
    if scene_kind(layout) != "card" or frames < first + gop:
        return [None]
    return [(0, first), (first, frames)]


def unit_name(job: SegmentJob) -> str:
    """How a user finds the unit in the script and the output: scene number (1-based, as in the
    storyboard), kind, format, and for a piece its frames."""
    name = f"scene {job.index + 1} ({job.layout.kind}), format {job.fmt.name}"
    if job.span is not None:
        name += f", frames {job.span[0]}-{job.span[1] - 1} of {job.frames}"
    return name


def scene_cues(timeline: Timeline, scene: Scene, span: tuple[int, int] | None = None) -> tuple[CueSpan, ...]:
    """The caption cues shown in ``scene`` (in ``span`` of its frames, when given), in frames from the
    scene's start, with their words' spans.

    Times are taken from the scene's start in milliseconds before they are rounded to frames, so a
    scene's cues, and so its segments' keys, are the same wherever the scene falls in the video: an
    edit that moves a scene leaves its segments cached. A piece is given only what it shows: the cues
    and word times held inside its frames.
    """
    fps = timeline.fps
    origin = frame_to_ms(scene.start_frame, fps)
    first, end = span or (0, scene.frames)

    def frame(ms: int) -> int:
        """A time as a frame of the scene, held inside the frames drawn: what lies outside them
        cannot change a frame, and so must not change the key."""
        return min(max(ms_to_frame(ms - origin, fps), first), end)

    out = []
    for cue in timeline.cues:
        s, e = frame(cue.start_ms), frame(cue.end_ms)
        if s < e:
            # A word spoken before the span starts with it (the highlight holds the last word begun).
            words = tuple((frame(w.start_ms), frame(w.end_ms)) for w in cue.words)
            out.append(CueSpan(s, e, cue.lines, cue.speaker, words))
    return tuple(out)
