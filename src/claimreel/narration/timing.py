"""Pure helpers that turn an engine's word marks into one :class:`Word` per token.

A token is a whitespace-separated piece of the text, punctuation included
(``“illegal,”`` is one token). Engines report marks as (character index, ms);
a token gets the first mark that falls inside it (or in the whitespace just
before it). Tokens without a usable mark get times spread between their
neighbours in proportion to their length, so every token always has a word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .base import Word

__all__ = ["Token", "place_words", "tokenize", "voiced_end_ms"]

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    """A whitespace-separated piece of text and its character span ``[start, end)``."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text))


def _token_for(tokens: Sequence[Token], starts: Sequence[int], index: int) -> int | None:
    """The token holding character ``index``, else the first one after it."""
    i = bisect.bisect_right(starts, index) - 1
    if i >= 0 and index < tokens[i].end:
        return i
    return i + 1 if i + 1 < len(tokens) else None


def _anchors(tokens: Sequence[Token], marks: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Token index → ms of its first mark, keeping only times that rise with the text."""
    starts = [t.start for t in tokens]
    first: dict[int, int] = {}
    for index, ms in marks:
        i = _token_for(tokens, starts, index)
        if i is not None and i not in first:
            first[i] = ms
    kept: dict[int, int] = {}
    last = -1
    for i in sorted(first):
        ms = first[i]
        # Times must rise with the text; a later token at 0 ms leaves no room before it.
        if ms > last and (i == 0 or ms > 0):
            kept[i] = ms
            last = ms
    return kept


def _spread(tokens: Sequence[Token], lo: int, hi: int, t_lo: float, t_hi: float) -> list[float]:
    """Start times for tokens ``lo..hi-1`` sharing ``[t_lo, t_hi)`` by length."""
    weights = [len(t.text) + 1 for t in tokens[lo:hi]]
    total = sum(weights)
    out, acc = [], 0
    for w in weights:
        out.append(t_lo + (t_hi - t_lo) * acc / total)
        acc += w
    return out


def place_words(
    tokens: Sequence[Token], marks: Sequence[tuple[int, int]], end_ms: int
) -> tuple[tuple[Word, ...], int]:
    """Words for ``tokens`` from ``marks`` ending at ``end_ms``; also how many were marked.

    Starts strictly increase; each word ends where the next starts, the last
    at ``end_ms`` (moved later if needed so it lasts at least 1 ms).
    """
    if not tokens:
        return (), 0
    anchors = _anchors(tokens, marks)
    bounds = sorted({0, *anchors, len(tokens)})
    times = {i: float(ms) for i, ms in anchors.items()}
    times.setdefault(0, 0.0)
    last_anchor = max(times.values())
    for lo, hi in zip(bounds, bounds[1:]):
        t_hi = times[hi] if hi in times else max(float(end_ms), last_anchor)
        for offset, start in enumerate(_spread(tokens, lo, hi, times[lo], t_hi)):
            times.setdefault(lo + offset, start)
    starts: list[int] = []
    for i in range(len(tokens)):
        ms = round(times[i])
        starts.append(ms if not starts or ms > starts[-1] else starts[-1] + 1)
    final = max(end_ms, starts[-1] + 1)
    ends = [*starts[1:], final]
    words = tuple(Word(t.text, s, e) for t, s, e in zip(tokens, starts, ends))
    return words, len(anchors)


def voiced_end_ms(samples: np.ndarray, sample_rate: int, threshold: float = 0.01) -> int:
    """End of the last 10 ms window whose peak reaches ``threshold``; 0 if all quiet."""
    window = max(1, sample_rate // 100)
    count = len(samples) // window + (1 if len(samples) % window else 0)
    if count == 0:
        return 0
    padded = np.zeros(count * window, dtype=np.float32)
    padded[: len(samples)] = np.abs(samples)
    loud = np.flatnonzero(padded.reshape(count, window).max(axis=1) >= threshold)
    if loud.size == 0:
        return 0
    return min(round(len(samples) * 1000 / sample_rate), (int(loud[-1]) + 1) * 10)
