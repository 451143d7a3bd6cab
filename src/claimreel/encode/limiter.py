"""The true-peak limiter a final mix is levelled with: a smooth gain, worked out only around the
samples whose 4x-oversampled envelope (:mod:`.audio`) is over the ceiling."""

from __future__ import annotations

import numpy as np

from .audio import _HALF, _peak_envelope

__all__ = ["LOOKAHEAD_MS", "limit_gain", "limit_samples", "limiter_reach"]

LOOKAHEAD_MS = 5.0  # the limiter's attack and release


def limiter_reach(rate: int) -> int:
    """How far (samples) the limiter's gain at a sample looks either side: its two filters' windows
    and the interpolator's half-length, with a window to spare for the stretch edges."""
    w = max(1, round(LOOKAHEAD_MS * rate / 1000))
    return 3 * (2 * w + 1) + 2 * _HALF


def limit_gain(x: np.ndarray, rate: int, ceiling: float) -> np.ndarray | None:
    """A lookahead peak limiter's gain for ``[n, channels]`` samples: smooth, keeping the true-peak
    envelope under ``ceiling``; None where nothing is over it.

    The required gain is min-filtered over +-W samples, then averaged over the
    same +-W; every averaged value only mixes minima whose window held this
    sample, so the gain never exceeds what a peak needs (attack and release W).
    """
    env = _peak_envelope(x, ceiling)
    over = np.flatnonzero(env > ceiling)
    if not len(over):
        return None
    need = np.minimum(1.0, ceiling / np.maximum(env, 1e-12)).astype(np.float32)
    from scipy import ndimage

    w = max(1, round(LOOKAHEAD_MS * rate / 1000))
    size = 2 * w + 1
    # The gain is worked out only around the samples over the ceiling (two windows either side, where
    # it returns to 1), each stretch on its own: limiting is sparse, and a running sum over the whole
    # signal would tie a sound's limited samples to its place in the mix.
    gain = np.ones(len(x), np.float32)
    reach = 2 * size
    breaks = np.flatnonzero(np.diff(over) > 2 * reach)
    for first, last in zip(np.concatenate([[0], breaks + 1]), np.concatenate([breaks, [len(over) - 1]])):
        lo, hi = max(0, over[first] - reach), min(len(x), over[last] + reach + 1)
        part = ndimage.minimum_filter1d(need[lo:hi], size, mode="nearest")
        part = ndimage.uniform_filter1d(part, size, mode="nearest")
        gain[lo:hi] = np.minimum(part, need[lo:hi])  # float rounding in the average
    return gain


def limit_samples(x: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """``x`` limited by :func:`limit_gain` (``x`` itself when nothing is over the ceiling)."""
    gain = limit_gain(x, rate, ceiling)
    if gain is None:
        return x
    limited: np.ndarray = x * gain[:, None]
    return limited
