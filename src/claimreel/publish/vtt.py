"""WebVTT (.vtt) tracks (w3.org/TR/webvtt1): write them, read them back with clear errors.

Written files start with ``WEBVTT``; times are ``HH:MM:SS.mmm``; cue text
escapes ``&``, ``<`` and ``>`` (so ``-->`` in the text is written ``--&gt;``
and a reader sees it verbatim, while the file never holds ``-->`` outside a
timing line) and never holds a blank line. Captions and subtitles mark a cue's speaker with a ``<v Name>`` voice
span; descriptions and chapters carry plain text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Sequence

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..errors import ClaimreelError
from ..timeline.model import Cue, hms_ms
from .srt import CaptionFileError, read_caption_text

__all__ = ["KINDS", "cue_payload", "read_vtt", "vtt_text", "vtt_time"]

KINDS = ("captions", "subtitles", "descriptions", "chapters")
_VOICED = ("captions", "subtitles")
_TIME = re.compile(r"^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_TAG = re.compile(r"<[^>]*>")


def vtt_time(ms: int) -> str:
    """``HH:MM:SS.mmm`` for a time in milliseconds."""
    return hms_ms(ms)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clean(lines: Sequence[str]) -> list[str]:
    """Non-blank lines with runs of whitespace collapsed, escaped for cue text."""
    return [_escape(" ".join(line.split())) for line in lines if line.strip()]


def cue_payload(cue: Cue, kind: str = "captions") -> str:
    """A cue's text as WebVTT cue text (escaped, voice span on captions); empty if it has none."""
    lines = _clean(cue.lines)
    if lines and cue.speaker and kind in _VOICED:
        lines[0] = f"<v {_escape(' '.join(cue.speaker.split()))}>{lines[0]}"
    return "\n".join(lines)


def vtt_text(cues: Sequence[Cue], *, kind: str = "captions") -> str:
    """The WebVTT file for ``cues``, numbered from 1 (cues without text are left out)."""
    if kind not in KINDS:
        raise ClaimreelError(f"unknown WebVTT track kind {kind!r}; use one of {', '.join(KINDS)}")
    blocks = ["WEBVTT"]
    for cue in cues:
        payload = cue_payload(cue, kind)
        if not payload:
            continue
        number = len(blocks)
        timing = f"{vtt_time(cue.start_ms)} --> {vtt_time(cue.end_ms)}"
        blocks.append("\n".join([str(number), timing, payload]))
    return "\n\n".join(blocks) + "\n"


def _ms(stamp: str, path: Path) -> int:
    match = _TIME.match(stamp.strip())
    if not match:
        raise CaptionFileError(path, f"bad time {stamp!r}", "write times as HH:MM:SS.mmm")
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _block_line(text: str, message: str) -> int | None:
    """The 1-based line where the block quoted in webvtt-py's error message starts."""
    match = re.search(r"\['((?:[^'\\]|\\.)*)'", message)
    if not match:
        return None
    first = match.group(1)
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() == first.strip():
            return number
    return None


def read_vtt(path: Path | str) -> tuple[Cue, ...]:
    """Cues of a WebVTT file, numbered by position; ``<v Name>`` becomes the speaker.

    Tags are removed and character references decoded. A file that does not
    start with ``WEBVTT`` or holds a malformed cue raises :class:`CaptionFileError`.
    """
    path = Path(path)
    text = read_caption_text(path)
    try:
        parsed = webvtt.from_string(text, strict=True)
    except MalformedFileError:
        raise CaptionFileError(
            path, "not a WebVTT file (the first line must start with 'WEBVTT')", "fix the header", line=1
        ) from None
    except MalformedCaptionError as error:
        raise CaptionFileError(
            path,
            f"malformed cue: {error}",
            "each cue needs a 'HH:MM:SS.mmm --> HH:MM:SS.mmm' line and text, "
            "with a blank line between cues",
            line=_block_line(text, str(error)),
        ) from None
    cues = []
    for number, caption in enumerate(parsed.captions, 1):
        lines = tuple(html.unescape(_TAG.sub("", line)) for line in caption.raw_text.split("\n"))
        if lines == ("",):
            lines = ()
        speaker = html.unescape(caption.voice).strip() if caption.voice else None
        cues.append(Cue(number, _ms(caption.start, path), _ms(caption.end, path), lines, speaker or None))
    return tuple(cues)
