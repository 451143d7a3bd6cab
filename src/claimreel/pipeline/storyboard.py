"""Storyboards drawn without encoding: one mid-scene still per scene on a contact sheet.

The ``storyboard`` command and the studio share this: the render's checks,
narration (from the speech cache when it can), layout and timeline run as for a
render (:func:`prepare_boards`), then each format's scenes are drawn at the size
the sheet shows them (:func:`draw_board`, which takes plain values so that the
studio can draw the formats of one preparation in worker processes, side by side).

A sheet's still is the frame's layout scaled down (:meth:`SceneLayout.scaled`):
the same boxes, type sizes and line breaks as the video, drawn on a canvas of
:data:`SAMPLE` times the thumbnail. Drawing a half-size frame and shrinking it
cost about twice as much for the same thumbnail (a full-size frame, more still).
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
from ..publish.images import scene_still, storyboard_image, thumb_size
from ..timeline.model import Timeline
from .prepare import prepare
from .prepared import Prepared
from .options import render_options
# the segment cache's own digest helpers: a still is drawn by the same code as a segment's frames
from .segment_key import code_version, jsonable

__all__ = ["SAMPLE", "Storyboard", "board_args", "cached_stills", "draw_board", "prepare_boards", "sheet_scene",
           "still_key", "storyboard", "storyboards"]

#: A sheet's stills are drawn at this many times the thumbnail's size, then shrunk: at the
#: thumbnail's own size small type loses its letter spacing (hinted advances are whole pixels)
#: and yuv420p's half-resolution colour smears coloured labels.
SAMPLE = 2


@dataclass(frozen=True)
class Storyboard:
    script_id: str
    format: str
    png: bytes
    timeline: Timeline


def prepare_boards(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                   voice: str | None = None) -> Prepared:
    """The script checked, spoken, timed and laid out in ``formats`` as the final render lays it out
    (raises what render would). One layout pass: a preview's would lay out twice (full size as the
    check, then half size), and the sheets are drawn from the full-size layout anyway."""
    options = render_options(script_path, formats=formats, out=out, cache=cache, voice=voice)
    return prepare(script_path, options)


def sheet_scene(layout: SceneLayout, fmt: Format) -> tuple[SceneLayout, Format]:
    """``layout`` and ``fmt`` scaled to :data:`SAMPLE` times the size of the format's thumbnail."""
    tw, th = thumb_size(fmt)
    drawn = fmt.scaled(tw * SAMPLE, th * SAMPLE)
    return layout.scaled(drawn.width / fmt.width), drawn


def still_key(layout: SceneLayout, fmt: Format, book: FontBook, frames: int, salt: str = "") -> str:
    """A digest of everything a scene's still depends on: the drawing code, the laid-out scene,
    the format, the fonts and the scene's length (the still is its middle frame). ``salt``: what
    else the caller knows may change (the studio gives its assets' signature, since files are
    digested once per path and process)."""
    payload = {
        "code": code_version(),
        "layout": jsonable(layout),
        "fmt": jsonable(fmt),
        "fonts": jsonable(dict(book.weights)),
        "fallback_fonts": jsonable([dict(faces) for faces in book.fallbacks]),
        "frames": frames,
        "salt": salt,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def cached_stills(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme, book: FontBook,
                  folder: Path | None, salt: str = "") -> list[bytes]:
    """The scenes' sheet stills of ``fmt`` (see :func:`sheet_scene`); with ``folder``, each is read
    from ``folder/<still_key>.jpg`` or drawn and put there: after an edit only the scenes that
    changed are drawn again."""
    stills = []
    for layout, scene in zip(layouts, timeline.scenes):
        small, drawn = sheet_scene(layout, fmt)
        path = folder / f"{still_key(small, drawn, book, scene.frames, salt)}.jpg" if folder is not None else None
        if path is not None:
            try:
                stills.append(path.read_bytes())
                continue
            except FileNotFoundError:
                pass
        still = scene_still(small, scene, drawn, theme, book, optimize=False)  # shrunk once more, then kept
        if path is not None:
            atomic_write_bytes(path, still)
        stills.append(still)
    return stills


def draw_board(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme, book: FontBook,
               title: str, stills: Path | None = None, salt: str = "", jpeg: bool = False) -> bytes:
    """One format's storyboard from its laid-out scenes (plain values: it may run in a worker
    process); with ``stills``, a folder where scene stills are cached (see :func:`cached_stills`).
    PNG, or with ``jpeg`` a JPEG of quality 90: a tenth of the PNG's encoding time and under half
    its bytes, the labels still clean (the studio's, shown in a page)."""
    drawn = cached_stills(layouts, timeline, fmt, theme, book, stills, salt)
    buf = io.BytesIO()
    sheet = storyboard_image(drawn, timeline, fmt, book, title=title)
    if jpeg:
        sheet.save(buf, "JPEG", quality=90)
    else:
        sheet.save(buf, "PNG", compress_level=3)  # half level 6's time, 6% larger
    return buf.getvalue()


def board_args(prepared: Prepared, name: str) -> tuple[Any, ...]:
    """The arguments of :func:`draw_board` for format ``name`` of a preparation."""
    fmt = next(f for f in prepared.formats if f.name == name)
    return (prepared.layouts[fmt.name], prepared.timelines[fmt.name], fmt, prepared.theme, prepared.book,
            prepared.script.title)


def storyboard(prepared: Prepared, name: str) -> Storyboard:
    """The storyboard of format ``name`` of a preparation."""
    args = board_args(prepared, name)
    return Storyboard(prepared.script.id, name, draw_board(*args), args[1])


def storyboards(script_path: Path, formats: Sequence[str], *, cache: Path, out: Path = Path("render/out"),
                voice: str | None = None) -> list[Storyboard]:
    """The storyboard of each format in ``formats`` (one narration pass shared by all of them)."""
    prepared = prepare_boards(script_path, formats, cache=cache, out=out, voice=voice)
    return [storyboard(prepared, fmt.name) for fmt in prepared.formats]
