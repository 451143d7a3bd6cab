"""A document scene's page: shown whole, moved in on the passage, then a highlighter drawn across it.

Three phases, on the scene's frames: the whole page holds while the scene comes
in; the view moves in (one easing, zoom on a log scale so it feels even) until
it shows the layout's view of the page (whole lines around the passage); then a
highlighter wipes across the passage's lines in reading order and the page
holds, marked. The page is drawn only inside the page window the layout keeps
free of overlays, and only the part of it that is shown: the whole page at the
start, the view at the end, a rectangle of the page between the two while it
moves. Held frames are drawn once (the compositor caches them by
:meth:`PageMotion.phase`); only the move-in warps the page per frame. The page
is rendered once, at the size where the view shows pixel for pixel at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ..layout.elements import Document
from ..layout.framing import PAPER
from ..layout.pages import page_image, page_size
from ..layout.theme import hex_to_rgb
from .layers import open_image
from .yuv import Planes, rgb_to_planes

__all__ = ["PageMotion", "View"]

MAX_PAGE_WIDTH = 5000  # pixels the page is rendered at, at most (a narrow view of a large page)
WHOLE = 0.94  # of the window the whole page fills at the start

#: A rectangle of the frame in pixels: x0, y0, x1, y1 (even, for the half-size chroma planes).
Clip = tuple[int, int, int, int]


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
        self.window = (ax, ay, ax + aw, ay + ah)
        self.anchor = (ax + aw / 2, ay + ah / 2)
        vx0, vy0, vx1, vy1 = doc.view
        # Render so the view is 1:1 at the end of the move (bounded), and never smaller than the frame.
        src_w = int(min(max(aw / max(vx1 - vx0, 1e-3), width), MAX_PAGE_WIDTH))
        page = np.asarray(_page_pixels(doc.path, doc.page, src_w))
        sh, sw = page.shape[:2]
        self.rects_px = [(r[0] * sw, r[1] * sh, r[2] * sw, r[3] * sh) for r in doc.rects]
        self.plain = rgb_to_planes(page)
        self.marked = rgb_to_planes(_highlighted(page, self.rects_px, doc.color))
        self.bg = _yuv(background)
        self.paper = _yuv(_paper(page))
        self.margin = 2 * math.ceil(ah * PAPER / 2)  # of paper around the part of the page shown
        fit = min(aw / sw, ah / sh) * WHOLE
        self.page_rect = (0.0, 0.0, float(sw), float(sh))
        self.view_rect = (vx0 * sw, vy0 * sh, vx1 * sw, vy1 * sh)
        vw, vh = self.view_rect[2] - self.view_rect[0], self.view_rect[3] - self.view_rect[1]
        self.start = View(fit, sw / 2, sh / 2)
        self.end = View(max(fit, min(aw / vw, (ah - 2 * self.margin) / vh)), (self.view_rect[0] + self.view_rect[2]) / 2,
                        (self.view_rect[1] + self.view_rect[3]) / 2)
        # Phases: hold whole (at least the entrance), move in, wipe, hold marked.
        self.move_from = max(enter, round(frames * 0.12))
        self.move_to = self.move_from + max(1, round(frames * 0.33))
        self.wipe_to = self.move_to + max(1, min(round(frames * 0.2), 45))
        self._held: dict[object, Planes] = {}

    def _progress(self, i: int) -> tuple[View, float]:
        """The view on frame ``i`` and how far along the move it is (0 to 1, in the zoom's terms)."""
        t = _ease((i - self.move_from) / max(self.move_to - self.move_from, 1))
        scale = math.exp(math.log(self.start.scale) * (1 - t) + math.log(self.end.scale) * t)
        # Move the centre so the passage travels in a straight line on screen as the zoom grows.
        span = self.end.scale - self.start.scale
        k = (scale - self.start.scale) / span if span else t
        a, b = self.start, self.end
        return View(scale, a.cx + (b.cx - a.cx) * k, a.cy + (b.cy - a.cy) * k), k

    def view(self, i: int) -> View:
        return self._progress(i)[0]

    def on_screen(self, i: int) -> tuple[View, Clip]:
        """The view on frame ``i`` and the part of the frame the page is drawn in: the rectangle of the
        page shown (the whole page, shrinking to the layout's view) placed by the view, inside the window."""
        view, k = self._progress(min(max(i, self.move_from), self.move_to))
        shown = [p + (v - p) * k for p, v in zip(self.page_rect, self.view_rect)]
        m = view.matrix(self.anchor)
        x0, y0 = m[0, 0] * shown[0] + m[0, 2], m[1, 1] * shown[1] + m[1, 2]
        x1, y1 = m[0, 0] * shown[2] + m[0, 2], m[1, 1] * shown[3] + m[1, 2]
        wx0, wy0, wx1, wy1 = self.window
        # Rounded inward to even pixels: the page never reaches outside the window.
        clip = (_even_up(max(x0, wx0)), _even_up(max(y0, wy0)), _even_down(min(x1, wx1)), _even_down(min(y1, wy1)))
        return view, clip

    def phase(self, i: int) -> str | None:
        """``whole`` or ``marked`` for held frames (identical within a phase), None while moving."""
        if i < self.move_from:
            return "whole"
        return "marked" if i >= self.wipe_to else None

    def wipe(self, i: int) -> float:
        """How much of the passage the highlighter has crossed on frame ``i``, 0 to 1."""
        return min(max((i - self.move_to) / max(self.wipe_to - self.move_to, 1), 0.0), 1.0)

    def _warp(self, planes: tuple[np.ndarray, np.ndarray, np.ndarray], i: int, out: Planes) -> None:
        """Frame ``i``'s page: the background, and the page warped into its clip only."""
        view, (x0, y0, x1, y1) = self.on_screen(i)
        for plane, value in zip((out.y, out.u, out.v), self.bg):
            plane.fill(value)
        if x1 <= x0 or y1 <= y0:
            return
        # The part shown sits on a margin of its paper, so a line at its edge does not touch the background.
        wx0, wy0, wx1, wy1 = self.window
        px0, py0 = max(x0 - self.margin, _even_up(wx0)), max(y0 - self.margin, _even_up(wy0))
        px1, py1 = min(x1 + self.margin, _even_down(wx1)), min(y1 + self.margin, _even_down(wy1))
        out.y[py0:py1, px0:px1] = self.paper[0]
        out.u[py0 // 2:py1 // 2, px0 // 2:px1 // 2] = self.paper[1]
        out.v[py0 // 2:py1 // 2, px0 // 2:px1 // 2] = self.paper[2]
        m = view.matrix(self.anchor)
        flags = cv2.INTER_AREA if view.scale < 0.5 else cv2.INTER_LINEAR
        mc = m.copy()
        mc[:, 2] = m[:, 2] / 2 + (view.scale * 0.5 - 0.5) / 2  # chroma sample k sits at luma 2k + 0.5
        m[:, 2] -= (x0, y0)
        mc[:, 2] -= (x0 // 2, y0 // 2)
        out.y[y0:y1, x0:x1] = cv2.warpAffine(planes[0], m, (x1 - x0, y1 - y0), flags=flags,
                                             borderMode=cv2.BORDER_CONSTANT, borderValue=self.bg[0])
        for src, dst, value in ((planes[1], out.u, self.bg[1]), (planes[2], out.v, self.bg[2])):
            dst[y0 // 2:y1 // 2, x0 // 2:x1 // 2] = cv2.warpAffine(
                src, mc, ((x1 - x0) // 2, (y1 - y0) // 2), flags=flags, borderMode=cv2.BORDER_CONSTANT,
                borderValue=value)

    def _held_frame(self, key: str, planes: tuple[np.ndarray, np.ndarray, np.ndarray], i: int) -> Planes:
        cached = self._held.get(key)
        if cached is None:
            cached = self._held[key] = Planes(self.w, self.h)
            self._warp(planes, i, cached)
        return cached

    def render(self, i: int, out: Planes) -> None:
        if i < self.move_from:
            out.buf[:] = self._held_frame("whole", self.plain, 0).buf
            return
        if i < self.move_to:
            self._warp(self.plain, i, out)
            return
        progress = self.wipe(i)
        if progress >= 1:
            out.buf[:] = self._held_frame("marked", self.marked, self.move_to).buf
            return
        out.buf[:] = self._held_frame("plain", self.plain, self.move_to).buf
        marked = self._held_frame("marked", self.marked, self.move_to)
        _, (cx0, cy0, cx1, cy1) = self.on_screen(self.move_to)
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
            xs, xe = max(int(a - pad), cx0), min(int(reach + (pad if reach >= c else 0)), cx1)
            ys, ye = max(int(b - pad), cy0), min(int(math.ceil(d + pad)), cy1)
            if xe <= xs or ye <= ys:
                continue
            out.y[ys:ye, xs:xe] = marked.y[ys:ye, xs:xe]
            out.u[ys // 2:ye // 2, xs // 2:xe // 2] = marked.u[ys // 2:ye // 2, xs // 2:xe // 2]
            out.v[ys // 2:ye // 2, xs // 2:xe // 2] = marked.v[ys // 2:ye // 2, xs // 2:xe // 2]


def _highlighted(page: np.ndarray, rects_px: list[tuple[float, float, float, float]], color: str) -> np.ndarray:
    """The page with the passage marked: a highlighter multiplies, ink stays dark and paper takes the colour
    (a little past the letters)."""
    sh, sw = page.shape[:2]
    marked = page.copy()
    colour = np.array(hex_to_rgb(color), np.float32) / 255
    for a, b, c, d in rects_px:
        pad = (d - b) * 0.12
        ys, ye = max(int(b - pad), 0), min(int(math.ceil(d + pad)), sh)
        xs, xe = max(int(a - pad), 0), min(int(math.ceil(c + pad)), sw)
        marked[ys:ye, xs:xe] = (marked[ys:ye, xs:xe].astype(np.float32) * colour).astype(np.uint8)
    return marked


def _yuv(rgb: tuple[int, int, int]) -> list[int]:
    return [int(v[0, 0]) for v in rgb_to_planes(np.array([[rgb] * 2] * 2, np.uint8))]


def _paper(page: np.ndarray) -> tuple[int, int, int]:
    """The page's paper colour: the median of its edge pixels."""
    edge = np.concatenate([page[0], page[-1], page[:, 0], page[:, -1]])
    return tuple(int(v) for v in np.median(edge, axis=0))  # type: ignore[return-value]


def _even_up(v: float) -> int:
    return int(math.ceil(v / 2 - 1e-6)) * 2


def _even_down(v: float) -> int:
    return int(math.floor(v / 2 + 1e-6)) * 2
