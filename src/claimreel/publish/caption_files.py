"""Caption files read back, strictly, whichever of the two formats they are in (for linting)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ClaimreelError
from ..timeline.model import Cue
from .srt import CaptionFileError, read_srt
from .vtt import read_vtt

__all__ = ["CAPTION_SUFFIXES", "read_caption_file"]

CAPTION_SUFFIXES = (".srt", ".vtt")


def read_caption_file(path: Path) -> tuple[Cue, ...]:
    """Cues of an SRT or WebVTT file, read strictly (a malformed entry raises, exit 2)."""
    suffix = path.suffix.lower()
    if suffix in CAPTION_SUFFIXES:
        cues = read_srt(path) if suffix == ".srt" else read_vtt(path)
        if not cues:
            raise CaptionFileError(path, "holds no cues", "check that it is the right file")
        return cues
    raise ClaimreelError(
        f"{path}: not a caption file or script (expected .srt, .vtt, .yaml or .yml); name one of those"
    )
