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

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..compose.frames import SceneFrames
from ..layout.elements import SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme
from ..timeline.model import Scene, Timeline, frame_to_ms
from .transcript import clock

__all__ = ["poster_jpeg", "scene_still", "scene_stills", "storyboard_image", "storyboard_png"]

THUMB = 320  # the longer side of a storyboard thumbnail, in pixels
PAD = 16
INK, MUTED, PAPER = (26, 26, 26), (80, 80, 80), (255, 255, 255)


def scene_still(layout: SceneLayout, scene: Scene, fmt: Format, theme: Theme, book: FontBook) -> np.ndarray:
    """The RGB frame in the middle of ``scene`` (motion settled, no captions)."""
    frames = SceneFrames(layout, fmt, theme, book, scene.frames)
    return frames.rgb(scene.frames // 2)


def scene_stills(layouts: Sequence[SceneLayout], timeline: Timeline, fmt: Format, theme: Theme,
                 book: FontBook) -> list[np.ndarray]:
    """One still per scene, in playing order (draw once, use for poster and storyboard)."""
    return [scene_still(layout, scene, fmt, theme, book) for layout, scene in zip(layouts, timeline.scenes)]


def poster_jpeg(stills: Sequence[np.ndarray], timeline: Timeline, *, quality: int = 88) -> bytes:
    """The verdict scene's still as JPEG (the first scene's if a timeline had no verdict)."""
    index = next((i for i, s in enumerate(timeline.scenes) if s.kind == "verdict"), 0)
    buf = io.BytesIO()
    Image.fromarray(stills[index]).save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
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


def storyboard_image(stills: Sequence[np.ndarray], timeline: Timeline, fmt: Format, book: FontBook, *,
                     title: str = "") -> Image.Image:
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
    for i, (still, scene) in enumerate(zip(stills, timeline.scenes)):
        x = PAD + (i % columns) * (tw + PAD)
        y = header_h + (i // columns) * (th + label_h + PAD)
        sheet.paste(Image.fromarray(cv2.resize(still, (tw, th), interpolation=cv2.INTER_AREA)), (x, y))
        draw.rectangle((x - 1, y - 1, x + tw, y + th), outline=(200, 200, 200))
        draw.text((x, y + th + 6), _fit(draw, f"{i + 1}. {scene.kind}  {_span(scene, timeline)}", regular, tw),
                  font=regular, fill=INK)
        draw.text((x, y + th + 26), _fit(draw, scene.title, small, tw), font=small, fill=MUTED)
    return sheet


def storyboard_png(stills: Sequence[np.ndarray], timeline: Timeline, fmt: Format, book: FontBook, *,
                   title: str = "") -> bytes:
    buf = io.BytesIO()
    storyboard_image(stills, timeline, fmt, book, title=title).save(buf, "PNG", compress_level=6)
    return buf.getvalue()
