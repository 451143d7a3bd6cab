"""Frames kept as yuv420p planes from start to end, blended in integer math.

The encoder takes yuv420p; drawing in RGB and converting every frame costs a
full-frame pass more than needed. Here the moving parts (a photo's pan and zoom,
a fading layer) work on the Y plane and the two quarter-size chroma planes
directly: about half the pixels of RGB.

Colours use the BT.709 matrix in limited range (Y 16..235, U and V 16..240), as
the encoder's settings tag them (``bt709``): editing software and players take
HD video as BT.709, and one matrix for every size keeps a preview's colours the
final's. Chroma is the mean of each 2×2 block of pixels.

A :class:`YuvLayer` holds a drawn layer premultiplied by its alpha and scaled
by 256 in ``uint16``, so blending is ``(P + F·(256 − a) + 128) >> 8`` without
floats; the sums stay below 2¹⁶.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

__all__ = ["Planes", "YuvLayer", "blend_planes", "planes_to_rgb", "rgb_to_planes", "solid_planes"]

# BT.709 (ITU-R BT.709-6: Kr 0.2126, Kb 0.0722), limited range: Y = 16 + 219·Y', U and V = 128 + 224·C'.
_KR, _KB = 0.2126, 0.0722
_KG = 1 - _KR - _KB
_Y = np.array([219 * _KR, 219 * _KG, 219 * _KB], np.float32) / 255
_U = np.array([-112 * _KR / (1 - _KB), -112 * _KG / (1 - _KB), 112.0], np.float32) / 255
_V = np.array([112.0, -112 * _KG / (1 - _KR), -112 * _KB / (1 - _KR)], np.float32) / 255
# and back: R = Y + 2(1 - Kr)·V', B = Y + 2(1 - Kb)·U', G from the luma equation (full-range RGB out)
_TO_RGB = np.array([
    [255 / 219, 0.0, 255 / 224 * 2 * (1 - _KR)],
    [255 / 219, -255 / 224 * 2 * (1 - _KB) * _KB / _KG, -255 / 224 * 2 * (1 - _KR) * _KR / _KG],
    [255 / 219, 255 / 224 * 2 * (1 - _KB), 0.0],
], np.float32)
_TO_RGB_AFFINE = np.hstack([_TO_RGB, -(_TO_RGB @ np.array([16, 128, 128], np.float32))[:, None]])


class Planes:
    """One yuv420p frame: a flat buffer and views of its Y, U and V planes."""

    __slots__ = ("buf", "y", "u", "v")

    def __init__(self, width: int, height: int, buf: np.ndarray | None = None) -> None:
        n = width * height
        self.buf = np.empty(n * 3 // 2, np.uint8) if buf is None else buf
        q = n // 4
        self.y = self.buf[:n].reshape(height, width)
        self.u = self.buf[n:n + q].reshape(height // 2, width // 2)
        self.v = self.buf[n + q:].reshape(height // 2, width // 2)

    def copy(self) -> "Planes":
        h, w = self.y.shape
        return Planes(w, h, self.buf.copy())

    def tobytes(self) -> bytes:
        return self.buf.tobytes()


def _even_shape(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    if h % 2 or w % 2:
        rgb = np.pad(rgb, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")
    return rgb


def _half(a: np.ndarray) -> np.ndarray:
    """Mean of each 2×2 block (float32)."""
    a = a.astype(np.float32, copy=False)
    return (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]) * 0.25


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) @ _Y


def rgb_to_planes(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An RGB ``uint8`` image (even size) as ``uint8`` Y, U, V planes."""
    rgb = _even_shape(rgb)
    y = 16 + _luma(rgb)
    half = _half(rgb.reshape(rgb.shape[0], rgb.shape[1], 3))
    u, v = 128 + half @ _U, 128 + half @ _V
    return tuple(np.clip(p + 0.5, 0, 255).astype(np.uint8) for p in (y, u, v))  # type: ignore[return-value]


def solid_planes(width: int, height: int, rgb: tuple[int, int, int]) -> Planes:
    """A frame of one colour."""
    y, u, v = rgb_to_planes(np.array([[rgb, rgb], [rgb, rgb]], np.uint8))
    out = Planes(width, height)
    out.y[:] = y[0, 0]
    out.u[:] = u[0, 0]
    out.v[:] = v[0, 0]
    return out


