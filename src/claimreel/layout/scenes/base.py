"""Shared pieces of scene layout: the context a scene is laid out in and a column builder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from ...script.blocks import Block
from ...script.claim import ClaimDate
from ...script.model import Script
from ..cover import upright_size
from ..elements import Element, ImageEl, RectEl, TextEl
from ..formats import Box, Format
from ..labels import Labels
from ..plate import LOGO_CONTRAST, NAME_CONTRAST, logo_ink, plate_color
from ..runs import direction
from ..text import FontBook, fit_text
from ..theme import Theme

__all__ = [
    "Column", "SceneContext", "chrome", "format_claim_date", "format_date", "logo_box", "mark_height", "mark_plate",
    "mark_plate_color", "quoted", "shifted",
]

#: The script field (under the scene's own place, ``SceneContext.where``) that a text role shows,
#: so a layout error names what the producer wrote rather than the element.
ROLE_FIELDS: Mapping[str, str] = {
    "title": "title", "claim-quote": "quote", "speaker-name": "speaker.name", "speaker-title": "speaker.title",
    "claim-appeared": "appeared.name", "verdict-summary": "summary", "quote-text": "text",
    "quote-attribution": "attribution", "fact-headline": "headline", "fact-number": "number",
    "fact-unit": "unit", "fact-source": "source", "on-screen": "on_screen", "photo-caption": "caption",
    "photo-credit": "credit",
}
#: What the producer calls each scene.
SCENE_NAMES: Mapping[str, str] = {
    "title": "title card", "claim": "claim card", "verdict": "verdict card", "quote": "quote card",
    "fact": "fact card", "photo": "photo", "narration": "narration card", "credits": "credits slate",
}

# Type scale at 1080 px on the short side (SPEC "Look and feel").
SIZE_LABEL = 30
SIZE_BODY = 40
SIZE_QUOTE = 60
SIZE_TITLE = 76
SIZE_CAPTION = 48
CAPTION_RESERVE_LINES = 2
#: Languages written right to left (BCP 47 primary subtags).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ug", "ps", "sd", "ckb", "he", "yi", "dv"})


@dataclass(frozen=True)
class SceneContext:
    script: Script
    fmt: Format
    theme: Theme
    book: FontBook
    assets: Mapping[str, Path] = field(default_factory=dict)
    block: Block | None = None
    block_index: int | None = None

    def px(self, value: float) -> int:
        return round(value * self.fmt.card_unit)

    def base_px(self, value: float) -> int:
        """``value`` at the canvas's base scale, without the format's larger card type: the corner mark,
        and the smallest a text may shrink to (never smaller than on a 16:9 card)."""
        return round(value * self.fmt.unit)

    kind: str = ""

    @property
    def labels(self) -> Labels:
        """The fixed on-screen words in the script's language (checked for font coverage)."""
        from ...errors import FontCoverageError, LayoutError
        from ..text import check_coverage

        labels = self.theme.labels_for(self.script)
        try:
            check_coverage(self.book, labels.texts())
        except FontCoverageError as exc:
            raise LayoutError(str(exc)) from None  # layout_all names the script file and format
        return labels

    def field(self, role: str) -> str:
        """The script field a text role shows, e.g. ``body.3.text`` (the scene's place if unknown)."""
        if self.kind == "title" and role == "title":
            return "title"
        suffix = ROLE_FIELDS.get(role)
        return f"{self.where}.{suffix}" if suffix else self.where

    @property
    def where(self) -> str:
        """The script field this scene comes from, for error messages."""
        if self.block_index is not None:
            return f"body.{self.block_index}"
        return {"title": "title", "claim": "claim", "verdict": "verdict", "credits": "credits",
                "end": "end card"}.get(
            self.kind, self.script.id)

    def caption_reserve(self) -> int:
        """Height kept free at the bottom of the safe area for burned-in captions."""
        from ..captions import caption_size

        lines = 3 if self.fmt.name == "9x16" else CAPTION_RESERVE_LINES
        line_height = round(caption_size(self.fmt) * 1.32)
        return lines * line_height + self.px(36)

    def content(self) -> Box:
        """Where a scene's own text goes: the safe area less the corner mark and captions."""
        safe = self.fmt.safe
        top = safe.y + mark_height(self)
        bottom = safe.bottom - self.caption_reserve()
        return Box(safe.x, top, safe.w, bottom - top)

    @property
    def portrait(self) -> bool:
        """Not a wide canvas: 1:1, 4:5 and 9:16 stack what 16:9 puts side by side."""
        return self.fmt.width < self.fmt.height * 1.3

    @property
    def rtl(self) -> bool:
        """A right-to-left script (Arabic script, Hebrew): its scenes are laid out mirrored."""
        lang = self.script.language.split("-", 1)[0].lower()
        return lang in RTL_LANGUAGES or (lang != "en" and direction(self.script.title) == "rtl")

    @property
    def tall(self) -> bool:
        """A vertical canvas (9:16)."""
        return self.fmt.height >= self.fmt.width * 1.5


