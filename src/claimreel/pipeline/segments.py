"""Scene segments: one scene's frames encoded on their own, in a worker process, cached by content.

A segment's cache key covers everything that changes its bytes: the laid-out
scene (texts, boxes, colours, image files by content; a clip's video file by
content with its in and out points; a document's file by content with its page
and passage), its caption spans, its length, the format, the encoder settings,
and the code that draws frames. So an edit elsewhere in the script never
decodes a clip again.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..compose.frames import CueSpan, Motion, SceneFrames
from ..encode.ffmpeg import Ffmpeg
from ..errors import FFmpegError
from ..encode.segments import VideoSettings, concat_segments, encode_parts, encode_segment
from ..layout.elements import ImageEl, SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..files import file_sha256, files_digest
from ..layout.theme import Theme
from ..timeline.model import Scene, Timeline, frame_to_ms, ms_to_frame

__all__ = ["Chunk", "SegmentJob", "cached_segment_ok", "encode_chunks", "frame_cpu", "piece_frames", "piece_spans",
           "plan_chunks", "read_still", "render_segment", "scene_kind", "segment_key", "still_path", "store_segment",
           "scene_cues", "sweep_partials", "unit_chunks", "unit_name", "warm_up"]

# 3: a still beside every segment; 4: chunks from one encoder; 5: pieces; 6: every moving scene in
# pieces, the still beside the piece holding the middle frame
SEGMENT_FORMAT_VERSION = "6"

# A scene that moves throughout (a photo's zoom, footage, a document page's move) is encoded in
# pieces of whole GOPs, each a unit of its own, so the render's longest unit (what a cluster render
# waits for at its end) stays short. How long the pieces are comes from what a frame costs: CPU
# seconds to draw and encode one 1920x1080 frame (x264 veryfast, one thread), by what moves in the
# scene, measured on the flagship's scenes encoded in pieces. A photo's zoom changes every pixel of
# every frame; footage is decoded as well; a document's page moves for about half its scene and holds
# otherwise; a still card encodes one GOP of each state and repeats it, so it stays one unit.
FRAME_CPU = {"photo": 0.045, "clip": 0.04, "document": 0.03, "card": 0.006}
FULL_HD = 1920 * 1080
# What a unit costs whatever its length: the worker's task, the static layers drawn, the photo decoded
# or the page rendered, the encoder (and a clip's decoder, from the keyframe before) started.
UNIT_CPU = 0.3
# The work a piece holds, at most about: shorter pieces shorten the longest unit, and each repeats
# UNIT_CPU (with these, the flagship's longest unit takes about 2.5 CPU-s, its render 1-5% more CPU).
PIECE_CPU = 2.2


def scene_kind(layout: SceneLayout) -> str:
    """What moves in a scene, as :data:`FRAME_CPU` names it."""
    if layout.photo is not None:
        return "photo"
    if layout.clip is not None:
        return "clip"
    if layout.document is not None:
        return "document"
    return "card"


def frame_cpu(layout: SceneLayout, fmt: Format) -> float:
    """Estimated CPU seconds to draw and encode one frame of this scene at this format's size."""
    return FRAME_CPU[scene_kind(layout)] * fmt.width * fmt.height / FULL_HD


