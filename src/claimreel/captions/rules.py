"""The caption rules as numbers, one frozen set per output format.

Sources (docs/standards.md, "Captions and subtitles", says more):

* 42 characters per line, 2 lines: Netflix Timed Text Style Guide (English).
  9:16 uses 30 characters on up to 3 lines: BBC Subtitle Guidelines give 90%
  of the frame width for vertical video and allow 3 lines there; at the
  caption size used in layout that holds about 25-32 characters.
* 17 characters per second preferred, 20 as the hard limit: Netflix English
  templates (17) and Netflix English (USA) (20); BBC's 160-180 wpm agrees.
* 5/6 s (833 ms) minimum and 7 s maximum duration: Netflix timing guidelines.
* At least 2 frames between cues; gaps of 12 frames or less (at 24 fps,
  i.e. 500 ms) are closed to 2 frames: Netflix timing guidelines.
* A cue starts within 2 frames of the first spoken word and may stay up to
  0.5 s after speech ends: Netflix; BBC (never lag more than 2 s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

from ..errors import ClaimreelError

__all__ = ["FILE_RULES", "FILE_RULES_FORMAT", "FORMAT_RULES", "CaptionRules", "rules_for_format"]


@dataclass(frozen=True)
class CaptionRules:
    """Limits every cue must meet; times in milliseconds, gaps in frames."""

    max_chars_per_line: int = 42
    max_lines: int = 2
    max_cps: float = 17.0
    hard_cps: float = 20.0
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_frames: int = 2
    close_gap_frames_at_24: int = 12
    linger_ms: int = 500
    sync_frames: int = 2

    def close_gap_frames(self, fps: Fraction) -> int:
        """Gaps of at most this many frames at ``fps`` are closed to ``min_gap_frames``."""
        return math.floor(Fraction(self.close_gap_frames_at_24, 24) * fps)

    def min_duration_frames(self, fps: Fraction) -> int:
        return math.ceil(Fraction(self.min_duration_ms, 1000) * fps)

    def max_duration_frames(self, fps: Fraction) -> int:
        return math.floor(Fraction(self.max_duration_ms, 1000) * fps)


_WIDE = CaptionRules()
_VERTICAL = replace(_WIDE, max_chars_per_line=30, max_lines=3)

#: The rules of caption *files* (SRT, WebVTT) in every format: a platform's player lays sidecar
#: captions out itself, at its own size, so they keep the file rules (2 lines of at most 42
#: characters) even where the burned-in layout uses more lines (9:16).
FILE_RULES = _WIDE
#: The format whose caption rules are :data:`FILE_RULES` (for code that takes a format name).
FILE_RULES_FORMAT = "16x9"

FORMAT_RULES: dict[str, CaptionRules] = {
    "16x9": _WIDE,
    "1x1": _WIDE,
    "4x5": _WIDE,
    "9x16": _VERTICAL,
}


def rules_for_format(name: str) -> CaptionRules:
    """The caption rules for an output format such as ``"16x9"`` or ``"9x16"``."""
    try:
        return FORMAT_RULES[name]
    except KeyError:
        known = ", ".join(FORMAT_RULES)
        raise ClaimreelError(
            f"unknown video format {name!r} for captions; use one of {known}"
        ) from None
