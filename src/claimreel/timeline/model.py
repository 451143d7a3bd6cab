"""The timeline's data: integer frames at a Fraction frame rate, cues in milliseconds.

Everything here is a frozen dataclass: the timeline is computed once, purely,
and every format renders from the same one, so durations match to the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["AudioPlacement", "ClipSound", "Cue", "CueWord", "Scene", "Timeline", "frame_to_ms", "ms_to_frame"]


def ms_to_frame(ms: int, fps: Fraction) -> int:
    """The frame that is showing at ``ms`` (rounded to the nearest frame start)."""
    return round(Fraction(ms, 1000) * fps)


def hms_ms(ms: int) -> str:
    """``HH:MM:SS.mmm`` for a time in milliseconds (the WebVTT form)."""
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def frame_to_ms(frame: int, fps: Fraction) -> int:
    """Start time of ``frame`` in whole milliseconds."""
    return round(Fraction(frame) / fps * 1000)


@dataclass(frozen=True)
class CueWord:
    """One spoken word of a cue, on the video clock (drives the word-by-word highlight)."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Cue:
    """One caption: up to a few lines shown from ``start_ms`` to ``end_ms``.

    ``words`` (made by segmentation, empty for cues read from files) are the
    spoken words in order, one per whitespace-separated token of ``lines``;
    they do not take part in equality.
    """

    index: int
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str | None = None
    words: tuple[CueWord, ...] = field(default=(), compare=False)

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class AudioPlacement:
    """A block's narration placed on the timeline."""

    scene_index: int
    start_ms: int
    duration_ms: int
    cache_key: str


@dataclass(frozen=True)
class ClipSound:
    """A clip's own sound placed on the timeline: ``duration_ms`` of ``file`` from ``source_start``
    seconds, played from ``start_ms``; ``mode`` is ``under`` (ducked under the narration) or ``full``."""

    scene_index: int
    start_ms: int
    duration_ms: int
    file: str  # as written in the script (the render resolves it)
    source_start: float
    mode: str


@dataclass(frozen=True)
class Scene:
    """A span of frames showing one scene type with its content.

    ``kind`` names the scene type in the layout registry; ``block`` is the index
    into ``script.body`` for body scenes and ``None`` for open, claim, verdict
    and credits. Frames are half-open: ``start_frame <= f < end_frame``.
    """

    index: int
    kind: str
    block: int | None
    start_frame: int
    end_frame: int
    title: str
    held_frames: int = 0  # frames added after the narration so the card can be read

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame


@dataclass(frozen=True)
class Timeline:
    fps: Fraction
    scenes: tuple[Scene, ...]
    cues: tuple[Cue, ...]
    audio: tuple[AudioPlacement, ...]
    sounds: tuple[ClipSound, ...] = ()

    @property
    def total_frames(self) -> int:
        return self.scenes[-1].end_frame if self.scenes else 0

    @property
    def duration_ms(self) -> int:
        return frame_to_ms(self.total_frames, self.fps)

    def cues_in(self, scene: Scene) -> tuple[Cue, ...]:
        start = frame_to_ms(scene.start_frame, self.fps)
        end = frame_to_ms(scene.end_frame, self.fps)
        return tuple(c for c in self.cues if c.start_ms < end and c.end_ms > start)
