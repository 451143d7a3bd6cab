"""Caption files read back, strictly, whichever of the two formats they are in, and the rules each
is judged by (for linting).

A render names its caption files ``<format>/captions.srt`` and ``<format>/captions.<lang>.srt``
(``.vtt`` alike; a cut's under ``<format>/cuts/<cut>/``), so a file's place says which format's
rules it was cut by and its name which language it is in.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..captions.profiles import DEFAULT_PROFILE, profile_rules
from ..captions.rules import FORMAT_RULES, CaptionRules
from ..errors import ClaimreelError
from ..timeline.model import Cue
from .srt import CaptionFileError, read_srt
from .vtt import read_vtt

__all__ = ["CAPTION_SUFFIXES", "caption_file_format", "caption_file_language", "caption_file_rules",
           "read_caption_file"]

CAPTION_SUFFIXES = (".srt", ".vtt")
#: The format assumed for a caption file outside a render's format folders.
DEFAULT_FORMAT = "16x9"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


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


def caption_file_format(path: Path) -> str | None:
    """The output format whose folder holds ``path`` (the nearest folder named ``16x9``, ``9x16``,
    ``1x1`` or ``4x5``), or None for a file outside a render's output."""
    for folder in path.absolute().parents:
        if folder.name in FORMAT_RULES:
            return folder.name
    return None


def caption_file_language(path: Path) -> str | None:
    """The language tag a file's name carries before its suffix (``captions.zh-Hans.srt`` ->
    ``zh-Hans``), or None (the video's own language)."""
    stem = Path(path.name).stem
    _, dot, tag = stem.rpartition(".")
    return tag if dot and _LANGUAGE_TAG.match(tag) else None


def caption_file_rules(path: Path, fmt: str | None = None, profile: str = DEFAULT_PROFILE) -> tuple[CaptionRules, str]:
    """The rules ``path`` is judged by, and the format they are of: ``fmt``'s when given, else the
    format of the folder the file is in (:data:`DEFAULT_FORMAT` outside one), in the file's
    language, narrowed by ``profile``."""
    fmt = fmt or caption_file_format(path) or DEFAULT_FORMAT
    return profile_rules(profile, fmt, caption_file_language(path)), fmt