def quoted(ctx: SceneContext, text: str) -> str:
    """``text`` in the script language's quotation marks (guillemets for text in a right-to-left script),
    without doubling marks pasted around it."""
    from ..typography import quoted as typeset_quoted

    return typeset_quoted(text, "ar" if direction(text) == "rtl" else ctx.script.language)


def shifted(elements: list[Element], dy: int) -> list[Element]:
    """The same elements moved down by ``dy`` pixels."""
    return [replace(e, box=Box(e.box.x, e.box.y + dy, e.box.w, e.box.h)) for e in elements]


def format_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def format_claim_date(value: ClaimDate) -> str:
    """A claim's date in English, as precise as it is known: ``September 2022``, ``about 21 September 2022``."""
    text = f"{value.day:%B %Y}" if value.precision == "month" else format_date(value.day)
    return f"about {text}" if value.approximate else text


def logo_path(ctx: SceneContext) -> Path | None:
    """The outlet's logo: the script's ``outlet.logo``, else the theme's ``logo.file``, else none."""
    if ctx.script.outlet.logo:
        return ctx.assets[ctx.script.outlet.logo]
    return ctx.theme.logo


def plate_pad(ctx: SceneContext) -> int:
    """The corner mark's inset from the safe area's corner: the room its plate has around it."""
    return ctx.base_px(10)


def logo_box(ctx: SceneContext) -> Box | None:
    """Where the logo goes: top left of the safe area, inset by its plate's padding, the theme's
    height, its own aspect ratio (scaled down to at most 45% of the safe width)."""
    path = logo_path(ctx)
    if path is None:
        return None
    w, h = upright_size(path)
    height = ctx.base_px(ctx.theme.logo_height)
    width = max(1, round(height * w / h))
    widest = round(ctx.fmt.safe.w * 0.45)
    if width > widest:
        width, height = widest, max(1, round(widest * h / w))
    pad = plate_pad(ctx)
    return Box(ctx.fmt.safe.x + pad, ctx.fmt.safe.y + pad, width, height)


def _name_size(ctx: SceneContext) -> tuple[int, int, int]:
    """The outlet's name as a mark: type size, text width, line height."""
    size = ctx.base_px(24)
    name = ctx.script.outlet.name.upper()
    width = round(ctx.book.length("semibold", size, name)) + 2 * ctx.base_px(2) * len(name) // 10
    return size, width, round(size * 1.3)


def mark_plate(ctx: SceneContext) -> Box:
    """The corner mark's plate: the safe area's top left corner, the mark and its padding; every
    scene keeps the mark at the same place, whether the plate is drawn or not."""
    pad = plate_pad(ctx)
    box = logo_box(ctx)
    if box is None:
        _size, width, height = _name_size(ctx)
        w, h = ctx.base_px(14) + width, height
    else:
        w, h = box.w, box.h
    return Box(ctx.fmt.safe.x, ctx.fmt.safe.y, w + 2 * pad, h + 2 * pad)


