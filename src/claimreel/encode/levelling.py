"""Levelling a programme: one gain to the loudness target, then the true-peak limiter; the gain is made
up for what the limiter took until both hold."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from .audio import DUAL_MONO_DB, LoudnessReport, _as_2d, loudness_of, true_peak_dbtp
from .limiter import limit_samples

__all__ = ["normalize"]


def normalize(
    samples: np.ndarray,
    rate: int,
    target_lufs: float = -16.0,
    true_peak_db: float = -1.0,
    *,
    check_peak: bool = True,
    measure: Callable[[np.ndarray], float] | None = None,
    step_db: float = 0.0,
    limit: Callable[[np.ndarray, float], np.ndarray] | None = None,
    gain_db: float | None = None,
) -> tuple[np.ndarray, LoudnessReport]:
    """Normalise to ``target_lufs`` integrated with true peak at most ``true_peak_db``.

    Returns float32 samples of the input's shape and what was measured after.
    Silence is returned unchanged (its loudness is ``-inf``). ``check_peak=False``: the limited
    signal's true peak is not measured again (reported as NaN), for a caller that measures what
    it delivers (an AAC encode, decoded) and limits again where that is over.

    ``measure``: the integrated loudness of ``[n]`` or ``[n, channels]`` samples (by default
    :func:`loudness_of`). ``step_db``: every gain applied is a whole multiple of it (0: any gain),
    so a small change of the measured loudness (an edit elsewhere in the programme) leaves the
    gain, and so every other sample, as it was; the result stays within half a step of the target.
    ``limit``: ``[n, channels]`` samples limited under a linear ceiling, returning the same array
    when nothing is over it (by default :func:`.limiter.limit_samples` over the whole signal).

    The result is always the input times one gain, then limited once: the gain is found by trying
    (see :func:`_levelled`), and the samples depend on the gain found alone, not on the tries that
    found it. ``gain_db``: the gain to apply instead of the one that reaches the target (another
    track's :attr:`~.audio.LoudnessReport.applied_db`): each sample's result then depends only on its
    own neighbourhood and that gain, and is as loud as it makes it.
    """
    def measured(y: np.ndarray) -> float:
        return measure(y) if measure is not None else loudness_of(y, rate)

    def step(db: float) -> float:
        return round(db / step_db) * step_db if step_db else db

    x = _as_2d(samples).astype(np.float32, copy=True)
    if x.shape[1] == 2 and np.array_equal(x[:, 0], x[:, 1]):
        # Dual mono (narration with no stereo bed): gain and limiter keep the channels equal, so
        # one channel is normalised; the second adds its power (weight 1 in BS.1770) to the loudness.
        y, report = normalize(x[:, 0], rate, target_lufs - DUAL_MONO_DB, true_peak_db, check_peak=check_peak,
                              measure=measure, step_db=step_db, limit=limit, gain_db=gain_db)
        both = np.repeat(y[:, None], 2, axis=1).reshape(np.shape(samples))
        return both, dataclasses.replace(report, integrated_lufs=report.integrated_lufs + DUAL_MONO_DB)
    before = measured(x)
    if not math.isfinite(before):
        return x.reshape(np.shape(samples)), LoudnessReport(before, true_peak_dbtp(x), 0.0)  # nothing applied
    ceiling = 10 ** ((true_peak_db - 0.05) / 20)  # a little margin for float rounding

    def limited(y: np.ndarray) -> np.ndarray:
        return limit(y, ceiling) if limit is not None else limit_samples(y, rate, ceiling)

    if gain_db is not None:
        y, applied = limited(x * np.float32(10 ** (gain_db / 20))), gain_db
        loud = measured(y)
    else:
        y, loud, applied = _levelled(x, before, target_lufs, step, limited, measured, step_db)
    if not check_peak:
        report = LoudnessReport(integrated_lufs=loud, true_peak_dbtp=math.nan, gain_db=loud - before,
                                applied_db=applied)
        return y.reshape(np.shape(samples)), report
    peak = true_peak_dbtp(y)
    if peak > true_peak_db:  # last resort: plain gain (never reached in practice)
        y = y * np.float32(10 ** ((true_peak_db - 0.05 - peak) / 20))
        loud, peak = measured(y), true_peak_dbtp(y)
    report = LoudnessReport(integrated_lufs=loud, true_peak_dbtp=peak, gain_db=loud - before, applied_db=applied)
    return y.reshape(np.shape(samples)), report


def _levelled(x: np.ndarray, before: float, target_lufs: float, step: Callable[[float], float],
              limited: Callable[[np.ndarray], np.ndarray], measured: Callable[[np.ndarray], float], step_db: float
              ) -> tuple[np.ndarray, float, float]:
    """``x`` (measured at ``before``) brought to the target: a gain, then the limiter; while the limiter
    takes the result more than half a step under the target, the gain made up for it and tried again
    on ``x``. The samples, their loudness and the gain.

    Each try starts from ``x``, so the result is ``x`` times the gain found, limited once, however it
    was found: a small change of the programme that moves the first gain across a step, and the make-up
    back, leaves every sample as it was (with each make-up applied on top of the last try, the two
    ways would end a limiter's pass apart, and every piece would be encoded again).
    """
    gain, tries = step(target_lufs - before), 1
    while True:
        y = x * np.float32(10 ** (gain / 20))
        out = limited(y)
        if out is y:
            return y, before + gain, gain  # nothing over the ceiling: a plain gain moves loudness by itself
        loud = measured(out)
        makeup = step(target_lufs - loud)  # make up what the limiter took
        if abs(loud - target_lufs) <= max(0.05, step_db / 2) or tries == 5 or not makeup:
            return out, loud, gain
        gain, tries = step(gain + makeup), tries + 1  # a whole number of steps, computed as the first is
