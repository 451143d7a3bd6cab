"""Verdict card: the rating as a bold label in its colour, with the one-sentence summary."""

from __future__ import annotations

from ..elements import Element, RectEl, SceneLayout, TextEl
from ..formats import Box
from .base import SIZE_BODY, SIZE_LABEL, Column, SceneContext, chrome


def layout(ctx: SceneContext) -> SceneLayout:
    s, c = ctx.script, ctx.theme.colors
    rating = ctx.theme.rating(s.verdict.rating)
    area = ctx.content()
    col = Column(ctx, area)
    labels = ctx.labels
    col.text(labels["verdict"], weight="semibold", size=SIZE_LABEL, color=c["muted"], role="label")
    col.gap(24)
    badge_size = ctx.px(104)
    label = labels.rating(rating.label).upper()
    pad_x, pad_y = ctx.px(44), ctx.px(18)
    badge_w = round(ctx.book.length("bold", badge_size, label)) + 2 * pad_x
    badge_h = round(badge_size * 1.2) + 2 * pad_y
    col.gap(badge_h / ctx.fmt.card_unit)
    col.gap(36)
    col.text(s.verdict.summary, weight="medium", size=SIZE_BODY * 1.1, min_size=32, color=c["text"],
             role="verdict-summary", leading=1.3)
    col.gap(24)
    col.text(labels.claim_by(s.claim.speaker.name), weight="regular", size=28, color=c["muted"],
             role="verdict-claimant")
    placed = col.place()
    label_el = placed[0]
    y = label_el.box.bottom + ctx.px(24)
    badge = Box(area.x, y, badge_w, badge_h)
    elements: list[Element] = list(chrome(ctx))
    elements.append(RectEl(badge, rating.color, radius=ctx.px(10), role="rating-badge", layer="hero"))
    elements.append(
        TextEl(Box(badge.x + pad_x, badge.y + pad_y, badge_w - 2 * pad_x, round(badge_size * 1.2)),
               (label,), "bold", badge_size, round(badge_size * 1.2), rating.text, "left",
               "rating-label", "hero")
    )
    elements += placed
    return SceneLayout("verdict", c["background"], tuple(elements))
