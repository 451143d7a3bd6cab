"""How a document scene frames its passage: whole lines, as close as whole lines allow.

The scene ends on a view of the page: a rectangle of it shown in the page window
(the part of the frame no overlay covers). The view is as wide as the lines it
shows, never narrower: every line it touches is inside it from its first
letter to its last, so no line is cut at the frame's edge mid-word. It is
centred on the passage, tall enough that the passage takes at most ``share`` of
the window's height (the lines around it give context), and no closer than
``max_line`` pixels per line. Its top and bottom edges move in to fall between
lines, so no line shows half.

Boxes are page fractions (top-left origin) as :mod:`claimreel.layout.pages`
gives them; the arithmetic is done in page widths on both axes so distances
are the same across and down.
"""

from __future__ import annotations

from statistics import median
from typing import Sequence

from .pages import Rect

__all__ = ["passage_view", "whole_lines"]

PAD = 0.025  # of the view's width, kept clear at each side of the widest line
#: Of the window's height, kept at its top and bottom for a margin of paper around the view (so a line
#: at the view's edge never touches the background); compose draws it.
PAPER = 0.03
#: With no highlight, the view moves in on the page's opening lines: those starting this far (page
#: heights) below its first line, or on its upper part when it has no text.
OPENING = 0.15
UPPER_PAGE: Rect = (0.1, 0.1, 0.9, 0.45)


def _scaled(rect: Rect, aspect: float) -> Rect:
    x0, y0, x1, y1 = rect
    return (x0, y0 * aspect, x1, y1 * aspect)


def _meets(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def whole_lines(lines: Sequence[Rect], passage: Sequence[Rect]) -> list[Rect]:
    """The page's lines the passage is on, whole (a passage may start or end mid-line)."""
    return [line for line in lines if any(_meets(line, p) for p in passage)]


def passage_view(lines: Sequence[Rect], passage: Sequence[Rect], aspect: float, window: tuple[int, int], *,
                 share: float = 0.6, max_line: float = 80.0) -> Rect:
    """The view (page fractions) a document scene ends on.

    ``lines`` are every line of text on the page, ``passage`` the highlighted boxes
    (none: the page's upper part), ``aspect`` the page's height over its width,
    ``window`` the width and height in pixels the view is shown in.
    """
    ww, wh = window
    ratio = ww / (wh * (1 - 2 * PAPER))
    page = [_scaled(r, aspect) for r in lines]
    marked = [_scaled(r, aspect) for r in (passage or _opening(lines))]
    spans = whole_lines(page, marked) + marked
    top, bottom = min(r[1] for r in spans), max(r[3] for r in spans)
    left, right = min(r[0] for r in spans), max(r[2] for r in spans)
    line_h = median(r[3] - r[1] for r in marked)
    whole = max(1.0, aspect * ratio)  # the view's width that shows the whole page
    for _ in range(len(page) + 1):
        width = max((right - left) / (1 - 2 * PAD), (bottom - top) / share * ratio, line_h * ww / max_line)
        width = min(width, whole)
        view = _placed(width, width / ratio, (left + right) / 2, (top + bottom) / 2, aspect)
        cut = [r for r in page if _meets(r, view) and (r[0] < view[0] or r[2] > view[2])]
        if not cut or width >= whole:
            break
        left, right = min(left, *(r[0] for r in cut)), max(right, *(r[2] for r in cut))
    x0, y0, x1, y1 = view
    y0, y1 = _between_lines(page, (x0, y0, x1, y1), top, bottom)
    return (round(x0, 5), round(y0 / aspect, 5), round(x1, 5), round(y1 / aspect, 5))


def _opening(lines: Sequence[Rect]) -> Sequence[Rect]:
    """What the view moves in on without a highlight: the page's first lines."""
    if not lines:
        return (UPPER_PAGE,)
    first = min(r[1] for r in lines)
    return [r for r in lines if r[1] <= first + OPENING]


def _placed(width: float, height: float, cx: float, cy: float, aspect: float) -> Rect:
    """A ``width`` × ``height`` view centred on (cx, cy), moved to stay on the page where it fits."""
    cx = min(max(cx, width / 2), 1 - width / 2) if width <= 1 else 0.5
    cy = min(max(cy, height / 2), aspect - height / 2) if height <= aspect else aspect / 2
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _between_lines(page: Sequence[Rect], view: Rect, top: float, bottom: float) -> tuple[float, float]:
    """The view's top and bottom moved in past any line they would cut (never into the passage's lines,
    which span ``top`` to ``bottom``)."""
    y0, y1 = view[1], view[3]
    shown = [r for r in page if r[0] < view[2] and view[0] < r[2]]
    moved = True
    while moved:
        moved = False
        for r in shown:
            if r[1] < y0 < r[3] and r[3] <= top:
                # halfway to the next line down, so the first line shown does not touch the edge
                below = min((n[1] for n in shown if n[1] >= r[3]), default=r[3])
                y0, moved = (r[3] + min(below, top)) / 2, True
            if r[1] < y1 < r[3] and r[1] >= bottom:
                above = max((n[3] for n in shown if n[3] <= r[1]), default=r[1])
                y1, moved = (r[1] + max(above, bottom)) / 2, True
    return y0, y1
