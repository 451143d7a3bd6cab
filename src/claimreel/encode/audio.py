"""The narration track: clips placed on the timeline, measured (loudness, true peak), written as WAV.

Placement is plain numpy: each clip is resampled (polyphase) to the output
rate, given 5 ms fades at its edges so joins never click, and added at its
start sample. (moviepy's AudioArrayClip + CompositeAudioClip give the same sum
to within 1e-4, indexing by float time, but several times slower, so the mix is
numpy; docs/speed.md has the measurement.)

Loudness follows EBU R128 / ITU-R BS.1770 via pyloudnorm, the true peak is measured 4x
oversampled; :mod:`.levelling` sets a track to a target with them and :mod:`.limiter`.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import RenderError
from ..files import temp_beside

# SciPy and pyloudnorm (about a second of imports) are imported where they are used: a draft's
# soundtrack places its clips here and is levelled by ffmpeg, so it never loads them.

__all__ = ["LoudnessReport", "loudness_of", "place", "place_mono", "place_mono_at", "resample", "true_peak_dbtp", "write_wav"]

FADE_MS = 5.0
OVERSAMPLE = 4
_HALF = 10  # interpolation filter half-length in input samples (81 taps, like resample_poly)
_BLOCK = 4096
DUAL_MONO_DB = 10 * math.log10(2)  # loudness of a stereo pair of identical channels over one of them


def resample(x: np.ndarray, rate: int, out_rate: int) -> np.ndarray:
    """Samples (along the first axis) from ``rate`` to ``out_rate`` Hz, polyphase, as float32."""
    if rate == out_rate:
        return x
    from scipy import signal

    g = math.gcd(rate, out_rate)
    y: np.ndarray = signal.resample_poly(x, out_rate // g, rate // g)
    return y.astype(np.float32, copy=False)


def _fade_edges(x: np.ndarray, n_fade: int) -> np.ndarray:
    n = min(n_fade, len(x) // 2)
    if n <= 0:
        return x
    x = x.copy()
    ramp = (np.arange(n, dtype=np.float32) + 0.5) / n
    x[:n] *= ramp
    x[-n:] *= ramp[::-1]
    return x


def place_mono(
    clips: Sequence[tuple[np.ndarray, int, int]],
    total_ms: int,
    out_rate: int = 48000,
) -> np.ndarray:
    """Mix mono clips ``(samples, sample_rate, start_ms)`` into one mono track of ``total_ms``.

    Returns float32 ``[n]`` with ``n = round(total_ms * out_rate / 1000)``.
    Overlapping clips add; anything past the end is cut (with a fade).
    """
    starts = [(samples, rate, round(start_ms * out_rate / 1000)) for samples, rate, start_ms in clips]
    return place_mono_at(starts, round(total_ms * out_rate / 1000), out_rate)


def place_mono_at(clips: Sequence[tuple[np.ndarray, int, int]], n_total: int, out_rate: int = 48000) -> np.ndarray:
    """:func:`place_mono` with each clip's start and the length given in samples at ``out_rate``."""
    mono = np.zeros(n_total, dtype=np.float32)
    n_fade = round(FADE_MS * out_rate / 1000)
    for index, (samples, rate, start) in enumerate(clips):
        x = np.asarray(samples, dtype=np.float32)
        if x.ndim == 2 and x.shape[1] == 1:
            x = x[:, 0]
        if x.ndim != 1:
            raise RenderError(f"audio clip {index}: expected mono samples, got shape {x.shape}; mix it down first")
        x = resample(x, int(rate), out_rate)
        lo, hi = max(start, 0), min(start + len(x), n_total)
        if lo >= hi:
            continue
        part = _fade_edges(x[lo - start : hi - start], n_fade)
        mono[lo:hi] += part
    return mono


def place(
    clips: Sequence[tuple[np.ndarray, int, int]],
    total_ms: int,
    out_rate: int = 48000,
) -> np.ndarray:
    """:func:`place_mono` on both channels of a stereo track: float32 ``[n, 2]``."""
    return np.repeat(place_mono(clips, total_ms, out_rate)[:, None], 2, axis=1)


@dataclass(frozen=True)
class LoudnessReport:
    """Measured after normalising: integrated loudness (LUFS), true peak (dBTP), and the
    overall gain (dB, the change in integrated loudness; the limiter's part included); ``applied_db``:
    the gain applied before the limiter (None: silence, left as it was)."""

    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float
    applied_db: float | None = None


