"""Decode a stretch of a video file as the render's frames: any input, normalised, frame-exact.

Whatever the source is (any frame rate, variable or not; rotated by its display
matrix; non-square pixels; interlaced; 10-bit or HDR), ffmpeg turns the asked
range into exactly ``frames`` yuv420p frames of the canvas size at the render's
rate, cover-cropped around a focus point, in BT.709 SDR:

- the output frames sit on one time grid from the range's start, wherever the
  decode starts: a range decoded from its frame ``first`` (a scene encoded in
  pieces) gives the frames the decode from its start gives from there on.
  ``-ss`` before ``-i`` seeks a little (:data:`LEAD_SECONDS`) before that frame,
  so the source frame showing at its time is decoded too (accurate seeking
  drops what comes before the seek point); ``-copyts`` keeps the file's
  timestamps, made relative to the range's start, so where the seek lands does
  not move the grid; and ``-frames:v`` stops the decode at the range's last
  frame;
- the rotation is applied by ffmpeg's autorotate before the filters;
- ``bwdif`` deinterlaces (only frames flagged interlaced);
- ``fps`` makes a constant rate from any timestamps (the frame showing at each
  output time), and ``trim`` drops the output frames before ``first``;
- PQ or HLG sources are tone-mapped to BT.709 with ``zscale`` + ``tonemap``
  (hable), which the imageio-ffmpeg build carries; a build without them falls
  back to ``colorspace`` (a matrix and primaries conversion without tone
  mapping: highlights clip, but colours stay in place);
- ``scale`` takes the display size (non-square pixels stretched) to the cover
  size, in limited range, keeping the source's YUV matrix (its tag, or what
  players assume of an untagged file: BT.601 below 720 lines, BT.709 from
  there); a source that is not BT.709 then goes through ``colorspace`` (the
  matrix only, ``fast=1``) to the matrix every other frame of the render is
  made with, BT.709. ``scale`` could convert the matrix itself, but its fast
  path darkens by a level and its accurate one costs four times the decode;
  and ``crop`` keeps the focus point in frame.

The argument builder is a pure function; :func:`read_frames` runs it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import IO, Iterator

from ..layout.cover import cover_box
from .ffmpeg import Ffmpeg, media_path
from .probe import MediaInfo

__all__ = ["ClipRequest", "clip_args", "clip_frame_count", "has_tonemap", "read_frames", "source_matrix"]

TONEMAP = ("zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,"
           "zscale=t=bt709:m=bt709:r=tv")
FALLBACK = "colorspace=all=bt709:iall=bt2020:fast=1"
#: How long before its first frame's time a decode starts: longer than a source frame lasts (sources
#: of 4 fps and up; a variable-rate source's longer pauses excepted), so the source frame showing
#: then is among the frames decoded.
LEAD_SECONDS = 0.25


@dataclass(frozen=True)
class ClipRequest:
    """Which frames of which file, at what size and rate."""

    path: Path
    start: float  # seconds into the file where the range starts (its frame 0)
    frames: int  # frames to produce, at ``fps``
    width: int
    height: int
    fps: Fraction
    focus: tuple[float, float] = (0.5, 0.5)
    first: int = 0  # the range's frame the output starts at (a piece of a scene)


def clip_frame_count(start: float, end: float, fps: Fraction) -> int:
    """Frames a ``start``-``end`` stretch lasts at ``fps`` (at least one)."""
    return max(1, round(Fraction(end - start).limit_denominator(100_000) * fps))


#: A source's YUV matrix (ffmpeg's tag) as ``scale`` names it, and as ``colorspace`` names the
#: presets that convert from it (None: BT.709, nothing to convert).
_MATRICES = {
    "bt709": ("bt709", None),
    "smpte170m": ("smpte170m", "bt601-6-525"),
    "bt470bg": ("bt470", "bt601-6-625"),
    "bt2020nc": ("bt2020", "bt2020"),
    "smpte240m": ("smpte240m", "smpte240m"),
}


def source_matrix(info: MediaInfo) -> str:
    """The YUV matrix of a source's pixels: its tag, else what players assume of an untagged file
    (BT.601 below 720 lines, BT.709 from there); BT.709 after HDR is tone-mapped."""
    if info.hdr:
        return "bt709"
    if info.matrix in _MATRICES:
        return info.matrix
    return "smpte170m" if (info.height or 0) < 720 else "bt709"


def _matrix_filters(info: MediaInfo, scale: str) -> list[str]:
    """``scale`` (its size and flags) keeping the source's matrix in limited range, then the
    conversion to BT.709 when the source is not BT.709 already."""
    name, preset = _MATRICES[source_matrix(info)]
    filters = [f"{scale}:in_color_matrix={name}:out_color_matrix={name}:out_range=tv"]
    if preset:
        filters.append(f"colorspace=all=bt709:iall={preset}:irange=tv:range=tv:fast=1")
    return filters


@functools.lru_cache(maxsize=4)
def has_tonemap(binary: str) -> bool:
    """Whether this ffmpeg has the zscale and tonemap filters (HDR to SDR)."""
    out = Ffmpeg(binary).run(["-filters"]).stdout.decode("utf-8", "replace")
    names = {line.split()[1] for line in out.splitlines() if len(line.split()) > 2}
    return {"zscale", "tonemap"} <= names


def clip_args(req: ClipRequest, info: MediaInfo, *, tonemap: bool = True, pix_fmt: str = "yuv420p") -> list[str]:
    """ffmpeg arguments that write ``req.frames`` raw frames of ``req`` to stdout."""
    # The range's start in the file's timestamps (-copyts); the same for every decode of the range.
    origin = info.start_s + req.start
    filters = [f"setpts=PTS-{origin:.6f}/TB"]
    if info.interlaced:
        filters.append("bwdif=mode=send_frame:parity=auto:deint=interlaced")
    # Each source frame goes to the output frame nearest its time on the range's grid; the frames
    # before ``first`` (the lead) are then dropped by their number, exactly.
    filters.append(f"fps={req.fps},trim=start_pts={req.first}")
    if info.hdr:
        filters.append(TONEMAP if tonemap else FALLBACK)
    w, h, left, top = cover_box(info.display_size, (req.width, req.height), req.focus)
    # A rotated source reaches the filters already turned, so its display size is what scale sees.
    filters += _matrix_filters(info, f"scale={w}:{h}:flags=bicubic")
    filters.append(f"setsar=1,crop={req.width}:{req.height}:{left}:{top},format={pix_fmt}")
    return [
        "-ss", f"{max(0.0, req.start + float(req.first / req.fps) - LEAD_SECONDS):.6f}", "-copyts",
        "-i", media_path(req.path), "-map", "0:v:0", "-an", "-sn",
        "-vf", ",".join(filters), "-frames:v", str(req.frames),
        "-f", "rawvideo", "-pix_fmt", pix_fmt, "pipe:1",
    ]


def _read_into(stream: IO[bytes], buf: bytearray) -> bool:
    """Fill ``buf`` from ``stream``; False at the end of the stream (a partial frame is dropped)."""
    view, got = memoryview(buf), 0
    while got < len(buf):
        n = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            return False
        got += n
    return True


#: A source may end this many frames before the range does (containers round their durations);
#: the last frame is repeated for them. The caller keeps the frames this close to the end as decoded.
END_SLACK = 2


def read_frames(ffmpeg: Ffmpeg, req: ClipRequest, info: MediaInfo) -> Iterator[bytearray]:
    """The ``req.frames`` frames as yuv420p, each in a buffer of its own that the caller may draw on,
    except the last :data:`END_SLACK` + 1 (repeated if the source ends up to END_SLACK frames early)."""
    size = req.width * req.height * 3 // 2
    last = None
    made = 0
    args = clip_args(req, info, tonemap=has_tonemap(ffmpeg.binary) if info.hdr else True)
    with ffmpeg.open_reader(args) as stream:
        while made < req.frames:
            data = bytearray(size)
            if not _read_into(stream, data):
                break
            last = data
            made += 1
            yield data
    if last is None or req.frames - made > END_SLACK:
        from ..errors import RenderError

        raise RenderError(f"{req.path}: decoded {made} of {req.frames} frames from {req.start:g} s; "
                          "is the clip's range inside the file?")
    for _ in range(req.frames - made):
        yield bytearray(last)
