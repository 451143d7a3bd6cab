"""The canvas every stand-in is painted on (a float H×W×3 array in 0..1) and the helpers that fill it:
colours, gradients, noise, skylines, masks and light."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image

__all__ = ["Array", "H", "Point", "W", "below", "col", "cols", "glow", "lerp_hex", "paint", "rgb", "ridge", "rows",
           "smooth_noise", "vertical"]

W, H = 2880, 1620

Point = tuple[float, float]
Array = np.ndarray


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
