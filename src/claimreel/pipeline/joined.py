"""A video's joins, kept in the cache: its segments joined into one stream, and that stream muxed with
its soundtracks. Each is a file that depends only on its inputs (the segments' keys; the joined
video's bytes and the soundtracks' keys), so a render that finds them unchanged (a cut the edit did
not touch) links them from the cache instead of running ffmpeg over tens of megabytes again.

Cached files are written under a temporary name and renamed, and outputs are never changed in place
(signing writes a new file and renames it over), so a hard link to the cache is safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Sequence

from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import DescribedAudio, concat_segments, mux
from ..files import file_sha256, files_digest
from .output import link_or_copy
from .segment_cache import sweep_partials

__all__ = ["joined_video", "muxed_video"]

JOINED_VERSION = "1"


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    root = Path(__file__).resolve().parents[1]
    return files_digest([root / "encode" / "segments.py", Path(__file__).resolve()], JOINED_VERSION)


def _key(ffmpeg: Ffmpeg, payload: dict[str, object]) -> str:
    data = {"code": _code_digest(), "ffmpeg": ffmpeg.version(), **payload}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _placed(kept: Path, out: Path) -> Path:
    out.unlink(missing_ok=True)
    link_or_copy(kept, out)
    return out


def joined_video(ffmpeg: Ffmpeg, segments: Sequence[Path], out: Path, cache: Path) -> Path:
    """The segments (named by their keys) joined at ``out``, from ``cache`` when joined before."""
    cache.mkdir(parents=True, exist_ok=True)
    kept = cache / f"{_key(ffmpeg, {'segments': [Path(p).name for p in segments]})}.mp4"
    if not kept.is_file():
        sweep_partials(cache)
        concat_segments(ffmpeg, segments, kept)
    return _placed(kept, out)


def muxed_video(ffmpeg: Ffmpeg, video: Path, audio: Path, out: Path, described: DescribedAudio, cache: Path) -> Path:
    """``video`` muxed with the soundtrack ``audio`` and the ``described`` one (both AAC, named by their
    keys in the audio cache) at ``out``, from ``cache`` when muxed before."""
    cache.mkdir(parents=True, exist_ok=True)
    payload = {"video": file_sha256(video), "audio": audio.name,
               "described": [described.path.name, described.language, described.title]}
    kept = cache / f"muxed-{_key(ffmpeg, payload)}.mp4"
    if not kept.is_file():
        mux(ffmpeg, video, audio, kept, copy_audio=True, described=described)
    return _placed(kept, out)
