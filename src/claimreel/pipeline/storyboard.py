"""Storyboards drawn without encoding: one mid-scene still per scene on a contact sheet.

The ``storyboard`` command and the studio share this: the render's checks,
narration (from the speech cache when it can) and timeline run as for a preview
(:func:`prepare_preview`), then each format's scenes are drawn at preview size
(:func:`draw_board`, which takes plain values so that the studio can draw the
formats of one preparation in worker processes, side by side).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..files import atomic_write_bytes
from ..layout.elements import SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..publish.images import scene_still, scene_stills, storyboard_image
from ..timeline.model import Timeline
from .render import Prepared, RenderOptions, prepare
# the segment cache's own digest helpers: a still is drawn by the same code as a segment's frames
from .segments import _jsonable, code_version

__all__ = ["Storyboard", "board_args", "cached_stills", "draw_board", "prepare_preview", "still_key", "storyboard",
           "storyboards"]


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


def still_key(layout: SceneLayout, fmt: Format, book: FontBook, frames: int, salt: str = "") -> str:
    """A digest of everything a scene's still depends on: the drawing code, the laid-out scene,
    the format, the fonts and the scene's length (the still is its middle frame). ``salt``: what
    else the caller knows may change (the studio gives its assets' signature, since files are
    digested once per path and process)."""
    payload = {
        "code": code_version(),
        "layout": _jsonable(layout),
        "fmt": _jsonable(fmt),
        "fonts": _jsonable(dict(book.weights)),
        "fallback_fonts": _jsonable([dict(faces) for faces in book.fallbacks]),
        "frames": frames,
        "salt": salt,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def cached_stills(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme, book: FontBook,
                  folder: Path, salt: str = "") -> list[bytes]:
    """The scenes' stills of ``fmt``, each read from ``folder/<still_key>.jpg`` or drawn and put
    there: after an edit only the scenes that changed are drawn again."""
    stills = []
    for layout, scene in zip(layouts, timeline.scenes):
        path = folder / f"{still_key(layout, fmt, book, scene.frames, salt)}.jpg"
        try:
            stills.append(path.read_bytes())
            continue
        except FileNotFoundError:
            pass
        still = scene_still(layout, scene, fmt, theme, book)
        atomic_write_bytes(path, still)
        stills.append(still)
    return stills


def draw_board(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme, book: FontBook,
               title: str, stills: Path | None = None, salt: str = "", compress_level: int = 3) -> bytes:
    """One format's storyboard PNG from its laid-out scenes (plain values: it may run in a worker
    process); with ``stills``, a folder where scene stills are cached (see :func:`cached_stills`)."""
    if stills is None:
        drawn = scene_stills(layouts, timeline, fmt, theme, book)
    else:
        drawn = cached_stills(layouts, timeline, fmt, theme, book, stills, salt)
    buf = io.BytesIO()
    storyboard_image(drawn, timeline, fmt, book, title=title).save(buf, "PNG", compress_level=compress_level)
    return buf.getvalue()


def board_args(prepared: Prepared, name: str) -> tuple[Any, ...]:
    """The arguments of :func:`draw_board` for format ``name`` of a preview preparation."""
    fmt = next(f for f in prepared.formats if f.name == name)
    return (prepared.layouts[fmt.name], prepared.timelines[fmt.name], fmt, prepared.theme, prepared.book,
            prepared.script.title)


def storyboard(prepared: Prepared, name: str) -> Storyboard:
    """The storyboard of format ``name`` of a preview preparation."""
    args = board_args(prepared, name)
    return Storyboard(prepared.script.id, name, draw_board(*args), args[1])


def storyboards(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                voice: str | None = None) -> list[Storyboard]:
    """The storyboard of each format in ``formats`` (one narration pass shared by all of them)."""
    prepared = prepare_preview(script_path, formats, cache=cache, out=out, voice=voice)
    return [storyboard(prepared, fmt.name) for fmt in prepared.formats]
