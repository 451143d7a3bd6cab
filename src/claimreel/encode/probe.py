"""What a media file holds, read with ffmpeg alone (imageio-ffmpeg ships no ffprobe).

:func:`probe` parses the stream summary ``ffmpeg -i FILE`` prints; the parsing
(:func:`parse_info`) is a pure function. :func:`count_frames` reads the frame
count ffmpeg reports through ``-progress``; :func:`decode_frames` returns chosen
frames as RGB arrays (for tests and posters).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..errors import FFmpegError, RenderError
from .ffmpeg import Ffmpeg, hint_for, media_path

__all__ = ["MediaInfo", "count_frames", "decode_frames", "parse_info", "probe"]

_DURATION = re.compile(r"^\s*Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)", re.M)
_START = re.compile(r"^\s*Duration:.*?\bstart:\s*(-?\d+(?:\.\d+)?)", re.M)
_STREAM = re.compile(r"^\s*Stream #\d+:\d+\S*:\s*(Video|Audio):\s*(.*)$", re.M)
_SIZE = re.compile(r"^(\d+)x(\d+)\b")
_RATE = re.compile(r"^(\d+(?:\.\d+)?)(k?)\s+(fps|tbr)\b")
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR")
_ROTATION = re.compile(r"^\s*[Dd]isplay ?[Mm]atrix: rotation of (-?\d+(?:\.\d+)?) degrees", re.M)
_FIELD_ORDERS = {"progressive": "progressive", "top first": "tt", "bottom first": "bb",
                 "top coded first (swapped)": "tb", "bottom coded first (swapped)": "bt"}
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "4.0": 4, "5.0": 5, "5.1": 6, "6.1": 7, "7.1": 8}


@dataclass(frozen=True)
class MediaInfo:
    """The first video and first audio stream of a file (``None`` where absent)."""

    duration_s: float | None
    video_codec: str | None = None
    video_profile: str | None = None
    width: int | None = None
    height: int | None = None
    fps: Fraction | None = None
    pix_fmt: str | None = None
    frames: int | None = None
    audio_codec: str | None = None
    audio_profile: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    # How the video's pixels are meant to be shown (what a clip scene normalises):
    sar: Fraction = Fraction(1)  # sample aspect ratio (non-square pixels when not 1)
    rotation: int = 0  # degrees the player turns the picture (display matrix), one of 0, 90, 180, 270
    field_order: str | None = None  # progressive, tt/tb/bt/bb (interlaced), or None when not said
    transfer: str | None = None  # colour transfer, e.g. bt709, smpte2084 (PQ), arib-std-b67 (HLG)
    matrix: str | None = None  # YUV matrix (colour space), e.g. bt709, smpte170m, bt2020nc
    primaries: str | None = None  # colour primaries, e.g. bt709, bt2020
    colour_range: str | None = None  # tv (limited) or pc (full)
    start_s: float = 0.0  # the file's first timestamp (where ``-ss 0`` is): seconds into a clip count from it

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as shown: non-square pixels stretched, the rotation applied."""
        w = round((self.width or 0) * self.sar)
        h = self.height or 0
        return (h, w) if self.rotation in (90, 270) else (w, h)

    @property
    def hdr(self) -> bool:
        return self.transfer in ("smpte2084", "arib-std-b67")

    @property
    def interlaced(self) -> bool:
        return self.field_order not in (None, "progressive")


