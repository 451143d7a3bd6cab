"""End card: the last scene of every social cut — the verdict, the outlet's mark and where to read more.

A clip shared on its own is seen without the article around it, so it ends by
saying what was found (the rating in its colour), who found it (the logo, or
the outlet's name large) and where to read the whole check (the article's
address as text: ``url``, else the outlet's). The theme's ``end_card:`` sets
the heading above the address (per language) and how long the card holds.
"""

from __future__ import annotations

from ...script.model import Script
from ..cover import upright_size
from ..elements import Element, ImageEl, RectEl, SceneLayout, TextEl
from ..formats import Box
from ..labels import primary_language
from ..text import fit_text
from ..theme import Theme
from .base import SIZE_BODY, SIZE_LABEL, Column, SceneContext, logo_path

__all__ = ["address", "end_heading", "end_texts", "layout", "script_address"]


def address(ctx: SceneContext) -> str | None:
    """The article's address as the card writes it (see :func:`script_address`)."""
    return script_address(ctx.script)


def script_address(script: Script) -> str | None:
    """The article's address as people type it (no scheme, no ``www.``, no trailing slash), or None."""
    url = script.url or script.outlet.url
    if not url:
        return None
    text = url.split("://", 1)[-1]
    text = text[4:] if text.startswith("www.") else text
    return text.rstrip("/")


def heading(ctx: SceneContext) -> str:
    """The words above the address (see :func:`end_heading`)."""
    return end_heading(ctx.script, ctx.theme)


def end_heading(script: Script, theme: Theme) -> str:
    """The words above the address in the script's language (the theme's English ones otherwise)."""
    words = theme.end_card.heading
    return words.get(primary_language(script.language)) or words.get("en", "")


def end_texts(ctx: SceneContext) -> tuple[str, ...]:
    """What the end card asks a viewer to read (for its reading time)."""
    labels = ctx.labels
    rating = labels.rating(ctx.theme.rating(ctx.script.verdict.rating).label)
    return tuple(t for t in (labels["verdict"], rating, ctx.script.outlet.name, heading(ctx), address(ctx)) if t)


def _address_lines(ctx: SceneContext, text: str, width: int) -> str:
    """``text`` broken after slashes into lines of at most ``width`` pixels at the address size."""
    size = ctx.px(SIZE_BODY)
    lines: list[str] = []
    for part in text.replace("/", "/\n").split("\n"):
        if lines and ctx.book.length("semibold", size, lines[-1] + part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _mark(ctx: SceneContext, col: Column) -> list[ImageEl]:
    """The outlet's logo, centred and larger than the corner mark; or its name in large type."""
    path = logo_path(ctx)
    if path is None:
        col.text(ctx.script.outlet.name, weight="bold", size=64, min_size=40, color=ctx.theme.colors["text"],
                 role="end-outlet", max_lines=2)
        return []
    w, h = upright_size(path)
    height = ctx.px(ctx.theme.logo_height * 2)
    width = round(height * w / h)
    if width > col.box.w:
        width, height = col.box.w, round(col.box.w * h / w)
    col.gap(height / ctx.fmt.card_unit)
    return [ImageEl(Box(0, 0, width, height), path, role="end-logo")]  # placed below, over the gap


def layout(ctx: SceneContext) -> SceneLayout:
    s, c, labels = ctx.script, ctx.theme.colors, ctx.labels
    rating = ctx.theme.rating(s.verdict.rating)
    safe = ctx.fmt.safe
    top = safe.y + ctx.px(24)
    area = Box(safe.x, top, safe.w, safe.bottom - ctx.caption_reserve() - top)
    col = Column(ctx, area, align="center")
    logo = _mark(ctx, col)
    col.gap(56)
    col.text(labels["verdict"], weight="semibold", size=SIZE_LABEL, color=c["muted"], role="label")
    col.gap(20)
    badge_size = ctx.px(96)
    word = labels.rating(rating.label).upper()
    pad_x, pad_y = ctx.px(40), ctx.px(16)
    badge_w = min(round(ctx.book.length("bold", badge_size, word)) + 2 * pad_x, area.w)
    badge_h = round(badge_size * 1.2) + 2 * pad_y
    col.gap(badge_h / ctx.fmt.card_unit)
    where = address(ctx)
    if where:
        col.gap(56)
        col.text(heading(ctx), weight="medium", size=SIZE_LABEL, color=c["muted"], role="end-heading", max_lines=2)
        col.gap(12)
        col.text(_address_lines(ctx, where, area.w), weight="semibold", size=SIZE_BODY, min_size=28,
                 color=c["accent"], role="end-address", max_lines=4)
    placed = col.place()
    elements: list[Element] = []
    label = next(e for e in placed if isinstance(e, TextEl) and e.role == "label")
    for mark in logo:  # in the gap left for it above the verdict label
        w, h = mark.box.w, mark.box.h
        elements.append(ImageEl(Box(area.x + (area.w - w) // 2, label.box.y - ctx.px(56) - h, w, h),
                                mark.path, role="end-logo"))
    badge = Box(area.x + (area.w - badge_w) // 2, label.box.bottom + ctx.px(20), badge_w, badge_h)
    elements.append(RectEl(badge, rating.color, radius=ctx.px(10), role="rating-badge"))
    fit = fit_text(ctx.book, word, weight="bold", size=badge_size, min_size=ctx.base_px(48),
                   max_width=badge_w - 2 * pad_x, max_height=round(badge_size * 1.2), max_lines=1,
                   where=f"{ctx.where}: rating")
    elements.append(TextEl(Box(badge.x + pad_x, badge.y + (badge_h - fit.height) // 2, badge_w - 2 * pad_x,
                               fit.height), fit.lines, "bold", fit.size, fit.line_height, rating.text, "center",
                           "rating-label"))
    elements += placed
    return SceneLayout("end", c["background"], tuple(elements))
