"""Captions' cues and the clock they share with the timeline: whole milliseconds against frames
at a Fraction frame rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["Cue", "CueWord", "frame_to_ms", "hms_ms", "ms_to_frame"]


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
