"""AAC-LC encoded in time pieces that join, frame by frame, into the stream one encode would make.

Each piece encodes its span of the mix from a slice that starts :data:`PRE_ROLL` frames (of 1024
samples) earlier and ends :data:`POST_ROLL` frames later, so the encoder's state, its window
decisions and each frame's MDCT (which covers this frame and the next) see what a single encode
sees; it keeps only the access units that decode to its span. ffmpeg's encoder starts with one
frame of priming: output frame ``j`` decodes to input samples ``[(j-1)*1024, j*1024)``, so a span
``[a*1024, b*1024)`` is frames ``a+1 .. b`` (the first piece also keeps the priming frame 0, the last
keeps the encoder's flush to the end). The pieces' frames, concatenated, decode like one encode's
(the seams' error is the codec's own, measured in the tests), and :func:`join` puts them in an MP4
by stream copy with the priming and the end padding signalled in an edit list, as ffmpeg does for
one encode: the first sample plays at t=0 and the duration is the mix's to the sample.

Each piece measures what it encoded, decoded from its own frames (its pre-roll frames decode
before the span, so the overlap-add and the K-weighting filter have their history): the true
peak, and the K-weighted energy of each 100 ms sub-block of its span. Spans are whole multiples of
both the AAC frame and the sub-block (1.6 s at 48 kHz), so :func:`gated_loudness` gates the 400 ms
blocks of the joined audio across pieces exactly as a measurement of the whole would.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import RenderError
from .ffmpeg import Ffmpeg, media_path

__all__ = ["FRAME", "PIECE_SECONDS", "POST_ROLL", "PRE_ROLL", "EncodedPiece", "Span", "adts_frames",
           "encode_piece", "gated_loudness", "join", "pieces_loudness", "plan",
           "span_energies", "span_slice"]

FRAME = 1024  # samples per AAC-LC frame
PRE_ROLL = 8  # frames encoded before a span (about 170 ms at 48 kHz) and dropped
POST_ROLL = 4  # frames encoded after a span and dropped
PIECE_SECONDS = 12.8  # the longest span: 600 frames, 128 sub-blocks at 48 kHz (about 0.5 CPU-s to encode and measure)


@dataclass(frozen=True)
class Span:
    """Input samples ``[start, stop)`` of a mix of ``total`` samples; ``start`` is a multiple of FRAME."""

    start: int
    stop: int
    total: int

    @property
    def first(self) -> bool:
        return self.start == 0

    @property
    def last(self) -> bool:
        return self.stop >= self.total

    @property
    def slice_start(self) -> int:
        """The first sample the piece's encoder is given (its pre-roll)."""
        return max(0, self.start - PRE_ROLL * FRAME)

    @property
    def slice_stop(self) -> int:
        """Past the span's post-roll (past the mix's end too: :func:`span_slice` pads with silence, so a
        piece near the end is given the same slice wherever the end falls)."""
        return self.total if self.last else self.stop + POST_ROLL * FRAME


def span_slice(samples: np.ndarray, span: Span) -> np.ndarray:
    """The samples a piece's encoder is given: ``samples[slice_start:slice_stop]``, silence past the end."""
    part = samples[span.slice_start:span.slice_stop]
    missing = span.slice_stop - span.slice_start - len(part)
    if missing > 0:
        part = np.concatenate([part, np.zeros((missing, *part.shape[1:]), part.dtype)])
    return part


def _sub_block(rate: int) -> int:
    return rate // 10


