"""Fitting a photo to a frame: a cover crop (scaled to fill, cropped around its focus point) or a
contain fit (the whole photo, scaled to fit, on a blurred fill of itself).

Geometry shared by layout (where a photo's focus lands on screen, so text keeps
clear of it, and how big a logo is) and compose (which scales and crops the
pixels the same way).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import AssetError

__all__ = ["FITS", "contain_box", "cover_box", "cover_kept", "focus_in_cover", "focus_in_fit", "upright_size"]

#: How a photo fills a frame: ``cover`` crops it to fill the frame; ``contain`` shows all of it.
FITS = ("cover", "contain")


@functools.lru_cache(maxsize=64)
def upright_size(path: Path) -> tuple[int, int]:
    """An image's size as drawn (EXIF orientation applied), read from its header without decoding it."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            w, h = img.size
            # EXIF orientations 5-8 turn the picture a quarter turn.
            return (h, w) if img.getexif().get(0x0112, 1) in (5, 6, 7, 8) else (w, h)
    except (OSError, ValueError) as exc:
        raise AssetError(path, f"cannot read image ({exc})", "replace it with a valid JPEG or PNG") from None


def cover_box(src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float]
              ) -> tuple[int, int, int, int]:
    """``(scaled width, scaled height, left, top)``: the photo scaled to cover ``size``, cropped around ``focus``."""
    tw, th = size
    scale = max(tw / src[0], th / src[1])
    w, h = max(tw, round(src[0] * scale)), max(th, round(src[1] * scale))
    left = min(max(round(focus[0] * w - tw / 2), 0), w - tw)
    top = min(max(round(focus[1] * h - th / 2), 0), h - th)
    return w, h, left, top


def focus_in_cover(src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float]) -> tuple[float, float]:
    """Where the focus point of a ``src``-sized photo lands in its cover crop of ``size``, in pixels."""
    w, h, left, top = cover_box(src, size, focus)
    return focus[0] * w - left, focus[1] * h - top


def cover_kept(src: tuple[int, int], size: tuple[int, int]) -> float:
    """The share of a ``src``-sized photo a cover crop of ``size`` keeps (1.0: all of it)."""
    scale = max(size[0] / src[0], size[1] / src[1])
    return min(1.0, size[0] * size[1] / (src[0] * scale * src[1] * scale))


def contain_box(src: tuple[int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """``(scaled width, scaled height, left, top)``: the whole photo scaled to fit ``size``, centred in it."""
    tw, th = size
    scale = min(tw / src[0], th / src[1])
    w, h = min(tw, round(src[0] * scale)), min(th, round(src[1] * scale))
    return w, h, (tw - w) // 2, (th - h) // 2


def focus_in_fit(src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float], fit: str
                 ) -> tuple[float, float]:
    """Where the focus point of a ``src``-sized photo lands in a frame of ``size`` filled with ``fit``."""
    if fit == "contain":
        w, h, left, top = contain_box(src, size)
        return left + focus[0] * w, top + focus[1] * h
    return focus_in_cover(src, size, focus)
