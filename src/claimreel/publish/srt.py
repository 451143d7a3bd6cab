"""SubRip (.srt) captions: write with pysrt, read user files strictly.

Format (docs/standards.md, "Caption file formats"): numbered from 1,
``HH:MM:SS,mmm --> HH:MM:SS,mmm``, the text, a blank line; UTF-8.

Speakers: cues never mix speakers (a change of speaker always starts a new
cue), so the dash convention for two speakers in one cue is never needed.
Instead the first cue of each run of a *named* speaker starts with a
``"Name: "`` label (:func:`claimreel.captions.segment.speaker_label`, which
segmentation leaves room for on the first line); the narrator (speaker None)
is not labelled. Reading a file keeps labels as text and sets no speaker.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Sequence

import pysrt

from ..captions.segment import speaker_label
from ..errors import ClaimreelError
from ..timeline.model import Cue

__all__ = ["CaptionFileError", "clean_lines", "read_caption_text", "read_srt", "srt_text"]

_TAG = re.compile(r"</?(?:i|b|u|font)(?:\s[^>]*)?>", re.IGNORECASE)


class CaptionFileError(ClaimreelError):
    """A caption file (SRT or WebVTT) that cannot be read."""

    def __init__(self, path: Path | str, problem: str, fix: str, *, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {problem}; {fix}")


def clean_lines(lines: Sequence[str]) -> list[str]:
    """Lines safe inside a cue: no blank lines, no ``-->`` (written as ``→``)."""
    out = []
    for line in lines:
        line = " ".join(line.replace("-->", "→").split())
        if line:
            out.append(line)
    return out


def _item(number: int, cue: Cue, lines: list[str]) -> pysrt.SubRipItem:
    return pysrt.SubRipItem(
        number,
        pysrt.SubRipTime.from_ordinal(max(cue.start_ms, 0)),
        pysrt.SubRipTime.from_ordinal(max(cue.end_ms, 0)),
        "\n".join(lines),
    )


def srt_text(cues: Sequence[Cue]) -> str:
    """The SRT file for ``cues`` (numbered 1, 2, ... in order; cues without text are left out)."""
    items = []
    previous: str | None = None
    for cue in cues:
        lines = clean_lines(cue.lines)
        if not lines:
            continue
        if cue.speaker and cue.speaker != previous:
            lines[0] = speaker_label(cue.speaker) + lines[0]
        previous = cue.speaker
        items.append(_item(len(items) + 1, cue, lines))
    out = io.StringIO()
    pysrt.SubRipFile(items, eol="\n").write_into(out, eol="\n")
    return out.getvalue()


def read_caption_text(path: Path) -> str:
    """The text of a UTF-8 caption file (BOM allowed), or a :class:`CaptionFileError`."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CaptionFileError(path, "file not found", "check the path") from None
    except IsADirectoryError:
        raise CaptionFileError(path, "is a folder, not a caption file", "name the file") from None
    except OSError as error:
        raise CaptionFileError(path, f"cannot be read ({error.strerror})", "check its permissions") from None
    except UnicodeDecodeError as error:
        raise CaptionFileError(
            path, f"not UTF-8 text (bad byte at offset {error.start})", "save the file as UTF-8"
        ) from None


def _bad_entry(path: Path, error: pysrt.Error) -> CaptionFileError:
    end_line = error.args[0] if error.args and isinstance(error.args[0], int) else None
    source = str(error.args[-1]) if len(error.args) > 1 else ""
    rows = source.splitlines()
    first = end_line - len(rows) + 1 if end_line is not None else None
    shown = " | ".join(rows[:3])
    return CaptionFileError(
        path,
        f"malformed entry {shown!r}",
        "each entry needs a number, a 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line and text, "
        "with a blank line between entries",
        line=first,
    )


def read_srt(path: Path | str) -> tuple[Cue, ...]:
    """Cues of an SRT file; a malformed entry raises :class:`CaptionFileError` naming it.

    Formatting tags (``<i>``, ``<b>``, ``<u>``, ``<font>``) are removed from the text.
    """
    path = Path(path)
    text = read_caption_text(path)
    try:
        parsed = pysrt.SubRipFile.from_string(text, error_handling=pysrt.ERROR_RAISE)
    except pysrt.Error as error:
        raise _bad_entry(path, error) from None
    cues = []
    for item in parsed:
        if not isinstance(item.index, int):
            raise CaptionFileError(
                path,
                f"entry at {item.start} has the number {item.index!r}",
                "number entries 1, 2, 3, ...",
            )
        lines = tuple(_TAG.sub("", line) for line in item.text.split("\n"))
        if lines == ("",):
            lines = ()
        cues.append(Cue(item.index, item.start.ordinal, item.end.ordinal, lines))
    return tuple(cues)
