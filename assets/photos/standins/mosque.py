"""Stand-in picture: a mosque at dawn."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from .canvas import H, W, glow, paint, rows, vertical
from .finish import finish
from .layer import Layer, pointed_arch

__all__ = ["mosque"]


def mosque(rng: np.random.Generator) -> Image.Image:
    """A mosque's dome and minarets in silhouette against the dawn, framed by poplars."""
    hz = 0.80 * H
    img = vertical([(0, "#141b3c"), (0.3, "#38386a"), (0.55, "#8f6a86"), (0.7, "#d69a88"), (0.8, "#f2c28e"), (1, "#f2c28e")])
    y = rows()
    glow(img, 0.42 * W, hz, 0.45 * W, "#ffc891", 0.5, ry=0.18 * H)
    moon = Layer()
    moon.ellipse(0.80 * W, 0.17 * H, 0.026 * H, 0.026 * H, "#fff4dc")
    crescent = moon.mask(blur=0.8)
    dark_disc = Layer()
    dark_disc.ellipse(0.80 * W + 0.011 * H, 0.17 * H - 0.006 * H, 0.024 * H, 0.024 * H, "#ffffff")
    crescent *= 1.0 - dark_disc.mask(blur=0.8)
    glow(img, 0.80 * W - 0.01 * H, 0.17 * H + 0.004 * H, 0.035 * H, "#fff0d0", 0.18)
    paint(img, crescent, "#fff4dc")

    far = Layer()
    xx = 0.0
    while xx < W:
        bw = rng.uniform(0.02, 0.07) * W
        far.rect(xx, hz - rng.uniform(0.01, 0.04) * H, xx + bw, H, "#9a7182")
        xx += bw
    far.over(img, blur=1.5, opacity=0.8)
    paint(img, np.exp(-(((y - hz) / (0.03 * H)) ** 2)) * np.ones((1, W), np.float32), "#f6c79a", 0.35)

    sil = "#1b1426"
    ms = Layer()
    cx = 0.5 * W
    ms.rect(0.30 * W, 0.72 * H, 0.70 * W, H, sil)
    ms.rect(0.43 * W, 0.60 * H, 0.57 * W, H, sil)
    ms.rect(0.455 * W, 0.53 * H, 0.545 * W, 0.61 * H, sil)
    t = np.linspace(0, 1, 60)
    prof = np.interp(t, [0, 0.2, 0.45, 0.75, 0.93, 1.0], [1.0, 1.14, 1.0, 0.5, 0.12, 0.03])
    kernel = np.exp(-np.linspace(-2, 2, 13) ** 2)
    prof = np.convolve(np.pad(prof, 6, mode="edge"), kernel / kernel.sum(), mode="valid")
    prof[-1] = 0.02
    r0, d_base, d_h = 0.05 * W, 0.535 * H, 0.19 * H
    left_side = [(cx - r0 * p, d_base - d_h * tt) for tt, p in zip(t, prof)]
    right_side = [(cx + r0 * p, d_base - d_h * tt) for tt, p in zip(t, prof)]
    ms.polygon(left_side + right_side[::-1], sil)
    ms.line([(cx, d_base - d_h), (cx, d_base - d_h - 0.05 * H)], sil, 6)
    ms.ellipse(cx, d_base - d_h - 0.02 * H, 9, 9, sil)
    for mx, scale in ((0.415 * W, 1.0), (0.585 * W, 1.0), (0.315 * W, 0.72), (0.685 * W, 0.72)):
        mw = 0.011 * W * scale
        mtop = 0.72 * H - 0.38 * H * scale
        ms.polygon([(mx - mw * 1.15, 0.74 * H), (mx + mw * 1.15, 0.74 * H), (mx + mw, mtop), (mx - mw, mtop)], sil)
        for band in (0.35, 0.7):
            by = 0.74 * H - (0.74 * H - mtop) * band
            ms.rect(mx - mw * 1.7, by - 8 * scale, mx + mw * 1.7, by + 4 * scale, sil)
        ms.rect(mx - mw * 1.6, mtop - 0.03 * H * scale, mx + mw * 1.6, mtop + 4, sil)
        k = [(mx - mw * 1.5 * p, mtop - 0.03 * H * scale - 0.06 * H * scale * tt) for tt, p in zip(t, prof)]
        k2 = [(mx + mw * 1.5 * p, mtop - 0.03 * H * scale - 0.06 * H * scale * tt) for tt, p in zip(t, prof)]
        ms.polygon(k + k2[::-1], sil)
    ms.over(img, blur=0.7)
    windows = Layer()
    for wx in (0.33, 0.36, 0.39, 0.61, 0.64, 0.67):
        windows.polygon(pointed_arch(wx * W, 0.83 * H, 0.014 * W, 0.055 * H), "#e8a860", 170)
    windows.polygon(pointed_arch(cx, 0.90 * H, 0.06 * W, 0.22 * H), "#2a1f33")
    windows.polygon(pointed_arch(cx, 0.90 * H, 0.022 * W, 0.07 * H), "#f0b56c", 200)
    windows.over(img, blur=1.2)
    for wx in (0.33, 0.36, 0.39, 0.61, 0.64, 0.67):
        glow(img, wx * W, 0.81 * H, 0.012 * W, "#ffb060", 0.25)

    # Poplars at the edges, nearer ones darker.
    for depth_k, (shade, xs, blur) in enumerate(
        (("#3a2c40", (0.06, 0.16, 0.23, 0.78, 0.84, 0.95), 3.0), ("#120d19", (0.02, 0.10, 0.19, 0.81, 0.89, 0.975), 1.2))
    ):
        trees = Layer()
        for px in xs:
            tw = rng.uniform(0.02, 0.03) * W * (0.8 if depth_k == 0 else 1.0)
            top_y = rng.uniform(0.16, 0.34) * H + (0.12 * H if depth_k == 0 else 0.0)
            bottom = 0.88 * H
            phases = rng.uniform(0, 2 * math.pi, 3)
            tt = np.linspace(0, 1, 90)
            profile = np.sin(np.pi * np.clip(tt, 0, 1) ** 0.75) ** 0.7
            bumps = 1 + 0.07 * np.sin(tt * 23 + phases[0]) + 0.05 * np.sin(tt * 41 + phases[1]) + 0.03 * np.sin(tt * 67 + phases[2])
            ys_ = top_y + (bottom - top_y) * tt
            lhs = [(px * W - tw * p * b, yy) for p, b, yy in zip(profile, bumps, ys_)]
            rhs = [(px * W + tw * p * (2 - b), yy) for p, b, yy in zip(profile, bumps, ys_)]
            trees.polygon(lhs + rhs[::-1], shade)
            trees.rect(px * W - 0.0025 * W, bottom - 0.02 * H, px * W + 0.0025 * W, H, shade)
        if depth_k == 1:
            trees.rect(0, 0.9 * H, W, H, shade)
        trees.over(img, blur=blur)
    birds = Layer()
    for bx, by, s in ((0.62 * W, 0.24 * H, 1.0), (0.655 * W, 0.21 * H, 0.8), (0.68 * W, 0.255 * H, 0.7)):
        birds.line([(bx - 22 * s, by - 8 * s), (bx, by), (bx + 22 * s, by - 9 * s)], "#1d1730", 4 * s)
    birds.over(img, blur=0.8)
    return finish(img, rng, vignette=0.4)
