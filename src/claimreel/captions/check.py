"""Check cues against the caption rules: the findings behind ``claimreel lint``.

Each rule has a short name (``Finding.rule``); a finding carries the measured
value, the limit it broke and a message that says how to fix it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from .cue import Cue, ms_to_frame
from .rules import CaptionRules

__all__ = ["RULES", "Finding", "check_cues"]

RULES = {
    "empty": "a cue with no text",
    "blank_line": "a blank line inside a cue (ends the cue early in SRT and WebVTT)",
    "arrow": "'-->' inside cue text (breaks SRT and WebVTT parsing)",
    "lines": "too many lines",
    "line_length": "a line longer than the limit",
    "long_word": "a single word longer than a line (unavoidable without hyphenation)",
    "cps": "reading speed above the preferred limit",
    "cps_hard": "reading speed above the hard limit",
    "timing": "a cue that ends before it starts",
    "min_duration": "a cue shown too briefly",
    "max_duration": "a cue shown too long",
    "overlap": "a cue that starts before the previous one ends",
    "gap": "too small a gap between cues",
    "gap_not_closed": "a small gap that should be closed to the minimum gap",
    "index": "cue numbers that do not run 1, 2, 3, ...",
}


@dataclass(frozen=True)
class Finding:
    """One broken rule in one cue."""

    rule: str
    cue_index: int
    start_ms: int
    value: float
    limit: float
    message: str
    text: str = ""  # the cue's text, so a reader sees which cue without opening the file


def _clock(ms: int) -> str:
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _text_findings(cue: Cue, rules: CaptionRules) -> list[Finding]:
    def found(rule: str, value: float, limit: float, message: str) -> Finding:
        return Finding(rule, cue.index, cue.start_ms, value, limit, message, cue.text)

    out: list[Finding] = []
    if not cue.lines or not cue.text.strip():
        return [found("empty", 0, 1, "cue has no text; remove it")]
    blank = sum(1 for line in cue.lines if not line.strip())
    if blank:
        out.append(found("blank_line", blank, 0, f"{blank} blank line(s) inside the cue; remove them"))
    if any("-->" in line for line in cue.lines):
        out.append(found("arrow", 1, 0, "text contains '-->'; write '→' instead"))
    if len(cue.lines) > rules.max_lines:
        out.append(found("lines", len(cue.lines), rules.max_lines,
                         f"{len(cue.lines)} lines, at most {rules.max_lines} allowed; "
                         "shorten the text or split the cue"))
    for number, line in enumerate(cue.lines, 1):
        length = len(line)
        if length <= rules.max_chars_per_line:
            continue
        if len(line.split()) == 1:
            out.append(found("long_word", length, rules.max_chars_per_line,
                             f"line {number} is one {length}-character word, longer than "
                             f"{rules.max_chars_per_line}; shorten or hyphenate it"))
        else:
            out.append(found("line_length", length, rules.max_chars_per_line,
                             f"line {number} has {length} characters, at most "
                             f"{rules.max_chars_per_line} allowed; re-break or split the cue"))
    return out


def _timing_findings(cue: Cue, rules: CaptionRules) -> list[Finding]:
    def found(rule: str, value: float, limit: float, message: str) -> Finding:
        return Finding(rule, cue.index, cue.start_ms, value, limit, message, cue.text)

    duration = cue.duration_ms
    if duration <= 0:
        return [found("timing", duration, 1, f"ends at {_clock(cue.end_ms)}, not after its start; "
                      "fix the times")]
    out: list[Finding] = []
    if duration < rules.min_duration_ms:
        out.append(found("min_duration", duration, rules.min_duration_ms,
                         f"shown {duration} ms, at least {rules.min_duration_ms} ms needed; "
                         "extend it or merge it with a neighbour"))
    if duration > rules.max_duration_ms:
        out.append(found("max_duration", duration, rules.max_duration_ms,
                         f"shown {duration} ms, at most {rules.max_duration_ms} ms allowed; "
                         "split the cue"))
    chars = len(cue.text)
    cps = round(chars * 1000 / duration, 2)
    wpm = round(len(cue.text.split()) * 60_000 / duration)
    for rule, limit, words in (("cps_hard", rules.hard_cps, "hard limit"), ("cps", rules.max_cps, "preferred at most")):
        if cps > limit:
            needed = math.ceil(chars * 1000 / limit)
            fits = math.floor(limit * duration / 1000)
            out.append(found(rule, cps, limit,
                             f"{cps:g} characters per second ({wpm} words per minute), {words} {limit:g}; "
                             f"show it at least {needed} ms (until {_clock(cue.start_ms + needed)}) "
                             f"or shorten it to {fits} characters"))
            break
    return out


def _pair_findings(prev: Cue, cue: Cue, rules: CaptionRules, fps: Fraction) -> list[Finding]:
    def found(rule: str, value: float, limit: float, message: str) -> Finding:
        return Finding(rule, cue.index, cue.start_ms, value, limit, message, cue.text)

    if cue.start_ms < prev.end_ms:
        overlap = prev.end_ms - cue.start_ms
        return [found("overlap", overlap, 0, f"starts {overlap} ms before cue {prev.index} ends at "
                      f"{_clock(prev.end_ms)}; end cue {prev.index} earlier")]
    gap = ms_to_frame(cue.start_ms, fps) - ms_to_frame(prev.end_ms, fps)
    if gap < rules.min_gap_frames:
        return [found("gap", gap, rules.min_gap_frames,
                      f"{gap} frame(s) after cue {prev.index}, at least {rules.min_gap_frames} needed; "
                      f"end cue {prev.index} earlier")]
    close = rules.close_gap_frames(fps)
    start = ms_to_frame(cue.start_ms, fps)
    longest = rules.max_duration_frames(fps)
    closable = start - rules.min_gap_frames - ms_to_frame(prev.start_ms, fps) <= longest
    if gap > rules.min_gap_frames and gap <= close and closable:
        return [found("gap_not_closed", gap, rules.min_gap_frames,
                      f"{gap}-frame gap after cue {prev.index}; gaps up to {close} frames are closed "
                      f"to {rules.min_gap_frames}: extend cue {prev.index}")]
    return []


def check_cues(cues: Sequence[Cue], rules: CaptionRules, fps: Fraction) -> list[Finding]:
    """Every rule each cue breaks, in cue order (gaps are reported on the later cue)."""
    fps = Fraction(fps)
    findings: list[Finding] = []
    for number, cue in enumerate(cues, 1):
        if cue.index != number:
            findings.append(Finding("index", cue.index, cue.start_ms, cue.index, number,
                                    f"cue numbered {cue.index} is number {number} in order; "
                                    "renumber the cues from 1", cue.text))
        findings.extend(_text_findings(cue, rules))
        findings.extend(_timing_findings(cue, rules))
        if number > 1:
            findings.extend(_pair_findings(cues[number - 2], cue, rules, fps))
    return findings
