"""Regenerate the stand-in photos for the flagship example, deterministically.

The example script cannot ship the agencies' photos, so these procedural
illustrations stand in for them. Each carries a small "STAND-IN IMAGE" mark, top centre.
Run from anywhere::

    python assets/photos/make_standins.py            # all images, next to this file
    python assets/photos/make_standins.py --only watchtower --out /tmp

Every image comes from a fixed seed, so a rerun gives the same pixels with the
same Pillow and numpy versions. See ``CREDITS.md`` for what each one stands for.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 2880, 1620
QUALITY = 88
MARK = "STAND-IN IMAGE"
MARK_SIZE = 36
HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "Inter-Medium.otf"

Point = tuple[float, float]
Array = np.ndarray


# --------------------------------------------------------------------------- colour and fields


def rgb(hex_colour: str | tuple[int, int, int]) -> tuple[int, int, int]:
    """``#rrggbb`` (or an 8-bit triple, passed through) as an 8-bit triple."""
    if not isinstance(hex_colour, str):
        return hex_colour
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def col(hex_colour: str) -> Array:
    """``#rrggbb`` as a float triple in 0..1."""
    return np.array(rgb(hex_colour), np.float32) / 255.0


def vertical(stops: Sequence[tuple[float, str]]) -> Array:
    """An H×W×3 top-to-bottom gradient through ``(position, colour)`` stops."""
    ys = np.linspace(0.0, 1.0, H)
    pos = [p for p, _ in stops]
    cols = np.stack([col(c) for _, c in stops])
    line = np.stack([np.interp(ys, pos, cols[:, i]) for i in range(3)], axis=1).astype(np.float32)
    return np.broadcast_to(line[:, None, :], (H, W, 3)).copy()


def rows() -> Array:
    """Row index as an H×1 float column."""
    return np.arange(H, dtype=np.float32)[:, None]


def cols() -> Array:
    """Column index as a 1×W float row."""
    return np.arange(W, dtype=np.float32)[None, :]


def smooth_noise(rng: np.random.Generator, n_rows: int, n_cols: int) -> Array:
    """Value noise in 0..1: a small random grid upscaled smoothly to H×W."""
    small = rng.random((n_rows, n_cols)).astype(np.float32)
    big = Image.fromarray(small).resize((W, H), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(big, np.float32), 0.0, 1.0)


def ridge(rng: np.random.Generator, base: float, amp: float, octaves: int = 6, tilt: float = 0.0) -> Array:
    """A skyline height per column: summed sines with random phases."""
    x = np.linspace(0.0, 1.0, W)
    y = np.full(W, base, np.float64) + tilt * (x - 0.5)
    for k in range(octaves):
        freq = 1.3 * 2.1**k * rng.uniform(0.8, 1.25)
        y += amp / 1.9**k * np.sin(2 * math.pi * freq * x + rng.uniform(0, 2 * math.pi))
    return y.astype(np.float32)


def below(curve: Array) -> Array:
    """Anti-aliased mask of everything under a per-column curve."""
    return np.clip(rows() - curve[None, :] + 0.5, 0.0, 1.0)


def paint(img: Array, mask: Array, colour: str | Array, alpha: float = 1.0) -> None:
    """Blend ``colour`` (hex or an H×W×3 field) over ``img`` through ``mask``."""
    c = col(colour) if isinstance(colour, str) else colour
    m = (mask * alpha)[..., None]
    img *= 1.0 - m
    img += c * m


def glow(img: Array, cx: float, cy: float, r: float, colour: str, strength: float, ry: float | None = None) -> None:
    """Screen-blend a soft Gaussian light centred on (cx, cy)."""
    ry = ry or r
    x0, x1 = max(0, int(cx - 3.5 * r)), min(W, int(cx + 3.5 * r) + 1)
    y0, y1 = max(0, int(cy - 3.5 * ry)), min(H, int(cy + 3.5 * ry) + 1)
    if x0 >= x1 or y0 >= y1:
        return
    xs = np.arange(x0, x1, dtype=np.float32)[None, :]
    ys = np.arange(y0, y1, dtype=np.float32)[:, None]
    g = strength * np.exp(-(((xs - cx) / r) ** 2 + ((ys - cy) / ry) ** 2))
    region = img[y0:y1, x0:x1]
    region[:] = 1.0 - (1.0 - region) * (1.0 - g[..., None] * col(colour))


def lerp_hex(a: str | tuple[int, int, int], b: str | tuple[int, int, int], t: float) -> tuple[int, int, int]:
    """An 8-bit colour ``t`` of the way from ``a`` to ``b``."""
    ca, cb = np.array(rgb(a), float), np.array(rgb(b), float)
    return tuple(int(round(v)) for v in ca + (cb - ca) * t)  # type: ignore[return-value]


# --------------------------------------------------------------------------- vector layer


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


# --------------------------------------------------------------------------- finishing


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


# --------------------------------------------------------------------------- (a) watchtower at dusk


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


# --------------------------------------------------------------------------- (b) assembly hall rostrum


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


# --------------------------------------------------------------------------- (c) lakeside palace with flags


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


# --------------------------------------------------------------------------- (d) documents under a lamp


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


# --------------------------------------------------------------------------- (e) mosque at dawn


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


# --------------------------------------------------------------------------- registry and CLI

SCENES: dict[str, tuple[int, Callable[[np.random.Generator], Image.Image]]] = {
    "watchtower": (2021, watchtower),
    "assembly": (2022, assembly),
    "geneva": (1948, geneva),
    "documents": (831, documents),
    "mosque": (2017, mosque),
}


def render(name: str) -> Image.Image:
    """Render one stand-in image from its fixed seed."""
    seed, scene = SCENES[name]
    return scene(np.random.default_rng(seed))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the JPEGs to")
    parser.add_argument("--only", choices=sorted(SCENES), action="append", help="render only these")
    args = parser.parse_args(argv)
    if not FONT.is_file():
        parser.error(f"font {FONT} is missing; restore assets/fonts/Inter-Medium.otf")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only or list(SCENES):
        path = args.out / f"{name}.jpg"
        render(name).save(path, "JPEG", quality=QUALITY, optimize=True)
        sys.stdout.write(f"{path} {path.stat().st_size // 1024} KiB\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
