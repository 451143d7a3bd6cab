"""Pages of source documents: open a PDF page (pypdfium2), find a passage on its text layer, render it.

A passage is found by its words, ignoring case, spacing and line breaks (a
sentence copied from a PDF viewer carries the page's line breaks and hyphen-free
wraps). It comes back as one box per line of text, in fractions of the page
(top-left origin), so layout and compose work in the same units for a PDF and an
image. When it is not on the page, :class:`PassageNotFound` carries the nearest
stretch of the page's text (difflib), which the error shows.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

__all__ = [
    "DocumentProblem", "PassageNotFound", "Rect", "find_passage", "open_pdf", "page_count", "page_image", "page_size",
    "pdf_page",
]

Rect = tuple[float, float, float, float]
_SPACE = re.compile(r"\s+")


class DocumentProblem(Exception):
    """A document that cannot be shown as asked (the caller places it in the script)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class PassageNotFound(DocumentProblem):
    def __init__(self, text: str, nearest: str) -> None:
        self.nearest = nearest
        super().__init__(
            f"the highlight text is not on the page (nearest on the page: \u201c{nearest}\u201d)",
            "copy the sentence from the page as it is printed, or give a box [x0, y0, x1, y1]",
        )


def open_pdf(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentProblem("the PDF is encrypted (it needs a password to open)",
                                  "save an unprotected copy of the page (print to PDF) and point at it") from None
        raise DocumentProblem(f"not a readable PDF ({exc})", "export or download the PDF again") from None


@functools.lru_cache(maxsize=16)
def page_count(path: Path) -> int:
    pdf = open_pdf(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdf_page(pdf, page: int):  # type: ignore[no-untyped-def]
    if not 1 <= page <= len(pdf):
        raise DocumentProblem(f"the PDF has {len(pdf)} page{'s' if len(pdf) != 1 else ''}, no page {page}",
                              f"give a page from 1 to {len(pdf)}")
    return pdf[page - 1]


@functools.lru_cache(maxsize=16)
def page_size(path: Path, page: int | None) -> tuple[float, float]:
    """The page's size (PDF points, or an image's pixels, as drawn)."""
    if page is None:
        from .cover import upright_size

        return upright_size(path)
    pdf = open_pdf(path)
    try:
        w, h = pdf_page(pdf, page).get_size()
        return float(w), float(h)
    finally:
        pdf.close()


@dataclass(frozen=True)
class _Letters:
    """The page's text with spacing removed and lower-cased, and each letter's index on the page."""

    text: str
    index: tuple[int, ...]
    raw: str


def _letters(raw: str) -> _Letters:
    text, index = [], []
    for i, ch in enumerate(raw):
        if not ch.isspace() and ch not in "\ufffe\u00ad\x02":  # pdfium marks soft hyphens
            text.append(ch.casefold())
            index.append(i)
    return _Letters("".join(text), tuple(index), raw)


def _nearest(letters: _Letters, wanted: str) -> str:
    """The stretch of the page most like ``wanted`` (for the error message), as printed."""
    words = _SPACE.sub(" ", letters.raw).strip().split(" ")
    n = max(1, len(wanted.split()))
    best, score = "", -1.0
    for i in range(max(1, len(words) - n + 1)):
        cand = " ".join(words[i:i + n])
        ratio = difflib.SequenceMatcher(None, cand.casefold(), wanted.casefold()).ratio()
        if ratio > score:
            best, score = cand, ratio
    return best if len(best) <= 160 else best[:157] + "..."


@functools.lru_cache(maxsize=32)
def find_passage(path: Path, page: int, text: str) -> tuple[Rect, ...]:
    """Boxes (one per line, page fractions, top-left origin) of ``text`` on PDF page ``page``."""
    pdf = open_pdf(path)
    try:
        pg = pdf_page(pdf, page)
        width, height = pg.get_size()
        tp = pg.get_textpage()
        raw = tp.get_text_range(0, tp.count_chars())
        letters = _letters(raw)
        wanted = "".join(ch.casefold() for ch in text if not ch.isspace())
        at = letters.text.find(wanted)
        if at < 0 or not wanted:
            raise PassageNotFound(text, _nearest(letters, text) if raw.strip() else "(no text layer: a scan?)")
        first, last = letters.index[at], letters.index[at + len(wanted) - 1]
        lines: list[list[float]] = []
        for i in range(first, last + 1):
            if raw[i].isspace():
                continue
            left, bottom, right, top = tp.get_charbox(i)
            box = [left / width, 1 - top / height, right / width, 1 - bottom / height]
            line = lines[-1] if lines else None
            if line and abs((line[1] + line[3]) / 2 - (box[1] + box[3]) / 2) < (line[3] - line[1]) * 0.6:
                line[0], line[1] = min(line[0], box[0]), min(line[1], box[1])
                line[2], line[3] = max(line[2], box[2]), max(line[3], box[3])
            else:
                lines.append(box)
        tp.close()
        return tuple((round(a, 5), round(b, 5), round(c, 5), round(d, 5)) for a, b, c, d in lines)
    finally:
        pdf.close()


def page_image(path: Path, page: int, width: int) -> Image.Image:
    """A PDF's page rendered as RGB, ``width`` pixels wide."""
    pdf = open_pdf(path)
    try:
        pg = pdf_page(pdf, page)
        scale = width / pg.get_size()[0]
        return pg.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
