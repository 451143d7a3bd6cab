"""Stand-in picture: a lakeside palace with flags."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

from .canvas import H, W, below, cols, lerp_hex, paint, ridge, rows, smooth_noise, vertical
from .finish import finish
from .layer import Layer

__all__ = ["geneva"]


def geneva(rng: np.random.Generator) -> Image.Image:
    """A long neoclassical lakeside facade in Geneva, with flags on the quay."""
    img = vertical([(0, "#4f7fb4"), (0.3, "#8fb0d1"), (0.5, "#d5e0e8"), (0.75, "#e4e9ec"), (1, "#e4e9ec")])
    y, x = rows(), cols()
    cloud = np.clip((0.7 * smooth_noise(rng, 14, 8) + 0.3 * smooth_noise(rng, 36, 18) - 0.48) * 2.2, 0, 1)
    paint(img, cloud * np.exp(-(((y - 0.14 * H) / (0.16 * H)) ** 2)), "#f4f6f8", 0.7)
    paint(img, below(ridge(rng, 0.50 * H, 0.02 * H, tilt=0.05 * H)), "#a9b7c6", 0.8)

    top, cornice, ground = 0.30 * H, 0.375 * H, 0.715 * H
    left, right = 0.06 * W, 0.95 * W
    stone = vertical([(0, "#e7dcc3"), (0.4, "#e4d8bd"), (0.72, "#cdbf9f"), (1, "#cdbf9f")])
    stone *= (1.0 - 0.13 * np.clip((x - left) / (right - left), 0, 1))[..., None]
    body = Layer()
    body.rect(left, cornice, right, ground, "#ffffff")
    body.rect(0.41 * W, cornice - 0.02 * H, 0.59 * W, ground, "#ffffff")
    paint(img, body.mask(), stone)
    roof = Layer()
    roof.polygon([(left - 8, cornice), (right + 8, cornice), (right - 0.012 * W, top), (left + 0.012 * W, top)], "#55606f")
    roof.polygon([(0.41 * W, cornice - 0.02 * H), (0.59 * W, cornice - 0.02 * H), (0.575 * W, 0.245 * H), (0.425 * W, 0.245 * H)], "#4c5665")
    roof.rect(0.425 * W, 0.238 * H, 0.575 * W, 0.247 * H, "#3e4654")
    for cx in (0.12 * W, 0.3 * W, 0.7 * W, 0.88 * W):
        roof.rect(cx, top - 0.035 * H, cx + 0.012 * W, top + 2, "#8a7766")
    dormers = np.linspace(left + 0.03 * W, right - 0.03 * W, 22)
    for dx in dormers:
        if 0.41 * W < dx < 0.59 * W:
            continue
        roof.rect(dx - 0.009 * W, top + 0.018 * H, dx + 0.009 * W, cornice - 0.006 * H, "#e9e1cf")
        roof.polygon([(dx - 0.012 * W, top + 0.02 * H), (dx, top + 0.004 * H), (dx + 0.012 * W, top + 0.02 * H)], "#e9e1cf")
        roof.rect(dx - 0.006 * W, top + 0.024 * H, dx + 0.006 * W, cornice - 0.008 * H, "#46505e")
    roof.over(img, blur=0.7)
    paint(img, np.exp(-(((y - 0.27 * H) / (0.08 * H)) ** 2)) * np.ones((1, W), np.float32), "#dfe8f0", 0.12)

    facade = Layer()
    floors = [(0.39, 0.455), (0.47, 0.535), (0.55, 0.615), (0.635, 0.70)]
    columns = np.linspace(left + 0.022 * W, right - 0.022 * W, 27)
    for fi, (a, b) in enumerate(floors):
        facade.rect(left, a * H - 0.012 * H, right, a * H - 0.008 * H, "#f4ecda")
        facade.rect(left, a * H - 0.008 * H, right, a * H - 0.004 * H, "#a89878", 150)
        for wx in columns:
            ww = 0.0085 * W
            if fi == 3:
                facade.rect(wx - ww, a * H, wx + ww, b * H, "#f1e8d5")
                facade.rect(wx - ww + 6, a * H + 6, wx + ww - 6, b * H, "#2f3a46")
                continue
            facade.rect(wx - ww - 5, a * H - 5, wx + ww + 5, b * H + 5, "#f6efe0")
            for j in range(8):
                gy = a * H + (b - a) * H * j / 8
                facade.rect(wx - ww, gy, wx + ww, gy + (b - a) * H / 8 + 1, lerp_hex("#7a93ab", "#2d3946", j / 7))
            facade.rect(wx - 2, a * H, wx + 2, b * H, "#e9e1cf")
            facade.rect(wx - ww, (a + b) / 2 * H - 2, wx + ww, (a + b) / 2 * H + 2, "#e9e1cf")
            if fi == 1:
                facade.rect(wx - ww - 10, b * H + 2, wx + ww + 10, b * H + 10, "#bfb192")
                facade.rect(wx - ww - 10, a * H - 16, wx + ww + 10, a * H - 9, "#f6efe0")
    facade.rect(left, cornice - 4, right, cornice + 0.012 * H, "#f7f0e2")
    facade.rect(left, cornice + 0.012 * H, right, cornice + 0.018 * H, "#9c8d70", 160)
    facade.rect(0.405 * W, cornice + 0.018 * H, 0.41 * W, ground, "#b3a583", 110)
    facade.rect(0.59 * W, cornice + 0.018 * H, 0.595 * W, ground, "#b3a583", 150)
    facade.over(img, blur=0.6)
    paint(img, np.clip((x - left) / (right - left), 0, 1) * ((y > cornice) & (y < ground)), "#5b5a66", 0.12)

    # Quay, trees and flagpoles.
    quay = Layer()
    quay.rect(0, ground, W, 0.75 * H, "#b8ae9c")
    quay.rect(0, 0.742 * H, W, 0.756 * H, "#6f6a63")
    quay.over(img)
    trees = Layer()
    clumps = [(0.02 * W, 0.50 * H, 0.16 * W), (0.98 * W, 0.53 * H, 0.13 * W)]
    clumps += [(0.1 * W + i * 0.055 * W, ground - 0.025 * H, 0.03 * W) for i in range(16)]
    for cx, cy, size in clumps:
        for _ in range(int(900 * size / W * 10) + 40):
            a, rad = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
            u, v = 0.85 * rad * math.cos(a), 0.3 + 1.3 * rad * math.sin(a)
            tx, ty = cx + u * size, cy + v * size * 0.55
            if ty > 0.745 * H:
                continue
            r = rng.uniform(0.05, 0.12) * size
            light = np.clip(0.65 - 0.35 * v - 0.25 * u + rng.normal(0, 0.15), 0, 1)
            trees.ellipse(tx, ty, r, r * 0.85, lerp_hex("#1f3219", "#7d9a57", float(light)))
    trees.over(img, blur=1.6)
    flags = Layer()
    for i in range(7):
        fx = 0.29 * W + i * 0.07 * W
        flags.rect(fx - 4, 0.47 * H, fx + 4, 0.745 * H, "#f2f2f0")
        flags.ellipse(fx, 0.468 * H, 7, 7, "#c9a24a")
        phase = rng.uniform(0, 2 * math.pi)
        n = 24
        xs = [fx + 6 + 0.05 * W * t / (n - 1) for t in range(n)]
        wave = [0.006 * H * math.sin(2.6 * math.pi * t / (n - 1) + phase) * t / (n - 1) for t in range(n)]
        top_edge = [(px, 0.478 * H + w) for px, w in zip(xs, wave)]
        bottom_edge = [(px, 0.532 * H + w * 1.3) for px, w in zip(xs, wave)]
        for t in range(n - 1):
            shade = 0.5 + 0.5 * math.cos(2.6 * math.pi * t / (n - 1) + phase)
            flags.polygon([top_edge[t], top_edge[t + 1], bottom_edge[t + 1], bottom_edge[t]], lerp_hex("#5a9ee0", "#2a5d98", 0.6 * shade))
        mx = (xs[n // 2])
        flags.ellipse(mx, 0.505 * H + wave[n // 2] * 1.15, 0.009 * H, 0.009 * H, "#e8f2fc", 200, width=3)
    flags.over(img, blur=0.5)

    # The lake: a rippled, darkened reflection of everything above the waterline.
    water_top = int(0.756 * H)
    depth = H - water_top
    src_rows = np.clip(2 * water_top - np.arange(water_top, H), 0, H - 1)
    shift = (np.sin(np.arange(depth) * 0.9) * 4 + rng.normal(0, 2, depth)) * (1 + np.arange(depth) / depth * 4)
    xi = np.clip(np.arange(W)[None, :] + shift[:, None].astype(int), 0, W - 1)
    refl = img[src_rows[:, None], xi]
    refl_im = Image.fromarray((np.clip(refl, 0, 1) * 255).astype(np.uint8))
    refl_im = refl_im.resize((W // 8, depth), Image.Resampling.BOX).resize((W, depth), Image.Resampling.BICUBIC)
    refl = np.asarray(refl_im.filter(ImageFilter.GaussianBlur(3)), np.float32) / 255
    water = vertical([(0, "#3f6d8f"), (0.8, "#3f6d8f"), (1, "#1d3d55")])[water_top:]
    img[water_top:] = refl * 0.5 + water * 0.5
    ripples = Layer((0, water_top, W, H))
    for _ in range(260):
        ry = water_top + depth * rng.random() ** 1.5
        rx = rng.uniform(0, W)
        ln = rng.uniform(0.01, 0.05) * W * (0.5 + (ry - water_top) / depth)
        ripples.rect(rx, ry, rx + ln, ry + 1.5 + 3 * (ry - water_top) / depth, "#e8f0f6", 60)
    ripples.screen(img, blur=1.2)
    return finish(img, rng, vignette=0.3, grain=0.010)
