"""Where a final soundtrack's sounds and AAC pieces sit: on the AAC frame grid, counted from each scene's start.

A scene's sounds (its narration, its clip's sound, the descriptions said in its gaps) are placed from
its start rounded to a whole AAC frame (1024 samples: at most 10.7 ms from the picture's start at
48 kHz, well inside a frame of video), and its AAC pieces start there too. So a scene's stretch of
the mix is the same samples on the same frame boundaries wherever the scene sits in the video, and an
edit that moves it (a card held longer before it) leaves its encoded pieces as they were.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction

from ..encode.aac_pieces import FRAME, PIECE_SECONDS, Span
from ..timeline.model import Timeline, frame_to_ms

__all__ = ["AudioGrid"]


@dataclass(frozen=True)
class AudioGrid:
    """Each scene's start on the video clock (ms) and in the mix (samples, a whole number of AAC
    frames); the mix's length in samples at ``rate``."""

    origins_ms: tuple[int, ...]
    starts: tuple[int, ...]
    total: int
    rate: int
    lengths: tuple[int, ...] = ()  # each scene's own whole AAC frames (its length rounded down)

    @classmethod
    def of(cls, timeline: Timeline, rate: int) -> AudioGrid:
        fps = Fraction(timeline.fps)
        origins = tuple(frame_to_ms(s.start_frame, fps) for s in timeline.scenes) or (0,)
        starts = tuple(round(Fraction(s.start_frame) * rate / fps / FRAME) * FRAME for s in timeline.scenes) or (0,)
        lengths = tuple(int(Fraction(s.frames) * rate / fps) // FRAME * FRAME for s in timeline.scenes)
        return cls(origins, starts, round(timeline.duration_ms * rate / 1000), rate, lengths)

    def at(self, ms: int) -> int:
        """The sample where a sound timed at ``ms`` on the video clock starts: its scene's start in
        the mix plus its own offset into the scene."""
        k = max(0, bisect.bisect_right(self.origins_ms, ms) - 1)
        return self.starts[k] + round((ms - self.origins_ms[k]) * self.rate / 1000)

    def between(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """A stretch of the video clock in samples, both ends counted from the scene ``start_ms`` is in."""
        a = self.at(start_ms)
        return a, a + round((end_ms - start_ms) * self.rate / 1000)

    def spans(self, seconds: float = PIECE_SECONDS) -> list[Span]:
        """The mix's AAC pieces: each scene's own whole frames from its start, cut into pieces of at
        most ``seconds`` counted from that start (so a long scene's first pieces stay the same when
        only its end changes); then, where the next scene's start rounds a frame later, that frame
        on its own (a piece of silence, mostly, the same wherever it falls)."""
        limit = max(1, int(seconds * self.rate) // FRAME) * FRAME
        out = []
        stops = self.starts[1:] + (self.total,)
        lengths = self.lengths or tuple(b - a for a, b in zip(self.starts, stops))
        for start, stop, length in zip(self.starts, stops, lengths):
            own = min(start + length, stop)
            out += [Span(a, min(a + limit, own), self.total) for a in range(start, own, limit)]
            if own < stop:
                out.append(Span(own, stop, self.total))
        return [span for span in out if span.start < span.stop]
