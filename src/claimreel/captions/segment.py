"""Group timed words into caption cues: where to cut, how to break, when to show.

Words arrive with absolute times on the video clock. A pause longer than
``BLOCK_GAP_MS``, a change of speaker or a change of ``block`` always ends a
cue. Inside a block a dynamic programme picks the cuts: cheap at sentence
ends, then clause punctuation, then before conjunctions and prepositions
(the gap costs of :mod:`claimreel.captions.linebreak`), with heavy penalties
for cues that would be too short, read too fast or not fit their lines.

Timing works in whole frames: a cue starts on the frame showing its first
word, ends up to ``linger_ms`` after its last word (longer if it needs the
time to be read or to last ``min_duration_ms``), keeps ``min_gap_frames``
before the next cue and closes small gaps to exactly that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Sequence

from .cue import Cue, CueWord, frame_to_ms
from .linebreak import NO_LINE_START, Layout, arrange, break_lines, gap_costs, is_sentence_end
from .rules import CaptionRules

__all__ = ["BLOCK_GAP_MS", "TimedWord", "segment", "speaker_label"]

BLOCK_GAP_MS = 300
HALF_MS = Fraction(1, 2000)  # seconds

# Costs of the cut search (the gap costs themselves come from linebreak).
PER_CUE = 12.0
CUT_WEIGHT = 1.5
LAYOUT_WEIGHT = 0.5
INNER_SENTENCE = 6.0
LONG_WORD = 200.0
UNREADABLE = 1000.0
FAST = 120.0  # per character per second above the preferred reading speed


@dataclass(frozen=True)
class TimedWord:
    """One spoken word on the video clock, in milliseconds.

    ``speaker`` is None for the narrator; ``block`` (any label, e.g. a scene
    index) forces a cue boundary where it changes.
    """

    text: str
    start_ms: int
    end_ms: int
    speaker: str | None = None
    block: int | None = None
    origin: int = 0  # the frame the times are counted from on the frame grid: its scene's first


def speaker_label(name: str) -> str:
    """The label that marks a change to a named speaker in SRT (``"Wang Wenbin: "``)."""
    return f"{name}: "


@dataclass(frozen=True)
class _Frames:
    """The rules in frames at one frame rate."""

    fps: Fraction
    gap: int
    close: int
    min_len: int
    max_len: int
    linger_ms: int
    max_cps: float
    hard_cps: float
    sync: int

    @classmethod
    def of(cls, rules: CaptionRules, fps: Fraction) -> _Frames:
        return cls(
            fps,
            rules.min_gap_frames,
            rules.close_gap_frames(fps),
            rules.min_duration_frames(fps),
            rules.max_duration_frames(fps),
            rules.linger_ms,
            rules.max_cps,
            rules.hard_cps,
            rules.sync_frames,
        )

    # Times are snapped to frames counted from their scene's first frame (``origin``), so a scene's cues
    # fall on the same frames of the scene wherever it starts in the video (a social cut, or an edit
    # that moves it: its segments keep their keys). Times arrive rounded to whole milliseconds, so an
    # instant on a frame boundary (a scene's start plus its lead-in, say) may read up to half a
    # millisecond early or late; within that half millisecond it counts as the boundary.
    def floor(self, ms: int, origin: int = 0) -> int:
        return origin + math.floor((Fraction(ms - frame_to_ms(origin, self.fps), 1000) + HALF_MS) * self.fps)

    def ceil(self, ms: int, origin: int = 0) -> int:
        return origin + math.ceil((Fraction(ms - frame_to_ms(origin, self.fps), 1000) - HALF_MS) * self.fps)

    def reading(self, chars: int) -> int:
        """Frames needed to read ``chars`` characters at the preferred speed."""
        return math.ceil(Fraction(chars) / Fraction(self.max_cps) * self.fps)

    def end(self, start: int, speech_end_ms: int, chars: int, next_start: int | None, origin: int = 0) -> int:
        """The end frame of a cue starting at ``start`` (see the module docstring)."""
        speech_end = max(self.ceil(speech_end_ms, origin), start + 1)
        want = max(speech_end, self.floor(speech_end_ms + self.linger_ms, origin))
        want = max(want, start + self.min_len, start + self.reading(chars))
        want = min(want, start + self.max_len)
        if next_start is None:
            return want
        limit = next_start - self.gap
        end = min(want, limit)
        if next_start - end <= self.close and limit - start <= self.max_len:
            end = limit
        return max(end, start + 1)


@dataclass(frozen=True)
class _Group:
    words: tuple[TimedWord, ...]
    lines: tuple[str, ...]
    label: int = 0  # characters of the speaker label the caption files put before the first line

    @property
    def chars(self) -> int:
        """Characters a viewer reads, the speaker label included (it is shown, so it takes time)."""
        return len(" ".join(self.lines)) + self.label


def _clean(words: Sequence[TimedWord]) -> list[TimedWord]:
    out = []
    for w in words:
        text = " ".join(w.text.split())
        if not text:
            continue
        start = max(0, int(w.start_ms))
        out.append(TimedWord(text, start, max(start, int(w.end_ms)), w.speaker, w.block, w.origin))
    return sorted(out, key=lambda w: w.start_ms)


def _blocks(words: Sequence[TimedWord]) -> list[list[TimedWord]]:
    blocks: list[list[TimedWord]] = []
    for w in words:
        if blocks:
            last = blocks[-1][-1]
            same = w.speaker == last.speaker and w.block == last.block
            if same and w.start_ms - last.end_ms <= BLOCK_GAP_MS:
                blocks[-1].append(w)
                continue
        blocks.append([w])
    return blocks


def _fallback(tokens: Sequence[str], width: int, first: int, max_lines: int) -> Layout | None:
    """Words longer than a line each alone on a line, the rest one line per run; or None."""
    rows: list[str] = []
    run: list[str] = []
    long_words = 0

    def flush() -> bool:
        if run:
            row = " ".join(run)
            if len(row) > (first if not rows else width):
                return False
            rows.append(row)
            run.clear()
        return True

    for token in tokens:
        if not run and rows and token[:1] in NO_LINE_START:
            rows[-1] += " " + token  # a closing mark stays on the line it closes
            continue
        if len(token) > width:
            if not flush():
                return None
            rows.append(token)
            long_words += 1
        else:
            run.append(token)
    if not flush() or len(rows) > max_lines:
        return None
    return Layout(tuple(rows), LONG_WORD * long_words)


def _layout(
    tokens: Sequence[str], costs: Sequence[float], rules: CaptionRules, first: int, names: Sequence[str]
) -> Layout | None:
    width, lines = rules.max_chars_per_line, rules.max_lines
    layout = arrange(tokens, costs, width, lines, first_width=first)
    if layout is not None:
        return layout
    if len(tokens) == 1:
        broken = break_lines(tokens[0], width, lines, names=names)  # CJK: by characters
        return Layout(broken, LONG_WORD) if broken else Layout((tokens[0],), LONG_WORD)
    if any(len(t) > width for t in tokens):
        return _fallback(tokens, width, first, lines)
    return None


def _cut_block(
    block: Sequence[TimedWord],
    next_start: int | None,
    label: int,
    rules: CaptionRules,
    frames: _Frames,
    names: Sequence[str],
) -> list[_Group]:
    """The cheapest way to cut one block into cues."""
    tokens = [w.text for w in block]
    costs = gap_costs(tokens, names)
    starts = [frames.floor(w.start_ms, w.origin) for w in block]
    n = len(block)
    capacity = rules.max_lines * rules.max_chars_per_line
    best: list[float] = [0.0] + [math.inf] * n
    back: list[tuple[int, Layout] | None] = [None] * (n + 1)
    for j in range(n):
        if best[j] == math.inf:
            continue
        first = rules.max_chars_per_line - label if j == 0 else rules.max_chars_per_line
        chars = -1
        for k in range(j, n):
            chars += len(tokens[k]) + 1
            if k > j and chars > capacity:
                break
            span = frames.ceil(block[k].end_ms, block[k].origin) - starts[j]
            if k > j and span > frames.max_len:
                break
            layout = _layout(tokens[j : k + 1], costs[j:k], rules, first, names)
            if layout is None:
                continue
            following = starts[k + 1] if k + 1 < n else next_start
            end = frames.end(starts[j], block[k].end_ms, chars, following, block[k].origin)
            cost = best[j] + PER_CUE + LAYOUT_WEIGHT * layout.score
            cost += _reading_penalty(chars, end - starts[j], frames)
            cost += INNER_SENTENCE * sum(is_sentence_end(t) for t in tokens[j:k])
            if k < n - 1:
                cost += CUT_WEIGHT * costs[k]
            if cost < best[k + 1]:
                best[k + 1] = cost
                back[k + 1] = (j, layout)
    groups: list[_Group] = []
    i = n
    while i > 0:
        step = back[i]
        assert step is not None  # a single word always has a layout
        j, layout = step
        groups.append(_Group(tuple(block[j:i]), layout.lines))
        i = j
    return groups[::-1]


def _reading_penalty(chars: int, shown: int, frames: _Frames) -> float:
    penalty = 0.0
    if shown < frames.min_len:
        penalty += UNREADABLE + 10.0 * (frames.min_len - shown)
    cps = chars * frames.fps / max(shown, 1)
    if cps > frames.hard_cps:
        penalty += UNREADABLE + 50.0 * float(cps - Fraction(frames.hard_cps))
    elif cps > frames.max_cps:
        penalty += FAST * float(cps - Fraction(frames.max_cps))
    return penalty


def segment(
    words: Sequence[TimedWord],
    rules: CaptionRules,
    fps: Fraction,
    *,
    names: Sequence[str] = (),
) -> tuple[Cue, ...]:
    """Caption cues for ``words``, numbered from 1, with times on frame boundaries of ``fps``.

    ``names`` (e.g. ``"Wang Wenbin"``) are never split across lines or cues.
    Cues that cannot meet a rule (a word longer than a line, a lone word with
    no room to last ``min_duration_ms``) are still produced; ``check_cues``
    reports them.
    """
    frames = _Frames.of(rules, Fraction(fps))
    blocks = _blocks(_clean(words))
    groups: list[_Group] = []
    previous: str | None = None
    for b, block in enumerate(blocks):
        following = frames.floor(blocks[b + 1][0].start_ms, blocks[b + 1][0].origin) if b + 1 < len(blocks) else None
        speaker = block[0].speaker
        label = len(speaker_label(speaker)) if speaker and speaker != previous else 0
        cut = _cut_block(block, following, label, rules, frames, names)
        if cut and label:
            cut[0] = replace(cut[0], label=label)
        groups.extend(cut)
        previous = speaker
    return _time(groups, frames)


def _lead_in(starts: list[int], groups: Sequence[_Group], frames: _Frames) -> None:
    """Start a cue that reads too fast up to ``sync`` frames before its first word.

    Only where the previous cue can still end after its own last word, keep its
    reading time and the gap (docs/standards.md: a cue starts within 2 frames of the word).
    """
    for i in range(1, len(groups)):
        chars = groups[i].chars
        following = starts[i + 1] if i + 1 < len(starts) else None
        end = frames.end(starts[i], groups[i].words[-1].end_ms, chars, following, groups[i].words[-1].origin)
        if chars * frames.fps <= frames.max_cps * (end - starts[i]):
            continue
        prev = groups[i - 1]
        prev_chars = prev.chars
        need = max(frames.ceil(prev.words[-1].end_ms, prev.words[-1].origin),
                   starts[i - 1] + frames.min_len, starts[i - 1] + frames.reading(prev_chars))
        for _ in range(frames.sync):
            if starts[i] - 1 - frames.gap < need or starts[i] - 1 <= starts[i - 1] + frames.gap:
                break
            starts[i] -= 1


def _time(groups: Sequence[_Group], frames: _Frames) -> tuple[Cue, ...]:
    starts: list[int] = []
    for group in groups:
        start = frames.floor(group.words[0].start_ms, group.words[0].origin)
        if starts:
            start = max(start, starts[-1] + 1 + frames.gap)
        starts.append(start)
    _lead_in(starts, groups, frames)
    cues = []
    for i, group in enumerate(groups):
        following = starts[i + 1] if i + 1 < len(starts) else None
        chars = group.chars
        end = frames.end(starts[i], group.words[-1].end_ms, chars, following, group.words[-1].origin)
        cues.append(
            Cue(
                i + 1,
                frame_to_ms(starts[i], frames.fps),
                frame_to_ms(end, frames.fps),
                group.lines,
                group.words[0].speaker,
                tuple(CueWord(w.text, w.start_ms, w.end_ms) for w in group.words),
            )
        )
    return tuple(cues)
