"""A video's joins, kept in the cache: its segments joined into one stream, and that stream muxed with
its soundtracks. Each is a file that depends only on its inputs (the segments' keys; the joined
video's bytes and the soundtracks' keys), so a render that finds them unchanged (a cut the edit did
not touch) links them from the cache instead of running ffmpeg over tens of megabytes again.

A long video is joined from runs of its segments, each run joined and kept on its own: an edit joins
again only the runs that hold a changed segment, and then the runs. (The join opens every file it
lists and decodes its first frames to learn the stream: about 10 ms a file, most of a join's cost.)
A run ends after a segment whose key says so (one in :data:`RUN` on average, at most
:data:`MAX_RUN` segments), not at fixed places, so a segment added or removed changes its own run
only.

Cached files are written under a temporary name and renamed, and outputs are never changed in place
(signing writes a new file and renames it over), so a hard link to the cache is safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Callable, Sequence

from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import DescribedAudio, concat_segments, mux
from ..files import file_sha256, files_digest
from .output import link_or_copy
from .segment_cache import sweep_partials

__all__ = ["joined_video", "muxed_video"]

JOINED_VERSION = "2"  # 2: long videos joined from kept runs
RUN, MAX_RUN = 8, 24


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
    """The segments (named by their keys) joined at ``out``, from ``cache`` when joined before; a long
    video from its runs (see the module's notes)."""

    def parts() -> Sequence[Path]:
        runs = _runs(segments)
        return segments if len(runs) < 2 else [_kept_join(ffmpeg, cache / "runs", "run", run) for run in runs]

    return _placed(_kept_join(ffmpeg, cache, "segments", segments, parts), out)


def _kept_join(ffmpeg: Ffmpeg, cache: Path, kind: str, segments: Sequence[Path],
               parts: Callable[[], Sequence[Path]] | None = None) -> Path:
    """``segments`` (a video's, or a run of them: ``kind``) joined and kept in ``cache`` under their
    names, from there when joined before; ``parts()``: what to join instead (the same stream)."""
    cache.mkdir(parents=True, exist_ok=True)
    kept = cache / f"{_key(ffmpeg, {kind: [Path(p).name for p in segments]})}.mp4"
    if not kept.is_file():
        sweep_partials(cache)
        concat_segments(ffmpeg, parts() if parts is not None else segments, kept)
    return kept


def _runs(segments: Sequence[Path]) -> list[Sequence[Path]]:
    """``segments`` cut into runs, each ending after a segment whose name's digest is a multiple of
    :data:`RUN`, or at :data:`MAX_RUN` segments."""
    runs: list[Sequence[Path]] = []
    start = 0
    for i, path in enumerate(segments):
        mark = int(hashlib.sha256(Path(path).name.encode()).hexdigest()[:8], 16)
        if mark % RUN == 0 or i + 1 - start == MAX_RUN:
            runs.append(segments[start:i + 1])
            start = i + 1
    return runs + ([segments[start:]] if start < len(segments) else [])


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
