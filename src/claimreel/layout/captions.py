"""Where burned-in captions go: centred, bottom of the safe area, above any lower third."""

from __future__ import annotations

from typing import Sequence

from .elements import Element, RectEl, TextEl
from .formats import Box, Format
from .text import FontBook
from .theme import Theme

__all__ = ["caption_elements", "caption_size"]


def caption_size(fmt: Format) -> int:
    return round(48 * fmt.unit)


def caption_elements(
    lines: Sequence[str], fmt: Format, theme: Theme, book: FontBook, *, bottom: int = 0
) -> tuple[Element, ...]:
    """Boxed caption lines (the theme's ``boxed`` style), last line's box ending at ``bottom``."""
    size = caption_size(fmt)
    font = book.font("semibold", size)
    line_h = round(size * 1.32)
    pad_x, step = round(size * 0.42), line_h
    bottom = bottom or fmt.safe.bottom - round(12 * fmt.unit)
    centre = fmt.width // 2
    out: list[Element] = []
    top = bottom - step * len(lines)
    for i, line in enumerate(lines):
        width = round(font.getlength(line))
        y = top + i * step
        box = Box(centre - width // 2 - pad_x, y, width + 2 * pad_x, line_h)
        out.append(RectEl(box, theme.colors["caption_box"], theme.caption_box_opacity, round(6 * fmt.unit),
                          "caption-box"))
        out.append(TextEl(Box(centre - width // 2, y, width, line_h), (line,), "semibold", size, line_h,
                          theme.colors["caption_text"], "center", "caption"))
    return tuple(out)
