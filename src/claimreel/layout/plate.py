"""The corner mark's plate: the backing it sits on over a photo, clip or any full-bleed picture.

A picture fills the frame, so the mark cannot keep off the picture's own text (a sign, a caption
burned into an agency photo, a stand-in label). It sits on an opaque plate of a theme colour
instead, so it never reads as part of the picture or sinks into it, and its contrast is measured
against the plate, which is known, not against the picture, which is not (docs/standards.md,
"Overlays and the picture's text").

The plate's colour is the first of the theme's ``background``, ``surface`` and ``text`` colours
the mark meets its minimum contrast on: the outlet's name is the theme's text colour (so its plate
is the background, a pair the theme's own check holds to 4.5:1); a logo is measured by its ink,
the median colour of its opaque pixels (most of what the eye sees of it), and needs 3:1 (WCAG
1.4.11, graphical objects; a logotype has no 1.4.3 minimum, and 3:1 is the least any other part of
the theme is held to).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Mapping

from .theme import contrast_ratio

__all__ = ["LOGO_CONTRAST", "NAME_CONTRAST", "PLATE_COLORS", "logo_ink", "logo_plate_problem", "plate_color"]

#: Theme colours a plate may take, in the order they are tried.
PLATE_COLORS = ("background", "surface", "text")
#: Least contrast of a logo's ink against its plate (WCAG 1.4.11).
LOGO_CONTRAST = 3.0
#: Least contrast of the outlet's name (small text) against its plate (WCAG 1.4.3).
NAME_CONTRAST = 4.5


def logo_ink(path: Path) -> str:
    """The logo's ink as ``#rrggbb``: the per-channel median of its pixels at least half opaque."""
    return _ink(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _ink(path: Path, _mtime_ns: int) -> str:
    import numpy as np
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        rgba = np.asarray(ImageOps.exif_transpose(img).convert("RGBA"))
    opaque = rgba[rgba[..., 3] >= 128][:, :3]
    if not len(opaque):  # an invisible logo: nothing to measure, any plate will do
        return "#808080"
    r, g, b = (int(v) for v in np.median(opaque, axis=0))
    return f"#{r:02x}{g:02x}{b:02x}"


def plate_color(colors: Mapping[str, str], ink: str, minimum: float) -> tuple[str, float]:
    """The plate's colour for a mark drawn in ``ink`` and its contrast: the first theme colour of
    :data:`PLATE_COLORS` that reaches ``minimum``, else the one with the most contrast."""
    ranked = [(colors[name], contrast_ratio(ink, colors[name])) for name in PLATE_COLORS]
    for color, ratio in ranked:
        if ratio >= minimum:
            return color, ratio
    return max(ranked, key=lambda pair: pair[1])


def logo_plate_problem(colors: Mapping[str, str], theme_name: str, logo: Path, where: str) -> str | None:
    """A message when no plate colour gives the logo its 3:1 (``where``: the field that names the logo)."""
    ink = logo_ink(logo)
    color, ratio = plate_color(colors, ink, LOGO_CONTRAST)
    if ratio >= LOGO_CONTRAST:
        return None
    names = ", ".join(PLATE_COLORS)
    return (f"{where}: the logo {logo.name} (main colour {ink}) reaches at most {ratio:.2f}:1 on a plate of theme "
            f"{theme_name!r}'s {names} colours ({color} the best), below {LOGO_CONTRAST}:1 (WCAG 1.4.11); over "
            "photos and footage the logo sits on such a plate: give a logo whose main colour is darker or lighter, "
            "or change the theme's colours")