def mark_height(ctx: SceneContext) -> int:
    """Height the corner mark takes at the top of the safe area, with the space below it."""
    return max(ctx.base_px(70), mark_plate(ctx).h + ctx.base_px(18))


DRAFT_WORD = "DRAFT"
DRAFT_COLORS = ("#ffffff", "#b00020")  # white on red: 6.4:1, and no theme colour looks like it


def draft_mark(ctx: SceneContext) -> list[Element]:
    """A preview's DRAFT mark, top right of the safe area, so no one mistakes a draft for the final."""
    size = ctx.px(28)
    pad_x, pad_y = ctx.px(14), ctx.px(6)
    width = round(ctx.book.length("bold", size, DRAFT_WORD))
    height = round(size * 1.25)
    safe = ctx.fmt.safe
    box = Box(safe.right - width - 2 * pad_x, safe.y, width + 2 * pad_x, height + 2 * pad_y)
    text, fill = DRAFT_COLORS
    return [RectEl(box, fill, 1.0, ctx.px(4), "draft-mark", "chrome"),
            TextEl(Box(box.x + pad_x, box.y + pad_y, width, height), (DRAFT_WORD,), "bold", size, height, text,
                   role="draft-word", layer="chrome")]


def chrome(ctx: SceneContext, *, on_photo: bool = False) -> list[Element]:
    """The outlet's logo (or its name) as a small corner mark, top left of the safe area (and a
    preview's DRAFT mark, top right)."""
    marks = draft_mark(ctx) if ctx.fmt.draft else []
    return _outlet_mark(ctx, on_photo) + marks


def _outlet_mark(ctx: SceneContext, on_photo: bool) -> list[Element]:
    """The logo, or the outlet's name after an accent rule; over a picture, on its plate."""
    theme, pad = ctx.theme, plate_pad(ctx)
    plate = mark_plate(ctx)
    box = logo_box(ctx)
    elements: list[Element] = []
    if on_photo:
        color = mark_plate_color(ctx)
        elements.append(RectEl(plate, color, 1.0, ctx.base_px(6), "mark-plate", "chrome"))
    if box is not None:
        # A logo carries its own colours; its plate is chosen to stand apart from them.
        elements.append(ImageEl(box, logo_path(ctx), role="outlet-logo", layer="chrome"))  # type: ignore[arg-type]
        return elements
    size, width, height = _name_size(ctx)
    x, y = plate.x + pad, plate.y + pad
    elements.append(
        RectEl(Box(x, y + round(size * 0.15), ctx.base_px(5), size), theme.colors["accent"], 1.0, 0, "mark-rule", "chrome")
    )
    elements.append(
        TextEl(Box(x + ctx.base_px(14), y, width, height), (ctx.script.outlet.name.upper(),), "semibold", size,
               height, theme.colors["text"], role="outlet-mark", layer="chrome")
    )
    return elements


def mark_plate_color(ctx: SceneContext) -> str:
    """The plate's colour: the theme colour the mark (logo ink, or the name's text colour) reads on."""
    path = logo_path(ctx)
    if path is None:
        return plate_color(ctx.theme.colors, ctx.theme.colors["text"], NAME_CONTRAST)[0]
    return plate_color(ctx.theme.colors, logo_ink(path), LOGO_CONTRAST)[0]


