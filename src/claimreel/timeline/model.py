"""The timeline's data: integer frames at a Fraction frame rate, cues in milliseconds.

Everything here is a frozen dataclass: the timeline is computed once, purely,
and every format renders from the same one, so durations match to the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Mapping

from ..captions.cue import Cue, CueWord, frame_to_ms, hms_ms, ms_to_frame

if TYPE_CHECKING:
    from ..narration.base import Speech

# Cues and the frame/millisecond clock are the captions' (claimreel.captions.cue); named here too, as
# parts of the timeline.
__all__ = ["AudioPlacement", "ClipSound", "Cue", "CueWord", "Scene", "Timeline", "frame_to_ms", "hms_ms", "ms_to_frame",
           "spoken_words"]


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


def spoken_words(speeches: Mapping[int, tuple[Speech, str]], timeline: Timeline) -> dict[int, tuple[int, tuple]]:
    """Each narrated scene's audio start (ms) and word timings: what translated tracks are timed to."""
    return {p.scene_index: (p.start_ms, speeches[p.scene_index][0].words) for p in timeline.audio}
