"""``poster.jpg`` and ``storyboard.png``, drawn from the laid-out scenes (no video is decoded).

Each picture is a frame that :class:`claimreel.compose.frames.SceneFrames` draws
exactly as the encoder receives it, taken mid-scene (after the entrance motion,
before the exit fade), without burned-in captions. The poster is the verdict
scene; the storyboard is a contact sheet with one thumbnail per scene, labelled
with its time span and scene type.
"""

from __future__ import annotations

import io
import math
from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw

from ..compose.frames import SceneFrames
from ..layout.elements import SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..timeline.model import Scene, Timeline, frame_to_ms
from .transcript import clock

__all__ = ["poster_jpeg", "scene_still", "storyboard_image", "storyboard_png"]

THUMB = 320  # the longer side of a storyboard thumbnail, in pixels
PAD = 16
INK, MUTED, PAPER = (26, 26, 26), (80, 80, 80), (255, 255, 255)


def scene_still(layout: SceneLayout, scene: Scene, fmt: Format, theme: Theme, book: FontBook) -> np.ndarray:
    """The RGB frame in the middle of ``scene`` (motion settled, no captions)."""
    frames = SceneFrames(layout, fmt, theme, book, scene.frames)
    return frames.frame(scene.frames // 2)


def poster_jpeg(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme,
                book: FontBook, *, quality: int = 88) -> bytes:
    """The verdict scene's frame as JPEG (the first scene's if a timeline had no verdict)."""
    index = next((i for i, s in enumerate(timeline.scenes) if s.kind == "verdict"), 0)
    still = scene_still(layouts[index], timeline.scenes[index], fmt, theme, book)
    buf = io.BytesIO()
    Image.fromarray(still).save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
    return buf.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> str:
    if draw.textlength(text, font=font) <= width:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "\u2026", font=font) > width:  # type: ignore[arg-type]
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _span(scene: Scene, timeline: Timeline) -> str:
    start = frame_to_ms(scene.start_frame, timeline.fps)
    end = frame_to_ms(scene.end_frame, timeline.fps)
    return f"{clock(start)}\u2013{clock(end)}"


def storyboard_image(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme,
                     book: FontBook, *, title: str = "") -> Image.Image:
    """The contact sheet: a header, then one labelled thumbnail per scene in playing order."""
    scale = THUMB / max(fmt.width, fmt.height)
    tw, th = round(fmt.width * scale), round(fmt.height * scale)
    columns = max(3, min(6, 1500 // (tw + PAD)))
    rows = math.ceil(len(timeline.scenes) / columns)
    label_h, header_h = 48, 56
    sheet = Image.new("RGB", (PAD + columns * (tw + PAD), header_h + rows * (th + label_h + PAD) + PAD), PAPER)
    draw = ImageDraw.Draw(sheet)
    bold, regular, small = book.font("bold", 20), book.font("semibold", 15), book.font("regular", 14)
    heading = f"{title} \u2014 " if title else ""
    heading += f"{fmt.name}, {len(timeline.scenes)} scenes, {clock(timeline.duration_ms)}"
    draw.text((PAD, PAD), _fit(draw, heading, bold, sheet.width - 2 * PAD), font=bold, fill=INK)
    for i, (layout, scene) in enumerate(zip(layouts, timeline.scenes)):
        x = PAD + (i % columns) * (tw + PAD)
        y = header_h + (i // columns) * (th + label_h + PAD)
        still = Image.fromarray(scene_still(layout, scene, fmt, theme, book)).resize((tw, th), Image.LANCZOS)
        sheet.paste(still, (x, y))
        draw.rectangle((x - 1, y - 1, x + tw, y + th), outline=(200, 200, 200))
        draw.text((x, y + th + 6), _fit(draw, f"{i + 1}. {scene.kind}  {_span(scene, timeline)}", regular, tw),
                  font=regular, fill=INK)
        draw.text((x, y + th + 26), _fit(draw, scene.title, small, tw), font=small, fill=MUTED)
    return sheet


def storyboard_png(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme,
                   book: FontBook, *, title: str = "") -> bytes:
    buf = io.BytesIO()
    storyboard_image(layouts, timeline, fmt, theme, book, title=title).save(buf, "PNG", optimize=True)
    return buf.getvalue()
