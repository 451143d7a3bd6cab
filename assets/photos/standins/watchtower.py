"""Stand-in picture: a watchtower at dusk."""

from __future__ import annotations


import numpy as np
from PIL import Image

from .canvas import H, Point, W, below, glow, lerp_hex, paint, ridge, rows, smooth_noise, vertical
from .finish import finish
from .layer import Layer, rotated_ellipse

__all__ = ["watchtower"]


def watchtower(rng: np.random.Generator) -> Image.Image:
    """A guard tower and fence line of a detention facility at dusk."""
    hz = 0.712 * H
    img = vertical(
        [(0, "#0a1230"), (0.25, "#19244c"), (0.45, "#3f3d66"), (0.58, "#84596f"),
         (0.66, "#c97e63"), (0.712, "#f1b676"), (1, "#f1b676")]
    )
    y = rows()
    noise = 0.7 * smooth_noise(rng, 22, 7) + 0.3 * smooth_noise(rng, 48, 15)
    band = np.exp(-(((y - 0.40 * H) / (0.14 * H)) ** 2))
    cloud = vertical([(0, "#23284a"), (0.35, "#463c60"), (0.55, "#a76a72"), (0.68, "#dd956f"), (1, "#dd956f")])
    paint(img, np.clip((noise - 0.5) * 2.4, 0, 1) * band, cloud, 0.55)
    glow(img, 0.70 * W, hz, 0.42 * W, "#ffae6e", 0.5, ry=0.16 * H)
    glow(img, 0.70 * W, hz - 4, 0.07 * W, "#ffe4b6", 0.75, ry=0.035 * H)

    paint(img, below(ridge(rng, 0.662 * H, 0.018 * H, tilt=-0.03 * H)), "#8c6479", 0.7)
    paint(img, below(ridge(rng, 0.690 * H, 0.009 * H)), "#5c4559", 0.85)
    ground = vertical([(0, "#4a3941"), (0.712, "#4a3941"), (0.78, "#2a2230"), (1, "#0b0a10")])
    ground *= (0.85 + 0.3 * smooth_noise(rng, 30, 12))[..., None]
    paint(img, below(np.full(W, hz, np.float32)), ground)
    glow(img, 0.62 * W, hz + 2, 0.5 * W, "#b9746a", 0.35, ry=0.012 * H)

    # A patrol track beside the fence, converging on the same vanishing point.
    track = Layer()
    track.polygon([(0.40 * W, H), (0.86 * W, H), (0.80 * W + 2, hz), (0.80 * W - 2, hz)], "#6a5258", 48)
    for x in (0.52 * W, 0.58 * W, 0.68 * W, 0.74 * W):
        track.polygon([(x - 10, H), (x + 10, H), (0.80 * W, hz)], "#151118", 70)
    track.over(img, blur=14)

    # The facility far off: a perimeter wall and low blocks on the horizon.
    far = Layer((0, int(hz - 0.06 * H), W, int(hz + 0.02 * H)))
    far.rect(0.46 * W, hz - 0.012 * H, 1.0 * W, hz + 0.004 * H, "#4d3a45")
    x = 0.50 * W
    lit: list[Point] = []
    while x < 0.98 * W:
        bw = rng.uniform(0.03, 0.08) * W
        bh = rng.uniform(0.012, 0.03) * H
        far.rect(x, hz - bh, x + bw, hz, "#3d2e3a")
        for _ in range(rng.integers(0, 3)):
            lit.append((x + rng.uniform(0.1, 0.9) * bw, hz - bh * rng.uniform(0.3, 0.7)))
        x += bw + rng.uniform(0.0, 0.02) * W
    far.over(img, blur=0.6)
    for lx, ly in lit:
        glow(img, lx, ly, 5, "#ffd08a", 0.9)

    # The tower, inside the compound behind the fence.
    tx, ty, m = 0.543 * W, 0.829 * H, 116.0
    tower = Layer()
    dark, haze_dark = "#0e0c13", "#1d1823"
    for off, shade in ((0.28, haze_dark), (0.0, dark)):
        dx, dy = off * m, -off * 0.5 * m
        for sign in (-1, 1):
            bx, topx = tx + sign * 1.3 * m + dx, tx + sign * 0.9 * m + dx
            tower.polygon(
                [(bx - 0.1 * m, ty + dy), (bx + 0.1 * m, ty + dy), (topx + 0.08 * m, ty - 5.2 * m + dy), (topx - 0.08 * m, ty - 5.2 * m + dy)],
                shade,
            )
        levels = [0.0, 1.8, 3.5, 5.2]
        for lo, hi in zip(levels, levels[1:]):
            def leg_x(h: float, sign: int) -> float:
                return tx + sign * (1.3 - 0.4 * h / 5.2) * m + dx
            tower.line([(leg_x(lo, -1), ty - lo * m + dy), (leg_x(hi, 1), ty - hi * m + dy)], shade, 0.07 * m)
            tower.line([(leg_x(lo, 1), ty - lo * m + dy), (leg_x(hi, -1), ty - hi * m + dy)], shade, 0.07 * m)
            tower.line([(leg_x(hi, -1), ty - hi * m + dy), (leg_x(hi, 1), ty - hi * m + dy)], shade, 0.08 * m)
    tower.rect(tx - 1.6 * m, ty - 5.38 * m, tx + 1.75 * m, ty - 5.2 * m, dark)
    tower.rect(tx - 1.25 * m, ty - 6.9 * m, tx + 1.4 * m, ty - 5.38 * m, dark)
    tower.polygon(
        [(tx - 1.6 * m, ty - 6.85 * m), (tx + 1.75 * m, ty - 6.85 * m), (tx + 1.35 * m, ty - 7.25 * m), (tx - 1.2 * m, ty - 7.25 * m)], dark
    )
    tower.rect(tx + 0.8 * m, ty - 7.55 * m, tx + 1.15 * m, ty - 7.25 * m, dark)
    tower.line([(tx - 0.7 * m, ty - 7.25 * m), (tx - 0.7 * m, ty - 8.4 * m)], dark, 0.05 * m)
    panes = [(-1.1, -0.42, "#4e4058", "#5f4b63"), (-0.34, 0.44, "#8a5a3c", "#b07a4c"), (0.52, 1.25, "#44384f", "#55465e")]
    for a, b, top, bottom in panes:
        for j in range(12):
            y0 = ty - 6.6 * m + j * 0.75 * m / 12
            tower.rect(tx + a * m, y0, tx + b * m, y0 + 0.75 * m / 12 + 1, lerp_hex(top, bottom, j / 11))
    guard = "#241a1c"
    tower.ellipse(tx - 0.12 * m, ty - 6.24 * m, 0.09 * m, 0.11 * m, guard)
    tower.polygon(
        [(tx - 0.34 * m, ty - 5.85 * m), (tx - 0.3 * m, ty - 6.0 * m), (tx - 0.2 * m, ty - 6.1 * m), (tx - 0.04 * m, ty - 6.1 * m),
         (tx + 0.06 * m, ty - 6.02 * m), (tx + 0.1 * m, ty - 5.85 * m)],
        guard,
    )
    for a in (-0.38, 0.48):
        tower.rect(tx + a * m, ty - 6.6 * m, tx + (a + 0.04) * m, ty - 5.85 * m, dark)
    tower.over(img)
    glow(img, tx + 0.05 * m, ty - 6.2 * m, 0.7 * m, "#ffb36b", 0.22, ry=0.45 * m)

    beam = Layer()
    beam.polygon([(tx + 0.85 * m, ty - 7.4 * m), (0.13 * W, 0.955 * H), (0.30 * W, 1.02 * H)], "#ffe9c4", 70)
    beam.screen(img, blur=40)
    glow(img, 0.22 * W, 0.985 * H, 0.09 * W, "#ffdcae", 0.18, ry=0.03 * H)
    glow(img, tx + 0.97 * m, ty - 7.4 * m, 14, "#fff2d8", 1.0)

    # The fence: posts, wires, chain link and coils of razor wire, running to a vanishing point.
    vx, p0x, p0y, h0 = 0.80 * W, -0.02 * W, 1.04 * H, 0.50 * H

    def proj(z: float, v: float) -> Point:
        return (vx + (p0x - vx) / z, hz + (p0y - hz) / z - v * h0 / z)

    fence = Layer()
    fence.polygon([proj(1, 0), proj(1, 1.0), (vx, hz)], "#0d0b12", 55)
    k = 2.86
    c = 1.0 - 1.0 / k
    while c < 3.6:
        for sgn in (1, -1):
            za, zb = (c, c + 1.0 / k) if sgn > 0 else (c + 1.0 / k, c)
            if min(za, zb) >= 1.0:
                fence.line([proj(za, 0.0), proj(zb, 1.0)], "#110e16", 1.4, 110)
        c += 0.035
    for v in (0.06, 0.35, 0.68, 1.0):
        ax, ay = proj(1, v)
        fence.polygon([(ax, ay - 2.4), (ax, ay + 2.4), (vx, hz)], "#0c0a10")
    z = 1.0
    while z < 60:
        cx, cy = proj(z, 1.12)
        ry = 0.07 * h0 / z
        loop = rotated_ellipse(cx, cy, ry * 0.5, ry, 0.35, n=28)
        fence.line(loop + loop[:1], "#0c0a10", max(0.6, 2.0 / z), 215)
        z += 0.011 * z
    posts: list[tuple[float, int]] = []
    for i in range(160):
        z = 1.0 + 0.42 * i
        if (vx - p0x) / z < 3:
            break
        posts.append((z, i))
    for z, i in reversed(posts):
        bx, by = proj(z, 0.0)
        _, ty_ = proj(z, 1.02)
        pw = 0.011 * W / z
        fence.polygon([(bx - pw / 2, by), (bx + pw / 2, by), (bx + pw / 2, ty_), (bx - pw / 2, ty_)], "#0b0a0f")
        ax, ay = proj(z, 1.0)
        fence.line([(ax, ay), (ax + 0.028 * W / z, proj(z, 1.22)[1])], "#0b0a0f", max(1.0, 0.5 * pw))
        if i % 4 == 2:
            _, py = proj(z, 1.75)
            fence.line([(bx + pw, by), (bx + pw, py)], "#0b0a0f", max(1.0, 0.45 * pw))
            fence.line([(bx + pw, py), (bx + pw + 0.02 * W / z, py + 0.004 * H / z)], "#0b0a0f", max(1.0, 0.35 * pw))
    fence.over(img)
    for z, i in posts:
        if i % 4 == 2:
            bx, _ = proj(z, 0.0)
            _, py = proj(z, 1.75)
            lx = bx + 0.011 * W / z + 0.02 * W / z
            glow(img, lx, py + 0.006 * H / z, 0.05 * W / z + 4, "#ffbe78", 0.55)
            glow(img, lx, py + 0.006 * H / z, 0.006 * W / z + 1.5, "#fff1d6", 1.0)
    return finish(img, rng, vignette=0.45)
