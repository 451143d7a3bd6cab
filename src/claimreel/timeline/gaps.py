"""The narration's gaps: where in each scene nobody speaks, so an audio description may.

A scene's gaps are its span minus every narration placement and every clip's own sound (a clip may
speak, under the narration or in full), each widened by :data:`GUARD_MS` so that a description
neither clips a word's tail nor runs into the next one and the programme's ducking ramps (which sit
just outside a description) never touch speech. Gaps shorter than :data:`MIN_GAP_MS` hold no useful
description and are left out.
"""

from __future__ import annotations

from ..timeline.model import Timeline, frame_to_ms

__all__ = ["GUARD_MS", "MIN_GAP_MS", "scene_gaps", "speech_spans"]

GUARD_MS = 300  # kept clear on each side of speech (the duck's ramps fit inside it)
MIN_GAP_MS = 800


def speech_spans(timeline: Timeline) -> list[tuple[int, int]]:
    """Where speech plays (ms, sorted): the narration and every clip's own sound."""
    spans = [(p.start_ms, p.start_ms + p.duration_ms) for p in timeline.audio]
    spans += [(s.start_ms, s.start_ms + s.duration_ms) for s in timeline.sounds]
    return sorted(spans)


def _free(start: int, end: int, busy: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[start, end)`` minus the ``busy`` spans (sorted)."""
    out, cursor = [], start
    for a, b in busy:
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        out.append((cursor, end))
    return out


def scene_gaps(timeline: Timeline, guard_ms: int = GUARD_MS, min_ms: int = MIN_GAP_MS
               ) -> dict[int, list[tuple[int, int]]]:
    """Per scene position, its gaps (ms on the video clock, in time order) at least ``min_ms`` long."""
    busy = [(a - guard_ms, b + guard_ms) for a, b in speech_spans(timeline)]
    end_of_video = timeline.duration_ms
    out: dict[int, list[tuple[int, int]]] = {}
    for position, scene in enumerate(timeline.scenes):
        start, end = frame_to_ms(scene.start_frame, timeline.fps), frame_to_ms(scene.end_frame, timeline.fps)
        # the last 300 ms of the video stay clear too: the description ends before the picture does
        end = min(end, end_of_video - guard_ms)
        out[position] = [(a, b) for a, b in _free(start, end, busy) if b - a >= min_ms]
    return out