def planes_to_rgb(data: bytes | np.ndarray, width: int, height: int) -> np.ndarray:
    """A yuv420p frame back to RGB ``uint8`` (limited range BT.709, as a player shows it; each
    chroma sample covers its 2×2 block)."""
    import cv2

    buf = np.frombuffer(data, np.uint8) if isinstance(data, (bytes, bytearray, memoryview)) else data
    planes = Planes(width, height, np.asarray(buf).reshape(-1))
    # OpenCV's own YUV→RGB conversions are BT.601 only; an affine transform of the three planes
    # (chroma repeated over its block) does BT.709 at about the same speed, rounded and saturated.
    u, v = (cv2.resize(c, (width, height), interpolation=cv2.INTER_NEAREST) for c in (planes.u, planes.v))
    yuv = cv2.merge([planes.y, u, v])
    return cv2.transform(yuv, _TO_RGB_AFFINE)


@dataclass(frozen=True, eq=False)
class _Plane:
    """Premultiplied value ×256 and ``256 − alpha×256``, both ``uint16``, at ``(x, y)`` of its plane."""

    x: int
    y: int
    p: np.ndarray
    inv: np.ndarray


@dataclass(frozen=True, eq=False)
class YuvLayer:
    """A drawn RGBA layer as premultiplied Y, U, V patches (origin on even pixels)."""

    y: _Plane | None
    u: _Plane | None
    v: _Plane | None

    @property
    def empty(self) -> bool:
        return self.y is None

    @staticmethod
    def from_image(image: Image.Image, origin: tuple[int, int] = (0, 0)) -> "YuvLayer":
        bbox = image.getbbox()
        if bbox is None:
            return YuvLayer(None, None, None)
        x0, y0 = bbox[0] - bbox[0] % 2, bbox[1] - bbox[1] % 2
        x1, y1 = bbox[2] + bbox[2] % 2, bbox[3] + bbox[3] % 2
        ox, oy = origin
        if ox % 2 or oy % 2:  # keep the chroma grid: pad the crop by one pixel
            x0, y0 = x0 - ox % 2, y0 - oy % 2
            x1, y1 = x1 + (x1 - x0) % 2, y1 + (y1 - y0) % 2
        crop = np.asarray(image.crop((x0, y0, x1, y1)), dtype=np.float32)
        alpha = crop[..., 3] / 255.0
        prgb = crop[..., :3] * alpha[..., None]  # premultiplied RGB
        py = (prgb @ _Y + 16 * alpha) * 256
        ha = _half(alpha)
        hp = _half(prgb)
        pu = (hp @ _U + 128 * ha) * 256
        pv = (hp @ _V + 128 * ha) * 256
        inv_full = 256 - np.rint(alpha * 256)
        inv_half = 256 - np.rint(ha * 256)
        X, Y = ox + x0, oy + y0

        def plane(x: int, y: int, p: np.ndarray, inv: np.ndarray) -> _Plane:
            return _Plane(x, y, np.clip(np.rint(p), 0, 65280).astype(np.uint16), inv.astype(np.uint16))

        return YuvLayer(plane(X, Y, py, inv_full), plane(X // 2, Y // 2, pu, inv_half),
                        plane(X // 2, Y // 2, pv, inv_half))


def _blend_plane(target: np.ndarray, layer: _Plane, o256: int, dy: int) -> None:
    h, w = target.shape
    y0, x0 = layer.y + dy, layer.x
    y1, x1 = y0 + layer.p.shape[0], x0 + layer.p.shape[1]
    cy0, cx0, cy1, cx1 = max(y0, 0), max(x0, 0), min(y1, h), min(x1, w)
    if cy0 >= cy1 or cx0 >= cx1:
        return
    sub = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
    p, inv = layer.p[sub], layer.inv[sub]
    if o256 < 256:
        p = (p.astype(np.uint32) * o256 >> 8).astype(np.uint16)
        inv = (256 - ((256 - inv.astype(np.uint32)) * o256 >> 8)).astype(np.uint16)
    region = target[cy0:cy1, cx0:cx1]
    acc = region * inv  # uint8 × uint16 -> uint16, ≤ 255·256
    acc += p
    acc += 128
    np.right_shift(acc, 8, out=acc)
    region[...] = acc


def blend_planes(frame: Planes, layer: YuvLayer, opacity: float = 1.0, dy: int = 0) -> None:
    """Blend ``layer`` onto ``frame`` in place, faded by ``opacity``, moved down by ``dy`` pixels."""
    if layer.empty or opacity <= 0:
        return
    o256 = min(256, int(round(opacity * 256)))
    if o256 <= 0:
        return
    assert layer.y is not None and layer.u is not None and layer.v is not None
    _blend_plane(frame.y, layer.y, o256, dy)
    cdy = dy // 2 if dy % 2 == 0 else int(round(dy / 2))
    _blend_plane(frame.u, layer.u, o256, cdy)
    _blend_plane(frame.v, layer.v, o256, cdy)
