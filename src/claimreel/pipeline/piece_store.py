"""A final soundtrack's AAC pieces as units of work, and the cache that keeps them by their samples.

Each time piece of a mix (:meth:`.mixdown.Soundtrack.pieces`) is encoded on its own
(:func:`~..encode.aac_pieces.encode_piece`), in the render's audio thread or as a cluster unit,
and kept under a digest of its slice's samples and where its span lies in the slice: a piece that
only moved (the same samples, in any soundtrack) is taken from ``CACHE/audio/pieces/``. The other
figures kept per piece (:mod:`.piece_measures`, :mod:`.piece_limits`) are named and written the
same way (:func:`samples_key`, :func:`~..files.keep_if_possible`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..encode.ffmpeg import Ffmpeg
from ..errors import RenderError
from ..files import atomic_write_bytes, files_digest

if TYPE_CHECKING:
    from ..encode.aac_pieces import EncodedPiece, Span

__all__ = ["PieceJob", "cached_piece", "piece_key", "samples_key", "soundtrack_piece", "store_piece"]


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code that encodes and measures a piece (its samples are in its key)."""
    root = Path(__file__).resolve().parents[1]
    names = ("encode/aac_pieces.py", "encode/audio.py", "encode/limiter.py", "encode/segments.py")
    return files_digest((root / name for name in names), "1")


def samples_key(samples: np.ndarray, **head: Any) -> str:
    """A digest of ``samples`` (their shape, type and values) and of what else ``head`` names: the
    name a piece's kept encoding or figures go by, the same in any soundtrack and at any place."""
    text = json.dumps({**head, "shape": list(samples.shape), "dtype": str(samples.dtype)}, sort_keys=True)
    digest = hashlib.sha256(text.encode())
    digest.update(np.ascontiguousarray(samples).tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class PieceJob:
    """One time piece of a mix to encode: its slice of the samples (pre- and post-roll included)."""

    samples: np.ndarray
    span: Span
    rate: int
    bitrate: str
    ceiling_dbtp: float  # the profile's true-peak ceiling, measured on the decoded AAC
    limit_dbtp: float  # where the mix was limited


def soundtrack_piece(job: PieceJob, ffmpeg: Ffmpeg, cache: Path | None = None) -> EncodedPiece:
    """The work unit that encodes one time piece of a mix to AAC and measures it; with ``cache``, a
    piece whose slice was encoded before (by any soundtrack, at any place) is taken from there."""
    from ..encode.aac_pieces import encode_piece

    if cache is not None and (found := cached_piece(job, ffmpeg, cache)) is not None:
        return found
    piece = encode_piece(ffmpeg, job.samples, job.span, job.rate, job.bitrate, job.ceiling_dbtp, job.limit_dbtp)
    if cache is not None:
        store_piece(job, ffmpeg, cache, piece)
    return piece


def piece_key(job: PieceJob, ffmpeg_version: str) -> str:
    """A digest of what a piece's AAC frames and measures depend on: its slice's samples, where its
    span lies in the slice (not in the mix), the encoder and its settings."""
    span = job.span
    return samples_key(job.samples, code=_code_digest(), ffmpeg=ffmpeg_version, rate=job.rate, bitrate=job.bitrate,
                       ceiling=job.ceiling_dbtp, limit=job.limit_dbtp, first=span.first, last=span.last,
                       span=[span.start - span.slice_start, span.stop - span.slice_start])


def _piece_path(job: PieceJob, ffmpeg: Ffmpeg, cache: Path) -> Path:
    return cache / "pieces" / f"{piece_key(job, ffmpeg.version())}.npz"


def cached_piece(job: PieceJob, ffmpeg: Ffmpeg, cache: Path) -> EncodedPiece | None:
    """The encoded piece from ``cache``, or None if it is missing or damaged."""
    from ..encode.aac_pieces import EncodedPiece, adts_frames

    try:
        with np.load(_piece_path(job, ffmpeg, cache)) as saved:
            adts = saved["adts"].tobytes()
            if len(adts_frames(adts)) != int(saved["frames"]):
                return None
            return EncodedPiece(adts, int(saved["frames"]), float(saved["peak"]), saved["energies"],
                                int(saved["relimited"]))
    except (OSError, ValueError, KeyError, RenderError):
        return None


def store_piece(job: PieceJob, ffmpeg: Ffmpeg, cache: Path, piece: EncodedPiece) -> None:
    """Keep an encoded piece in ``cache`` (written whole under a temporary name, then renamed)."""
    import io

    path = _piece_path(job, ffmpeg, cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, adts=np.frombuffer(piece.adts, np.uint8), frames=piece.frames, peak=piece.peak_dbtp,
             energies=piece.energies, relimited=piece.relimited)
    atomic_write_bytes(path, buffer.getvalue())
