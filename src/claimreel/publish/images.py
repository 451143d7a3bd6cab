"""``poster.jpg`` and ``storyboard.png``, drawn from the laid-out scenes (no video is decoded).

Each picture is a frame that :class:`claimreel.compose.frames.SceneFrames` draws
exactly as the encoder receives it, taken mid-scene (after the entrance motion,
before the exit fade), without burned-in captions, as JPEG (a scene's "still").
A render gets the stills from its segment workers (cached with the segments);
:func:`scene_stills` draws them here at the frame's size. The storyboard command
and the studio draw theirs from the layout scaled to the sheet
(:mod:`claimreel.pipeline.storyboard`). The poster is
the verdict scene's still; the storyboard is a contact sheet with one thumbnail
per scene, labelled with its time span and scene type.
"""

from __future__ import annotations

import io
import math
from typing import Sequence

from PIL import Image, ImageDraw

from ..compose.frames import SceneFrames
from ..compose.layers import draw_elements
from ..layout.elements import SceneLayout, TextEl
from ..layout.formats import Box, Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..timeline.model import Scene, Timeline, frame_to_ms
from .transcript import clock

__all__ = ["poster_jpeg", "scene_still", "scene_stills", "storyboard_image", "storyboard_png", "thumb_size", "thumbnail"]

THUMB = 320  # the longer side of a storyboard thumbnail, in pixels
PAD = 16
INK, MUTED, PAPER = (26, 26, 26), (80, 80, 80), (255, 255, 255)


def scene_still(layout: SceneLayout, scene: Scene, fmt: Format, theme: Theme, book: FontBook, *,
                optimize: bool = True) -> bytes:
    """The JPEG still of ``scene``: its middle frame (motion settled, no captions)."""
    return SceneFrames(layout, fmt, theme, book, scene.frames).still_jpeg(optimize=optimize)


def scene_stills(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme,
                 book: FontBook) -> list[bytes]:
    """One still per scene, in playing order."""
    return [scene_still(layout, scene, fmt, theme, book) for layout, scene in zip(layouts, timeline.scenes)]


def poster_jpeg(stills: Sequence[bytes], timeline: Timeline) -> bytes:
    """The verdict scene's still (the first scene's if a timeline had no verdict)."""
    index = next((i for i, s in enumerate(timeline.scenes) if s.kind == "verdict"), 0)
    return stills[index]


def thumbnail(still: bytes, size: tuple[int, int]) -> Image.Image:
    """A still scaled to ``size``; JPEG decodes at a reduced scale first, so this is cheap."""
    image = Image.open(io.BytesIO(still))
    image.draft("RGB", size)
    return image.convert("RGB").resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _fit(book: FontBook, weight: str, size: int, text: str, width: int) -> str:
    """``text`` cut with an ellipsis to ``width`` as drawn (font runs with fallback)."""
    if book.length(weight, size, text) <= width:
        return text
    while text and book.length(weight, size, text + "\u2026") > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _label(book: FontBook, text: str, x: int, y: int, width: int, weight: str, size: int,
           color: tuple[int, int, int]) -> TextEl:
    """One line of the sheet, drawn like on-screen text, so any script the fonts cover shows (no tofu)."""
    line = _fit(book, weight, size, text, width)
    return TextEl(Box(x, y, width, round(size * 1.3)), (line,), weight, size, round(size * 1.3),
                  "#{:02x}{:02x}{:02x}".format(*color), layer="chrome")


def _span(scene: Scene, timeline: Timeline) -> str:
    start = frame_to_ms(scene.start_frame, timeline.fps)
    end = frame_to_ms(scene.end_frame, timeline.fps)
    return f"{clock(start)}\u2013{clock(end)}"


def thumb_size(fmt: Format) -> tuple[int, int]:
    """The size of ``fmt``'s thumbnails on a storyboard (:data:`THUMB` on the longer side)."""
    scale = THUMB / max(fmt.width, fmt.height)
    return round(fmt.width * scale), round(fmt.height * scale)


def storyboard_image(stills: Sequence[bytes], timeline: Timeline, fmt: Format, book: FontBook, *,
                     title: str = "") -> Image.Image:
    """The contact sheet: a header, then one labelled thumbnail per scene in playing order."""
    tw, th = thumb_size(fmt)
    columns = max(3, min(6, 1500 // (tw + PAD)))
    rows = math.ceil(len(timeline.scenes) / columns)
    label_h, header_h = 48, 56
    sheet = Image.new("RGB", (PAD + columns * (tw + PAD), header_h + rows * (th + label_h + PAD) + PAD), PAPER)
    draw = ImageDraw.Draw(sheet)
    heading = f"{fmt.name}, {len(timeline.scenes)} scenes, {clock(timeline.duration_ms)}"
    heading = f"{heading} \u2014 {title}" if title else heading  # facts first: the line reads left to right
    labels = [_label(book, heading, PAD, PAD, sheet.width - 2 * PAD, "bold", 20, INK)]
    for i, (still, scene) in enumerate(zip(stills, timeline.scenes)):
        x = PAD + (i % columns) * (tw + PAD)
        y = header_h + (i // columns) * (th + label_h + PAD)
        sheet.paste(thumbnail(still, (tw, th)), (x, y))
        draw.rectangle((x - 1, y - 1, x + tw, y + th), outline=(200, 200, 200))
        labels.append(_label(book, f"{i + 1}. {scene.kind}  {_span(scene, timeline)}", x, y + th + 4, tw,
                             "semibold", 15, INK))
        labels.append(_label(book, scene.title, x, y + th + 24, tw, "regular", 14, MUTED))
    ink = draw_elements(labels, sheet.size, book)
    sheet.paste(ink, (0, 0), ink)
    return sheet


def storyboard_png(stills: Sequence[bytes], timeline: Timeline, fmt: Format, book: FontBook, *,
                   title: str = "") -> bytes:
    buf = io.BytesIO()
    storyboard_image(stills, timeline, fmt, book, title=title).save(buf, "PNG", compress_level=3)  # half level 6's time, 6% larger
    return buf.getvalue()
