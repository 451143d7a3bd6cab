"""Output formats and their safe areas (docs/standards.md, "Safe areas")."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Box", "FORMATS", "Format", "get_format"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in integer pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def contains(self, other: "Box") -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def intersects(self, other: "Box") -> bool:
        return not (
            other.x >= self.right
            or other.right <= self.x
            or other.y >= self.bottom
            or other.bottom <= self.y
        )

    def scaled(self, factor: float) -> "Box":
        return Box(*(round(v * factor) for v in (self.x, self.y, self.w, self.h)))


@dataclass(frozen=True)
class Format:
    """A canvas: its size, frame rate and where text may go.

    ``safe`` is where all text and key content stays; ``unit`` is the type-scale
    base (1.0 at 1080 px on the short side) so sizes follow the canvas.
    ``type_scale`` enlarges the cards of tall canvases: a 9:16 frame is watched
    full-screen on a phone, where 1080 px are a hand's width, and its safe area is
    tall enough for larger type (the captions keep their own size).
    """

    name: str
    width: int
    height: int
    safe: Box
    fps: Fraction = Fraction(30)
    draft: bool = False  # a preview: scenes carry a visible DRAFT mark
    type_scale: float = 1.0

    @property
    def unit(self) -> float:
        return min(self.width, self.height) / 1080

    @property
    def card_unit(self) -> float:
        """Pixels per design pixel of a card's layout (``unit`` times ``type_scale``)."""
        return self.unit * self.type_scale

    @property
    def canvas(self) -> Box:
        return Box(0, 0, self.width, self.height)

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def scaled(self, width: int, height: int) -> "Format":
        """The same canvas drawn at ``width`` × ``height`` (both even, for yuv420p): what a laid-out
        scene scaled by :meth:`SceneLayout.scaled` is drawn on, e.g. a storyboard's thumbnail."""
        return Format(self.name, width, height, self.safe.scaled(width / self.width), self.fps, draft=self.draft,
                      type_scale=self.type_scale)

    def preview(self) -> "Format":
        """The same layout at half size, marked as a draft, for fast previews."""
        w, h = self.width // 2, self.height // 2
        return Format(self.name, w - w % 2, h - h % 2, self.safe.scaled(0.5), self.fps, draft=True,
                      type_scale=self.type_scale)


def _central(width: int, height: int, w_frac: float, h_frac: float) -> Box:
    w, h = round(width * w_frac), round(height * h_frac)
    return Box((width - w) // 2, (height - h) // 2, w, h)


FORMATS: dict[str, Format] = {
    # BBC online: text within the central 75% of the width and 90% of the height.
    "16x9": Format("16x9", 1920, 1080, _central(1920, 1080, 0.75, 0.90)),
    # Reels UI covers the top 14%, bottom 35% and 6% each side: x 65..1015, y 270..1248.
    "9x16": Format("9x16", 1080, 1920, Box(65, 270, 950, 978), type_scale=1.3),
    "1x1": Format("1x1", 1080, 1080, _central(1080, 1080, 0.86, 0.90)),
    "4x5": Format("4x5", 1080, 1350, _central(1080, 1350, 0.86, 0.90), type_scale=1.1),
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        from ..errors import ClaimreelError

        raise ClaimreelError(
            f"unknown format {name!r}; choose from {', '.join(FORMATS)} or 'all'"
        ) from None
