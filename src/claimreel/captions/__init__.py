"""Captions: the rules (the numbers of docs/standards.md), segmentation into cues, line breaking, checks."""

from __future__ import annotations

from .check import Finding, check_cues
from .linebreak import break_lines
from .rules import CaptionRules, rules_for_format, sidecar_rules
from .segment import TimedWord, segment, speaker_label

__all__ = [
    "CaptionRules",
    "Finding",
    "TimedWord",
    "break_lines",
    "check_cues",
    "rules_for_format",
    "segment",
    "sidecar_rules",
    "speaker_label",
]
