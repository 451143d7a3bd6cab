"""Where and how burned-in captions are drawn: centred, bottom of the safe area, clear of on-screen text.

Styles (the theme's ``caption_style``):

* ``boxed`` (default): each line on its own translucent box.
* ``outlined``: no box; white text with a dark outline, for busy pictures.
* ``highlight``: boxed, and the word being spoken drawn in the theme's accent
  colour (word-by-word, from the narration's word timings).

A cue spoken in someone else's words (``speaker``) carries a label row above
its lines, in the accent colour, so the claimant's words never read as the
narrator's (docs/standards.md, "speakers").
"""

from __future__ import annotations

from typing import Sequence

from .elements import Element, RectEl, SceneLayout, TextEl
from .formats import Box, Format
from .text import FontBook
from .theme import Theme

__all__ = ["STYLES", "caption_bottom", "caption_elements", "caption_size", "speaker_tag"]

STYLES = ("boxed", "outlined", "highlight")


# Caption type size at 1080 px on the short side. 16:9 and 9:16 use 48 px; in 1:1 and 4:5 a line of
# up to 42 characters (docs/standards.md) must fit the narrower safe area (86% of 1080 px), so 40 px.
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


def speaker_tag(name: str) -> str:
    """The burned-in label of a quoted speaker's cue."""
    return name.upper()


def _segments(line: str, first_token: int, highlight: int | None) -> list[tuple[str, bool]]:
    """``line`` cut into runs of (text, highlighted); tokens are numbered from ``first_token``."""
    tokens = line.split(" ")
    if highlight is None or not first_token <= highlight < first_token + len(tokens):
        return [(line, False)]
    k = highlight - first_token
    out = []
    before, word, after = " ".join(tokens[:k]), tokens[k], " ".join(tokens[k + 1:])
    if before:
        out.append((before + " ", False))
    out.append((word, True))
    if after:
        out.append((" " + after, False))
    return out


def caption_elements(
    lines: Sequence[str],
    fmt: Format,
    theme: Theme,
    book: FontBook,
    *,
    bottom: int = 0,
    speaker: str | None = None,
    highlight: int | None = None,
    style: str | None = None,
) -> tuple[Element, ...]:
    """The elements of one caption, the last line ending at ``bottom``.

    ``highlight`` is the index of the spoken word among the cue's tokens (the
    ``highlight`` style only); ``speaker`` adds a label row above the lines.
    """
    style = style or theme.caption_style
    size = _fitted_size(lines, fmt, book)
    font = book.font("semibold", size)
    line_h = round(size * 1.32)
    pad_x, step = round(size * 0.42), line_h
    bottom = bottom or fmt.safe.bottom - round(12 * fmt.unit)
    centre = fmt.width // 2
    text_color, accent = theme.colors["caption_text"], theme.colors["accent"]
    boxed = style != "outlined"
    stroke = 0 if boxed else max(2, round(4 * fmt.unit))
    outline = None if boxed else theme.colors["caption_box"]
    out: list[Element] = []
    top = bottom - step * len(lines)
    if speaker:
        tag_size = round(size * 0.62)
        tag_font = book.font("bold", tag_size)
        tag_h = round(tag_size * 1.5)
        tag = speaker_tag(speaker)
        width = round(tag_font.getlength(tag))
        y = top - tag_h - round(4 * fmt.unit)
        if boxed:
            out.append(RectEl(Box(centre - width // 2 - pad_x, y, width + 2 * pad_x, tag_h),
                              theme.colors["caption_box"], theme.caption_box_opacity, round(6 * fmt.unit),
                              "caption-box"))
        out.append(TextEl(Box(centre - width // 2, y, width, tag_h), (tag,), "bold", tag_size, tag_h, accent,
                          "center", "caption-speaker", stroke=stroke, stroke_color=outline))
    token = 0
    for i, line in enumerate(lines):
        width = round(book.length("semibold", size, line))
        y = top + i * step
        if boxed:
            out.append(RectEl(Box(centre - width // 2 - pad_x, y, width + 2 * pad_x, line_h),
                              theme.colors["caption_box"], theme.caption_box_opacity, round(6 * fmt.unit),
                              "caption-box"))
        runs = _segments(line, token, highlight if style == "highlight" else None)
        if len(runs) == 1:
            out.append(TextEl(Box(centre - width // 2, y, width, line_h), (line,), "semibold", size, line_h,
                              text_color, "center", "caption", stroke=stroke, stroke_color=outline))
        else:
            x = centre - width / 2
            for text, lit in runs:
                run_w = font.getlength(text)
                out.append(TextEl(Box(round(x), y, round(run_w), line_h), (text,), "semibold", size, line_h,
                                  accent if lit else text_color, "left",
                                  "caption-word" if lit else "caption-run", stroke=stroke, stroke_color=outline))
                x += run_w
        token += len(line.split(" "))
    return tuple(out)


def caption_bottom(layout: SceneLayout, fmt: Format, elements: Sequence[Element]) -> int:
    """Where a caption's bottom goes so it covers none of the scene's own text.

    Starts from the scene's ``caption_bottom`` (or the safe area's bottom); if the
    caption would cover a text element, it moves up above it, but never out of
    the safe area (then it stays where it was: the scene's layout reserved room).
    """
    base = layout.caption_bottom or fmt.safe.bottom - round(12 * fmt.unit)
    boxes = [e.box for e in elements]
    if not boxes:
        return base
    top = min(b.y for b in boxes)
    height = base - top
    texts = sorted((e.box for e in layout.elements if isinstance(e, TextEl)), key=lambda b: -(b.y + b.h))
    bottom = base
    gap = round(16 * fmt.unit)
    for box in texts:
        span = Box(min(b.x for b in boxes), bottom - height, max(b.right for b in boxes) - min(b.x for b in boxes),
                   height)
        if span.intersects(box):
            bottom = box.y - gap
    if bottom - height < fmt.safe.y:
        return base
    return bottom
