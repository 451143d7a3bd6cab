"""Make the shipped music bed(s) from nothing but numpy: soft, slow pad chords.

    PYTHONPATH=src python assets/music/make_beds.py

writes assets/music/soft-pad.ogg (48 kHz stereo Vorbis, 32 s, loops cleanly:
it starts and ends on the same chord, quiet at both ends). CC0 (see CREDITS.md).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

RATE = 48000
CHORD_S = 8.0
# Cmaj9 – Am7 – Fmaj7 – G6sus, voiced low and close: MIDI note numbers.
CHORDS = ((48, 55, 59, 62, 64), (45, 52, 55, 60, 64), (41, 48, 55, 57, 64), (43, 50, 55, 60, 62))


def _freq(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def _voice(note: int, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One pad voice, stereo: three detuned oscillators with soft harmonics (1/k², 5 partials)."""
    out = np.zeros((len(t), 2))
    for detune, pan in ((-4.0, 0.2), (0.0, 0.5), (4.5, 0.8)):
        f = _freq(note) * 2 ** (detune / 1200)
        phase = rng.uniform(0, 2 * np.pi)
        wave = sum(np.sin(2 * np.pi * f * k * t + phase * k) / k**2 for k in range(1, 6))
        out[:, 0] += wave * (1 - pan)
        out[:, 1] += wave * pan
    return out


def make(seconds_per_chord: float = CHORD_S) -> np.ndarray:
    rng = np.random.default_rng(7)
    n_chord = int(seconds_per_chord * RATE)
    overlap = int(2.0 * RATE)
    total = n_chord * len(CHORDS)
    out = np.zeros((total + overlap, 2))
    t = np.arange(n_chord + overlap) / RATE
    env = np.ones(n_chord + overlap)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, overlap))
    env[:overlap] = ramp
    env[-overlap:] = ramp[::-1]
    swell = 1 + 0.08 * np.sin(2 * np.pi * t / seconds_per_chord)  # a slow breath
    for i, chord in enumerate(CHORDS):
        block = sum(_voice(n, t, rng) for n in chord) * (env * swell)[:, None]
        out[i * n_chord : i * n_chord + n_chord + overlap] += block
    out[:overlap] += out[total:]  # wrap the last chord's release onto the start: seamless loop
    out = out[:total]
    out /= np.abs(out).max()
    return (0.5 * out).astype(np.float32)


def main(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from claimreel.encode.audio import write_wav
    from claimreel.encode.ffmpeg import Ffmpeg, media_path

    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(make(), RATE, Path(tmp) / "pad.wav")
        Ffmpeg().run(["-i", media_path(wav), "-c:a", "libvorbis", "-q:a", "1", "-ar", str(RATE),
                      media_path(folder / "soft-pad.ogg")])


if __name__ == "__main__":
    main(Path(__file__).resolve().parent)
