"""Stand-in picture: an assembly hall rostrum."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from .canvas import H, W, col, cols, glow, paint, rows, smooth_noise, vertical
from .finish import finish
from .layer import Layer, rotated_ellipse

__all__ = ["assembly"]


def assembly(rng: np.random.Generator) -> Image.Image:
    """A speaker at the rostrum of a great hall, before a U.N.-blue backdrop."""
    img = vertical([(0, "#070c18"), (0.35, "#0e1a30"), (0.7, "#132238"), (1, "#080c14")])
    y, x = rows(), cols()

    # Slatted side walls, lit from above.
    slats = Layer()
    for i in range(40):
        sx = i * 0.0125 * W
        for side in (sx, W - sx - 0.006 * W):
            if 0.30 * W < side < 0.70 * W:
                continue
            slats.rect(side, 0, side + 0.006 * W, 0.66 * H, "#2e271f", 110)
    slats.over(img, blur=2.5)
    img *= (0.55 + 0.45 * np.exp(-(((y - 0.25 * H) / (0.45 * H)) ** 2)))[..., None]

    # The blue backdrop with a soft globe-and-wreath emblem.
    panel = Layer()
    panel.rect(0.30 * W, 0.04 * H, 0.70 * W, 0.66 * H, "#ffffff")
    pm = panel.mask(blur=3)
    light = np.exp(-(((x - 0.5 * W) / (0.22 * W)) ** 2 + ((y - 0.28 * H) / (0.35 * H)) ** 2))
    blue = col("#16467e") + (col("#4d8fd1") - col("#16467e")) * light[..., None]
    paint(img, pm, blue)
    ex, ey, er = 0.5 * W, 0.27 * H, 0.13 * H
    emblem = Layer()
    emblem.ellipse(ex, ey, er, er, "#e8f1fb", width=5)
    for f in (0.25, 0.55, 0.82):
        emblem.ellipse(ex, ey, er * f, er, "#e8f1fb", width=3)
    for f in (-0.6, -0.25, 0.1, 0.45):
        half = er * math.sqrt(1 - f * f)
        emblem.line([(ex - half, ey + f * er), (ex + half, ey + f * er)], "#e8f1fb", 3)
    emblem.line([(ex, ey - er), (ex, ey + er)], "#e8f1fb", 3)
    for side in (-1, 1):
        for j in range(12):
            theta = math.radians(18 + j * 12.5)
            for ring, twist in ((1.16, 0.45), (1.30, -0.45)):
                lx = ex + side * ring * er * math.sin(theta)
                ly = ey + ring * er * math.cos(theta)
                tangent = math.atan2(-math.sin(theta), side * math.cos(theta))
                emblem.polygon(rotated_ellipse(lx, ly, 0.024 * H, 0.008 * H, tangent + side * twist, 18), "#e8f1fb")
    emblem.over(img, blur=1.5, opacity=0.32)

    # The presiding desk and the rostrum with a speaker.
    dais = Layer()
    dais.rect(0.0, 0.66 * H, W, 0.80 * H, "#1c2a2b")
    dais.rect(0.24 * W, 0.585 * H, 0.76 * W, 0.69 * H, "#243c38")
    dais.rect(0.24 * W, 0.585 * H, 0.76 * W, 0.592 * H, "#5f8578")
    for i in range(9):
        px = 0.27 * W + i * 0.058 * W
        dais.ellipse(px, 0.572 * H, 0.011 * H, 0.014 * H, "#0c1018", 200)
        dais.rect(px - 0.02 * H, 0.578 * H, px + 0.02 * H, 0.592 * H, "#0c1018", 200)
    dais.over(img, blur=1.0)
    sx, sy = 0.5 * W, 0.52 * H
    speaker = Layer()
    speaker.ellipse(sx, sy, 0.022 * H, 0.029 * H, "#0a0d14")
    speaker.polygon(
        [(sx - 0.075 * W, 0.70 * H), (sx - 0.062 * W, 0.585 * H), (sx - 0.03 * W, 0.56 * H), (sx - 0.008 * W, 0.553 * H),
         (sx + 0.008 * W, 0.553 * H), (sx + 0.03 * W, 0.56 * H), (sx + 0.062 * W, 0.585 * H), (sx + 0.075 * W, 0.70 * H)],
        "#0a0d14",
    )
    speaker.rect(sx - 0.012 * W, 0.54 * H, sx + 0.012 * W, 0.56 * H, "#0a0d14")
    speaker.over(img, blur=0.8)
    rim = Layer()
    rim.ellipse(sx - 3, sy - 3, 0.022 * H, 0.029 * H, "#9cc6ee", 90, width=2)
    rim.line([(sx - 0.062 * W, 0.588 * H), (sx - 0.03 * W, 0.562 * H), (sx - 0.008 * W, 0.555 * H)], "#9cc6ee", 3, 70)
    rim.line([(sx + 0.008 * W, 0.555 * H), (sx + 0.03 * W, 0.562 * H), (sx + 0.062 * W, 0.588 * H)], "#9cc6ee", 3, 70)
    rim.over(img, blur=2)
    rostrum = Layer()
    rostrum.polygon([(0.44 * W, 0.615 * H), (0.56 * W, 0.615 * H), (0.575 * W, 0.84 * H), (0.425 * W, 0.84 * H)], "#2b4a42")
    rostrum.rect(0.435 * W, 0.605 * H, 0.565 * W, 0.625 * H, "#6b9386")
    rostrum.line([(0.47 * W, 0.70 * H), (0.53 * W, 0.70 * H)], "#a9c3b6", 3, 120)
    for side in (-1, 1):
        rostrum.line([(sx + side * 0.012 * W, 0.612 * H), (sx + side * 0.006 * W, 0.575 * H)], "#0c0f14", 4)
        rostrum.ellipse(sx + side * 0.006 * W, 0.573 * H, 6, 8, "#0c0f14")
    rostrum.over(img, blur=0.8)
    marble = 0.88 + 0.24 * smooth_noise(rng, 40, 90)
    fall = np.clip(1.15 - (y - 0.585 * H) / (0.30 * H), 0.35, 1.15) * np.clip(1.0 - ((x - 0.5 * W) / (0.5 * W)) ** 2 * 0.6, 0.2, 1.0)
    lower = (y > 0.585 * H).astype(np.float32)
    img *= (1.0 + lower * (marble * fall - 1.0))[..., None]
    glow(img, 0.5 * W, 0.61 * H, 0.07 * W, "#ffe7c0", 0.25, ry=0.02 * H)

    # Light from the ceiling.
    beams = Layer()
    for bx in (0.36 * W, 0.64 * W):
        beams.polygon([(bx - 0.01 * W, 0), (bx + 0.01 * W, 0), (0.5 * W + (bx - 0.5 * W) * 0.15 + 0.05 * W, 0.8 * H),
                       (0.5 * W + (bx - 0.5 * W) * 0.15 - 0.05 * W, 0.8 * H)], "#cfe2ff", 26)
    beams.screen(img, blur=50)

    # Delegates in the foreground, out of focus.
    for row, (ry, scale, blur) in enumerate(((0.84 * H, 1.0, 5), (0.93 * H, 1.5, 10), (1.05 * H, 2.2, 18))):
        crowd = Layer()
        curve = lambda px: ry + 0.05 * H * ((px - 0.5 * W) / (0.5 * W)) ** 2 * scale  # noqa: E731
        crowd.polygon([(px, curve(px)) for px in np.linspace(-20, W + 20, 60)] + [(W + 20, H + 10), (-20, H + 10)], "#0a0d14")
        px = rng.uniform(-0.02, 0.03) * W
        while px < W:
            hr = rng.uniform(0.020, 0.026) * H * scale
            crowd.ellipse(px, curve(px) - hr * 1.2, hr * 0.82, hr, "#0b0e16")
            crowd.ellipse(px, curve(px) - hr * 0.1, hr * 1.9, hr * 0.9, "#0b0e16")
            px += rng.uniform(2.6, 4.8) * hr
        crowd.over(img, blur=blur)
        bokeh = Layer()
        for _ in range(6 + 4 * row):
            bx = rng.uniform(0, W)
            bokeh.ellipse(bx, curve(bx) + rng.uniform(0.005, 0.02) * H, 8 * scale, 8 * scale, "#ffd9a0" if rng.random() < 0.6 else "#a8d0ff", 110)
        bokeh.screen(img, blur=blur * 0.8 + 2)
    return finish(img, rng, vignette=0.5)
