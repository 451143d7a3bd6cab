"""Lint reports: findings as one line each (caption files are read by :mod:`claimreel.publish.caption_files`).

A line reads ``PLACE: cue N at HH:MM:SS.mmm: RULE value V, limit L: message``
so a producer can grep by rule or jump to the cue. :func:`lint_tracks` is the one check of a
script's captions (its own track and its translated ones) that ``claimreel lint`` and the studio
both call, so they find the same things in the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from .check import Finding, check_cues
from .cue import Cue, hms_ms
from .profiles import DEFAULT_PROFILE, profile_rules
from .rules import CaptionRules

__all__ = ["TrackFinding", "finding_line", "lint_cues", "lint_tracks", "slower_rate"]

#: The slowest voice rate a script accepts (``voice.rate``, words per minute).
MIN_RATE = 80
#: How far under the limit a suggested voice rate aims (a fraction of the limit).
RATE_MARGIN = 0.05


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026") + '"'


def finding_line(place: str, finding: Finding) -> str:
    """One finding as one line of lint output, ending with the cue's text."""
    line = (
        f"{place}: cue {finding.cue_index} at {hms_ms(finding.start_ms)}: {finding.rule} "
        f"value {_number(finding.value)}, limit {_number(finding.limit)}: {finding.message}"
    )
    return line + (f" | {_quoted(finding.text)}" if finding.text.strip() else "")


def slower_rate(cue: Cue, limit: float, rate: int) -> int | None:
    """The voice rate (words per minute) at which ``cue`` reads at ``limit`` characters per second.

    Only the spoken part of a cue stretches when the voice slows (the time it lingers
    after the last word does not), so the rate comes from the span of its words:
    ``None`` for a cue without word timings. It aims :data:`RATE_MARGIN` under the
    limit: cue edges snap to frames and the segmenter may move a word between cues.
    """
    if not cue.words:
        return None
    spoken = cue.words[-1].end_ms - cue.words[0].start_ms
    needed = len(cue.text) * 1000 / (limit * (1 - RATE_MARGIN))
    if spoken <= 0 or needed <= cue.duration_ms:
        return None
    stretch = (spoken + needed - cue.duration_ms) / spoken
    return math.floor(rate / stretch)


def _with_rate_advice(findings: Iterable[Finding], cues: Sequence[Cue], voice_rate: int | None) -> list[Finding]:
    """``findings``, a reading-speed one saying which slower voice rate would bring its cue within
    the limit (when ``voice_rate``, the rate that spoke the cues, is known)."""
    by_index = {cue.index: cue for cue in cues}
    advised = []
    for finding in findings:
        cue = by_index.get(finding.cue_index)
        if voice_rate and cue is not None and finding.rule in ("cps", "cps_hard"):
            rate = slower_rate(cue, finding.limit, voice_rate)
            if rate is not None and rate >= MIN_RATE:
                finding = replace(finding, message=f"{finding.message}, or slow the voice to rate {rate} "
                                                   f"(voice.rate, now {voice_rate})")
            elif rate is not None:
                finding = replace(finding, message=f"{finding.message} (slowing the voice would need rate "
                                                   f"{rate}, below the slowest, {MIN_RATE})")
        advised.append(finding)
    return advised


def lint_cues(place: str, cues: Sequence[Cue], rules: CaptionRules, fps: Fraction,
              voice_rate: int | None = None) -> list[str]:
    """Every finding for ``cues`` as lint lines; with the ``voice_rate`` that spoke them, a
    reading-speed finding also gives the slower rate that would bring the cue within its limit."""
    return [finding_line(place, f) for f in _with_rate_advice(check_cues(cues, rules, fps), cues, voice_rate)]


@dataclass(frozen=True)
class TrackFinding:
    """A finding of one of a script's caption tracks: ``language`` is a translated track's tag,
    '' for the narration's own."""

    language: str
    finding: Finding

    def place(self, where: str) -> str:
        """``where`` (a file, a script) with the track's language, as lint lines name it."""
        return f"{where} [{self.language}]" if self.language else where


def lint_tracks(cues: Sequence[Cue], translations: Mapping[str, Sequence[Cue]], fmt: str, fps: Fraction, *,
                profile: str = DEFAULT_PROFILE, voice_rate: int | None = None) -> list[TrackFinding]:
    """Every finding of a script's captions in format ``fmt``: its own ``cues`` held to ``profile``
    (with the voice-rate advice of :func:`lint_cues`), then each translated track held to the rules
    of its language's caption file in that format."""
    rules = profile_rules(profile, fmt)
    found = [TrackFinding("", f) for f in _with_rate_advice(check_cues(cues, rules, fps), cues, voice_rate)]
    for lang, track in translations.items():  # each held to its own file's rules (captions.rules.sidecar_rules)
        found += [TrackFinding(lang, f) for f in check_cues(track, profile_rules(profile, fmt, lang), fps)]
    return found
