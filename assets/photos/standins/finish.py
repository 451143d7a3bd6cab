"""The finish every stand-in gets: vignette and film grain, and the "STAND-IN IMAGE" mark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .canvas import Array, H, W, cols, rows

__all__ = ["FONT", "finish", "mark_box", "stamp"]

MARK = "STAND-IN IMAGE"
MARK_SIZE = 36
FONT = Path(__file__).resolve().parents[2] / "fonts" / "Inter-Medium.otf"


def finish(img: Array, rng: np.random.Generator, vignette: float = 0.35, grain: float = 0.012) -> Image.Image:
    """Vignette, film grain and quantise (``make_standins.render`` then marks it as a stand-in)."""
    d = ((cols() - W / 2) / (W / 2)) ** 2 + ((rows() - H / 2) / (H / 2)) ** 2
    img *= np.clip(1.0 - vignette * 0.5 * d, 0.0, 1.0)[..., None]
    small = rng.normal(0.0, grain, (H // 2, W // 2)).astype(np.float32)
    img += np.asarray(Image.fromarray(small).resize((W, H), Image.Resampling.BILINEAR))[..., None]
    return Image.fromarray((np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))


def mark_box(size: tuple[int, int], centre_x: float = 0.5, top: float = 0.11) -> tuple[int, int, int, int]:
    """Where the stand-in mark's letters are in an image of ``size``: ``(x, y, w, h)`` in pixels."""
    font = ImageFont.truetype(str(FONT), MARK_SIZE)
    width = font.getlength(MARK)
    x = round(min(max(size[0] * centre_x - width / 2, 0), size[0] - width))
    y = round(size[1] * top)
    left, top, right, bottom = font.getbbox(MARK)
    return x + left, y + top, right - left + 2, bottom - top + 2  # with its shadow


def stamp(im: Image.Image, centre_x: float = 0.5, top: float = 0.11) -> Image.Image:
    """Put the small semi-transparent stand-in mark near the top (``top`` of the height), centred at
    ``centre_x`` of the width: above the point the example's slow zoom moves toward, so the cover
    crops of every format (down to 9:16's narrow slice around that point) keep it, clear of
    claimreel's corner mark at top left and of a lower third moved up under it."""
    font = ImageFont.truetype(str(FONT), MARK_SIZE)
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    width = draw.textlength(MARK, font=font)
    x = round(min(max(im.width * centre_x - width / 2, 0), im.width - width))
    y = round(im.height * top)
    draw.text((x + 2, y + 2), MARK, font=font, fill=(0, 0, 0, 110))
    draw.text((x, y), MARK, font=font, fill=(255, 255, 255, 170))
    return Image.alpha_composite(im.convert("RGBA"), overlay).convert("RGB")