class Column:
    """Stacks text blocks top to bottom inside a box, then centres the stack vertically."""

    def __init__(self, ctx: SceneContext, box: Box, *, align: str = "left") -> None:
        self.ctx = ctx
        self.box = box
        self.align = align
        self.items: list[tuple[str, object]] = []
        self.height = 0
        self._pending_text: dict[int, str] = {}

    def gap(self, value: float) -> None:
        self.items.append(("gap", self.ctx.px(value)))
        self.height += self.ctx.px(value)

    def text(
        self,
        text: str,
        *,
        weight: str,
        size: float,
        min_size: float | None = None,
        color: str,
        role: str,
        max_lines: int | None = None,
        max_height: int | None = None,
        leading: float = 1.22,
        layer: str = "main",
        width: int | None = None,
        flex: bool = False,
    ) -> None:
        """Add a text block; a ``flex`` block is fitted last, into the height the others leave."""
        ctx = self.ctx
        if flex:
            spec = dict(weight=weight, size=size, min_size=min_size, color=color, role=role,
                        max_lines=max_lines, leading=leading, layer=layer, width=width)
            self._pending_text[len(self.items)] = text
            self.items.append(("flex", spec))
            return
        fit = fit_text(
            ctx.book, text, weight=weight, size=ctx.px(size),
            min_size=ctx.base_px(min_size or size), max_width=width or self.box.w,
            max_height=max_height or self.box.h, max_lines=max_lines, leading=leading,
            where=ctx.field(role),
        )
        self.items.append(("text", (fit, color, role, layer)))
        self.height += fit.height

    def rule(self, width: float, thickness: float, color: str, role: str = "rule") -> None:
        self.items.append(("rule", (self.ctx.px(width), self.ctx.px(thickness), color, role)))
        self.height += self.ctx.px(thickness)

    def _fit_flex(self) -> None:
        """Fit deferred text into what is left of the box (shrinking it down to its minimum)."""
        ctx = self.ctx
        flex = [i for i, (kind, _) in enumerate(self.items) if kind == "flex"]
        for n, index in enumerate(flex):
            spec = self.items[index][1]
            left = self.box.h - self.height
            share = left // (len(flex) - n)
            fit = fit_text(
                ctx.book, self._pending_text[index], weight=spec["weight"], size=ctx.px(spec["size"]),
                min_size=ctx.base_px(spec["min_size"] or spec["size"]), max_width=spec["width"] or self.box.w,
                max_height=max(share, 1), max_lines=spec["max_lines"], leading=spec["leading"],
                where=ctx.field(spec["role"]),
            )
            self.items[index] = ("text", (fit, spec["color"], spec["role"], spec["layer"]))
            self.height += fit.height

    def place(self, *, valign: str = "center") -> list[Element]:
        self._fit_flex()
        if self.height > self.box.h:
            from ...errors import LayoutError

            texts = [item for kind, item in self.items if kind == "text"]
            tallest = max(texts, key=lambda item: item[0].height)[2] if texts else ""  # type: ignore[index]
            name = SCENE_NAMES.get(self.ctx.kind, "scene")
            more = " (a long quote can continue in a second quote block)" if self.ctx.kind == "quote" else ""
            raise LayoutError(
                f"the {name}'s text needs {self.height} px of height and the {name} has {self.box.h} px; "
                f"shorten it{more}",
                field=self.ctx.field(tallest),
            )
        y = self.box.y + (self.box.h - self.height) // 2 if valign == "center" else self.box.y
        out: list[Element] = []
        for kind, item in self.items:
            if kind == "gap":
                y += item  # type: ignore[operator]
            elif kind == "rule":
                w, t, color, role = item  # type: ignore[misc]
                x = self._x(w)
                out.append(RectEl(Box(x, y, w, t), color, role=role))
                y += t
            else:
                fit, color, role, layer = item  # type: ignore[misc]
                align = self.align
                if align == "left" and not self.ctx.rtl and direction(" ".join(fit.lines)) == "rtl":
                    align = "right"  # right-to-left text in a left-to-right scene starts at the right edge
                    # (a right-to-left script's whole scene is mirrored by layout_scene instead)
                x = self._x(fit.width, align)
                out.append(
                    TextEl(Box(x, y, fit.width, fit.height), fit.lines, fit.weight, fit.size,
                           fit.line_height, color, align, role, layer)  # type: ignore[arg-type]
                )
                y += fit.height
        return out

    def _x(self, width: int, align: str | None = None) -> int:
        align = align or self.align
        if align == "center":
            return self.box.x + (self.box.w - width) // 2
        if align == "right":
            return self.box.right - width
        return self.box.x
