"""A final mix limited piece by piece: each piece's samples from its own window, kept by the window's samples."""

from __future__ import annotations

import numpy as np
import pytest

from claimreel.encode.aac_pieces import FRAME, Span
from claimreel.encode.audio import true_peak_dbtp
from claimreel.encode import limiter
from claimreel.pipeline.piece_limits import limited

RATE = 48000
CEILING = 10 ** (-2.05 / 20)


def _spans(total: int, size: int = FRAME * 50) -> list[Span]:
    return [Span(a, min(a + size, total), total) for a in range(0, total, size)]


def _loud(seconds: float, seed: int) -> np.ndarray:
    """Speech-like bursts that go over the ceiling."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    burst = (np.sin(2 * np.pi * 2.5 * t) > 0.3).astype(np.float32)
    return (burst * (0.95 * np.sin(2 * np.pi * 310 * t) + 0.2 * rng.standard_normal(len(t)))).astype(np.float32)


def test_a_piece_is_limited_the_same_wherever_it_sits_and_stays_under_the_ceiling(tmp_path):
    sound = _loud(2.0, 1)
    piece = FRAME * 50
    here = np.zeros((piece * 4, 1), np.float32)
    there = np.zeros((piece * 6, 1), np.float32)
    here[piece:piece + len(sound), 0] = sound
    there[piece * 3:piece * 3 + len(sound), 0] = sound  # the same piece, two pieces later
    a = limited(here, _spans(len(here)), RATE, CEILING, None)
    b = limited(there, _spans(len(there)), RATE, CEILING, tmp_path)
    assert np.array_equal(a[piece:piece * 3], b[piece * 3:piece * 5])
    assert not np.array_equal(a, here), "the bursts were over the ceiling"
    # across the pieces' seams too (the sound spans two pieces)
    assert true_peak_dbtp(a) <= 20 * np.log10(CEILING) + 0.01


def test_a_window_limited_before_is_taken_from_the_store(tmp_path, monkeypatch):
    x = np.zeros((FRAME * 200, 1), np.float32)
    x[FRAME * 10:FRAME * 10 + RATE * 2, 0] = _loud(2.0, 2)
    spans = _spans(len(x))
    first = limited(x, spans, RATE, CEILING, tmp_path)
    worked: list[int] = []
    original = limiter.limit_gain
    monkeypatch.setattr(limiter, "limit_gain", lambda *args: worked.append(1) or original(*args))
    again = limited(x, spans, RATE, CEILING, tmp_path)
    assert np.array_equal(first, again) and worked == [], "every piece's gain came from the store"
    for path in tmp_path.iterdir():  # a damaged entry is worked out again, to the same samples
        path.write_bytes(b"not an npz")
    assert np.array_equal(limited(x, spans, RATE, CEILING, tmp_path), first) and len(worked) == len(spans)


def test_quiet_samples_come_back_as_they_are_and_the_pieces_must_tile_the_mix():
    x = (0.1 * np.sin(np.arange(FRAME * 40) / 7)).astype(np.float32)[:, None]
    spans = _spans(len(x), FRAME * 16)
    assert limited(x, spans, RATE, CEILING, None) is x
    with pytest.raises(ValueError, match="tile the mix"):
        limited(x, spans[1:], RATE, CEILING, None)
