"""Text: shipped fonts, shaping through raqm, coverage, line wrapping, shrink-to-fit.

Pillow's raqm layout engine shapes every string (ligatures, kerning, bidi), so
widths measured here are the widths drawn. A character that no font of the
theme covers is an error, never a tofu box.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from PIL import ImageFont, features

from ..errors import FontCoverageError, LayoutError
from .runs import direction, font_runs, join_tokens, tokens

__all__ = ["FontBook", "TextFit", "check_coverage", "fit_text", "read_cmaps", "wrap_words"]

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
        # Only code points are wanted, not glyph names: a numbered glyph order spares reading
        # the names from the post or CFF table (slow for a CJK font with thousands of glyphs).
        tt.setGlyphOrder([f"g{i}" for i in range(tt["maxp"].numGlyphs)])
        return frozenset(tt.getBestCmap() or {})


def read_cmaps(paths: Iterable[Path]) -> None:
    """Read the character maps of the fonts at ``paths`` now (they are kept for the process): a
    long-lived process reads them ahead of its first request (a CJK font's takes tens of ms)."""
    for path in paths:
        _cmap(str(path))


@functools.lru_cache(maxsize=8)
def _covered(paths: tuple[str, ...]) -> frozenset[int]:
    """Code points any of the fonts at ``paths`` has."""
    return frozenset().union(*(_cmap(path) for path in paths))


_WEIGHTS = ("regular", "medium", "semibold", "bold")


def _nearest(faces: Mapping[str, Path], weight: str) -> Path:
    """The face of ``faces`` closest to ``weight`` (semibold falls to bold, medium to regular)."""
    if weight in faces:
        return faces[weight]
    want = _WEIGHTS.index(weight) if weight in _WEIGHTS else 0
    order = sorted(faces, key=lambda w: (abs(_WEIGHTS.index(w) - want + 0.1) if w in _WEIGHTS else 9))
    return faces[order[0]]


@dataclass(frozen=True)
class FontBook:
    """The theme's weights (regular, medium, semibold, bold) as font files, then its fallback fonts.

    A character the main font lacks is drawn with the first fallback that has it
    (per character, split into runs); measuring and drawing use the same runs.
    """

    weights: Mapping[str, Path]
    fallbacks: tuple[Mapping[str, Path], ...] = ()
    # faces() by weight: layout asks thousands of times while fitting text
    _faces: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def font(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        return _font(str(self.weights[weight]), max(1, int(size)))

    def faces(self, weight: str) -> tuple[str, ...]:
        """Font files tried for ``weight``, in fallback order."""
        found = self._faces.get(weight)
        if found is None:
            found = self._faces[weight] = (str(self.weights[weight]),) + tuple(
                str(_nearest(f, weight)) for f in self.fallbacks)
        return found

    def runs(self, weight: str, size: int, text: str) -> list[tuple[ImageFont.FreeTypeFont, str, str]]:
        """``(font, text, direction)`` runs of one line in visual order, left to right."""
        return _runs(self.faces(weight), max(1, int(size)), text)

    def length(self, weight: str, size: int, text: str) -> float:
        """Shaped width of one line across its font runs."""
        return _length(self.faces(weight), max(1, int(size)), text)

    def font_names(self) -> list[str]:
        names = [Path(p).name for p in self.weights.values()]
        for faces in self.fallbacks:
            names += [Path(p).name for p in faces.values()]
        return list(dict.fromkeys(names))

    def missing(self, text: str) -> str:
        """Characters of ``text`` that no font (main or fallback) covers, in order of first use."""
        paths = tuple(str(p) for p in self.weights.values()) + tuple(str(p) for f in self.fallbacks for p in f.values())
        covered = _covered(paths)
        seen: dict[str, None] = {}
        for ch in text:
            if ch not in _IGNORED and not ch.isspace() and ord(ch) not in covered:
                seen.setdefault(ch)
        return "".join(seen)


@functools.lru_cache(maxsize=16384)
def _length(faces: tuple[str, ...], size: int, text: str) -> float:
    return sum(text_width(font, run, d) for font, run, d in _runs(faces, size, text))


@functools.lru_cache(maxsize=8192)
def _runs(faces: tuple[str, ...], size: int, text: str) -> list[tuple[ImageFont.FreeTypeFont, str, str]]:
    covers = [_cmap(path) for path in faces]
    para = direction(text)
    out = []
    for index, run in font_runs(text, covers):
        run_dir = direction(run) if any(not ch.isspace() for ch in run) else para
        out.append((_font(faces[index], size), run, run_dir))
    if para == "rtl":
        out.reverse()
    return out


def check_coverage(book: FontBook, texts: Mapping[str, str]) -> None:
    """Raise :class:`FontCoverageError` for the first field whose text a font cannot draw."""
    for where, text in texts.items():
        missing = book.missing(text)
        if missing:
            raise FontCoverageError(missing, book.font_names(), where=where)


@functools.lru_cache(maxsize=65536)
def text_width(font: ImageFont.FreeTypeFont, text: str, direction: str | None = None) -> float:
    """Shaped advance width of ``text`` (cached: wrapping and balancing measure the same runs again)."""
    return font.getlength(text, direction=direction) if _RAQM else font.getlength(text)


_RAQM = features.check("raqm")


def wrap_words(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """Greedy wrap by measured width at break opportunities (:func:`runs.tokens`: words, or
    characters in CJK text); a unit wider than the line stays whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[tuple[str, bool]] = []
        for unit in tokens(paragraph):
            candidate = current + [unit]
            if current and measure(join_tokens(candidate)) > max_width:
                lines.append(join_tokens(current))
                current = [(unit[0], False)]
            else:
                current = candidate
        lines.append(join_tokens(current))
    return [line for line in lines if line] or [""]


def _balanced(lines: list[str], text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """Narrow the measure while the line count holds, so the last line is not a stub."""
    if len(lines) < 2:
        return lines
    best = lines
    lo, hi = max_width * 0.6, max_width
    for _ in range(8):
        mid = (lo + hi) / 2
        trial = wrap_words(text, measure, mid)
        if len(trial) == len(lines) and all(measure(l) <= max_width for l in trial):
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
        measure = functools.partial(book.length, weight, trial)
        lines = wrap_words(text, measure, max_width)
        if balance:
            lines = _balanced(lines, text, measure, max_width)
        line_height = round(trial * leading)
        widest = max(measure(line) for line in lines)
        height = line_height * len(lines)
        if widest <= max_width and height <= max_height and (max_lines is None or len(lines) <= max_lines):
            return TextFit(tuple(lines), trial, line_height, int(round(widest)), height, weight)
    prefix = f"{where}: " if where else ""
    raise LayoutError(
        f"{prefix}the text does not fit its place on screen even at {min_size} px "
        f"({len(text)} characters); shorten it or split it over two blocks",
        field=where,
    )


def measure_lines(book: FontBook, lines: Sequence[str], weight: str, size: int) -> int:
    return int(round(max(book.length(weight, size, line) for line in lines)))