def piece_frames(layout: SceneLayout, fmt: Format, gop: int) -> int | None:
    """The most frames a piece of this scene holds (whole GOPs, about :data:`PIECE_CPU` of work, at
    least one GOP); None for a still card, which stays one unit."""
    if scene_kind(layout) == "card":
        return None
    return max(gop, int((PIECE_CPU - UNIT_CPU) / frame_cpu(layout, fmt)) // gop * gop)


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
    # A still stretch holding at least this many whole GOPs is encoded one GOP long and repeated
    # by stream copy (0: never). Each repeat spares encoding a GOP for the cost of a keyframe
    # where the stretch starts.
    still_repeats: int = 2
    motion: Motion = Motion()
    # The frames ``start <= f < end`` of the scene this unit encodes (a piece, starting at a GOP
    # boundary); None: the whole scene. The scene's still goes beside the piece holding its middle frame.
    span: tuple[int, int] | None = None

    @property
    def length(self) -> int:
        """Frames this unit encodes."""
        return self.frames if self.span is None else self.span[1] - self.span[0]

    @property
    def holds_still(self) -> bool:
        """True if this unit holds the scene's middle frame and so writes the scene's still (a clip
        scene's still is that frame, kept as it passes: the footage is decoded once)."""
        return self.span is None or self.span[0] <= self.frames // 2 < self.span[1]

    @property
    def cpu(self) -> float:
        """Estimated CPU seconds this unit takes (to start the heaviest first)."""
        return UNIT_CPU + self.length * frame_cpu(self.layout, self.fmt)


def piece_spans(frames: int, gop: int, limit: int | None) -> list[tuple[int, int] | None]:
    """How a scene of ``frames`` is cut into units: ``[None]`` (whole) or consecutive spans of
    whole GOPs of at most ``limit`` frames each (see :func:`piece_frames`; None: whole). The last
    piece takes the rest; less than a GOP left over joins the piece before it, rather than be a
    unit that is mostly its fixed cost."""
    if limit is None or frames <= limit:
        return [None]
    count = -(-frames // limit)
    size = -(-frames // count // gop) * gop  # equal pieces, rounded up to whole GOPs
    starts = list(range(0, frames, size))
    if len(starts) > 1 and frames - starts[-1] < gop:
        starts.pop()
    return [(start, end) for start, end in zip(starts, starts[1:] + [frames])]


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
        root / "layout" / "pages.py", root / "encode" / "clip.py", Path(__file__),
    ]
    return files_digest(files, SEGMENT_FORMAT_VERSION)


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
        "still_repeats": job.still_repeats,
        "motion": _jsonable(job.motion),
        "span": job.span,
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


def warm_up() -> None:
    """A fresh worker's first task, run while the render prepares: this module's import has loaded
    what drawing needs (NumPy, OpenCV, Pillow, the layout code); OpenCV gets one thread."""
    import cv2

    cv2.setNumThreads(1)  # one worker per core already


def render_segment(job: SegmentJob) -> Path:
    """Draw and encode one scene to ``job.out_path`` (runs in a worker process).

    A still stretch is encoded one GOP long and repeated by stream copy: one
    encoder writes the scene's chunks as parts, joined into the one segment file.
    """
    warm_up()
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


def unit_name(job: SegmentJob) -> str:
    """How a user finds the unit in the script and the output: scene number (1-based, as in the
    storyboard), kind, format, and for a piece its frames."""
    name = f"scene {job.index + 1} ({job.layout.kind}), format {job.fmt.name}"
    if job.span is not None:
        name += f", frames {job.span[0]}-{job.span[1] - 1} of {job.frames}"
    return name


def _encode_scene(job: SegmentJob, frames: SceneFrames, ffmpeg: Ffmpeg) -> Path:
    """The frames of ``job`` (its span of the scene, in order: footage is decoded as it plays) encoded;
    the scene's still written after them, before the seal (a sealed segment always has its still;
    a clip scene's still is its middle frame, kept as it passed, so the footage is decoded once)."""
    encode_chunks(ffmpeg, frames.frame_bytes, unit_chunks(job, frames), job.settings, job.out_path)
    if job.holds_still:
        _write_durably(still_path(job.out_path), frames.still_jpeg())
    _write_seal(job.out_path)
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


def store_segment(out_path: Path, video: bytes, still: bytes | None) -> Path:
    """Put a segment made elsewhere (a cluster worker) into the cache as :func:`render_segment`
    would: its still first, then the segment, then its seal."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if still is not None:
        _write_durably(still_path(out_path), still)
    _write_durably(out_path, video)
    _write_seal(out_path)
    return out_path


def still_path(segment: Path) -> Path:
    """Where the worker keeps the scene's still (JPEG, see SceneFrames.still_jpeg) beside its segment."""
    return segment.with_name(segment.stem + ".still.jpg")


def read_still(segment: Path) -> bytes | None:
    """The still written beside ``segment``, or None if it is missing or not a whole JPEG."""
    try:
        data = still_path(segment).read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"\xff\xd8") and data.rstrip(b"\0").endswith(b"\xff\xd9") else None


# A cached segment is served only with its seal: ``<key>.mp4.sha256`` holding the
# size and SHA-256 of the segment, written (fsync'd, renamed) after the segment.
# A segment without a seal, or whose bytes no longer match it (a crash after the
# rename but before the data reached the disk, a truncated copy), is encoded again.


def _seal_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
    return path.stat().st_size, file_sha256(path)


def _write_durably(path: Path, data: bytes) -> None:
    """Write, fsync and rename into place, through a temp name that :func:`sweep_partials` knows."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_seal(path: Path) -> None:
    size, digest = _digest(path)
    _write_durably(_seal_path(path), f"{size} {digest}\n".encode("ascii"))


_PARTIAL = re.compile(r"^\..+\.(\d+)(?:-[0-9a-f]+)?\.(?:partial\.[a-z0-9]+|tmp|parts)$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_partials(folder: Path) -> int:
    """Remove temp files and chunk folders in a cache folder (segments, soundtracks) whose writer
    process is gone (a killed render); count them."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.iterdir():
        match = _PARTIAL.match(path.name)
        if match and not _alive(int(match.group(1))):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def cached_segment_ok(path: Path) -> bool:
    """True if ``path`` is a complete cached segment (matches its seal); removes it otherwise."""
    seal = _seal_path(path)
    try:
        size_text, digest = seal.read_text(encoding="ascii").split()
        if path.stat().st_size == int(size_text) and _digest(path)[1] == digest:
            return True
    except (OSError, ValueError):
        pass
    path.unlink(missing_ok=True)
    seal.unlink(missing_ok=True)
    return False


def scene_cues(timeline: Timeline, scene: Scene, span: tuple[int, int] | None = None) -> tuple[CueSpan, ...]:
    """The caption cues shown in ``scene`` (in ``span`` of its frames, when given), in frames from the
    scene's start, with their words' spans.

    Times are taken from the scene's start in milliseconds before they are rounded to frames, so a
    scene's cues, and so its segments' keys, are the same wherever the scene falls in the video: an
    edit that moves a scene leaves its segments cached. A piece is given only what it shows: the cues
    and word times held inside its frames.
    """
    fps = timeline.fps
    origin = frame_to_ms(scene.start_frame, fps)
    first, end = span or (0, scene.frames)

    def frame(ms: int) -> int:
        """A time as a frame of the scene, held inside the frames drawn: what lies outside them
        cannot change a frame, and so must not change the key."""
        return min(max(ms_to_frame(ms - origin, fps), first), end)

    out = []
    for cue in timeline.cues:
        s, e = frame(cue.start_ms), frame(cue.end_ms)
        if s < e:
            # A word spoken before the span starts with it (the highlight holds the last word begun).
            words = tuple((frame(w.start_ms), frame(w.end_ms)) for w in cue.words)
            out.append(CueSpan(s, e, cue.lines, cue.speaker, words))
    return tuple(out)
