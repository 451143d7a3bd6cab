"""The finish every stand-in gets: vignette and film grain, and the "STAND-IN IMAGE" mark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .canvas import Array, H, W, cols, rows

__all__ = ["FONT", "finish", "stamp"]

MARK = "STAND-IN IMAGE"
MARK_SIZE = 36
FONT = Path(__file__).resolve().parents[2] / "fonts" / "Inter-Medium.otf"


def finish(img: Array, rng: np.random.Generator, vignette: float = 0.35, grain: float = 0.012) -> Image.Image:
    """Vignette, film grain, quantise and mark an image as a stand-in."""
    d = ((cols() - W / 2) / (W / 2)) ** 2 + ((rows() - H / 2) / (H / 2)) ** 2
    img *= np.clip(1.0 - vignette * 0.5 * d, 0.0, 1.0)[..., None]
    small = rng.normal(0.0, grain, (H // 2, W // 2)).astype(np.float32)
    img += np.asarray(Image.fromarray(small).resize((W, H), Image.Resampling.BILINEAR))[..., None]
    out = Image.fromarray((np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))
    return stamp(out)


def stamp(im: Image.Image) -> Image.Image:
    """Put the small semi-transparent stand-in mark top centre, where the cover crops of every
    format (down to 9:16's narrow slice around a central focus) and the slow zoom keep it."""
    font = ImageFont.truetype(str(FONT), MARK_SIZE)
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    x = round((im.width - draw.textlength(MARK, font=font)) / 2)
    y = round(im.height * 0.11)
    draw.text((x + 2, y + 2), MARK, font=font, fill=(0, 0, 0, 110))
    draw.text((x, y), MARK, font=font, fill=(255, 255, 255, 170))
    return Image.alpha_composite(im.convert("RGBA"), overlay).convert("RGB")
