"""Where burned-in captions go: centred, bottom of the safe area, above any lower third."""

from __future__ import annotations

from typing import Sequence

from .elements import Element, RectEl, TextEl
from .formats import Box, Format
from .text import FontBook
from .theme import Theme

__all__ = ["caption_elements", "caption_size"]


# Caption type size at 1080 px on the short side. 16:9 and 9:16 use 48 px; in 1:1 and 4:5 a line of
# up to 42 characters (STANDARDS.md) must fit the narrower safe area (86% of 1080 px), so 40 px.
_SIZES = {"16x9": 48, "9x16": 48, "1x1": 40, "4x5": 40}
MIN_CAPTION = 32


def caption_size(fmt: Format) -> int:
    return round(_SIZES.get(fmt.name, 40) * fmt.unit)


def _fitted_size(lines: Sequence[str], fmt: Format, book: FontBook) -> int:
    """The format's caption size, or smaller (rarely) when a line of wide letters would leave the safe area."""
    size = caption_size(fmt)
    while size > round(MIN_CAPTION * fmt.unit):
        widest = max((book.length("semibold", size, line) for line in lines), default=0)
        if widest + 2 * round(size * 0.42) <= fmt.safe.w:
            break
        size -= 2
    return size


def caption_elements(
    lines: Sequence[str], fmt: Format, theme: Theme, book: FontBook, *, bottom: int = 0
) -> tuple[Element, ...]:
    """Boxed caption lines (the theme's ``boxed`` style), last line's box ending at ``bottom``."""
    size = _fitted_size(lines, fmt, book)
    line_h = round(size * 1.32)
    pad_x, step = round(size * 0.42), line_h
    bottom = bottom or fmt.safe.bottom - round(12 * fmt.unit)
    centre = fmt.width // 2
    out: list[Element] = []
    top = bottom - step * len(lines)
    for i, line in enumerate(lines):
        width = round(book.length("semibold", size, line))
        y = top + i * step
        box = Box(centre - width // 2 - pad_x, y, width + 2 * pad_x, line_h)
        out.append(RectEl(box, theme.colors["caption_box"], theme.caption_box_opacity, round(6 * fmt.unit),
                          "caption-box"))
        out.append(TextEl(Box(centre - width // 2, y, width, line_h), (line,), "semibold", size, line_h,
                          theme.colors["caption_text"], "center", "caption"))
    return tuple(out)
