"""Storyboards drawn without encoding: one mid-scene still per scene on a contact sheet.

The ``storyboard`` command and the studio share this: the render's checks,
narration (from the speech cache when it can) and timeline run as for a preview,
then each format's scenes are drawn once at preview size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..publish.images import scene_stills, storyboard_png
from ..timeline.model import Timeline
from .render import RenderOptions, prepare

__all__ = ["Storyboard", "storyboards"]


@dataclass(frozen=True)
class Storyboard:
    script_id: str
    format: str
    png: bytes
    timeline: Timeline


def storyboards(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                voice: str | None = None) -> list[Storyboard]:
    """The storyboard of each format in ``formats`` (one narration pass shared by all of them)."""
    options = RenderOptions(formats=tuple(formats), out=out, cache=cache, preview=True, voice_engine=voice)
    prepared = prepare(script_path, options)
    boards = []
    for fmt in prepared.formats:
        timeline = prepared.timelines[fmt.name]
        stills = scene_stills(prepared.layouts[fmt.name], timeline, fmt, prepared.theme, prepared.book)
        png = storyboard_png(stills, timeline, fmt, prepared.book, title=prepared.script.title)
        boards.append(Storyboard(prepared.script.id, fmt.name, png, timeline))
    return boards
