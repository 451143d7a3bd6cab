"""A draft's soundtrack, levelled by ffmpeg alone: one pass to measure, one to level and encode
(and again, up to three times, where the limiter took the draft under its target).

A preview's mix is brought to the profile's loudness without SciPy or pyloudnorm
(about a second of imports and as much again of filtering, a fifth of a draft's
CPU): ffmpeg's ``ebur128`` filter (ITU-R BS.1770) measures the integrated
loudness; the encoding pass applies the gain, a lookahead ``alimiter`` under the
true-peak ceiling, and ``ebur128`` again, so the report is what went into the
AAC encoder, measured. Sample peaks are limited; the true peak is measured and
reported, and lands a few tenths of a dB above the limiter's ceiling. Finals go
through :func:`claimreel.encode.audio.normalize` (true-peak limiting, re-measured
after AAC encoding).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import RenderError
from .ffmpeg import Ffmpeg, media_path
from .segments import aac_codec_args, run_into

__all__ = ["DraftLevels", "LIMIT_BELOW_CEILING_DB", "level_and_encode"]

LIMIT_BELOW_CEILING_DB = 1.0  # the limiter works on samples: true peaks rise up to ~0.5 dB above them
_SILENT_LUFS = -70.0  # ebur128 reports the absolute gate for silence
CORRECT_ABOVE_LU = 0.3  # a draft this far under its target after limiting is levelled again,
CORRECTIONS = 3  # at most this many times


@dataclass(frozen=True)
class DraftLevels:
    """What the encoder got: integrated loudness (LUFS), true peak (dBTP), and the gain applied (dB)."""

    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


def _summary(stderr: bytes, *, peak: bool) -> tuple[float, float]:
    """Integrated loudness and (with ``peak``) true peak from the ebur128 filter's summary."""
    text = stderr.decode("utf-8", "replace")
    tail = text[text.rfind("Summary:"):]
    loud = re.search(r"\bI:\s+(-?(?:inf|[\d.]+)) LUFS", tail)
    top = re.search(r"\bPeak:\s+(-?(?:inf|[\d.]+)) dBFS", tail) if peak else None
    if loud is None or (peak and top is None):
        raise RenderError(f"ffmpeg's ebur128 filter printed no loudness summary; its output ended: {text[-300:]!r}")
    return float(loud.group(1)), float(top.group(1)) if top else math.nan


def level_and_encode(ffmpeg: Ffmpeg, samples: np.ndarray, rate: int, out_path: Path, *, target_lufs: float,
                     ceiling_dbtp: float, bitrate: str) -> DraftLevels:
    """Encode stereo float ``samples`` at ``rate`` Hz to AAC at ``out_path`` (atomically), levelled
    to ``target_lufs`` with sample peaks limited to ``LIMIT_BELOW_CEILING_DB`` under ``ceiling_dbtp``."""
    pcm = np.ascontiguousarray(samples, dtype="<f4").tobytes()
    source = ["-f", "f32le", "-ar", str(rate), "-ac", "2", "-i", "pipe:0"]
    before, _ = _summary(ffmpeg.run([*source, "-af", "ebur128=framelog=quiet", "-f", "null", "-"],
                                    input=pcm, loglevel="info").stderr, peak=False)
    silent = before <= _SILENT_LUFS
    limit = 10 ** ((ceiling_dbtp - LIMIT_BELOW_CEILING_DB) / 20)

    def encode(gain: float) -> tuple[float, float]:
        chain = (f"volume={gain:.3f}dB,alimiter=limit={limit:.4f}:attack=5:release=50:level=disabled,"
                 "ebur128=peak=true:framelog=quiet")
        proc = run_into(ffmpeg, Path(out_path), lambda tmp: [*source, "-af", chain, *aac_codec_args(bitrate, rate),
                                                              "-f", "mp4", media_path(tmp)], input=pcm, loglevel="info")
        return _summary(proc.stderr, peak=True)

    gain = 0.0 if silent else target_lufs - before
    after, peak = encode(gain)
    if silent:
        return DraftLevels(-math.inf, -math.inf, 0.0)
    # Speech with high peaks loses loudness in the limiter: make up what it took (each pass limits a
    # little more, so a few passes bring a draft 1.5 LU under its target to within a few tenths).
    for _ in range(CORRECTIONS):
        if target_lufs - after <= CORRECT_ABOVE_LU:
            break
        gain += target_lufs - after
        after, peak = encode(gain)
    return DraftLevels(after, peak, after - before)
