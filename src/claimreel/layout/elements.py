"""What a laid-out scene is made of: boxes with text, shapes and images.

Layout only decides where things go; :mod:`claimreel.compose` draws them. Keeping
the boxes as data lets tests check every element against the safe area.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Union

from .formats import Box

__all__ = ["Clip", "Document", "ImageEl", "Photo", "RectEl", "SceneLayout", "TextEl"]

# Layers: "main" fades/slides in with the scene; "hero" scales in (the verdict);
# "chrome" (outlet mark) stays put across scenes.
Layer = Literal["main", "hero", "chrome"]


@dataclass(frozen=True)
class TextEl:
    box: Box
    lines: tuple[str, ...]
    weight: str
    size: int
    line_height: int
    color: str
    align: Literal["left", "center", "right"] = "left"
    role: str = "text"
    layer: Layer = "main"
    tracking: int = 0
    stroke: int = 0  # outline width in pixels (the outlined caption style)
    stroke_color: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class RectEl:
    box: Box
    color: str
    opacity: float = 1.0
    radius: int = 0
    role: str = "shape"
    layer: Layer = "main"


@dataclass(frozen=True)
class ImageEl:
    box: Box
    path: Path
    focus: tuple[float, float] = (0.5, 0.5)
    circle: bool = False
    role: str = "image"
    layer: Layer = "main"


Element = Union[TextEl, RectEl, ImageEl]


@dataclass(frozen=True)
class Photo:
    """A full-frame photo background with a slow zoom toward ``focus``."""

    path: Path
    focus: tuple[float, float]
    zoom_from: float = 1.0
    zoom_to: float = 1.08
    fit: str = "cover"  # or "contain": the whole photo on a blurred fill of itself (see layout.cover)


@dataclass(frozen=True)
class Clip:
    """Footage filling the frame: ``path`` from ``start`` to ``end`` seconds (the source media and its
    in/out points, as an editing timeline names them), cover-cropped around ``focus``."""

    path: Path
    start: float
    end: float
    focus: tuple[float, float] = (0.5, 0.5)
    audio: str = "under"  # mute | under | full (the soundtrack's business; kept here for exports)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Document:
    """A document page shown whole, then moved in on ``rects`` (the passage, in page fractions, one per
    line) while a highlighter is drawn across them. ``page`` is 1-based (None: an image file).

    ``area`` is the page window: the part of the frame (x, y, w, h) no overlay covers, the only part
    the page is drawn in. ``view`` is the part of the page (fractions) the scene ends on, whole lines
    only (:mod:`claimreel.layout.framing`)."""

    path: Path
    page: int | None
    rects: tuple[tuple[float, float, float, float], ...]
    color: str = "#ffd400"
    area: tuple[int, int, int, int] = (0, 0, 0, 0)
    view: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True)
class SceneLayout:
    kind: str
    background: str
    elements: tuple[Element, ...]
    photo: Photo | None = None
    clip: Clip | None = None
    document: Document | None = None
    caption_bottom: int = 0
    scrim: bool = False
    notes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def texts(self) -> tuple[TextEl, ...]:
        return tuple(e for e in self.elements if isinstance(e, TextEl))

    def scaled(self, factor: float) -> "SceneLayout":
        """The same scene for a canvas ``factor`` times the size (see :meth:`Format.scaled`): every box,
        type size and stroke scaled, the lines kept as they were broken, so a thumbnail drawn from it
        has the composition of the frame rather than a layout of its own."""
        document = self.document
        if document is not None:
            document = replace(document, area=tuple(round(v * factor) for v in document.area))  # type: ignore[arg-type]
        return replace(self, elements=tuple(_scaled(e, factor) for e in self.elements), document=document,
                       caption_bottom=round(self.caption_bottom * factor))


def _scaled(el: Element, factor: float) -> Element:
    if isinstance(el, TextEl):
        return replace(el, box=el.box.scaled(factor), size=max(1, round(el.size * factor)),
                       line_height=max(1, round(el.line_height * factor)), tracking=round(el.tracking * factor),
                       stroke=round(el.stroke * factor) if el.stroke else 0)
    if isinstance(el, RectEl):
        return replace(el, box=el.box.scaled(factor), radius=round(el.radius * factor))
    return replace(el, box=el.box.scaled(factor))
