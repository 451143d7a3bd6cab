"""Static layers: a scene's elements drawn once with Pillow into cropped RGBA layers.

A :class:`Layer` keeps only the bounding box of what was drawn, with colour
premultiplied by alpha, so blending it onto a frame touches just those pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageOps, features

from ..errors import AssetError
from ..layout.elements import Element, ImageEl, RectEl, TextEl
from ..layout.text import FontBook, text_width
from ..layout.theme import hex_to_rgb

RAQM = features.check("raqm")

__all__ = ["Layer", "blend", "draw_layer", "load_photo"]


@dataclass(frozen=True, eq=False)
class Layer:
    """Premultiplied RGB (float32, 0..255) and alpha (float32, 0..1) inside ``(x, y)``."""

    x: int
    y: int
    rgb: np.ndarray
    alpha: np.ndarray

    @property
    def empty(self) -> bool:
        return self.rgb.size == 0

    @staticmethod
    def from_image(image: Image.Image, origin: tuple[int, int] = (0, 0)) -> "Layer":
        bbox = image.getbbox()
        if bbox is None:
            return Layer(0, 0, np.zeros((0, 0, 3), np.float32), np.zeros((0, 0), np.float32))
        crop = np.asarray(image.crop(bbox), dtype=np.float32)
        alpha = crop[..., 3] / 255.0
        rgb = crop[..., :3] * alpha[..., None]
        return Layer(origin[0] + bbox[0], origin[1] + bbox[1], rgb, alpha)


def blend(frame: np.ndarray, layer: Layer, opacity: float = 1.0, dy: int = 0) -> None:
    """Blend ``layer`` onto ``frame`` (H×W×3 uint8) in place, faded by ``opacity``, moved by ``dy``."""
    if layer.empty or opacity <= 0:
        return
    h, w = frame.shape[:2]
    y0, x0 = layer.y + dy, layer.x
    y1, x1 = y0 + layer.rgb.shape[0], x0 + layer.rgb.shape[1]
    cy0, cx0, cy1, cx1 = max(y0, 0), max(x0, 0), min(y1, h), min(x1, w)
    if cy0 >= cy1 or cx0 >= cx1:
        return
    sub = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
    rgb, alpha = layer.rgb[sub], layer.alpha[sub]
    if opacity < 1:
        rgb, alpha = rgb * opacity, alpha * opacity
    target = frame[cy0:cy1, cx0:cx1]
    out = rgb + target.astype(np.float32) * (1.0 - alpha)[..., None]
    np.clip(out + 0.5, 0, 255, out=out)
    target[...] = out.astype(np.uint8)


def _to_8bit(img: Image.Image) -> Image.Image:
    """16-bit and float greyscale (``I;16``, ``I``, ``F``) scaled to 8 bits; Pillow would clip them."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        return Image.fromarray(np.clip(arr * (255.0 / top) + 0.5, 0, 255).astype(np.uint8))
    if img.mode == "F":
        arr = np.asarray(img, dtype=np.float64)
        top = 1.0 if arr.max() <= 1.0 else 255.0
        return Image.fromarray(np.clip(arr * (255.0 / top) + 0.5, 0, 255).astype(np.uint8))
    return img


def _open_image(path: Path, *, alpha: bool = False) -> Image.Image:
    """The image upright (EXIF orientation applied) as RGB, or RGBA with ``alpha``.

    CMYK, palette, greyscale and 16-bit images are converted; without ``alpha``,
    transparent parts are laid on black rather than showing whatever colour the
    file hides under them.
    """
    try:
        with Image.open(path) as img:
            img = _to_8bit(ImageOps.exif_transpose(img))
            has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
            if not has_alpha:
                return img.convert("RGBA" if alpha else "RGB")
            rgba = img.convert("RGBA")
            if alpha:
                return rgba
            flat = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
            flat.alpha_composite(rgba)
            return flat.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise AssetError(path, f"cannot read image ({exc})", "replace it with a valid JPEG or PNG") from None


