"""The descriptions and chapters tracks: one cue per scene, timed by the scene's frames.

Descriptions carry what the scene shows (the visual column of the descriptive
transcript, from the same entries); chapters name each part of the story. Both
are written with :func:`claimreel.publish.vtt.vtt_text`, which escapes them.
"""

from __future__ import annotations

from typing import Sequence

from ..timeline.model import Cue, Timeline, frame_to_ms
from .transcript import Entry

__all__ = ["chapter_cues", "description_cues"]


def _span(timeline: Timeline, index: int) -> tuple[int, int]:
    scene = timeline.scenes[index]
    return frame_to_ms(scene.start_frame, timeline.fps), frame_to_ms(scene.end_frame, timeline.fps)


def description_cues(entries: Sequence[Entry], timeline: Timeline) -> tuple[Cue, ...]:
    """One descriptions cue per scene: its kind, then every visual line of its transcript entry."""
    cues = []
    for index, entry in enumerate(entries):
        start, end = _span(timeline, index)
        cues.append(Cue(index + 1, start, end, (f"{entry.heading}.", *entry.visual)))
    return tuple(cues)


def chapter_cues(timeline: Timeline) -> tuple[Cue, ...]:
    """One chapter per scene, titled as the timeline titles it (e.g. "Verdict: False")."""
    return tuple(
        Cue(scene.index + 1, *_span(timeline, i), (scene.title,)) for i, scene in enumerate(timeline.scenes)
    )
