"""A segment's cache key: the digest of everything that changes its bytes.

The key covers the laid-out scene (texts, boxes, colours, image files by
content; a clip's video file by content with its in and out points; a
document's file by content with its page and passage), its caption spans, its
length, the format, the encoder settings, and the code that draws frames. So an
edit elsewhere in the script never decodes a clip again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from pathlib import Path

from ..files import file_sha256, files_digest
from ..layout.elements import ImageEl
from .segment_plan import SegmentJob

__all__ = ["code_version", "jsonable", "segment_key"]

# 3: a still beside every segment; 4: chunks from one encoder; 5: pieces; 6: every moving scene in
# pieces, the still beside the piece holding the middle frame
SEGMENT_FORMAT_VERSION = "6"


def _file_digest(path: str) -> str:
    """SHA-256 of a file, computed once per version of it (a long-lived process, such as a job runner,
    sees a photo or clip replaced in place: its size or modification time changes the key)."""
    st = os.stat(path)
    return _digest_of(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _digest_of(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code that turns a layout into encoded frames."""
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "compose").glob("*.py")) + [
        root / "encode" / "segments.py", root / "encode" / "ffmpeg.py", root / "layout" / "captions.py",
        root / "layout" / "text.py", root / "layout" / "runs.py", root / "layout" / "cover.py",
        root / "layout" / "pages.py", root / "encode" / "clip.py",
        *(root / "pipeline" / name for name in ("segments.py", "segment_plan.py", "segment_key.py")),
    ]
    return files_digest(files, SEGMENT_FORMAT_VERSION)


def jsonable(value: object) -> object:
    """``value`` as plain JSON for a key: dataclasses by field, a file that exists by its content."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return _file_digest(str(value)) if value.is_file() else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def segment_key(job: SegmentJob, ffmpeg_version: str) -> str:
    """The name of ``job``'s segment in the cache (see the module's docstring for what it covers)."""
    images = sorted(_file_digest(str(e.path)) for e in job.layout.elements if isinstance(e, ImageEl))
    payload = {
        "code": code_version(),
        "ffmpeg": ffmpeg_version,
        "layout": jsonable(job.layout),
        "fmt": jsonable(job.fmt),
        "fonts": {k: _file_digest(str(v)) for k, v in job.book.weights.items()},
        "fallback_fonts": [{k: _file_digest(str(v)) for k, v in faces.items()} for faces in job.book.fallbacks],
        "caption_style": [job.theme.caption_style, job.theme.caption_box_opacity,
                          job.theme.colors.get("caption_box"), job.theme.colors.get("caption_text")],
        "frames": job.frames,
        "cues": jsonable(job.cues),
        "settings": jsonable(job.settings),
        "fade_out_all": job.fade_out_all,
        "still_repeats": job.still_repeats,
        "motion": jsonable(job.motion),
        "span": job.span,
        "images": images,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()
