"""Themes: fonts, colours, the rating scale, the logo and the on-screen words, loaded from
``assets/themes/NAME/theme.yaml``.

To add a theme, copy ``assets/themes/default`` to a new folder, change it, and
name the folder in a script's ``theme:`` field. Every text/background pair the
theme uses is checked against WCAG 1.4.3 by :func:`contrast_problems`. Its
``labels:`` hold the fixed on-screen words per language (:mod:`claimreel.layout.labels`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import ClaimreelError
from ..script.themes import rating_scale, themes_for, themes_root

if TYPE_CHECKING:
    from ..script.model import Script
    from .labels import Labels

__all__ = ["EndCard", "Rating", "Theme", "contrast_problems", "contrast_ratio", "load_theme", "rating_scale",
           "themes_for", "themes_root"]

REQUIRED_COLORS = (
    "background", "surface", "text", "muted", "accent",
    "caption_box", "caption_text", "lower_third", "bar",
)


@dataclass(frozen=True)
class Rating:
    label: str
    color: str
    text: str


@dataclass(frozen=True)
class EndCard:
    """The card every social cut ends on (theme.yaml ``end_card:``): how long it holds at least, and the
    words above the article's address by language (primary subtag)."""

    seconds: float = 4.0
    heading: Mapping[str, str] = field(default_factory=lambda: {"en": "Read the full fact check at"})


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    fonts: Mapping[str, Path]
    colors: Mapping[str, str]
    caption_box_opacity: float
    caption_style: str
    ratings: tuple[Rating, ...]
    fallbacks: tuple[Mapping[str, Path], ...] = ()
    logo: Path | None = None
    logo_height: int = 40
    lower_third_opacity: float = 0.86
    lower_third_rule: bool = True
    lower_third_radius: int = 6
    label_sets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rating_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: How the verdict card shows the rating: ``badge`` (its name in its colour) or ``meter``
    #: (the badge and the rating's position on the scale).
    verdict_style: str = "badge"
    end_card: EndCard = field(default_factory=EndCard)
    #: ``publish.credentials``: the signing certificate chain and key files (absolute), and a
    #: timestamp authority; paths only, read when a render signs.
    sign_cert: Path | None = None
    sign_key: Path | None = None
    sign_tsa_url: str | None = None

    def labels_for(self, script: "Script") -> "Labels":
        """The on-screen words for ``script``'s language (see :mod:`claimreel.layout.labels`)."""
        from .labels import resolve_labels

        return resolve_labels(script, self.label_sets, self.rating_names, self.name)

    @property
    def rating_labels(self) -> tuple[str, ...]:
        """The rating names in scale order: the first is the best (the claim holds), the last the worst."""
        return tuple(r.label for r in self.ratings)

    def rating(self, label: str) -> Rating:
        for r in self.ratings:
            if r.label.casefold() == label.casefold():
                return r
        raise ClaimreelError(
            f"theme {self.name!r} has no rating {label!r}; it has {', '.join(self.rating_labels)}"
        )

    def rgb(self, name: str) -> tuple[int, int, int]:
        return hex_to_rgb(self.colors[name])


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def load_theme(name: str, root: Path | None = None) -> Theme:
    folder = (root or themes_root()) / name
    path = folder / "theme.yaml"
    if not path.is_file():
        known = sorted(p.parent.name for p in folder.parent.glob("*/theme.yaml"))
        raise ClaimreelError(
            f"{path}: theme {name!r} not found; known themes: {', '.join(known) or 'none'}"
        )
    # The file's schema (pydantic, YAML) is imported here, not with the module: segment
    # workers unpickle Theme objects and never read a theme file.
    from .theme_file import label_sets, read_theme_file

    file = read_theme_file(path)
    model = file.model
    missing = [c for c in REQUIRED_COLORS if c not in model.colors]
    if missing:
        raise file.error(("colors",), f"missing {', '.join(missing)}", "add them to the theme")
    for name, value in model.colors.items():
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", str(value)):
            raise file.error(("colors", name), f"expected a colour like #1a2b3c, got {value!r}",
                             "write the colour as # and six hex digits")
    fonts = {}
    for weight, rel in model.fonts.model_dump().items():
        font_path = (folder / rel).resolve()
        if not font_path.is_file():
            raise file.error(("fonts", weight), f"{font_path} not found", "fix the font path (relative to the theme)")
        fonts[weight] = font_path
    fallbacks = []
    for i, fb in enumerate(model.fallback_fonts):
        faces = {}
        for weight in ("regular", "medium", "semibold", "bold"):
            rel = getattr(fb, weight)
            if rel is None:
                continue
            font_path = (folder / rel).resolve()
            if not font_path.is_file():
                raise file.error(("fallback_fonts", i, weight), f"{font_path} not found",
                                 "fix the font path (relative to the theme)")
            faces[weight] = font_path
        fallbacks.append(faces)
    logo = None
    if model.logo is not None and model.logo.file:
        logo = (folder / model.logo.file).resolve()
        if not logo.is_file():
            raise file.error(("logo", "file"), f"{logo} not found", "fix the path or remove logo")
        from ..script.checks import check_image

        failure = check_image(logo)
        if failure is not None:
            raise file.error(("logo", "file"), f"{logo}: {failure.message}", failure.hint)
    labels, rating_names = label_sets(file)
    return Theme(
        name=model.name,
        folder=folder,
        fonts=fonts,
        colors=dict(model.colors),
        caption_box_opacity=model.caption_box_opacity,
        caption_style=model.caption_style,
        ratings=tuple(Rating(r.label, r.color, r.text) for r in model.ratings),
        fallbacks=tuple(fallbacks),
        logo=logo,
        logo_height=model.logo.height if model.logo else 40,
        lower_third_opacity=model.lower_third.opacity,
        lower_third_rule=model.lower_third.rule,
        lower_third_radius=model.lower_third.radius,
        label_sets=labels,
        rating_names=rating_names,
        verdict_style=model.verdict_style,
        end_card=EndCard(model.end_card.seconds, dict(model.end_card.heading)) if model.end_card else EndCard(),
        **_credentials(model, folder),
    )


