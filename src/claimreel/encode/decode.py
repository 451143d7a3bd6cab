"""Decode any audio file ffmpeg can read (WAV, MP3, M4A, FLAC, OGG) to float32 samples.

Bad input is the producer's to fix, so a missing, empty, corrupt or silent-length
file raises :class:`~claimreel.errors.AssetError` (exit 2) naming the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import AssetError, AssetNotFound, FFmpegError
from .ffmpeg import Ffmpeg, media_path

__all__ = ["decode_audio", "decode_audio_bytes"]

_FIX = "re-export it as WAV, MP3 or M4A and check that it plays"


def _args(source: str, rate: int, channels: int, start: float | None = None, duration: float | None = None
          ) -> list[str]:
    seek = ["-ss", f"{start:.6f}"] if start else []
    length = ["-t", f"{duration:.6f}"] if duration is not None else []
    return [*seek, "-i", source, "-map", "0:a:0", "-vn", *length, "-ac", str(channels), "-ar", str(rate),
            "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1"]


def _samples(raw: bytes, channels: int) -> np.ndarray:
    x = np.frombuffer(raw[: len(raw) // (4 * channels) * 4 * channels], dtype="<f4").astype(np.float32)
    return x if channels == 1 else x.reshape(-1, channels)


def decode_audio(
    ffmpeg: Ffmpeg, path: Path, *, rate: int = 48000, channels: int = 1, where: str = "",
    start: float | None = None, duration: float | None = None,
) -> np.ndarray:
    """The audio of ``path`` resampled to ``rate``: shape ``[n]`` (mono) or ``[n, channels]``;
    ``start`` and ``duration`` (seconds) decode only that stretch (a clip's sound)."""
    path = Path(path)
    if not path.is_file():
        raise AssetNotFound(path, where=where)
    if path.stat().st_size == 0:
        raise AssetError(path, "the audio file is empty (0 bytes)", _FIX, where=where)
    try:
        proc = ffmpeg.run(_args(media_path(path), rate, channels, start, duration))
    except FFmpegError as exc:
        detail = exc.stderr_tail.splitlines()[-1] if exc.stderr_tail else "ffmpeg could not read it"
        raise AssetError(path, f"not a readable audio file ({detail})", _FIX, where=where) from None
    samples = _samples(proc.stdout, channels)
    if len(samples) < rate // 100:
        raise AssetError(path, "the audio file holds no sound (zero length)", _FIX, where=where)
    return samples


def decode_audio_bytes(ffmpeg: Ffmpeg, data: bytes, *, rate: int, channels: int = 1, what: str) -> np.ndarray:
    """Decode audio held in memory (e.g. MP3 from an online engine)."""
    proc = ffmpeg.run(_args("pipe:0", rate, channels), input=data)
    return _samples(proc.stdout, channels)
