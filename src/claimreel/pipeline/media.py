"""Checks of a script's footage and documents, made with the tools that will read them.

The loader checks that a clip's or a document's file exists; here ffmpeg probes
each clip (readable, holds video, long enough for the range asked, inside the
caps) and pypdfium2 opens each PDF (not encrypted, has the page, carries the
highlighted text). Every problem is placed at its field in the script
(``file:line:col``), all of them reported together, before anything is rendered.
"""

from __future__ import annotations

from typing import Iterator

from ..encode.ffmpeg import Ffmpeg
from ..encode.probe import MediaInfo, probe
from ..errors import FFmpegError, Problem, ScriptError
from ..layout.pages import DocumentProblem, find_passage, page_count
from ..script.load import LoadedScript
from ..script.blocks import DocumentBlock
from ..script.footage import ClipSource
from .limits import ENV, Limits

__all__ = ["check_media", "clips"]

_REEXPORT = "re-export it (e.g. as MP4 with H.264) and check that it plays"
# A range may end up to a frame past the probed length (containers round their durations).
_SLACK_S = 0.05


def clips(loaded: LoadedScript) -> Iterator[tuple[str, ClipSource]]:
    """Every clip of the script with the field it is written at: ``claim.clip``, ``body.N``."""
    if loaded.script.claim.clip is not None:
        yield "claim.clip", loaded.script.claim.clip
    for i, block in enumerate(loaded.script.body):
        if block.type == "clip":
            yield f"body.{i}", block  # type: ignore[misc]


def _clip_problems(loaded: LoadedScript, where: str, clip: ClipSource, limits: Limits, ffmpeg: Ffmpeg
                   ) -> list[Problem]:
    path = loaded.assets[clip.file]
    at = loaded.problem
    try:
        info = probe(ffmpeg, path)
    except FFmpegError as exc:
        detail = exc.stderr_tail.strip().splitlines()[-1] if exc.stderr_tail.strip() else "ffmpeg cannot read it"
        return [at(f"{where}.file", f"not a readable video ({detail.split(': ', 1)[-1]})", _REEXPORT)]
    if not info.video_codec or not info.width or not info.height:
        return [at(f"{where}.file", "the file holds no video stream", "point at a video file (MP4, MOV, MKV, WebM)")]
    return _range_and_caps(loaded, where, clip, info, limits)


def _range_and_caps(loaded: LoadedScript, where: str, clip: ClipSource, info: MediaInfo, limits: Limits
                    ) -> list[Problem]:
    at = loaded.problem
    problems = []
    if info.duration_s is None or info.duration_s <= 0:
        problems.append(at(f"{where}.file", "the video has no length (truncated?)", _REEXPORT))
    elif clip.end > info.duration_s + _SLACK_S:
        problems.append(at(f"{where}.end", f"end ({clip.end:g} s) is past the end of the video "
                           f"({info.duration_s:.3f} s long)", f"give an end of at most {info.duration_s:.3f}"))
    w, h = info.width or 0, info.height or 0
    if w * h > limits.max_clip_pixels:
        problems.append(at(f"{where}.file", f"the video is {w}x{h} ({w * h} pixels a frame), more than the cap of "
                           f"{limits.max_clip_pixels}",
                           f"downscale it or raise the cap (max_clip_pixels or {ENV['max_clip_pixels']})"))
    if info.fps and info.fps > limits.max_clip_fps:
        problems.append(at(f"{where}.file", f"the video runs at {float(info.fps):g} fps, more than the cap of "
                           f"{limits.max_clip_fps:g}", f"convert it to a lower rate or raise the cap "
                           f"(max_clip_fps or {ENV['max_clip_fps']})"))
    if info.duration_s and info.duration_s > limits.max_clip_duration:
        problems.append(at(f"{where}.file", f"the video is {info.duration_s:.0f} s long, more than the cap of "
                           f"{limits.max_clip_duration:g} s", f"cut the part you need into its own file or raise "
                           f"the cap (max_clip_duration or {ENV['max_clip_duration']})"))
    if clip.audio == "full" and not info.audio_codec:
        problems.append(at(f"{where}.audio", "audio: full, but the video has no sound",
                           "set audio: mute, or use the file with its sound"))
    return problems


def _document_problems(loaded: LoadedScript, i: int, block: DocumentBlock) -> list[Problem]:
    if block.page is None:
        return []
    path, at, where = loaded.assets[block.file], loaded.problem, f"body.{i}"
    try:
        count = page_count(path)
    except DocumentProblem as exc:
        return [at(f"{where}.file", exc.message, exc.hint)]
    if block.page > count:
        return [at(f"{where}.page", f"the PDF has {count} page{'s' if count != 1 else ''}, no page {block.page}",
                   f"give a page from 1 to {count}")]
    if isinstance(block.highlight, str):
        try:
            find_passage(path, block.page, block.highlight)
        except DocumentProblem as exc:
            return [at(f"{where}.highlight", exc.message, exc.hint)]
    return []


def check_media(loaded: LoadedScript, limits: Limits, ffmpeg: Ffmpeg) -> None:
    """Raise ScriptError listing every clip and document problem of ``loaded``."""
    problems: list[Problem] = []
    # A file that could not be used is reported where the script was read; it has nothing to probe.
    for where, clip in clips(loaded):
        if clip.file in loaded.assets:
            problems += _clip_problems(loaded, where, clip, limits, ffmpeg)
    for i, block in enumerate(loaded.script.body):
        if isinstance(block, DocumentBlock) and block.file in loaded.assets:
            problems += _document_problems(loaded, i, block)
    if problems:
        raise ScriptError(problems).naming("max_clip_pixels", "max_clip_fps", "max_clip_duration")


