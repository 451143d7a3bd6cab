"""Stand-in picture: documents under a lamp."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from .canvas import H, Point, W, cols, glow, lerp_hex, rows, smooth_noise, vertical
from .finish import finish
from .layer import Layer, rotated_ellipse

__all__ = ["documents"]


def documents(rng: np.random.Generator) -> Image.Image:
    """A stack of official papers and folders on a desk in a pool of lamplight."""
    img = vertical([(0, "#0b0908"), (0.45, "#15100c"), (0.47, "#2a1a10"), (1, "#120b07")])
    y, x = rows(), cols()
    grain = smooth_noise(rng, 120, 6) * 0.6 + smooth_noise(rng, 300, 10) * 0.4
    desk = (y > 0.47 * H).astype(np.float32)
    img *= (1 + desk * (grain - 0.5) * 0.5)[..., None]
    bokeh = Layer((0, 0, W, int(0.5 * H)))
    for _ in range(26):
        bx, by = rng.uniform(0.35, 1.0) * W, rng.uniform(0.05, 0.38) * H
        r = rng.uniform(14, 40)
        bokeh.ellipse(bx, by, r, r, "#ffcf96" if rng.random() < 0.7 else "#9fc2e8", int(rng.uniform(25, 70)))
    bokeh.screen(img, blur=10)

    # The lamp: base, arm, shade, and its light pool.
    lamp = Layer()
    lamp.ellipse(0.13 * W, 0.79 * H, 0.06 * W, 0.018 * H, "#17120f")
    lamp.line([(0.13 * W, 0.78 * H), (0.10 * W, 0.40 * H), (0.24 * W, 0.17 * H)], "#1c1612", 22)
    lamp.ellipse(0.10 * W, 0.40 * H, 16, 16, "#2a221c")
    lamp.polygon([(0.21 * W, 0.12 * H), (0.27 * W, 0.10 * H), (0.35 * W, 0.30 * H), (0.25 * W, 0.33 * H)], "#1e2a22")
    lamp.over(img)
    rim = Layer()
    rim.line([(0.27 * W, 0.10 * H), (0.35 * W, 0.30 * H)], "#c9a36b", 3, 180)
    rim.over(img, blur=1.5)
    mouth = Layer()
    mouth.polygon(rotated_ellipse(0.30 * W, 0.315 * H, 0.052 * W, 0.011 * H, -0.29), "#fff3d4")
    mouth.over(img, blur=2)
    glow(img, 0.30 * W, 0.33 * H, 0.06 * W, "#ffd89a", 0.6)
    pool = np.exp(-(((x - 0.50 * W) / (0.40 * W)) ** 2 + ((y - 0.72 * H) / (0.30 * H)) ** 2))
    img *= (1.0 + 1.8 * pool * (y > 0.47 * H))[..., None]

    # The stack: sheets drawn bottom-up, each with a visible edge, some of them folders.
    fl, fr, br, bl = (0.40 * W, 0.86 * H), (0.76 * W, 0.83 * H), (0.70 * W, 0.62 * H), (0.44 * W, 0.64 * H)
    centre = ((fl[0] + br[0]) / 2, (fl[1] + br[1]) / 2)
    stack = Layer()
    shadow = Layer()
    shadow.polygon([(fl[0] + 60, fl[1] + 10), (fr[0] + 90, fr[1] + 10), (br[0] + 120, br[1] - 10), (bl[0] + 100, bl[1])], "#000000", 170)
    shadow.over(img, blur=45)
    n, t = 44, 4.2

    def sheet(i: int, grow: float = 1.0) -> list[Point]:
        a = rng.normal(0, 0.008)
        dx, dy = rng.normal(0, 5), rng.normal(0, 3)
        ca, sa = math.cos(a), math.sin(a)
        pts = []
        for px, py in (fl, fr, br, bl):
            qx, qy = (px - centre[0]) * grow, (py - centre[1]) * grow
            pts.append((centre[0] + qx * ca - qy * sa + dx, centre[1] + qx * sa + qy * ca + dy - i * t))
        return pts

    for i in range(n):
        folder = i in (9, 23, 34)
        pts = sheet(i, 1.03 if folder else 1.0)
        face = lerp_hex("#cfa66a", "#b88c52", rng.random()) if folder else lerp_hex("#f1ece1", "#e0d6c2", rng.random() ** 2)
        edge = lerp_hex("#a07a44", "#8a6634", rng.random()) if folder else lerp_hex("#d9cfbd", "#c2b59c", rng.random())
        thick = t * (1.6 if folder else 1.0)
        (a_, b_, c_, d_) = pts
        stack.polygon([a_, b_, (b_[0], b_[1] + thick), (a_[0], a_[1] + thick)], edge)
        stack.polygon([b_, c_, (c_[0], c_[1] + thick), (b_[0], b_[1] + thick)], lerp_hex(edge, "#5a4a38", 0.35))
        stack.line([(a_[0], a_[1] + thick), (b_[0], b_[1] + thick), (c_[0], c_[1] + thick)], "#3b3025", 1.2, 160)
        if folder:
            tab_u = 0.62
            tx0 = b_[0] + (c_[0] - b_[0]) * tab_u
            ty0 = b_[1] + (c_[1] - b_[1]) * tab_u
            stack.polygon([(tx0, ty0), (tx0 + 0.03 * W, ty0 - 0.01 * H), (tx0 + 0.028 * W, ty0 - 0.045 * H), (tx0 - 4, ty0 - 0.04 * H)], face)
        stack.polygon(pts, face)
    top = sheet(n, 1.0)

    def at(u: float, v: float) -> Point:
        (a_, b_, c_, d_) = top
        front = (a_[0] + (b_[0] - a_[0]) * u, a_[1] + (b_[1] - a_[1]) * u)
        back = (d_[0] + (c_[0] - d_[0]) * u, d_[1] + (c_[1] - d_[1]) * u)
        return (front[0] + (back[0] - front[0]) * v, front[1] + (back[1] - front[1]) * v)

    stack.polygon(top, "#f4efe5")
    stack.over(img, blur=0.5)
    ink = Layer()
    for k, v in enumerate(np.linspace(0.84, 0.12, 24)):
        if k in (2, 11):
            continue
        start = 0.12 + (0.05 if k in (3, 12) else 0.0)
        end = 0.88 - (rng.uniform(0.0, 0.45) if rng.random() < 0.25 else rng.uniform(0.0, 0.04))
        ink.polygon([at(start, v), at(end, v), at(end, v - 0.009), at(start, v - 0.009)], "#5a554e", 150)
    for v, end in ((0.93, 0.55), (0.905, 0.42)):
        ink.polygon([at(0.30, v), at(end + 0.15, v), at(end + 0.15, v - 0.014), at(0.30, v - 0.014)], "#3e3a35", 170)
    seal = at(0.74, 0.2)
    ink.ellipse(seal[0], seal[1], 0.028 * W, 0.022 * H, "#b0322b", 120, width=5)
    ink.ellipse(seal[0], seal[1], 0.021 * W, 0.016 * H, "#b0322b", 80, width=2)
    ink.over(img, blur=1.6)
    clip = Layer()
    c0, c1 = at(0.2, 1.0), at(0.2, 0.86)
    clip.line([c0, c1, (c1[0] + 14, c1[1]), (c0[0] + 14, c0[1] - 10)], "#9aa0a6", 4, 230)
    clip.over(img, blur=0.8)

    # A pen in front of the stack.
    pen = Layer()
    pen.line([(0.30 * W, 0.93 * H), (0.47 * W, 0.885 * H)], "#0d0f14", 16)
    pen.line([(0.31 * W, 0.925 * H), (0.46 * W, 0.884 * H)], "#8a8f99", 3, 140)
    pen.over(img, blur=1.0)
    img *= (0.55 + 0.75 * np.exp(-(((x - 0.52 * W) / (0.45 * W)) ** 2 + ((y - 0.72 * H) / (0.42 * H)) ** 2)))[..., None]
    return finish(img, rng, vignette=0.5, grain=0.012)
