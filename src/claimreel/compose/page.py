"""A document scene's page: shown whole, moved in on the passage, then a highlighter drawn across it.

Three phases, on the scene's frames: the whole page holds while the scene comes
in; the view moves in (one easing, zoom on a log scale so it feels even) until
the passage fills most of the width; then a highlighter wipes across the
passage's lines in reading order and the page holds, marked. Held frames are
drawn once (the compositor caches them by :meth:`PageMotion.phase`); only the
move-in warps the page per frame. The page is rendered once, at the size where
the passage shows pixel for pixel at the end of the move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ..layout.elements import Document
from ..layout.pages import page_image, page_size
from ..layout.theme import hex_to_rgb
from .layers import open_image
from .yuv import Planes, rgb_to_planes

__all__ = ["PageMotion", "View"]

MAX_PAGE_WIDTH = 5000  # pixels the page is rendered at, at most (a tiny passage on a large page)
PASSAGE_WIDTH = 0.84  # of the frame's width the passage spans at the end of the move
PASSAGE_HEIGHT = 0.55  # of the page area's height it may take at most
#: With no highlight, the view moves in on the page's upper part (where a report's text starts).
UPPER_PAGE = ((0.1, 0.1, 0.9, 0.45),)


@dataclass(frozen=True)
class View:
    """Source pixels to frame pixels: ``frame = scale * (src - centre) + anchor``."""

    scale: float
    cx: float
    cy: float

    def matrix(self, anchor: tuple[float, float]) -> np.ndarray:
        s = self.scale
        return np.array([[s, 0, anchor[0] - s * self.cx], [0, s, anchor[1] - s * self.cy]], np.float64)


def _ease(t: float) -> float:
    t = min(max(t, 0.0), 1.0)
    return t * t * (3 - 2 * t)  # ease in and out: a camera move starts and lands softly


def _page_pixels(path: Path, page: int | None, width: int) -> Image.Image:
    """The document's page as RGB, ``width`` pixels wide (a PDF's page rendered at that size; an
    image scaled)."""
    if page is not None:
        return page_image(path, page, width).convert("RGB")
    img = open_image(path)
    height = max(1, round(img.height * width / img.width))
    return img.convert("RGB").resize((width, height), Image.LANCZOS)


class PageMotion:
    def __init__(self, doc: Document, width: int, height: int, background: tuple[int, int, int], frames: int,
                 *, enter: int = 14) -> None:
        self.w, self.h, self.n = width, height, frames
        ax, ay, aw, ah = doc.area if doc.area[2] else (0, 0, width, height)
        self.anchor = (ax + aw / 2, ay + ah / 2)
        pw, ph = page_size(doc.path, doc.page)
        aspect = ph / pw
        rects = doc.rects or UPPER_PAGE
        x0, y0 = min(r[0] for r in rects), min(r[1] for r in rects)
        x1, y1 = max(r[2] for r in rects), max(r[3] for r in rects)
        # Render so the passage is 1:1 at the end of the move (bounded), and never smaller than the frame.
        needed = min(PASSAGE_WIDTH * width / max(x1 - x0, 1e-3), PASSAGE_HEIGHT * ah / max((y1 - y0) * aspect, 1e-3))
        src_w = int(min(max(needed, width), MAX_PAGE_WIDTH))
        page = np.asarray(_page_pixels(doc.path, doc.page, src_w))
        sh, sw = page.shape[:2]
        self.rects_px = [(r[0] * sw, r[1] * sh, r[2] * sw, r[3] * sh) for r in doc.rects]
        marked = page.copy()
        colour = np.array(hex_to_rgb(doc.color), np.float32) / 255
        for a, b, c, d in self.rects_px:
            # a highlighter multiplies: ink stays dark, paper takes the colour; a little past the letters
            pad = (d - b) * 0.12
            ys, ye = max(int(b - pad), 0), min(int(math.ceil(d + pad)), sh)
            xs, xe = max(int(a - pad), 0), min(int(math.ceil(c + pad)), sw)
            marked[ys:ye, xs:xe] = (marked[ys:ye, xs:xe].astype(np.float32) * colour).astype(np.uint8)
        self.plain = rgb_to_planes(page)
        self.marked = rgb_to_planes(marked)
        self.bg = [int(v[0, 0]) for v in rgb_to_planes(np.array([[background] * 2] * 2, np.uint8))]
        fit = min(aw / sw, ah / sh) * 0.94
        end_scale = max(fit, min(PASSAGE_WIDTH * width / ((x1 - x0) * sw), PASSAGE_HEIGHT * ah / ((y1 - y0) * sh)))
        self.start = View(fit, sw / 2, sh / 2)
        self.end = View(end_scale, (x0 + x1) / 2 * sw, (y0 + y1) / 2 * sh)
        # Phases: hold whole (at least the entrance), move in, wipe, hold marked.
        self.move_from = max(enter, round(frames * 0.12))
        self.move_to = self.move_from + max(1, round(frames * 0.33))
        self.wipe_to = self.move_to + max(1, min(round(frames * 0.2), 45))
        self._held: dict[object, Planes] = {}

    def view(self, i: int) -> View:
        t = _ease((i - self.move_from) / max(self.move_to - self.move_from, 1))
        scale = math.exp(math.log(self.start.scale) * (1 - t) + math.log(self.end.scale) * t)
        # Move the centre so the passage travels in a straight line on screen as the zoom grows.
        span = self.end.scale - self.start.scale
        k = (scale - self.start.scale) / span if span else t
        a, b = self.start, self.end
        return View(scale, a.cx + (b.cx - a.cx) * k, a.cy + (b.cy - a.cy) * k)

    def phase(self, i: int) -> str | None:
        """``whole`` or ``marked`` for held frames (identical within a phase), None while moving."""
        if i < self.move_from:
            return "whole"
        return "marked" if i >= self.wipe_to else None

    def wipe(self, i: int) -> float:
        """How much of the passage the highlighter has crossed on frame ``i``, 0 to 1."""
        return min(max((i - self.move_to) / max(self.wipe_to - self.move_to, 1), 0.0), 1.0)

    def _warp(self, planes: tuple[np.ndarray, np.ndarray, np.ndarray], view: View, out: Planes) -> None:
        m = view.matrix(self.anchor)
        flags = cv2.INTER_AREA if view.scale < 0.5 else cv2.INTER_LINEAR
        cv2.warpAffine(planes[0], m, (self.w, self.h), dst=out.y, flags=flags,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=self.bg[0])
        mc = m.copy()
        mc[:, 2] = m[:, 2] / 2 + (view.scale * 0.5 - 0.5) / 2  # chroma sample k sits at luma 2k + 0.5
        for src, dst, value in ((planes[1], out.u, self.bg[1]), (planes[2], out.v, self.bg[2])):
            cv2.warpAffine(src, mc, (self.w // 2, self.h // 2), dst=dst, flags=flags,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=value)

    def _end(self, source: str) -> Planes:
        cached = self._held.get(source)
        if cached is None:
            cached = self._held[source] = Planes(self.w, self.h)
            self._warp(self.plain if source == "plain" else self.marked, self.end, cached)
        return cached

    def render(self, i: int, out: Planes) -> None:
        if i < self.move_from:
            whole = self._held.get("whole")
            if whole is None:
                whole = self._held["whole"] = Planes(self.w, self.h)
                self._warp(self.plain, self.start, whole)
            out.buf[:] = whole.buf
            return
        if i < self.move_to:
            self._warp(self.plain, self.view(i), out)
            return
        progress = self.wipe(i)
        if progress >= 1:
            out.buf[:] = self._end("marked").buf
            return
        out.buf[:] = self._end("plain").buf
        marked = self._end("marked")
        # The highlighter crosses the lines in reading order, as one stroke of the total length.
        m = self.end.matrix(self.anchor)
        spans = [(m[0, 0] * a + m[0, 2], m[1, 1] * b + m[1, 2], m[0, 0] * c + m[0, 2], m[1, 1] * d + m[1, 2])
                 for a, b, c, d in self.rects_px]
        left = progress * sum(c - a for a, _, c, _ in spans)
        for a, b, c, d in spans:
            if left <= 0:
                break
            reach = a + min(left, c - a)
            left -= c - a
            pad = (d - b) * 0.2
            xs, xe = max(int(a - pad), 0), min(int(reach + (pad if reach >= c else 0)), self.w)
            ys, ye = max(int(b - pad), 0), min(int(math.ceil(d + pad)), self.h)
            if xe <= xs or ye <= ys:
                continue
            out.y[ys:ye, xs:xe] = marked.y[ys:ye, xs:xe]
            out.u[ys // 2:ye // 2, xs // 2:xe // 2] = marked.u[ys // 2:ye // 2, xs // 2:xe // 2]
            out.v[ys // 2:ye // 2, xs // 2:xe // 2] = marked.v[ys // 2:ye // 2, xs // 2:xe // 2]
