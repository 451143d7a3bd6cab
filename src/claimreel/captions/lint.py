"""Lint reports: findings as one line each, and caption files read for linting.

A line reads ``PLACE: cue N at HH:MM:SS.mmm: RULE value V, limit L: message``
so a producer can grep by rule or jump to the cue.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..errors import ClaimreelError
from ..timeline.model import Cue, hms_ms
from .check import Finding, check_cues
from .rules import CaptionRules

__all__ = ["CAPTION_SUFFIXES", "finding_line", "lint_cues", "read_caption_file"]

CAPTION_SUFFIXES = (".srt", ".vtt")


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def finding_line(place: str, finding: Finding) -> str:
    """One finding as one line of lint output."""
    return (
        f"{place}: cue {finding.cue_index} at {hms_ms(finding.start_ms)}: {finding.rule} "
        f"value {_number(finding.value)}, limit {_number(finding.limit)}: {finding.message}"
    )


def lint_cues(place: str, cues: Sequence[Cue], rules: CaptionRules, fps: Fraction) -> list[str]:
    """Every finding for ``cues`` as lint lines."""
    return [finding_line(place, f) for f in check_cues(cues, rules, fps)]


def read_caption_file(path: Path) -> tuple[Cue, ...]:
    """Cues of an SRT or WebVTT file, read strictly (a malformed entry raises, exit 2)."""
    from ..publish.srt import read_srt
    from ..publish.vtt import read_vtt

    from ..publish.srt import CaptionFileError

    suffix = path.suffix.lower()
    if suffix in CAPTION_SUFFIXES:
        cues = read_srt(path) if suffix == ".srt" else read_vtt(path)
        if not cues:
            raise CaptionFileError(path, "holds no cues", "check that it is the right file")
        return cues
    raise ClaimreelError(
        f"{path}: not a caption file or script (expected .srt, .vtt, .yaml or .yml); name one of those"
    )