def _as_2d(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32)
    return x[:, None] if x.ndim == 1 else x


def _abs_max_columns(a: np.ndarray) -> np.ndarray:
    """``np.abs(a).max(axis=1)`` for a few columns, without numpy's slow short-axis reduce."""
    out: np.ndarray = np.abs(a[:, 0])
    for c in range(1, a.shape[1]):
        np.maximum(out, np.abs(a[:, c]), out=out)
    return out


@functools.lru_cache(maxsize=1)
def _interpolator() -> tuple[np.ndarray, float]:
    """The 4x interpolation FIR (81 taps, 10 input samples of delay) and its worst-case gain."""
    from scipy import signal

    h = signal.firwin(2 * _HALF * OVERSAMPLE + 1, 1 / OVERSAMPLE, window=("kaiser", 5.0)) * OVERSAMPLE
    bound = max(float(np.abs(h[k::OVERSAMPLE]).sum()) for k in range(OVERSAMPLE))
    return h.astype(np.float32), bound


def _block_reach(x: np.ndarray) -> np.ndarray:
    """Per block of ``_BLOCK`` samples, the largest |sample| the interpolator can see from it: the
    block's own samples and ``_HALF`` either side (block maxima, not a running maximum over every
    sample: the same figures for a fraction of the work, paid by every mix's limiter)."""
    n_blocks = -(-len(x) // _BLOCK)
    padded = np.zeros(n_blocks * _BLOCK + 2 * _HALF, np.float32)
    padded[_HALF : _HALF + len(x)] = _abs_max_columns(x)
    own = padded[_HALF : _HALF + n_blocks * _BLOCK].reshape(n_blocks, _BLOCK).max(axis=1)
    before = padded[: n_blocks * _BLOCK].reshape(n_blocks, _BLOCK)[:, :_HALF].max(axis=1)  # row b: from b*_BLOCK - _HALF
    after = padded[2 * _HALF :].reshape(n_blocks, _BLOCK)[:, -_HALF:].max(axis=1)  # row b: from b*_BLOCK + _HALF
    blocks: np.ndarray = np.maximum(np.maximum(own, before), after)
    return blocks


def _block_envelope(x: np.ndarray, block: int, stop: int | None = None) -> np.ndarray:
    """The exact 4x-oversampled envelope of one block, or of the blocks ``[block, stop)`` in one filter
    run (see :func:`_peak_envelope`): each output sums the same taps times the same samples either way."""
    h, _ = _interpolator()
    n = len(x)
    s, e = block * _BLOCK, min((stop or block + 1) * _BLOCK, n)
    lo, hi = max(s - _HALF, 0), min(e + _HALF, n)
    from scipy import signal

    up = signal.upfirdn(h, x[lo:hi], OVERSAMPLE, 1, axis=0)
    first = (s - lo + _HALF) * OVERSAMPLE  # output index of input sample s (10 samples of delay)
    seg = _abs_max_columns(up[first : first + (e - s) * OVERSAMPLE])
    return _abs_max_columns(seg.reshape(e - s, OVERSAMPLE))


_RUN = 32  # blocks oversampled in one filter run (a few MB of output): one call instead of many


def _runs(blocks: np.ndarray) -> list[tuple[int, int]]:
    """Sorted block numbers as ``[first, stop)`` runs of consecutive blocks, at most :data:`_RUN` long."""
    runs: list[tuple[int, int]] = []
    for b in blocks.tolist():
        if runs and runs[-1][1] == b and b - runs[-1][0] < _RUN:
            runs[-1] = (runs[-1][0], b + 1)
        else:
            runs.append((b, b + 1))
    return runs


def _peak_envelope(x: np.ndarray, floor: float) -> np.ndarray:
    """Per sample ``n``, the largest |value| of the 4x-oversampled signal on ``[n, n+1)``, all channels.

    Exact wherever it can exceed ``floor``; elsewhere the plain sample peak.
    Blocks whose samples, times the filter's worst-case gain, stay under
    ``floor`` are not oversampled: the bound is rigorous and makes this fast
    for audio that rarely comes near the ceiling.
    """
    _, bound = _interpolator()
    env = _abs_max_columns(x)
    for first, stop in _runs(np.flatnonzero(_block_reach(x) * bound > floor)):
        env[first * _BLOCK : stop * _BLOCK] = _block_envelope(x, first, stop)
    return env


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak in dBTP (4x oversampled, largest over channels)."""
    x = _as_2d(samples).astype(np.float32, copy=False)
    if len(x) == 0:
        return -math.inf
    _, bound = _interpolator()
    reach = _block_reach(x)
    best = float(reach.max())  # the sample peak: the true peak is at least this
    for b in np.argsort(-reach, kind="stable"):
        if reach[b] * bound <= best:
            break  # no later block can beat the peak found
        best = max(best, float(_block_envelope(x, int(b)).max()))
    return 20 * math.log10(best) if best > 0 else -math.inf


@functools.lru_cache(maxsize=4)
def _k_weighting(rate: int) -> np.ndarray:
    """BS.1770's K-weighting at ``rate`` (the +4 dB shelf above 1.5 kHz, then the 38 Hz high-pass) as
    two second-order sections, with pyloudnorm's filter design."""
    from pyloudnorm.iirfilter import IIRfilter
    from scipy import signal

    stages = (IIRfilter(4.0, 1 / math.sqrt(2), 1500.0, rate, "high_shelf"), IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"))
    return np.vstack([signal.tf2sos(stage.b, stage.a) for stage in stages])


_CHUNK = 1 << 20  # samples filtered at a time: the filter's state carries over, so the result is one pass's


def _k_weighted(x: np.ndarray, rate: int) -> np.ndarray:
    """One channel K-weighted, as float32, in chunks (a few MB of temporaries for any length)."""
    from scipy import signal

    sos = _k_weighting(rate)
    state = np.zeros((sos.shape[0], 2))
    out = np.empty(len(x), np.float32)
    for start in range(0, len(x), _CHUNK):
        piece = x[start : start + _CHUNK].astype(np.float64)
        # Where a signal falls silent, the filters' state decays through subnormal numbers, which the
        # CPU handles many times slower. A -240 dBFS tone at half the sample rate keeps it normal; its
        # power (1e-24) changes no gated block's loudness.
        piece[0::2] += 1e-12
        piece[1::2] -= 1e-12
        out[start : start + len(piece)], state = signal.sosfilt(sos, piece, zi=state)
    return out


def loudness_of(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770) of ``[n]`` or ``[n, channels]`` samples.

    The K-weighting runs as one pass of second-order sections (scipy's ``sosfilt``, about six times
    faster than filtering each stage with ``lfilter``, as pyloudnorm does), kept as float32 (the
    same loudness to 1e-5 dB at a quarter of the memory); pyloudnorm gates the weighted signal.
    Identical channels (dual mono: the narration with no stereo bed) are weighted once, their sum
    being 3.01 dB over one. A signal shorter than one gating block is measured repeated to one block.
    """
    import pyloudnorm

    x = np.asarray(samples)
    x = x[:, None] if x.ndim == 1 else x
    if x.shape[1] == 2 and np.array_equal(x[:, 0], x[:, 1]):
        return loudness_of(x[:, 0], rate) + DUAL_MONO_DB
    meter = pyloudnorm.Meter(rate, filter_class="custom")  # the weighting is done here
    need = math.ceil(meter.block_size * rate) + 1
    if len(x) < need:
        x = np.resize(x, (need, x.shape[1]))
    weighted = np.empty(x.shape, np.float32)
    for channel in range(x.shape[1]):
        weighted[:, channel] = _k_weighted(x[:, channel], rate)
    return float(meter.integrated_loudness(weighted))


def write_wav(
    samples: np.ndarray, rate: int, path: str | os.PathLike[str], *, dtype: str = "float32"
) -> Path:
    """Write a WAV (``float32`` or ``int16``) atomically: temp name, then rename."""
    out = Path(path)
    x = np.asarray(samples, dtype=np.float32)
    data: np.ndarray
    if dtype == "int16":
        data = np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)
    elif dtype == "float32":
        data = x
    else:
        raise ValueError(f"dtype {dtype!r}: use 'float32' or 'int16'")
    from scipy.io import wavfile

    tmp = temp_beside(out)
    try:
        wavfile.write(tmp, rate, data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