def _credentials(model: Any, folder: Path) -> dict[str, Any]:
    """The theme's ``publish.credentials`` as Theme fields (paths resolved against the theme's folder)."""
    given = model.publish.credentials if model.publish is not None else None
    if given is None:
        return {}
    return {"sign_cert": (folder / Path(given.cert).expanduser()).resolve(),
            "sign_key": (folder / Path(given.key).expanduser()).resolve(),
            "sign_tsa_url": given.tsa_url}


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours."""
    l1, l2 = sorted((_luminance(hex_to_rgb(fg)), _luminance(hex_to_rgb(bg))), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def _pairs(theme: Theme) -> list[tuple[str, str, str, float]]:
    c = theme.colors
    pairs = [
        ("text on background", c["text"], c["background"], 4.5),
        ("muted on background", c["muted"], c["background"], 4.5),
        ("accent on background", c["accent"], c["background"], 3.0),
        ("text on surface", c["text"], c["surface"], 4.5),
        ("muted on surface", c["muted"], c["surface"], 4.5),
        ("caption_text on caption_box", c["caption_text"], c["caption_box"], 4.5),
        ("text on lower_third", c["text"], c["lower_third"], 4.5),
    ]
    pairs += [(f"rating {r.label!r} text on its colour", r.text, r.color, 4.5) for r in theme.ratings]
    return pairs


def contrast_problems(theme: Theme, backgrounds: Mapping[str, str] | None = None) -> list[str]:
    """One message per colour pair below its WCAG 1.4.3 minimum (4.5:1, 3:1 large text).

    ``backgrounds`` adds the script's own background colours (where -> ``#rrggbb``),
    checked against the theme's text and accent colours drawn on them.
    """
    out = []
    pairs = _pairs(theme)
    for where, colour in (backgrounds or {}).items():
        pairs.append((f"text on {where} background", theme.colors["text"], colour, 4.5))
        pairs.append((f"accent on {where} background", theme.colors["accent"], colour, 3.0))
    for name, fg, bg, minimum in pairs:
        ratio = contrast_ratio(fg, bg)
        if ratio < minimum:
            out.append(
                f"theme {theme.name!r}: {name} ({fg} on {bg}) has contrast {ratio:.2f}:1, "
                f"below {minimum}:1 (WCAG 1.4.3); darken or lighten one of them"
            )
    return out
