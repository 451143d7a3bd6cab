"""Shapes drawn supersampled on a transparent sheet (:class:`Layer`) and composited onto the canvas,
with the polygon helpers the pictures share."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .canvas import Array, H, Point, W, rgb

__all__ = ["Layer", "pointed_arch", "rotated_ellipse"]


class Layer:
    """Shapes drawn supersampled on a transparent RGBA sheet, then composited.

    Coordinates are full-image pixels; ``box`` limits the sheet to a region.
    """

    def __init__(self, box: tuple[int, int, int, int] = (0, 0, W, H), ss: int = 2) -> None:
        self.box = box
        self.ss = ss
        x0, y0, x1, y1 = box
        self.im = Image.new("RGBA", ((x1 - x0) * ss, (y1 - y0) * ss), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.im)

    def _pts(self, pts: Iterable[Point]) -> list[tuple[float, float]]:
        x0, y0 = self.box[0], self.box[1]
        return [((x - x0) * self.ss, (y - y0) * self.ss) for x, y in pts]

    @staticmethod
    def _fill(colour: str | tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
        c = rgb(colour) if isinstance(colour, str) else colour
        return (*c, alpha)

    def polygon(self, pts: Iterable[Point], colour: str | tuple[int, int, int], alpha: int = 255) -> None:
        self.draw.polygon(self._pts(pts), fill=self._fill(colour, alpha))

    def rect(self, x0: float, y0: float, x1: float, y1: float, colour: str | tuple[int, int, int], alpha: int = 255) -> None:
        self.polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], colour, alpha)

    def ellipse(
        self, cx: float, cy: float, rx: float, ry: float, colour: str | tuple[int, int, int], alpha: int = 255, width: float = 0
    ) -> None:
        (a, b), (c, d) = self._pts([(cx - rx, cy - ry), (cx + rx, cy + ry)])
        if width:
            self.draw.ellipse((a, b, c, d), outline=self._fill(colour, alpha), width=max(1, round(width * self.ss)))
        else:
            self.draw.ellipse((a, b, c, d), fill=self._fill(colour, alpha))

    def line(self, pts: Sequence[Point], colour: str | tuple[int, int, int], width: float, alpha: int = 255) -> None:
        self.draw.line(self._pts(pts), fill=self._fill(colour, alpha), width=max(1, round(width * self.ss)), joint="curve")

    def _sheet(self, blur: float) -> Image.Image:
        x0, y0, x1, y1 = self.box
        im = self.im.resize((x1 - x0, y1 - y0), Image.Resampling.BOX)
        if blur:
            im = im.convert("RGBa").filter(ImageFilter.GaussianBlur(blur)).convert("RGBA")
        return im

    def over(self, img: Array, blur: float = 0.0, opacity: float = 1.0) -> None:
        """Composite normally onto ``img``."""
        arr = np.asarray(self._sheet(blur), np.float32) / 255.0
        a = arr[..., 3:] * opacity
        x0, y0, x1, y1 = self.box
        region = img[y0:y1, x0:x1]
        region *= 1.0 - a
        region += arr[..., :3] * a

    def screen(self, img: Array, blur: float = 0.0, opacity: float = 1.0) -> None:
        """Screen-blend as light onto ``img``."""
        arr = np.asarray(self._sheet(blur), np.float32) / 255.0
        light = arr[..., :3] * arr[..., 3:] * opacity
        x0, y0, x1, y1 = self.box
        region = img[y0:y1, x0:x1]
        region[:] = 1.0 - (1.0 - region) * (1.0 - light)

    def mask(self, blur: float = 0.0) -> Array:
        """The coverage as a full-size H×W mask."""
        out = np.zeros((H, W), np.float32)
        x0, y0, x1, y1 = self.box
        out[y0:y1, x0:x1] = np.asarray(self._sheet(blur), np.float32)[..., 3] / 255.0
        return out


def rotated_ellipse(cx: float, cy: float, rx: float, ry: float, angle: float, n: int = 40) -> list[Point]:
    """Polygon points of an ellipse turned by ``angle`` radians."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + rx * math.cos(a) * ca - ry * math.sin(a) * sa, cy + rx * math.cos(a) * sa + ry * math.sin(a) * ca) for a in t]


def pointed_arch(cx: float, bottom: float, width: float, height: float, n: int = 24) -> list[Point]:
    """A two-centred (pointed) arch opening as a polygon."""
    r = width * 0.8
    spring = bottom - height + math.sqrt(r**2 - (r - width / 2) ** 2)
    left_c, right_c = cx - width / 2 + r, cx + width / 2 - r
    apex_angle = math.acos((r - width / 2) / r)
    pts: list[Point] = [(cx - width / 2, bottom)]
    for a in np.linspace(math.pi, math.pi - (math.pi - apex_angle), n):
        pts.append((left_c + r * math.cos(a), spring - r * math.sin(a)))
    for a in np.linspace(apex_angle, 0.0, n):
        pts.append((right_c + r * math.cos(a), spring - r * math.sin(a)))
    pts.append((cx + width / 2, bottom))
    return pts
