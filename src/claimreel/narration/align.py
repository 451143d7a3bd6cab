"""Align a script's text to a recording of it, in any language, without a recogniser.

1. Speech/pause detection: 10 ms frames, energy in dB against an adaptive
   threshold (between the noise floor and the speech level), short blips
   dropped; every silence of at least ``MIN_PAUSE_MS`` is a candidate pause.
2. Text boundaries: the gaps between tokens, each with a strength — 2 after a
   sentence end (. ! ? ; :), 1 after a clause mark (, — – …), 0 elsewhere —
   and a position in syllables (vowel groups; characters for scripts without
   Latin-like vowels).
3. A monotone dynamic-programming match of pauses to gaps: a pause maps to the
   gap whose syllable position best fits the speech time before it, preferring
   punctuated gaps and long pauses; a pause may stay unmatched (a stop or a
   breath inside a phrase) at a cost growing with its length.
4. Each matched stretch is a phrase: its first word starts at the speech onset
   after its pause; the other words are spread by syllable weight over the
   phrase's speech time (unmatched pauses inside it are skipped over).

Phrase starts are measured; word starts inside phrases are estimated, so the
result is marked ``estimated`` (lint reports it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .base import Word
from .timing import Token, tokenize

__all__ = ["ALIGNER_VERSION", "Alignment", "Pause", "align", "detect_pauses", "syllables"]

ALIGNER_VERSION = "pause-dp-1"
FRAME_MS = 10
MIN_PAUSE_MS = 120
MIN_SPEECH_MS = 40
_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēĕėęěīĭįıōŏőœūŭůűųаеёиоуыэюяіїєαεηιουωάέήίόύώ")
_SENTENCE_END = re.compile(r"[.!?;:。！？；：…]+[\"'”’»)\]]*$")
_CLAUSE_END = re.compile(r"[,，、—–\-]+[\"'”’»)\]]*$")


@dataclass(frozen=True)
class Pause:
    start_ms: int
    end_ms: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class Alignment:
    words: tuple[Word, ...]
    onset_ms: int
    offset_ms: int
    phrase_starts: tuple[int, ...]  # token indices that begin a phrase
    pauses: tuple[Pause, ...]


def syllables(token: str) -> float:
    """A rough spoken weight of ``token``: vowel groups, or characters where there are none."""
    letters = [c for c in unicodedata.normalize("NFC", token.lower()) if c.isalnum()]
    if not letters:
        return 0.3
    if any(c.isdigit() for c in letters):  # "40" forty, "2016" twenty sixteen, "100,000"
        return 1.0 + 0.8 * sum(c.isdigit() for c in letters) + sum(c.isalpha() for c in letters) / 3
    groups, previous = 0, False
    for c in letters:
        vowel = c in _VOWELS
        groups += vowel and not previous
        previous = vowel
    if groups == 0:  # CJK, abjads and the like: every character counts
        return 0.6 * len(letters) if all(ord(c) > 0x2E80 for c in letters) else max(1.0, len(letters) / 3)
    return float(groups)


def _frame_db(samples: np.ndarray, rate: int) -> np.ndarray:
    n = max(1, rate * FRAME_MS // 1000)
    count = len(samples) // n
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * n].astype(np.float64).reshape(count, n)
    rms = np.sqrt((frames**2).mean(axis=1) + 1e-12)
    return 20 * np.log10(rms)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def detect_pauses(samples: np.ndarray, rate: int) -> tuple[int, int, tuple[Pause, ...]]:
    """Speech onset, speech offset (ms) and the pauses in between."""
    db = _frame_db(samples, rate)
    if db.size == 0:
        return 0, 0, ()
    loud = np.percentile(db, 95)
    floor = np.percentile(db, 5)
    threshold = max(floor + 0.3 * (loud - floor), loud - 38.0)
    voiced = db > threshold
    for a, b in _runs(voiced):  # drop clicks
        if (b - a) * FRAME_MS < MIN_SPEECH_MS:
            voiced[a:b] = False
    speech = _runs(voiced)
    if not speech:
        return 0, 0, ()
    pauses = tuple(
        Pause(b1 * FRAME_MS, a2 * FRAME_MS)
        for (_, b1), (a2, _) in zip(speech, speech[1:])
        if (a2 - b1) * FRAME_MS >= MIN_PAUSE_MS
    )
    return speech[0][0] * FRAME_MS, speech[-1][1] * FRAME_MS, pauses


def _strength(token: str) -> int:
    if _SENTENCE_END.search(token):
        return 2
    if _CLAUSE_END.search(token):
        return 1
    return 0


def _match(pause_pos: np.ndarray, pause_len: np.ndarray, gap_pos: np.ndarray, gap_strength: np.ndarray
           ) -> list[tuple[int, int]]:
    """Monotone pairs (pause, gap) minimising the cost described in the module docstring."""
    m, n = len(pause_pos), len(gap_pos)
    inf = float("inf")
    cost = np.full((m + 1, n + 1), inf)
    move = np.zeros((m + 1, n + 1), dtype=np.int8)
    cost[0, 0] = 0.0
    # Leaving a punctuated gap without a pause costs more the stronger the mark; leaving a
    # pause unmatched costs more the longer it is; a match costs the squared misfit (in
    # units of 250 ms plus a fifth of the distance to the nearer end), plus a charge for a gap with no punctuation.
    skip_gap = np.array([0.0, 1.5, 3.0, 40.0])[gap_strength]
    skip_pause = 0.3 + pause_len / 200.0
    plain = np.where(gap_strength == 0, 1.2, 0.0)
    total = max(float(gap_pos[-1]) if n else 1.0, float(pause_pos[-1]) if m else 1.0)
    for j in range(m + 1):
        for i in range(n + 1):
            here = cost[j, i]
            if here == inf:
                continue
            if i < n and here + skip_gap[i] < cost[j, i + 1]:
                cost[j, i + 1], move[j, i + 1] = here + skip_gap[i], 1
            if j < m:
                if here + skip_pause[j] < cost[j + 1, i]:
                    cost[j + 1, i], move[j + 1, i] = here + skip_pause[j], 2
                if i < n:
                    # syllable estimates drift with distance from the ends: allow more slack there
                    unit = 250.0 + 0.2 * min(pause_pos[j], total - pause_pos[j])
                    err = (pause_pos[j] - gap_pos[i]) / unit
                    c = here + err * err + plain[i]
                    if c < cost[j + 1, i + 1]:
                        cost[j + 1, i + 1], move[j + 1, i + 1] = c, 3
    pairs, j, i = [], m, n
    while j or i:
        step = move[j, i]
        if step == 3:
            pairs.append((j - 1, i - 1))
            j, i = j - 1, i - 1
        elif step == 2:
            j -= 1
        else:
            i -= 1
    return pairs[::-1]


def _place_phrase(weights: Sequence[float], start: int, end: int, holes: Sequence[Pause]) -> list[int]:
    """Start ms of each word, spread by weight over ``[start, end)`` minus ``holes``."""
    spans, cursor = [], start
    for p in holes:
        if start < p.start_ms and p.end_ms < end:
            spans.append((cursor, p.start_ms))
            cursor = p.end_ms
    spans.append((cursor, end))
    talk = sum(b - a for a, b in spans) or 1
    total = sum(weights) or 1.0
    out, acc = [], 0.0
    for w in weights:
        at = acc / total * talk
        for a, b in spans:
            if at <= b - a or (a, b) == spans[-1]:
                out.append(round(a + at))
                break
            at -= b - a
        acc += w
    return out


def _talk_clock(pauses: Sequence[Pause], onset: int, offset: int) -> tuple[list[int], int]:
    """Speech time (pauses removed) reached at each pause, and in all from onset to offset."""
    talk_before, clock, last = [], 0, onset
    for p in pauses:
        clock += p.start_ms - last
        talk_before.append(clock)
        last = p.end_ms
    return talk_before, clock + offset - last


def align(text: str, samples: np.ndarray, rate: int, *, forced: Sequence[int] = ()) -> Alignment:
    """Word timings for ``text`` spoken in ``samples`` (mono); see the module docstring.

    ``forced`` token indices must begin a phrase (e.g. where a new block starts): those
    boundaries are matched first, then each stretch between them is aligned on its own, so
    a change of pace in one block does not shift the next.
    """
    if forced:
        return _align_forced(text, samples, rate, sorted(set(forced)))
    tokens: tuple[Token, ...] = tokenize(text)
    onset, offset, pauses = detect_pauses(samples, rate)
    if not tokens:
        return Alignment((), onset, offset, (), pauses)
    if offset <= onset:
        offset = max(onset + len(tokens), round(len(samples) * 1000 / rate))
    weights = [syllables(t.text) for t in tokens]
    # Speech time (pauses removed) at each pause, and the same scale in syllables at each gap.
    talk_before, talk_total = _talk_clock(pauses, onset, offset)
    scale = talk_total / sum(weights)
    gap_pos = np.cumsum(weights)[:-1] * scale
    strength = np.array([_strength(t.text) for t in tokens[:-1]], dtype=int)
    for index in forced:
        if 0 < index < len(tokens):
            strength[index - 1] = 3
    pairs = _match(np.array(talk_before, float), np.array([p.duration_ms for p in pauses], float),
                   gap_pos, strength) if len(tokens) > 1 and pauses else []
    starts_at = {0: onset}
    bounds = [(0, onset)]
    for j, i in pairs:
        starts_at[i + 1] = pauses[j].end_ms
        bounds.append((i + 1, pauses[j].end_ms))
    ends = {}
    for j, i in pairs:
        ends[i + 1] = pauses[j].start_ms
    times: list[int] = []
    for k, (first, start) in enumerate(bounds):
        stop_token = bounds[k + 1][0] if k + 1 < len(bounds) else len(tokens)
        end = ends.get(stop_token, offset)
        times += _place_phrase(weights[first:stop_token], start, max(end, start + 1), pauses)
    fixed: list[int] = []
    for t in times:
        fixed.append(t if not fixed or t > fixed[-1] else fixed[-1] + 1)
    final = max(offset, fixed[-1] + 1)
    words = tuple(Word(tok.text, s, e) for tok, s, e in zip(tokens, fixed, [*fixed[1:], final]))
    return Alignment(words, onset, offset, tuple(sorted(starts_at)), pauses)


def _align_forced(text: str, samples: np.ndarray, rate: int, forced: Sequence[int]) -> Alignment:
    tokens = tokenize(text)
    forced = [i for i in forced if 0 < i < len(tokens)]
    onset, offset, pauses = detect_pauses(samples, rate)
    weights = [syllables(t.text) for t in tokens]
    talk_before, talk_total = _talk_clock(pauses, onset, offset)
    scale = talk_total / sum(weights)
    cum = np.cumsum(weights) * scale
    gap_pos = np.array([cum[i - 1] for i in forced])
    pairs = _match(np.array(talk_before, float), np.array([p.duration_ms for p in pauses], float),
                   gap_pos, np.full(len(forced), 3, dtype=int)) if pauses else []
    cuts = {forced[i]: pauses[j] for j, i in pairs}
    edges = [0, *sorted(cuts), len(tokens)]
    words: list[Word] = []
    starts: list[int] = []
    for a, b in zip(edges, edges[1:]):
        lo_ms = cuts[a].end_ms - 20 if a in cuts else 0
        hi_ms = cuts[b].start_ms + 20 if b in cuts else round(len(samples) * 1000 / rate)
        piece = samples[lo_ms * rate // 1000 : hi_ms * rate // 1000]
        part = align(" ".join(t.text for t in tokens[a:b]), piece, rate)
        starts += [a + k for k in part.phrase_starts]
        words += [Word(w.text, w.start_ms + lo_ms, w.end_ms + lo_ms) for w in part.words]
    fixed = [words[0]]
    for w in words[1:]:
        start = max(w.start_ms, fixed[-1].start_ms + 1)
        fixed[-1] = Word(fixed[-1].text, fixed[-1].start_ms, start)
        fixed.append(Word(w.text, start, max(w.end_ms, start + 1)))
    return Alignment(tuple(fixed), onset, offset, tuple(starts), pauses)
