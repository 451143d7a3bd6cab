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
* Chinese 16 characters per line at 9 (hard 11) per second, Japanese 13 at 4
  (hard 5): Netflix's Timed Text Style Guides for those languages.

Caption files (sidecars) follow the rules of the format they belong to:
:func:`sidecar_rules` decides, for every caller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

from ..errors import ClaimreelError

__all__ = ["FORMAT_RULES", "CaptionRules", "is_spaceless", "language_rules", "rules_for_format", "sidecar_rules"]


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

FORMAT_RULES: dict[str, CaptionRules] = {
    "16x9": _WIDE,
    "1x1": _WIDE,
    "4x5": _WIDE,
    "9x16": _VERTICAL,
}

# Netflix Timed Text Style Guides: Simplified/Traditional Chinese 16 characters per line and
# 9 characters per second (adult), 11 as the hard limit; Japanese 13 per line, 4 per second.
# A 9:16 line holds at most 12 of these wide characters.
_SPACELESS = {"zh": (16, 9.0, 11.0), "ja": (13, 4.0, 5.0)}
_SPACELESS_VERTICAL = 12


def rules_for_format(name: str) -> CaptionRules:
    """The caption rules for an output format such as ``"16x9"`` or ``"9x16"``."""
    try:
        return FORMAT_RULES[name]
    except KeyError:
        known = ", ".join(FORMAT_RULES)
        raise ClaimreelError(
            f"unknown video format {name!r} for captions; use one of {known}"
        ) from None


def _primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def is_spaceless(lang: str) -> bool:
    """Whether ``lang`` is written without spaces between words (Chinese, Japanese)."""
    return _primary(lang) in _SPACELESS


def language_rules(lang: str, fmt: str = "16x9") -> CaptionRules:
    """The caption rules for text in ``lang`` in format ``fmt``: the format's, with a spaceless
    language's own line length and reading speeds."""
    base = rules_for_format(fmt)
    numbers = _SPACELESS.get(_primary(lang))
    if numbers is None:
        return base
    chars, cps, hard = numbers
    if base.max_chars_per_line < _WIDE.max_chars_per_line:
        chars = min(chars, _SPACELESS_VERTICAL)
    return replace(base, max_chars_per_line=chars, max_cps=cps, hard_cps=hard)


def sidecar_rules(fmt: str, lang: str | None = None) -> CaptionRules:
    """The rules a caption file (SRT, WebVTT) of output format ``fmt`` is cut by and judged by: the
    video's own captions (``lang`` None) or a translated track in ``lang``.

    This is the one place that decides it; the render, ``claimreel lint``, the job report and the
    studio all ask here. A sidecar is shown by the player over the video of its own format, at the
    width of that video, so each format's files follow that format's rules, the same as its
    burned-in captions: 2 lines of at most 42 characters in 16:9, 1:1 and 4:5; 3 lines of at most
    30 in 9:16 (docs/standards.md, "Sidecar caption files").
    """
    return language_rules(lang, fmt) if lang else rules_for_format(fmt)
