"""Static layers: a scene's elements drawn once with Pillow into an RGBA image.

:mod:`claimreel.compose.yuv` turns the drawing into premultiplied yuv420p planes
cropped to what was drawn, so blending touches just those pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter, ImageOps, features

from ..errors import AssetError
from ..layout.cover import contain_box, cover_box
from ..layout.elements import Element, ImageEl, RectEl, TextEl
from ..layout.text import FontBook, text_width
from ..layout.theme import hex_to_rgb

RAQM = features.check("raqm")

__all__ = ["draw_elements", "load_photo", "open_image"]


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


def open_image(path: Path, *, alpha: bool = False, cover: tuple[int, int] | None = None) -> Image.Image:
    """The image upright (EXIF orientation applied) as RGB, or RGBA with ``alpha``.

    CMYK, palette, greyscale and 16-bit images are converted; without ``alpha``,
    transparent parts are laid on black rather than showing whatever colour the
    file hides under them. With ``cover`` (the size the image will be scaled to
    cover), a JPEG is decoded at the smallest of its 1/2, 1/4 and 1/8 scales that
    still covers it: a half-size draft decodes a quarter of the pixels.
    """
    try:
        with Image.open(path) as img:
            if cover is not None and img.format == "JPEG":
                turned = img.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
                w, h, _, _ = cover_box(img.size, cover[::-1] if turned else cover, (0.5, 0.5))
                img.draft(None, (w, h))
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
    w, h, left, top = cover_box(img.size, size, focus)
    # Only the part that stays is resampled (a 16:9 photo in a 9:16 frame: a third of it).
    sx, sy = w / img.width, h / img.height
    return img.resize(size, Image.Resampling.LANCZOS, box=(left / sx, top / sy, (left + tw) / sx, (top + th) / sy))


FILL_BLUR = 0.035  # blur radius of a contained photo's fill, as a share of the frame's longer side
FILL_LEVEL = 0.45  # how bright the fill stays, so the photo itself stands out


def _contain(img: Image.Image, size: tuple[int, int], focus: tuple[float, float]) -> Image.Image:
    """The whole photo scaled to fit ``size``, on a blurred, darkened cover crop of itself."""
    fill = _cover(img, size, focus).filter(ImageFilter.GaussianBlur(max(size) * FILL_BLUR))
    fill = fill.point(lambda v: round(v * FILL_LEVEL))
    w, h, left, top = contain_box(img.size, size)
    fill.paste(img.resize((w, h), Image.Resampling.LANCZOS), (left, top))
    return fill


def load_photo(path: Path, size: tuple[int, int], focus: tuple[float, float], fit: str = "cover") -> np.ndarray:
    """A photo as an RGB array of ``size`` (upright per its EXIF orientation), cropped to cover it or,
    with ``fit="contain"``, whole on a blurred fill of itself."""
    img = open_image(path, cover=size)
    return np.asarray(_contain(img, size, focus) if fit == "contain" else _cover(img, size, focus))


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
    img = _cover(open_image(el.path, alpha=True, cover=(el.box.w, el.box.h)), (el.box.w, el.box.h), el.focus)
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