def plan(total: int, rate: int, seconds: float = PIECE_SECONDS) -> list[Span]:
    """The pieces of a mix of ``total`` samples: as few as keep each at most ``seconds`` long, of
    nearly equal lengths in whole units of AAC frames and 100 ms sub-blocks (1.6 s at 48 kHz)."""
    unit = math.lcm(FRAME, _sub_block(rate))
    units = max(1, -(-total // unit))
    count = -(-units // max(1, int(seconds * rate // unit)))
    starts = [round(i * units / count) * unit for i in range(count)]
    return [Span(start, min(stop, total), total) for start, stop in zip(starts, starts[1:] + [units * unit])]


def adts_frames(data: bytes) -> list[bytes]:
    """The access units of an ADTS stream (each with its 7- or 9-byte header), split by the header's
    13-bit frame length."""
    out: list[bytes] = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 7 or data[pos] != 0xFF or data[pos + 1] & 0xF6 != 0xF0:
            raise RenderError(f"the AAC encoder wrote a damaged ADTS stream (at byte {pos})")
        length = ((data[pos + 3] & 0x03) << 11) | (data[pos + 4] << 3) | (data[pos + 5] >> 5)
        if length < 7 or pos + length > len(data):
            raise RenderError(f"the AAC encoder wrote a damaged ADTS stream (at byte {pos})")
        out.append(data[pos:pos + length])
        pos += length
    return out


def _pcm_args(rate: int) -> list[str]:
    return ["-f", "f32le", "-ar", str(rate), "-ac", "2", "-i", "pipe:0"]


def _stereo(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 1:
        x = np.repeat(x[:, None], 2, axis=1)
    return np.ascontiguousarray(x)


def _encode(ffmpeg: Ffmpeg, stereo: np.ndarray, rate: int, bitrate: str) -> list[bytes]:
    from .segments import aac_codec_args

    proc = ffmpeg.run([*_pcm_args(rate), *aac_codec_args(bitrate, rate), "-f", "adts", "pipe:1"],
                      input=stereo.tobytes())
    return adts_frames(proc.stdout)


def _decode(ffmpeg: Ffmpeg, frames: list[bytes], rate: int) -> np.ndarray:
    proc = ffmpeg.run(["-f", "aac", "-i", "pipe:0", "-f", "f32le", "-ac", "2", "-ar", str(rate), "pipe:1"],
                      input=b"".join(frames))
    return np.frombuffer(proc.stdout, np.float32).reshape(-1, 2)


@dataclass(frozen=True)
class EncodedPiece:
    """One span's AAC frames (ADTS) and what they decode to: the true peak (dBTP), the K-weighted
    energy (sum of squares) of each 100 ms sub-block of the span per channel, and how often the
    span was limited again because the codec overshot the ceiling."""

    adts: bytes
    frames: int
    peak_dbtp: float
    energies: np.ndarray
    relimited: int = 0


def encode_piece(ffmpeg: Ffmpeg, samples: np.ndarray, span: Span, rate: int, bitrate: str, ceiling_dbtp: float,
                 limit_dbtp: float) -> EncodedPiece:
    """Encode ``samples`` (the mix from ``span.slice_start`` to ``span.slice_stop``, mono or stereo float32)
    and keep the frames of ``span``; measured decoded. If the decoded true peak is over
    ``ceiling_dbtp`` (AAC overshoots a limited peak a little), the slice is limited again under a
    ceiling lowered by the overshoot (from ``limit_dbtp``, where the mix was limited) and encoded again."""
    if len(samples) != span.slice_stop - span.slice_start:
        raise ValueError(f"piece {span}: {len(samples)} samples for a slice of {span.slice_stop - span.slice_start}")
    x = _stereo(samples)
    offset = span.slice_start // FRAME  # output frame j of the whole is the slice's frame j - offset
    first = 0 if span.first else span.start // FRAME + 1 - offset
    stop = None if span.last else span.stop // FRAME + 1 - offset
    relimited = 0
    while True:
        frames = _encode(ffmpeg, x, rate, bitrate)
        kept = frames[first:stop]
        if stop is not None and len(kept) != stop - first:
            raise RenderError(f"the AAC encoder wrote {len(frames)} frames for a slice of {len(x)} samples")
        decoded = _decode(ffmpeg, frames, rate)[FRAME:FRAME + len(x)]  # the slice, decoded (priming dropped)
        peak, energies = _measure(decoded, span, rate)
        if peak <= ceiling_dbtp or relimited == 2:
            break
        from .limiter import limit_samples

        relimited += 1
        limit_dbtp -= peak - ceiling_dbtp + 0.2
        x = np.ascontiguousarray(limit_samples(x, rate, 10 ** ((limit_dbtp - 0.05) / 20)))
    return EncodedPiece(b"".join(kept), len(kept), peak, energies, relimited)


def _measure(decoded: np.ndarray, span: Span, rate: int) -> tuple[float, np.ndarray]:
    """The true peak of the span (with a few samples either side, for the interpolator) and its sub-blocks'
    K-weighted energies; the pre-roll before the span primes the weighting filter."""
    from .audio import _HALF, true_peak_dbtp

    if decoded.shape[1] == 2 and np.array_equal(decoded[:, 0], decoded[:, 1]):
        # Dual mono (a narration with no stereo bed) decodes to two equal channels: measured once.
        peak, energies = _measure(np.ascontiguousarray(decoded[:, :1]), span, rate)
        return peak, np.repeat(energies, 2, axis=1)
    lo, hi = span.start - span.slice_start, span.stop - span.slice_start
    peak = true_peak_dbtp(decoded[max(0, lo - _HALF):hi + _HALF])
    return peak, _energies(decoded, lo, hi, rate)


def _energies(x: np.ndarray, lo: int, hi: int, rate: int) -> np.ndarray:
    """The K-weighted energy of each 100 ms sub-block of ``x[lo:hi]`` (``[sub-blocks, channels]``,
    the last sub-block partial), the weighting filter started at ``x[0]``."""
    from .audio import _k_weighted

    x = x[:, None] if x.ndim == 1 else x
    block = _sub_block(rate)
    count = -(-(hi - lo) // block)
    energies = np.zeros((count, x.shape[1]))
    for channel in range(x.shape[1]):
        weighted = _k_weighted(np.ascontiguousarray(x[:hi, channel]), rate)[lo:].astype(np.float64)
        padded = np.zeros(count * block)
        padded[:len(weighted)] = weighted * weighted
        energies[:, channel] = padded.reshape(count, block).sum(axis=1)
    return energies


def span_energies(samples: np.ndarray, spans: list[Span], rate: int) -> list[np.ndarray]:
    """Each span's sub-block energies (:func:`_energies`) from its own slice of ``samples``: a span's
    figures depend on its slice alone, wherever it sits in the mix."""
    return [_energies(span_slice(samples, span), span.start - span.slice_start,
                      span.stop - span.slice_start, rate) for span in spans]


def pieces_loudness(energies: list[np.ndarray], rate: int) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770 gating) of pieces from each one's sub-block energies,
    its 400 ms blocks (75% overlap) counted from its own start and within it.

    The blocks of the whole programme are the pieces' own blocks, so the measure of a piece does
    not change when an edit before it moves it; it differs from blocks counted from the programme's
    start only in the few blocks that straddle a seam (the seams lie at scene starts, mostly in
    pauses)."""
    block = 4 * _sub_block(rate)
    means = []
    for e in energies:
        if not len(e):
            continue
        padded = np.zeros((max(len(e), 4), e.shape[1]))
        padded[:len(e)] = e
        count = len(padded) - 3
        means.append(sum(padded[k:k + count] for k in range(4)) / block)
    if not means:
        return -math.inf
    return _gated(np.concatenate(means))


def _gated(z: np.ndarray) -> float:
    """BS.1770's two gates over blocks' mean squares ``[blocks, channels]``; the loudness in LUFS."""
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(z.sum(axis=1))
    gated = z[loud >= -70.0]
    if not len(gated):
        return -math.inf
    relative = -0.691 + 10 * math.log10(gated.mean(axis=0).sum()) - 10.0
    gated = z[(loud > relative) & (loud > -70.0)]
    if not len(gated):
        return -math.inf
    return float(-0.691 + 10 * math.log10(gated.mean(axis=0).sum()))


def gated_loudness(energies: np.ndarray, total: int, rate: int) -> float:
    """Integrated loudness (LUFS, ITU-R BS.1770 gating, as pyloudnorm counts its blocks) of ``total``
    samples from their K-weighted sub-block energies ``[sub-blocks, channels]`` (100 ms each)."""
    block = 4 * _sub_block(rate)  # 400 ms, 75% overlap: a block is four sub-blocks, one apart
    blocks = int(np.round((total / rate - 0.4) / 0.1)) + 1
    sums = np.zeros((max(blocks, 0) + 4, energies.shape[1]))
    sums[:len(energies)] = energies[:len(sums)]
    z = sum(sums[k:k + blocks] for k in range(4)) / block  # [blocks, channels] mean squares
    return _gated(z)


def join(ffmpeg: Ffmpeg, pieces: list[bytes], frames: int, total: int, rate: int, out: Path) -> Path:
    """Mux the pieces' ADTS frames (in order; ``frames`` of them) into an MP4 audio file at ``out`` by
    stream copy. As for one encode, the first frame's priming is cut by an edit list (its timestamps
    start 1024 samples early) and the last frame lasts only to the mix's ``total`` samples."""
    from .segments import run_into

    last = total + FRAME - (frames - 1) * FRAME  # the last frame's duration, in samples
    if not 0 < last <= FRAME:
        raise RenderError(f"{frames} AAC frames cannot hold {total} samples")
    tick = "(TB*SR)"  # one sample in the demuxer's time base
    bsf = (f"setts=ts=TS-round({FRAME}/{tick})"
           f":duration=if(eq(N\\,{frames - 1})\\,round({last}/{tick})\\,DURATION)")
    run_into(ffmpeg, out, lambda tmp: [
        "-f", "aac", "-i", "pipe:0", "-map", "0:a:0", "-c:a", "copy", "-bsf:a", bsf,
        "-movie_timescale", str(rate), "-f", "mp4", media_path(tmp)], input=b"".join(pieces))
    return out
