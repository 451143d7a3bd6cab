"""A render's encoded soundtracks kept in the cache: ``<key>.m4a`` beside ``<key>.json``.

The key is :meth:`.mixdown.Soundtrack.key` (everything the encoded sound depends on); the report
holds the loudness measured and the AAC's SHA-256 and is written after the AAC, so a missing or
damaged pair is made again rather than served.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..encode.ffmpeg import Ffmpeg
from ..files import atomic_write_text, file_sha256
from .mixdown import Mix, Soundtrack

if TYPE_CHECKING:
    from ..encode.aac_pieces import EncodedPiece

__all__ = ["cached_soundtrack", "finish_soundtrack", "soundtrack", "store_soundtrack"]


def _entry(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, Path]:
    key = track.key(ffmpeg.version())
    return cache / f"{key}.m4a", cache / f"{key}.json"


def cached_soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict[str, Any]] | None:
    """The soundtrack from ``cache`` and its report, or None if it is missing or damaged."""
    aac, meta = _entry(track, ffmpeg, cache)
    try:
        saved = json.loads(meta.read_text(encoding="utf-8"))
        if file_sha256(aac) == saved["sha256"]:
            return aac, saved["loudness"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _kept(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path, write: Callable[[Path], dict[str, Any]]
          ) -> tuple[Path, dict[str, Any]]:
    """``write(aac)`` writes the soundtrack's AAC into ``cache`` and returns its report; the report is
    written after it, with the AAC's SHA-256 (the pair :func:`cached_soundtrack` serves)."""
    cache.mkdir(parents=True, exist_ok=True)
    aac, meta = _entry(track, ffmpeg, cache)
    loudness = write(aac)
    atomic_write_text(meta, json.dumps({"sha256": file_sha256(aac), "loudness": loudness}, sort_keys=True))
    return aac, loudness


def store_soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path, data: bytes, loudness: dict[str, Any]
                     ) -> tuple[Path, dict[str, Any]]:
    """Put a soundtrack made elsewhere (a cluster worker) into ``cache``: the AAC, then its report."""
    from ..files import atomic_write_bytes

    def write(aac: Path) -> dict[str, Any]:
        atomic_write_bytes(aac, data)
        return loudness

    return _kept(track, ffmpeg, cache, write)


def finish_soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path, mix: Mix, encoded: Sequence[EncodedPiece]
                      ) -> tuple[Path, dict[str, Any]]:
    """Join a final soundtrack's encoded pieces (made elsewhere: cluster workers) into ``cache``."""
    return _kept(track, ffmpeg, cache, lambda aac: track.join(ffmpeg, aac, mix, encoded))


def soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict[str, Any]]:
    """The encoded soundtrack in ``cache`` (made if missing) and its loudness report.

    ``<key>.m4a`` is served only beside ``<key>.json``, which holds the report and
    the AAC's SHA-256 and is written after it: a missing or damaged pair is made again.
    """
    found = cached_soundtrack(track, ffmpeg, cache)
    if found is not None:
        return found
    return _kept(track, ffmpeg, cache, lambda aac: track.render(ffmpeg, aac, cache))
