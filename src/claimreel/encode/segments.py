"""Encode raw yuv420p frames to H.264 segments, join them, and mux the audio.

Segments are encoded independently (closed GOPs of half a second, no scene-cut
keyframes, identical settings), so the concat demuxer can join them by stream
copy. The AAC track is encoded once, for the whole video, when muxing.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import RenderError
from ..files import temp_beside
from .ffmpeg import Ffmpeg, FfmpegPipe, media_path

__all__ = [
    "DescribedAudio",
    "VideoSettings",
    "aac_codec_args",
    "concat_args",
    "concat_list",
    "concat_segments",
    "encode_args",
    "encode_parts",
    "encode_segment",
    "mux",
    "mux_args",
    "run_into",
]


PARTS_LIST = "parts.csv"  # the segment muxer's list of the parts it wrote


@dataclass(frozen=True)
class VideoSettings:
    """libx264 settings for one output; frames must be yuv420p of this size.

    ``matrix`` names the YUV matrix the frames were converted with
    (:mod:`claimreel.compose.yuv` uses BT.709 in limited range, ``bt709``); it is
    only written as metadata, beside BT.709 primaries and transfer, so players
    and editing software convert back correctly.
    """

    width: int
    height: int
    fps: Fraction
    crf: int = 20
    preset: str = "veryfast"
    gop: int | None = None
    profile: str = "high"
    pix_fmt: str = "yuv420p"
    tune: str | None = None
    matrix: str = "bt709"
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.width % 2 or self.height % 2:
            raise ValueError(f"frame size {self.width}x{self.height} must be positive and even for yuv420p")
        if Fraction(self.fps) <= 0:
            raise ValueError(f"fps {self.fps} must be positive")
        object.__setattr__(self, "fps", Fraction(self.fps))

    @classmethod
    def delivery(cls, width: int, height: int, fps: Fraction, **changes: object) -> VideoSettings:
        """The final video: veryfast, CRF 20, still-image tuning (cards hold still)."""
        return cls(width, height, fps, **{"crf": 20, "preset": "veryfast", "tune": "stillimage", **changes})  # type: ignore[arg-type]

    @classmethod
    def preview(cls, width: int, height: int, fps: Fraction, **changes: object) -> VideoSettings:
        """A fast draft: ultrafast, CRF 28 (the caller halves the size)."""
        return cls(width, height, fps, **{"crf": 28, "preset": "ultrafast", **changes})  # type: ignore[arg-type]

    @property
    def keyint(self) -> int:
        """Frames between keyframes: ``gop`` or about half a second."""
        return self.gop if self.gop else max(1, round(self.fps / 2))

    @property
    def frame_bytes(self) -> int:
        """Size of one raw yuv420p frame."""
        return self.width * self.height * 3 // 2


def _fps_text(fps: Fraction) -> str:
    return str(fps.numerator) if fps.denominator == 1 else f"{fps.numerator}/{fps.denominator}"


def encode_args(settings: VideoSettings, out_path: str | os.PathLike[str], *, split_at: Sequence[int] = ()
                ) -> list[str]:
    """ffmpeg arguments: raw yuv420p frames on stdin -> an H.264 MP4 (video only).

    With ``split_at`` (frame numbers), the output is a folder of MP4 parts instead,
    ``out_path/000.mp4`` and on, each starting with a keyframe at one of those frames.

    The colour tags go on the input side: that is where ffmpeg takes them from
    for raw frames (as output options only the matrix reaches the stream).
    """
    s = settings
    args = [
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{s.width}x{s.height}",
        "-r", _fps_text(s.fps),
        "-colorspace", s.matrix, "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
        "-i", "-",
        "-an", "-c:v", "libx264", "-preset", s.preset, "-crf", str(s.crf),
    ]
    if s.tune:
        args += ["-tune", s.tune]
    args += [
        "-profile:v", s.profile, "-pix_fmt", s.pix_fmt,
        "-g", str(s.keyint), "-keyint_min", str(s.keyint), "-sc_threshold", "0", "-flags", "+cgop",
    ]
    if s.threads:
        args += ["-threads", str(s.threads)]
    if split_at:
        # One encoder for all parts: a keyframe forced at each split, where the segment muxer starts
        # the next MP4; it lists the parts with their start times in a CSV beside them.
        folder = Path(out_path)
        args += [
            "-force_key_frames", "expr:" + "+".join(f"eq(n,{f})" for f in split_at),
            "-f", "segment", "-segment_frames", ",".join(str(f) for f in split_at), "-reset_timestamps", "1",
            "-segment_list", media_path(folder / PARTS_LIST), "-segment_list_type", "csv",
            "-segment_format", "mp4", media_path(folder / "%03d.mp4"),
        ]
    else:
        args += ["-f", "mp4", media_path(out_path)]
    return args


def _feed(pipe: FfmpegPipe, frames: Iterable[bytes], settings: VideoSettings, name: str, expected: int) -> None:
    """Write exactly ``expected`` frames of the right size to the encoder (a repeated bytes object
    is checked once)."""
    size = settings.frame_bytes
    written = 0
    last: object = None
    for frame in frames:
        if frame is not last:
            nbytes = memoryview(frame).nbytes
            if nbytes != size:
                raise RenderError(
                    f"{name}: frame {written} has {nbytes} bytes, expected {size} "
                    f"(yuv420p {settings.width}x{settings.height}); the frame source is wrong"
                )
            last = frame
        if written == expected:
            raise RenderError(
                f"{name}: the frame source gave more than the {expected} frames expected; "
                "the scene length and the frame source disagree"
            )
        pipe.write(frame)
        written += 1
    if written != expected:
        raise RenderError(
            f"{name}: the frame source gave {written} frames, expected {expected}; "
            "the scene length and the frame source disagree"
        )


def encode_segment(
    ffmpeg: Ffmpeg,
    frames: Iterable[bytes],
    settings: VideoSettings,
    out_path: str | os.PathLike[str],
    *,
    expected_frames: int,
) -> Path:
    """Encode ``frames`` (raw yuv420p bytes each) to ``out_path``; exactly ``expected_frames``.

    The file appears only when complete (written to a temp name, then renamed).
    Handing out the same bytes object again (a still frame) costs one pipe write.
    """
    out = Path(out_path)
    tmp = temp_beside(out)
    try:
        with ffmpeg.open_pipe(encode_args(settings, tmp)) as pipe:
            _feed(pipe, frames, settings, out.name, expected_frames)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def encode_parts(
    ffmpeg: Ffmpeg,
    frames: Iterable[bytes],
    settings: VideoSettings,
    folder: Path,
    *,
    lengths: Sequence[int],
) -> list[Path]:
    """Encode ``frames`` in one ffmpeg run into consecutive MP4 parts of ``lengths`` frames in ``folder``
    (an empty folder of the caller's), each starting with a keyframe; the parts, in order.

    One encoder instead of one per part spares the start-up of an ffmpeg process per
    part; each part still joins others by stream copy. The muxer's list of parts is
    checked: every part must hold the frames asked for.
    """
    if not lengths or min(lengths) < 1:
        raise ValueError(f"parts of {list(lengths)} frames: every part needs at least one frame")
    if len(lengths) == 1:
        # No split point: the segment muxer is not used, so its folder and list would not be written.
        return [encode_segment(ffmpeg, frames, settings, folder / "000.mp4", expected_frames=lengths[0])]
    starts = [sum(lengths[:k]) for k in range(1, len(lengths))]
    with ffmpeg.open_pipe(encode_args(settings, folder, split_at=starts)) as pipe:
        _feed(pipe, frames, settings, folder.name, sum(lengths))
    listed = [line.split(",") for line in (folder / PARTS_LIST).read_text(encoding="utf-8").splitlines() if line]
    # The list's times run late by the encoder's B-frame delay after the first part, so the
    # first part's span is off by that much; the others' spans are exact. All frames went in,
    # so if the other parts hold what they should, the first does too.
    spans = [round((float(end) - float(start)) * settings.fps) for _, start, end in listed]
    if len(listed) != len(lengths) or spans[1:] != list(lengths[1:]):
        raise RenderError(f"{folder.name}: the encoder wrote parts of {spans} frames, not {list(lengths)}; "
                          "this ffmpeg's segment muxer misbehaves: use the imageio-ffmpeg build")
    return [folder / name for name, _, _ in listed]


def concat_list(segment_paths: Sequence[str | os.PathLike[str]]) -> str:
    """The concat demuxer's list file: one ``file '...'`` line per segment, quotes escaped."""
    lines = []
    for p in segment_paths:
        text = os.path.abspath(os.fspath(p))
        if "\n" in text or "\r" in text:
            raise RenderError(f"{text!r}: a segment path holds a line break; choose an output folder without one")
        lines.append("file '" + text.replace("'", "'\\''") + "'")
    return "\n".join(lines) + "\n"


def concat_args(list_path: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> list[str]:
    """ffmpeg arguments: join the segments named in ``list_path`` by stream copy."""
    return [
        "-f", "concat", "-safe", "0", "-i", media_path(list_path),
        "-map", "0", "-c", "copy", "-f", "mp4", media_path(out_path),
    ]


def concat_segments(
    ffmpeg: Ffmpeg, segment_paths: Sequence[str | os.PathLike[str]], out_path: str | os.PathLike[str]
) -> Path:
    """Join encoded segments (same settings) into one video by stream copy, atomically."""
    if not segment_paths:
        raise RenderError(f"{out_path}: no segments to join; the timeline has no scenes")
    out = Path(out_path)
    listing = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.concat.txt")
    try:
        listing.write_text(concat_list(segment_paths), encoding="utf-8")
        run_into(ffmpeg, out, lambda tmp: concat_args(listing, tmp))
        return out
    finally:
        listing.unlink(missing_ok=True)


def mux_args(
    video_path: str | os.PathLike[str],
    audio_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    audio_bitrate: str = "160k",
    copy_audio: bool = False,
    described: DescribedAudio | None = None,
) -> list[str]:
    """ffmpeg arguments: copy the video, encode the WAV once to AAC-LC 48 kHz stereo, faststart.

    With ``copy_audio`` the audio is already AAC (from :func:`encode_aac`) and is copied too;
    ``described`` (AAC, always copied) is muxed as the second audio track.
    """
    audio = ["-c:a", "copy"] if copy_audio else aac_codec_args(audio_bitrate)
    return [
        "-i", media_path(video_path), "-i", media_path(audio_path),
        *(["-i", media_path(described.path)] if described else []),
        "-map", "0:v:0", "-map", "1:a:0", *(["-map", "2:a:0"] if described else []),
        "-c:v", "copy", *audio,
        *(described.args() if described else []),
        "-movflags", "+faststart", "-f", "mp4", media_path(out_path),
    ]


@dataclass(frozen=True)
class DescribedAudio:
    """A second audio track (AAC, copied) that describes the picture: marked with the ``descriptions``
    and ``visual_impaired`` dispositions (written into the MP4 as track kinds), titled, and tagged
    with the language (ISO 639-2, as MP4 needs) like the main track, which stays first and default."""

    path: Path
    language: str  # three letters: ``eng``
    title: str = "Audio description"

    def args(self) -> list[str]:
        return ["-disposition:a:0", "default", "-disposition:a:1", "descriptions+visual_impaired",
                "-metadata:s:a:0", f"language={self.language}", "-metadata:s:a:1", f"language={self.language}",
                "-metadata:s:a:1", f"title={self.title}", "-metadata:s:a:1", f"handler_name={self.title}"]


def aac_codec_args(bitrate: str, rate: int = 48000) -> list[str]:
    """ffmpeg output options for AAC-LC stereo at ``bitrate`` and ``rate`` Hz."""
    # ffmpeg's "fast" AAC coder: at 128 kbps and up its maintainers found it sounds better than
    # "twoloop" (which suits low bitrates), and it takes well under half the CPU (docs/speed.md).
    return ["-c:a", "aac", "-aac_coder", "fast", "-profile:a", "aac_low", "-b:a", bitrate, "-ar", str(rate), "-ac", "2"]


def aac_args(wav_path: str | os.PathLike[str], out_path: str | os.PathLike[str], *, bitrate: str = "160k",
             rate: int = 48000) -> list[str]:
    """ffmpeg arguments: the whole mix encoded once to AAC-LC (stereo, ``rate`` Hz) in an MP4 audio file."""
    return ["-i", media_path(wav_path), "-map", "0:a:0", "-vn", *aac_codec_args(bitrate, rate), "-f", "mp4",
            media_path(out_path)]


def encode_aac(ffmpeg: Ffmpeg, wav_path: Path, out_path: Path, *, bitrate: str = "160k", rate: int = 48000) -> Path:
    """Encode the mix to AAC once (it can run while the video segments encode)."""
    run_into(ffmpeg, Path(out_path), lambda tmp: aac_args(wav_path, tmp, bitrate=bitrate, rate=rate))
    return Path(out_path)


def mux(
    ffmpeg: Ffmpeg,
    video_path: str | os.PathLike[str],
    audio_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    audio_bitrate: str = "160k",
    copy_audio: bool = False,
    described: DescribedAudio | None = None,
) -> Path:
    """Mux ``video_path`` with ``audio_path`` (a WAV, or AAC with ``copy_audio``), and the
    ``described`` track if given, atomically."""
    run_into(ffmpeg, Path(out_path), lambda tmp: mux_args(
        video_path, audio_path, tmp, audio_bitrate=audio_bitrate, copy_audio=copy_audio, described=described))
    return Path(out_path)


def run_into(ffmpeg: Ffmpeg, out: Path, build: Callable[[Path], list[str]], *, input: bytes | None = None,
             loglevel: str = "error") -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg (``build(temp)`` its arguments) writing to a temp name beside ``out``, then rename it
    into place; what ffmpeg printed (``loglevel`` info for a filter's report)."""
    tmp = temp_beside(out)
    try:
        proc = ffmpeg.run(build(tmp), input=input, loglevel=loglevel)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return proc
