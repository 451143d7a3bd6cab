"""Cover crops: a photo scaled to fill a box and cropped around its focus point.

Pure geometry, shared by layout (where a photo's focus lands on screen, so text
keeps clear of it) and compose (which scales and crops the pixels the same way).
"""

from __future__ import annotations

__all__ = ["cover_box", "focus_in_cover"]


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