def _cover(img: Image.Image, size: tuple[int, int], focus: tuple[float, float]) -> Image.Image:
    """Scale to cover ``size`` and crop around ``focus``."""
    tw, th = size
    scale = max(tw / img.width, th / img.height)
    w, h = max(tw, round(img.width * scale)), max(th, round(img.height * scale))
    img = img.resize((w, h), Image.Resampling.LANCZOS)
    left = min(max(round(focus[0] * w - tw / 2), 0), w - tw)
    top = min(max(round(focus[1] * h - th / 2), 0), h - th)
    return img.crop((left, top, left + tw, top + th))


def load_photo(path: Path, size: tuple[int, int], focus: tuple[float, float]) -> np.ndarray:
    """A photo as an RGB array that covers ``size`` (upright per its EXIF orientation)."""
    return np.asarray(_cover(_open_image(path), size, focus))


def _draw_text(draw: ImageDraw.ImageDraw, el: TextEl, book: FontBook) -> None:
    """Each line as font runs (fallback per character) in visual order, on one shared baseline."""
    ascent, descent = book.font(el.weight, el.size).getmetrics()
    fill = hex_to_rgb(el.color) + (255,)
    stroke: dict[str, object] = {}
    if el.stroke and el.stroke_color:
        stroke = {"stroke_width": el.stroke, "stroke_fill": hex_to_rgb(el.stroke_color) + (255,)}
    for i, line in enumerate(el.lines):
        runs = book.runs(el.weight, el.size, line)
        width = sum(text_width(font, text, d) for font, text, d in runs)
        cy = el.box.y + i * el.line_height + el.line_height / 2
        baseline = cy + (ascent - descent) / 2
        if el.align == "center":
            x = el.box.x + (el.box.w - width) / 2
        elif el.align == "right":
            x = el.box.right - width
        else:
            x = el.box.x
        for font, text, d in runs:
            if RAQM:
                draw.text((x, baseline), text, font=font, fill=fill, anchor="ls", direction=d, **stroke)
            else:
                draw.text((x, baseline), text, font=font, fill=fill, anchor="ls", **stroke)
            x += text_width(font, text, d)


def _draw_image(canvas: Image.Image, el: ImageEl) -> None:
    img = _cover(_open_image(el.path, alpha=True), (el.box.w, el.box.h), el.focus)
    if el.circle:
        scale = 4
        mask = Image.new("L", (el.box.w * scale, el.box.h * scale), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, el.box.w * scale - 1, el.box.h * scale - 1), fill=255)
        circle = mask.resize((el.box.w, el.box.h), Image.Resampling.LANCZOS)
        img.putalpha(ImageChops.multiply(img.getchannel("A"), circle))
    canvas.alpha_composite(img, (el.box.x, el.box.y))


def _draw_rect(canvas: Image.Image, el: RectEl) -> None:
    if el.opacity <= 0:
        return
    shape = Image.new("RGBA", (el.box.w, el.box.h), (0, 0, 0, 0))
    fill = hex_to_rgb(el.color) + (round(255 * el.opacity),)
    d = ImageDraw.Draw(shape)
    if el.radius:
        d.rounded_rectangle((0, 0, el.box.w - 1, el.box.h - 1), radius=el.radius, fill=fill)
    else:
        d.rectangle((0, 0, el.box.w - 1, el.box.h - 1), fill=fill)
    canvas.alpha_composite(shape, (el.box.x, el.box.y))


def draw_elements(elements: Iterable[Element], size: tuple[int, int], book: FontBook) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    for el in elements:
        if isinstance(el, TextEl):
            _draw_text(draw, el, book)
        elif isinstance(el, RectEl):
            _draw_rect(canvas, el)
        else:
            _draw_image(canvas, el)
    return canvas


def draw_layer(elements: Sequence[Element], size: tuple[int, int], book: FontBook) -> Layer:
    return Layer.from_image(draw_elements(elements, size, book))
