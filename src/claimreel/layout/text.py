"""Text: shipped fonts, shaping through raqm, coverage, line wrapping, shrink-to-fit.

Pillow's raqm layout engine shapes every string (ligatures, kerning, bidi), so
widths measured here are the widths drawn. A character that no font of the
theme covers is an error, never a tofu box.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from PIL import ImageFont, features

from ..errors import FontCoverageError, LayoutError

__all__ = ["FontBook", "TextFit", "check_coverage", "fit_text", "wrap_words"]

# Characters layout treats as spacing or that fonts need not carry.
_IGNORED = {"\n", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}


@functools.lru_cache(maxsize=256)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


@functools.lru_cache(maxsize=32)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as tt:
        return frozenset(tt.getBestCmap() or {})


@dataclass(frozen=True)
class FontBook:
    """The theme's weights (regular, medium, semibold, bold) as font files."""

    weights: Mapping[str, Path]

    def font(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        return _font(str(self.weights[weight]), max(1, int(size)))

    def missing(self, text: str) -> str:
        """Characters of ``text`` that no weight covers, in order of first use."""
        covered = set().union(*(_cmap(str(p)) for p in self.weights.values()))
        seen: dict[str, None] = {}
        for ch in text:
            if ch not in _IGNORED and not ch.isspace() and ord(ch) not in covered:
                seen.setdefault(ch)
        return "".join(seen)


def check_coverage(book: FontBook, texts: Mapping[str, str]) -> None:
    """Raise :class:`FontCoverageError` for the first field whose text a font cannot draw."""
    for where, text in texts.items():
        missing = book.missing(text)
        if missing:
            raise FontCoverageError(
                missing, [Path(p).name for p in book.weights.values()], where=where
            )


@functools.lru_cache(maxsize=65536)
def text_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Shaped advance width of ``text`` (cached: wrapping and balancing measure the same runs again)."""
    return font.getlength(text)


def wrap_words(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy word wrap by measured width; a word wider than the line stays whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and text_width(font, candidate) > max_width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return [line for line in lines if line] or [""]


def _balanced(lines: list[str], text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Narrow the measure while the line count holds, so the last line is not a stub."""
    if len(lines) < 2:
        return lines
    best = lines
    lo, hi = max_width * 0.6, max_width
    for _ in range(8):
        mid = (lo + hi) / 2
        trial = wrap_words(text, font, mid)
        if len(trial) == len(lines) and all(text_width(font, l) <= max_width for l in trial):
            best, hi = trial, mid
        else:
            lo = mid
    return best


@dataclass(frozen=True)
class TextFit:
    lines: tuple[str, ...]
    size: int
    line_height: int
    width: int
    height: int
    weight: str


def fit_text(
    book: FontBook,
    text: str,
    *,
    weight: str,
    size: int,
    min_size: int,
    max_width: int,
    max_height: int,
    max_lines: int | None = None,
    leading: float = 1.22,
    balance: bool = True,
    where: str = "",
) -> TextFit:
    """Wrap ``text`` at the largest size from ``size`` down to ``min_size`` that fits the box."""
    for trial in range(int(size), int(min_size) - 1, -2):
        font = book.font(weight, trial)
        lines = wrap_words(text, font, max_width)
        if balance:
            lines = _balanced(lines, text, font, max_width)
        line_height = round(trial * leading)
        widest = max(text_width(font, line) for line in lines)
        height = line_height * len(lines)
        if widest <= max_width and height <= max_height and (max_lines is None or len(lines) <= max_lines):
            return TextFit(tuple(lines), trial, line_height, int(round(widest)), height, weight)
    prefix = f"{where}: " if where else ""
    raise LayoutError(
        f"{prefix}text does not fit its box even at {min_size} px "
        f"({len(text)} characters); shorten it or split it over two blocks"
    )


def measure_lines(book: FontBook, lines: Sequence[str], weight: str, size: int) -> int:
    font = book.font(weight, size)
    return int(round(max(font.getlength(line) for line in lines)))