def _split_top(text: str) -> list[str]:
    """Split at commas that are not inside parentheses."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def _codec_and_profile(head: str) -> tuple[str, str | None]:
    codec = head.split()[0]
    for group in re.findall(r"\(([^()]*)\)", head):
        if " / 0x" not in group:  # "(avc1 / 0x31637661)" is the fourcc, not a profile
            return codec, group
    return codec, None


def _exact_fps(value: float) -> Fraction:
    """A printed rate (``29.97``) as the exact rate it stands for (``30000/1001``)."""
    for base in (24, 30, 48, 60, 120):
        ntsc = Fraction(base * 1000, 1001)
        if abs(value - float(ntsc)) < 0.006:
            return ntsc
    return Fraction(value).limit_denominator(1001)


def _video(desc: str) -> dict[str, object]:
    parts = _split_top(desc)
    codec, profile = _codec_and_profile(parts[0])
    out: dict[str, object] = {"video_codec": codec, "video_profile": profile}
    rates: dict[str, Fraction] = {}
    for part in parts[1:]:
        if m := _SIZE.match(part):
            out.setdefault("width", int(m.group(1)))
            out.setdefault("height", int(m.group(2)))
        elif m := _RATE.match(part):
            value = float(m.group(1)) * (1000 if m.group(2) else 1)
            rates.setdefault(m.group(3), _exact_fps(value))
        elif "pix_fmt" not in out and "width" not in out and re.match(r"^[a-z0-9_]+(\(|$)", part):
            out["pix_fmt"] = part.split("(")[0]
            out.update(_colour(part))
        if m := _SAR.search(part):
            if int(m.group(1)) and int(m.group(2)):
                out["sar"] = Fraction(int(m.group(1)), int(m.group(2)))
    if rates:
        out["fps"] = rates.get("fps", rates.get("tbr"))
    return out


def _colour(pix_fmt: str) -> dict[str, object]:
    """Field order, range and colour from ``yuv420p10le(tv, bt2020nc/bt2020/smpte2084, top first)``:
    matrix/primaries/transfer, written once when the three are the same (``yuv420p(tv, bt709)``)."""
    out: dict[str, object] = {}
    inner = pix_fmt[pix_fmt.find("(") + 1: pix_fmt.rfind(")")] if "(" in pix_fmt else ""
    for item in (i.strip() for i in inner.split(",")):
        if item in _FIELD_ORDERS:
            out["field_order"] = _FIELD_ORDERS[item]
        elif item in ("tv", "pc"):
            out["colour_range"] = item
        elif item.count("/") == 2:
            names = [None if name == "unknown" else name for name in item.split("/")]
            out.update(zip(("matrix", "primaries", "transfer"), names))
        elif item in ("bt709", "bt470bg", "smpte170m", "bt2020nc"):
            out.update(matrix=item, primaries=item, transfer=item)
    return out


def _audio(desc: str) -> dict[str, object]:
    parts = _split_top(desc)
    codec, profile = _codec_and_profile(parts[0])
    out: dict[str, object] = {"audio_codec": codec, "audio_profile": profile}
    for part in parts[1:]:
        if m := re.match(r"^(\d+) Hz$", part):
            out["sample_rate"] = int(m.group(1))
        elif "sample_rate" in out and "channels" not in out:
            layout = part.split("(")[0].strip()
            if m := re.match(r"^(\d+) channels$", layout):
                out["channels"] = int(m.group(1))
            elif layout in _CHANNELS:
                out["channels"] = _CHANNELS[layout]
    return out


def parse_info(stderr: str) -> MediaInfo:
    """Parse what ``ffmpeg -i FILE`` prints about the first input."""
    duration = None
    if m := _DURATION.search(stderr):
        duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    fields: dict[str, object] = {}
    if m := _START.search(stderr):
        fields["start_s"] = float(m.group(1))
    for match in _STREAM.finditer(stderr):
        kind, desc = match.groups()
        if kind == "Video" and "video_codec" not in fields and "(attached pic)" not in desc:
            fields.update(_video(desc))
            # side data (the display matrix) follows the stream line, before the next stream
            following = stderr[match.end():]
            nxt = _STREAM.search(following)
            side = following[: nxt.start()] if nxt else following
            if m := _ROTATION.search(side):
                # ffmpeg prints the counter-clockwise angle; a player turns the picture by it
                fields["rotation"] = round(-float(m.group(1))) % 360 // 90 * 90
        elif kind == "Audio" and "audio_codec" not in fields:
            fields.update(_audio(desc))
    return MediaInfo(duration_s=duration, **fields)  # type: ignore[arg-type]


def probe(ffmpeg: Ffmpeg, path: str | os.PathLike[str], *, with_frame_count: bool = False) -> MediaInfo:
    """Streams of ``path``; ``with_frame_count`` also counts video packets (cheap, no decode)."""
    args = ["-i", media_path(path)]
    proc = ffmpeg.run(args, loglevel="info", check=False)  # exits 1: no output named
    stderr = proc.stderr.decode("utf-8", "replace")
    if "Input #0" not in stderr:
        cmd = ffmpeg.command(args, loglevel="info")
        raise FFmpegError(cmd, proc.returncode or 1, stderr, hint_for(stderr, proc.returncode or 1))
    info = parse_info(stderr)
    if with_frame_count and info.video_codec:
        info = MediaInfo(**{**info.__dict__, "frames": count_frames(ffmpeg, path, decode=False)})
    return info


def count_frames(ffmpeg: Ffmpeg, path: str | os.PathLike[str], *, decode: bool = True) -> int:
    """Frames in the first video stream: decoded (exact), or packets counted (``decode=False``)."""
    args = ["-i", media_path(path), "-map", "0:v:0"]
    args += ["-f", "null", "-"] if decode else ["-c", "copy", "-f", "null", "-"]
    proc = ffmpeg.run(["-nostats", "-progress", "pipe:1", *args])
    counts = re.findall(r"^frame=(\d+)\s*$", proc.stdout.decode("ascii", "replace"), re.M)
    if not counts:
        raise RenderError(f"{path}: ffmpeg reported no frame count; is there a video stream?")
    return int(counts[-1])


def decode_frames(
    ffmpeg: Ffmpeg, path: str | os.PathLike[str], times_or_frame_indexes: Sequence[int | float]
) -> list[np.ndarray]:
    """Chosen frames as RGB ``uint8`` arrays [h, w, 3], in the order asked.

    An ``int`` is a frame index; a ``float`` is a time in seconds (the frame
    showing at that time).
    """
    info = probe(ffmpeg, path)
    if not info.width or not info.height or not info.fps:
        raise RenderError(f"{path}: no video stream to decode frames from")
    wanted = [
        v if isinstance(v, (int, np.integer)) else math.floor(float(v) * info.fps + 1e-6)
        for v in times_or_frame_indexes
    ]
    if not wanted:
        return []
    unique = sorted(set(int(v) for v in wanted))
    expr = "+".join(f"eq(n\\,{n})" for n in unique)
    args = [
        "-i", media_path(path), "-map", "0:v:0", "-vf", f"select={expr}", "-fps_mode", "passthrough",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
    ]
    data = ffmpeg.run(args).stdout
    size = info.width * info.height * 3
    if len(data) != size * len(unique):
        got = len(data) // size
        raise RenderError(f"{path}: asked for frames {unique}, decoded {got}; an index is past the end")
    frames = np.frombuffer(data, np.uint8).reshape(len(unique), info.height, info.width, 3)
    by_index = {n: frames[i] for i, n in enumerate(unique)}
    return [by_index[int(v)].copy() for v in wanted]
