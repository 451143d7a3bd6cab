"""Where a page's lines of text are: every line's box, so a document scene frames whole lines.

A PDF page's lines come from its text layer (pypdfium2): the characters in
reading order, a new line wherever the text stream breaks the line or a
character jumps to another line or across a column gap. A page without a text
layer (an image, or a scanned PDF) is read by its ink: rows of dark pixels
grouped into lines, each as wide as its ink. Boxes are in fractions of the page
(top-left origin), as :func:`claimreel.layout.pages.find_passage` gives the
passage.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from PIL import Image

from .pages import Rect, open_pdf, page_image, pdf_page

__all__ = ["ink_lines", "page_lines"]

#: A gap wider than this many line heights between two characters of a line starts another
#: line: text in the next column, not the next word.
COLUMN_GAP = 2.5
#: How wide a page without a text layer is rendered to find its ink.
INK_WIDTH = 1400


def page_lines(path: Path, page: int | None) -> tuple[Rect, ...]:
    """Every line of text on the page (page fractions, top-left origin), in reading order."""
    st = path.stat()  # in the key: a long-lived process (the studio, a job runner) sees a file replaced
    return _lines(path, page, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _lines(path: Path, page: int | None, size: int, mtime_ns: int) -> tuple[Rect, ...]:
    if page is not None:
        lines = _text_lines(path, page)
        if lines:
            return lines
        return ink_lines(page_image(path, page, INK_WIDTH))  # a scan: no text layer
    return ink_lines(_paper(path))


def _text_lines(path: Path, page: int) -> tuple[Rect, ...]:
    pdf = open_pdf(path)
    try:
        pg = pdf_page(pdf, page)
        width, height = pg.get_size()
        tp = pg.get_textpage()
        try:
            raw = tp.get_text_range(0, tp.count_chars())
            boxes = [None if ch.isspace() else tp.get_charbox(i) for i, ch in enumerate(raw)]
        finally:
            tp.close()
    finally:
        pdf.close()
    lines: list[list[float]] = []
    line: list[float] | None = None
    for ch, box in zip(raw, boxes):
        if ch in "\r\n":
            line = None
            continue
        if box is None:
            continue
        left, bottom, right, top = box
        b = [left / width, 1 - top / height, right / width, 1 - bottom / height]
        if b[2] <= b[0] and b[3] <= b[1]:
            continue  # a character without extent (a generated hyphen or marker)
        if line is not None and _same_line(line, b, height / width):
            line[0], line[1] = min(line[0], b[0]), min(line[1], b[1])
            line[2], line[3] = max(line[2], b[2]), max(line[3], b[3])
        else:
            line = list(b)
            lines.append(line)
    return tuple((round(a, 5), round(b, 5), round(c, 5), round(d, 5)) for a, b, c, d in lines)


def _same_line(line: list[float], box: list[float], aspect: float) -> bool:
    """``box`` continues ``line``: at its height, and not across a column gap."""
    tall = max(line[3] - line[1], box[3] - box[1], 1e-6)
    centred = abs((line[1] + line[3]) / 2 - (box[1] + box[3]) / 2) < tall * 0.6
    gap = (box[0] - line[2]) / aspect  # page widths to page heights: the gap in line heights' units
    return centred and -tall * 2 < gap < tall * COLUMN_GAP


def _paper(path: Path) -> Image.Image:
    """An image page upright, transparent parts on white paper (as it reads), in grey."""
    from PIL import ImageOps

    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode in ("I", "I;16", "I;16B", "F"):
            img = img.point(lambda v: v / 256).convert("L")  # 16-bit grey to 8 bits
        rgba = img.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    paper.alpha_composite(rgba)
    return paper.convert("L")


def ink_lines(image: Image.Image) -> tuple[Rect, ...]:
    """Lines of a page image found by its ink: rows darker than the paper, grouped into lines."""
    grey = np.asarray(image.convert("L"), np.int16)
    h, w = grey.shape
    paper = int(np.percentile(grey, 90))
    ink = grey < paper - 60
    # Dark bands are not text: the desk or the scanner's lid around a page, a shadow along its edge
    # (text never inks most of a column, nor all of a row).
    band = ink.mean(axis=0) > 0.6
    ink[:, band] = False
    ink[ink.sum(axis=1) > 0.95 * max(1, w - int(band.sum()))] = False
    rows = ink.sum(axis=1) > max(2, w // 500)
    lines: list[Rect] = []
    y = 0
    while y < h:
        if not rows[y]:
            y += 1
            continue
        start = y
        while y < h and (rows[y] or rows[min(y + 1, h - 1)]):  # a one-row gap is inside a letter
            y += 1
        cols = np.where(ink[start:y].any(axis=0))[0]
        if len(cols):
            lines.append((round(float(cols[0]) / w, 5), round(start / h, 5), round(float(cols[-1] + 1) / w, 5),
                          round(y / h, 5)))
    return tuple(lines)
