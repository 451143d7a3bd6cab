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
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..compose.frames import CueSpan, SceneFrames
from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import VideoSettings, encode_segment
from ..layout.elements import ImageEl, SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme

__all__ = ["SegmentJob", "render_segment", "segment_key"]

SEGMENT_FORMAT_VERSION = "1"


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
        root / "layout" / "text.py", root / "layout" / "runs.py", Path(__file__),
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
        "fallback_fonts": [{k: _file_digest(str(v)) for k, v in faces.items()} for faces in job.book.fallbacks],
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


def render_segment(job: SegmentJob) -> Path:
    """Draw and encode one scene to ``job.out_path`` (runs in a worker process)."""
    frames = SceneFrames(job.layout, job.fmt, job.theme, job.book, job.frames, job.cues,
                         fade_out_all=job.fade_out_all)
    encode_segment(Ffmpeg(job.ffmpeg_binary), iter(frames), job.settings, job.out_path,
                   expected_frames=job.frames)
    return job.out_path


def cue_spans(cues: Sequence[tuple[int, int, tuple[str, ...]]], scene_start: int, scene_frames: int) -> tuple[CueSpan, ...]:
    """Cues given in absolute frames, clipped to a scene and made relative to its start."""
    out = []
    for start, end, lines in cues:
        s, e = max(start - scene_start, 0), min(end - scene_start, scene_frames)
        if s < e:
            out.append(CueSpan(s, e, lines))
    return tuple(out)
