"""A soundtrack's AAC encoded in time pieces and joined plays as one encode of the same mix: the same
samples at the same places, no click at a seam (not even with a transient right on it, where the
encoder switches to short windows), the same length, and the loudness the pieces report is the
joined file's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimreel.encode.aac_pieces import FRAME, Span, encode_piece, gated_loudness, join, plan
from claimreel.encode.audio import loudness_of, true_peak_dbtp, write_wav
from claimreel.encode.decode import decode_audio
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.segments import encode_aac

pytestmark = pytest.mark.integration

RATE = 48000
PIECE_S = 3.2  # short pieces, for many seams in a short signal
EIGHT_SHORT = 2


def _hit(rng: np.random.Generator) -> np.ndarray:
    """A drum-like hit: a noise burst with a sharp attack and a 4 ms decay."""
    n = 3000
    return (rng.standard_normal(n) * np.exp(-np.arange(n) / 200.0) * 0.5).astype(np.float32)


def _signal(seconds: float, hits: list[int]) -> np.ndarray:
    """Music-like (plucked chords, stereo) and speech-like (band-limited noise in syllables, bursts of a
    second) with drum hits at ``hits``."""
    from scipy import signal

    rng = np.random.default_rng(7)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    x = np.zeros((n, 2), np.float32)
    pluck = np.exp(-((t * 2) % 1.0) * 4.0)
    for k, f in enumerate((110.0, 164.8, 220.0, 277.2, 329.6, 880.0)):
        x[:, 0] += 0.04 * np.sin(2 * np.pi * f * t) * pluck
        x[:, 1] += 0.04 * np.sin(2 * np.pi * f * 1.003 * t + k) * pluck
    b, a = signal.butter(2, [300 / (RATE / 2), 3400 / (RATE / 2)], "band")
    speech = signal.lfilter(b, a, rng.standard_normal(n)) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)) ** 2
    speech *= (t % 2.0) < 1.0
    x += (0.25 * speech)[:, None].astype(np.float32)
    for at in hits:
        hit = _hit(rng)[: n - at]
        x[at : at + len(hit)] += hit[:, None]
    return x


def _window_sequences(frames: bytes) -> list[int]:
    """Each ADTS frame's window sequence (its channel pair's first ics_info; fill elements skipped)."""
    out, pos = [], 0
    while pos < len(frames):
        length = ((frames[pos + 3] & 3) << 11) | (frames[pos + 4] << 3) | (frames[pos + 5] >> 5)
        body = frames[pos + (7 if frames[pos + 1] & 1 else 9):pos + length]
        value = int.from_bytes(body[:300], "big")
        size = 8 * len(body[:300])

        def bits(at: int, n: int) -> int:
            return (value >> (size - at - n)) & ((1 << n) - 1)

        at = 0
        while bits(at, 3) == 6:  # ID_FIL: a 4-bit count (15: one more escape byte), then that many bytes
            count = bits(at + 3, 4)
            at += 7
            if count == 15:
                count += bits(at, 8) - 1
                at += 8
            at += 8 * count
        assert bits(at, 3) == 1, "a stereo frame holds a channel pair element"
        common = bits(at + 7, 1)
        # ics_info (a reserved bit, then the window sequence) after the common_window bit, or after
        # the first channel's global_gain
        out.append(bits(at + 9, 2) if common else bits(at + 17, 2))
        pos += length
    return out


@pytest.fixture(scope="module")
def encoded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pieces")
    ff = Ffmpeg()
    n = int(20 * RATE) - 777  # not a whole number of frames
    spans = plan(n, RATE, PIECE_S)
    seams = [s.start for s in spans[1:]]
    # A hit right on each seam, one a little before and one a little after; more away from them.
    hits = [s - 40 for s in seams[0::3]] + [s for s in seams[1::3]] + [s + 300 for s in seams[2::3]]
    hits += [s + 30000 for s in seams]
    x = _signal(n / RATE, hits)[:n]
    x *= np.float32(10 ** ((-3.0 - true_peak_dbtp(x)) / 20))  # under the ceiling: no re-limiting
    pieces = [encode_piece(ff, x[s.slice_start:s.slice_stop], s, RATE, "160k", -1.0, -1.5) for s in spans]
    joined = join(ff, [p.adts for p in pieces], sum(p.frames for p in pieces), n, RATE, tmp / "joined.m4a")
    single = encode_aac(ff, write_wav(x, RATE, tmp / "mix.wav"), tmp / "single.m4a")
    return x, spans, seams, pieces, joined, single


def test_the_joined_pieces_decode_aligned_and_as_long_as_one_encode(encoded):
    x, spans, seams, pieces, joined, single = encoded
    ff = Ffmpeg()
    a, b = decode_audio(ff, joined, rate=RATE, channels=2), decode_audio(ff, single, rate=RATE, channels=2)
    assert len(spans) >= 5
    assert len(a) == len(b) == len(x)
    assert sum(p.frames for p in pieces) == -(-len(x) // FRAME) + 1  # the priming frame and the flush
    # the first sample at t=0: the cross-correlation with the input peaks at offset 0
    lags = range(-64, 65)
    corr = [float(np.dot(a[RATE + lag:5 * RATE + lag, 0], x[RATE:5 * RATE, 0])) for lag in lags]
    assert list(lags)[int(np.argmax(corr))] == 0


def test_no_seam_is_heard(encoded):
    x, spans, seams, pieces, joined, single = encoded
    ff = Ffmpeg()
    a, b = decode_audio(ff, joined, rate=RATE, channels=2), decode_audio(ff, single, rate=RATE, channels=2)
    ea, eb = (a - x).astype(np.float64), (b - x).astype(np.float64)

    def rms(e: np.ndarray, lo: int, hi: int) -> float:
        return float(np.sqrt(np.mean(e[lo:hi] ** 2)))

    w = 2 * FRAME
    away = [rms(ea, s, s + w) for s in range(w, len(x) - 2 * w, w) if all(abs(s + w // 2 - c) > 2 * w for c in seams)]
    for seam in seams:
        at = rms(ea, seam - w // 2, seam + w // 2)
        assert at <= 1.25 * rms(eb, seam - w // 2, seam + w // 2) + 1e-4, seam  # as one encode did there
        assert at <= max(away), seam  # nothing worse than the codec's error elsewhere: no click
        # sample by sample, no step the single encode does not have
        assert np.abs(ea[seam - 64:seam + 64]).max() <= 1.25 * np.abs(eb[seam - w:seam + w]).max() + 1e-3, seam


def test_a_transient_on_a_seam_gets_the_short_windows_one_encode_gives_it(encoded):
    x, spans, seams, pieces, joined, single = encoded
    from claimreel.encode.aac_pieces import adts_frames

    ff = Ffmpeg()
    ours = _window_sequences(b"".join(p.adts for p in pieces))
    proc = ff.run(["-i", str(single), "-c:a", "copy", "-f", "adts", "pipe:1"])
    theirs = _window_sequences(proc.stdout)
    assert len(adts_frames(proc.stdout)) == len(ours)
    on_seams = [seam // FRAME + k for seam in seams for k in (0, 1, 2)]  # the frames either side of each seam
    assert any(ours[j] == EIGHT_SHORT for j in on_seams), "the test puts short windows at a seam"
    assert [ours[j] for j in on_seams] == [theirs[j] for j in on_seams]


def test_the_pieces_report_the_joined_files_loudness_and_peak(encoded):
    x, spans, seams, pieces, joined, single = encoded
    decoded = decode_audio(Ffmpeg(), joined, rate=RATE, channels=2)
    lufs = gated_loudness(np.concatenate([p.energies for p in pieces]), len(x), RATE)
    assert abs(lufs - loudness_of(decoded, RATE)) < 0.01
    assert abs(max(p.peak_dbtp for p in pieces) - true_peak_dbtp(decoded)) < 0.05


def test_a_piece_over_the_ceiling_after_encoding_is_limited_again_alone(tmp_path: Path):
    ff = Ffmpeg()
    n = 4 * RATE
    x = _signal(4.0, [])[:n]  # no drum hits: AAC keeps this signal's peaks (and overshoots them a little)
    x *= np.float32(10 ** ((-1.5 - true_peak_dbtp(x)) / 20))  # limited at -1.5 dBTP, as a mix is
    span = Span(0, n, n)
    plain = encode_piece(ff, x, span, RATE, "160k", 0.0, -1.5)
    assert plain.relimited == 0
    ceiling = plain.peak_dbtp - 0.5  # a ceiling this encode misses
    piece = encode_piece(ff, x, span, RATE, "160k", ceiling, -1.5)
    assert piece.relimited >= 1 and piece.peak_dbtp <= ceiling
    out = join(ff, [piece.adts], piece.frames, n, RATE, tmp_path / "one.m4a")
    assert true_peak_dbtp(decode_audio(ff, out, rate=RATE, channels=2)) <= ceiling + 0.05
