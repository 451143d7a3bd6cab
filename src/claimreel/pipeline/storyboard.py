"""Storyboards drawn without encoding: one mid-scene still per scene on a contact sheet.

The ``storyboard`` command and the studio share this: the render's checks,
narration (from the speech cache when it can) and timeline run as for a preview
(:func:`prepare_preview`), then each format's scenes are drawn at preview size
(:func:`storyboard`); the studio draws the formats of one preparation as their
images are asked for.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..publish.images import scene_stills, storyboard_image
from ..timeline.model import Timeline
from .render import Prepared, RenderOptions, prepare

__all__ = ["Storyboard", "prepare_preview", "storyboard", "storyboards"]


@dataclass(frozen=True)
class Storyboard:
    script_id: str
    format: str
    png: bytes
    timeline: Timeline


def prepare_preview(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                    voice: str | None = None) -> Prepared:
    """The script checked, spoken and laid out at preview size in ``formats`` (raises what render would)."""
    options = RenderOptions(formats=tuple(formats), out=out, cache=cache, preview=True, voice_engine=voice)
    return prepare(script_path, options)


def storyboard(prepared: Prepared, name: str, *, compress_level: int = 3) -> Storyboard:
    """The storyboard of format ``name`` of a preview preparation."""
    fmt = next(f for f in prepared.formats if f.name == name)
    timeline = prepared.timelines[fmt.name]
    stills = scene_stills(prepared.layouts[fmt.name], timeline, fmt, prepared.theme, prepared.book)
    buf = io.BytesIO()
    storyboard_image(stills, timeline, fmt, prepared.book, title=prepared.script.title).save(
        buf, "PNG", compress_level=compress_level)
    return Storyboard(prepared.script.id, fmt.name, buf.getvalue(), timeline)


def storyboards(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                voice: str | None = None) -> list[Storyboard]:
    """The storyboard of each format in ``formats`` (one narration pass shared by all of them)."""
    prepared = prepare_preview(script_path, formats, cache=cache, out=out, voice=voice)
    return [storyboard(prepared, fmt.name) for fmt in prepared.formats]
