"""Scene segments: one scene's frames encoded on their own, in a worker process, cached by content.

A segment's cache key covers everything that changes its bytes: the laid-out
scene (texts, boxes, colours, image files by content), its caption spans, its
length, the format, the encoder settings, and the code that draws frames.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..compose.frames import CueSpan, SceneFrames
from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import VideoSettings, concat_segments, encode_segment
from ..layout.elements import ImageEl, SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme

__all__ = ["Chunk", "SegmentJob", "plan_chunks", "render_segment", "segment_key"]

SEGMENT_FORMAT_VERSION = "2"


@dataclass(frozen=True)
class SegmentJob:
    index: int
    layout: SceneLayout
    fmt: Format
    theme: Theme
    book: FontBook
    frames: int
    cues: tuple[CueSpan, ...]
    settings: VideoSettings
    fade_out_all: bool
    out_path: Path
    ffmpeg_binary: str | None = None


@functools.lru_cache(maxsize=None)
def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code that turns a layout into encoded frames."""
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "compose").glob("*.py")) + [
        root / "encode" / "segments.py", root / "encode" / "ffmpeg.py", root / "layout" / "captions.py",
        Path(__file__),
    ]
    h = hashlib.sha256(SEGMENT_FORMAT_VERSION.encode())
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _jsonable(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return _file_digest(str(value)) if value.is_file() else str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def segment_key(job: SegmentJob, ffmpeg_version: str) -> str:
    images = sorted(_file_digest(str(e.path)) for e in job.layout.elements if isinstance(e, ImageEl))
    payload = {
        "code": code_version(),
        "ffmpeg": ffmpeg_version,
        "layout": _jsonable(job.layout),
        "fmt": _jsonable(job.fmt),
        "fonts": {k: _file_digest(str(v)) for k, v in job.book.weights.items()},
        "caption_style": [job.theme.caption_style, job.theme.caption_box_opacity,
                          job.theme.colors.get("caption_box"), job.theme.colors.get("caption_text")],
        "frames": job.frames,
        "cues": _jsonable(job.cues),
        "settings": _jsonable(job.settings),
        "fade_out_all": job.fade_out_all,
        "images": images,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


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


def render_segment(job: SegmentJob) -> Path:
    """Draw and encode one scene to ``job.out_path`` (runs in a worker process).

    Still stretches are encoded one GOP at a time and repeated by stream copy;
    the scene's chunks are joined into the one segment file.
    """
    try:
        import cv2

        cv2.setNumThreads(1)  # one worker per core already
    except Exception:  # pragma: no cover - cv2 is a dependency; threads are only a tuning
        pass
    frames = SceneFrames(job.layout, job.fmt, job.theme, job.book, job.frames, job.cues,
                         fade_out_all=job.fade_out_all)
    ffmpeg = Ffmpeg(job.ffmpeg_binary)
    chunks = plan_chunks([frames.state_key(i) for i in range(job.frames)], job.settings.keyint)
    if len(chunks) == 1 and chunks[0].repeat == 1:
        encode_segment(ffmpeg, iter(frames), job.settings, job.out_path, expected_frames=job.frames)
        return job.out_path
    job.out_path.parent.mkdir(parents=True, exist_ok=True)
    parts = Path(tempfile.mkdtemp(prefix=f".{job.out_path.stem[:16]}-", dir=job.out_path.parent))
    try:
        listing: list[Path] = []
        for k, chunk in enumerate(chunks):
            path = parts / f"{k:03d}.mp4"
            encode_segment(ffmpeg, (frames.frame_bytes(i) for i in range(chunk.start, chunk.end)),
                           job.settings, path, expected_frames=chunk.end - chunk.start)
            listing += [path] * chunk.repeat
        concat_segments(ffmpeg, listing, job.out_path)
    finally:
        shutil.rmtree(parts, ignore_errors=True)
    return job.out_path


def cue_spans(cues: Sequence[tuple[int, int, tuple[str, ...]]], scene_start: int, scene_frames: int) -> tuple[CueSpan, ...]:
    """Cues given in absolute frames, clipped to a scene and made relative to its start."""
    out = []
    for start, end, lines in cues:
        s, e = max(start - scene_start, 0), min(end - scene_start, scene_frames)
        if s < e:
            out.append(CueSpan(s, e, lines))
    return tuple(out)
