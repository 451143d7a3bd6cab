"""The one mix of a render: narration, plus an optional music bed ducked under speech.

The bed is looped (a 50 ms equal-gain crossfade at each seam: beds are made to
loop, so their end already leads into their start; the crossfade only hides a click) or trimmed to the
video's length, faded in and out, and set relative to the narration's own
integrated loudness: ``level`` dB where nobody speaks, ``under_speech`` dB
(at most -20, WCAG 1.4.7) while speech plays. The gain moves between the two
on raised-cosine ramps: down over ``ATTACK_MS`` ending as speech starts, up
over ``RELEASE_MS`` after it stops, so the bed never pumps or clicks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .audio import loudness_of

__all__ = ["BedSettings", "MixReport", "bed_track", "duck_curve", "duck_curve_at", "loudness_of", "mix_with_bed", "under_speech"]

ATTACK_MS = 300
RELEASE_MS = 700
SEAM_S = 0.05
FADE_IN_S = 1.5
FADE_OUT_S = 3.0


@dataclass(frozen=True)
class BedSettings:
    level_db: float = -14.0
    under_speech_db: float = -26.0


@dataclass(frozen=True)
class MixReport:
    narration_lufs: float
    music_under_speech_db: float  # music loudness while speech plays, relative to the narration's


def bed_track(bed: np.ndarray, n_total: int, rate: int) -> np.ndarray:
    """``bed`` ``[n, 2]`` looped or trimmed to ``n_total`` samples, with fades at both ends."""
    bed = np.asarray(bed, dtype=np.float32)
    seam = min(int(SEAM_S * rate), len(bed) // 4)
    out = np.zeros((n_total, bed.shape[1]), np.float32)
    if seam > 0:
        t = (np.arange(seam, dtype=np.float32) + 0.5) / seam
        fade_in, fade_out = t[:, None], (1.0 - t)[:, None]
    pos, first = 0, True
    while pos < n_total:
        piece = bed.copy()
        if not first and seam > 0:
            # overlap this copy's head with the previous copy's tail
            pos -= seam
            piece[:seam] *= fade_in  # the previous copy's tail was faded out below
        if seam > 0 and pos + len(piece) < n_total:
            piece[-seam:] *= fade_out
        take = min(len(piece), n_total - pos)
        out[pos : pos + take] += piece[:take]
        pos += len(piece)
        first = False
    for seconds, edge in ((FADE_IN_S, "in"), (FADE_OUT_S, "out")):
        n = min(int(seconds * rate), n_total // 2)
        if n:
            ramp = (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n, dtype=np.float32)))[:, None]
            if edge == "in":
                out[:n] *= ramp
            else:
                out[-n:] *= ramp[::-1]
    return out


def duck_curve(n_total: int, rate: int, spans_ms: Sequence[tuple[int, int]], *, attack_ms: int = ATTACK_MS,
               release_ms: int = RELEASE_MS) -> np.ndarray:
    """0 where nobody speaks, 1 while speech plays, raised-cosine ramps between (down over
    ``attack_ms`` ending as speech starts, up over ``release_ms`` after it stops)."""
    attack, release = attack_ms * rate // 1000, release_ms * rate // 1000
    spans = [(start_ms * rate // 1000, end_ms * rate // 1000) for start_ms, end_ms in spans_ms]
    return duck_curve_at(n_total, spans, attack, release)


def duck_curve_at(n_total: int, spans: Sequence[tuple[int, int]], attack: int, release: int) -> np.ndarray:
    """:func:`duck_curve` with the spans and ramps in samples."""
    d = np.zeros(n_total, np.float32)
    for a, b in spans:
        d[max(a, 0) : min(b, n_total)] = 1.0
        for lo, n, rising in ((a - attack, attack, True), (b, release, False)):
            idx = np.arange(n) + lo
            ok = (idx >= 0) & (idx < n_total)
            ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)).astype(np.float32)
            ramp = ramp if rising else ramp[::-1]
            np.maximum.at(d, idx[ok], ramp[ok])
    return d


def mix_with_bed(
    narration: np.ndarray,
    rate: int,
    bed: np.ndarray,
    spans_ms: Sequence[tuple[int, int]],
    settings: BedSettings = BedSettings(),
) -> tuple[np.ndarray, MixReport]:
    """Narration ``[n, 2]`` plus the ducked bed; and the music's level under speech, measured."""
    n = len(narration)
    music = bed_track(bed, n, rate)
    speech_lufs = loudness_of(narration, rate)
    bed_lufs = loudness_of(bed, rate)
    if not (math.isfinite(speech_lufs) and math.isfinite(bed_lufs)):
        return narration, MixReport(speech_lufs, -math.inf)
    duck = duck_curve(n, rate, spans_ms)
    gain_db = (speech_lufs - bed_lufs) + settings.level_db + duck * (settings.under_speech_db - settings.level_db)
    music *= (10 ** (gain_db / 20)).astype(np.float32)[:, None]
    report = MixReport(speech_lufs, under_speech(narration, music, rate, spans_ms))
    return (narration + music).astype(np.float32), report


def under_speech(narration: np.ndarray, music: np.ndarray, rate: int, spans_ms: Sequence[tuple[int, int]]) -> float:
    """Loudness of the music over the speech spans minus that of the narration over them, where the
    music plays (from its first sound to its last: a clip's sound under part of the narration is
    compared with the narration it plays under, and the rest is not filtered)."""
    sounding = np.flatnonzero(np.abs(music).max(axis=1) if music.ndim == 2 else music)
    if not len(sounding):
        return -math.inf
    lo, hi = int(sounding[0]), int(sounding[-1]) + 1
    speaking = np.zeros(hi - lo, bool)
    for a, b in spans_ms:
        speaking[max(a * rate // 1000 - lo, 0) : max(min(b * rate // 1000, hi) - lo, 0)] = True
    if not speaking.any():
        return -math.inf
    return loudness_of(music[lo:hi][speaking], rate) - loudness_of(narration[lo:hi][speaking], rate)
