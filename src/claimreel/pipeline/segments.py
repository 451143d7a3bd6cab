"""Scene segments: one scene's frames (or a piece of them) drawn and encoded on their own, in a
worker process (or, for a render with little to encode, in its own), a still stretch encoded once
and repeated.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..compose.frames import SceneFrames
from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import VideoSettings, concat_segments, encode_parts, encode_segment
from ..errors import FFmpegError
from ..narration.engines import release_voices
from .segment_cache import still_path, write_durably, write_seal
from .segment_plan import SegmentJob, unit_name

__all__ = ["Chunk", "encode_chunks", "encode_unit", "plan_chunks", "render_segment", "unit_chunks", "warm_up"]


@dataclass(frozen=True)
class Chunk:
    """Frames ``start <= f < end`` of a scene, encoded once and played ``repeat`` times in a row."""

    start: int
    end: int
    repeat: int = 1

    @property
    def frames(self) -> int:
        return (self.end - self.start) * self.repeat


def plan_chunks(keys: Sequence[object], gop: int, *, min_repeats: int = 2) -> list[Chunk]:
    """Split a scene into independently encoded chunks, repeating whole still GOPs.

    ``keys[i]`` is ``None`` for a frame that moves, else a key shared by identical
    frames. A run of ``L`` identical frames holds ``L // gop`` whole GOPs: when
    that is at least ``min_repeats``, one GOP of it is encoded and repeated (a
    closed GOP of identical frames decodes the same wherever it is played), and
    the ``L % gop`` frames left over join the neighbouring chunk of fresh frames.
    Every chunk starts with a keyframe; chunks encoded fresh keep the usual
    ``gop`` cadence.
    """
    n = len(keys)
    chunks: list[Chunk] = []
    fresh = 0  # first frame not yet in a chunk
    i = 0
    while i < n:
        key = keys[i]
        j = i + 1
        while j < n and key is not None and keys[j] == key:
            j += 1
        if key is not None and (j - i) // gop >= min_repeats:
            q, r = divmod(j - i, gop)
            if fresh < i:  # frames before the run: the leftovers join them
                lead = i + r
                chunks.append(Chunk(fresh, lead))
                chunks.append(Chunk(lead, lead + gop, q))
                fresh = j
            else:  # the run starts a chunk: the leftovers open the next fresh one
                chunks.append(Chunk(i, i + gop, q))
                fresh = i + q * gop
        i = j
    if fresh < n:
        chunks.append(Chunk(fresh, n))
    return chunks


def warm_up() -> None:
    """A fresh worker's first task, run while the render prepares: this module's import has loaded
    what drawing needs (NumPy, OpenCV, Pillow, the layout code); OpenCV gets one thread."""
    import cv2

    cv2.setNumThreads(1)  # one worker per core already


def render_segment(job: SegmentJob) -> Path:
    """The work unit a worker process runs: :func:`encode_unit`, with OpenCV on one thread (see
    :func:`warm_up`) and any voice let go of (the narration is said before any scene is drawn: a
    voice would only hold memory)."""
    warm_up()
    release_voices()
    return encode_unit(job)


def encode_unit(job: SegmentJob) -> Path:
    """Draw and encode one scene (or its piece) to ``job.out_path``, in whichever process runs it.

    A still stretch is encoded one GOP long and repeated by stream copy: one
    encoder writes the scene's chunks as parts, joined into the one segment file.
    """
    ffmpeg = Ffmpeg(job.ffmpeg_binary)
    frames = SceneFrames(job.layout, job.fmt, job.theme, job.book, job.frames, job.cues,
                         motion=job.motion, fade_out_all=job.fade_out_all, ffmpeg=ffmpeg)
    try:
        return _encode_scene(job, frames, ffmpeg)
    except FFmpegError as exc:
        located = exc.located(unit_name(job))
        if located is exc:  # it names its place already: raised as it is, not as its own cause
            raise
        raise located from exc
    finally:
        frames.close()


def _encode_scene(job: SegmentJob, frames: SceneFrames, ffmpeg: Ffmpeg) -> Path:
    """The frames of ``job`` (its span of the scene, in order: footage is decoded as it plays) encoded;
    the scene's still written after them, before the seal (a sealed segment always has its still;
    a clip scene's still is its middle frame, kept as it passed, so the footage is decoded once)."""
    encode_chunks(ffmpeg, frames.frame_bytes, unit_chunks(job, frames), job.settings, job.out_path)
    if job.holds_still:
        write_durably(still_path(job.out_path), frames.still_jpeg())
    write_seal(job.out_path)
    return job.out_path


def unit_chunks(job: SegmentJob, frames: SceneFrames) -> list[Chunk]:
    """How ``job``'s span of the scene is encoded: runs of frames in scene numbering, a still stretch
    as one GOP repeated (see :func:`plan_chunks`); one chunk when repeats are off."""
    first, end = job.span or (0, job.frames)
    if not job.still_repeats:
        return [Chunk(first, end)]
    chunks = plan_chunks([frames.state_key(i) for i in range(first, end)], job.settings.keyint,
                         min_repeats=job.still_repeats)
    return [Chunk(c.start + first, c.end + first, c.repeat) for c in chunks]


def encode_chunks(ffmpeg: Ffmpeg, frame: Callable[[int], bytes], chunks: Sequence[Chunk], settings: VideoSettings,
                  out_path: Path) -> Path:
    """Encode ``chunks`` (frame ``i`` drawn by ``frame(i)``) into the one segment ``out_path``: a
    single run directly; otherwise one encoder writes each chunk as a part, and the parts are joined
    by stream copy, a repeated chunk's part listed once per repeat."""
    frames = (frame(i) for chunk in chunks for i in range(chunk.start, chunk.end))
    if len(chunks) == 1 and chunks[0].repeat == 1:
        return encode_segment(ffmpeg, frames, settings, out_path, expected_frames=chunks[0].frames)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # named with this worker's pid, so a render that was killed leaves a folder the next one sweeps
    parts = out_path.with_name(f".{out_path.stem[:16]}.{os.getpid()}-{uuid.uuid4().hex[:8]}.parts")
    parts.mkdir()
    try:
        paths = encode_parts(ffmpeg, frames, settings, parts, lengths=[chunk.end - chunk.start for chunk in chunks])
        concat_segments(ffmpeg, [path for path, chunk in zip(paths, chunks) for _ in range(chunk.repeat)], out_path)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    return out_path
