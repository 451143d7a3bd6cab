"""Verdict card: the rating as a bold label in its colour, with the one-sentence summary.

A theme whose ``verdict_style`` is ``meter`` also draws the rating as a position on its
scale: one segment per rating in scale order, in the ratings' colours, the chosen one
full strength and taller, the others faint, with the scale's two ends named beneath.
"""

from __future__ import annotations

from ..elements import Element, RectEl, SceneLayout, TextEl
from ..formats import Box
from .base import SIZE_BODY, SIZE_LABEL, Column, SceneContext, chrome

# Meter proportions at 1080p: bar height, the chosen segment's extra height above and
# below, gap between segments, end-name size.
METER_BAR = 22
METER_RAISE = 14
METER_GAP = 6
METER_NAMES = 26
METER_MAX_WIDTH = 1100
FAINT = 0.5


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
    text_w = ctx.book.length("bold", badge_size, label)
    if text_w + 2 * pad_x > area.w:  # a long rating name in a narrow frame: the badge's type steps down to fit
        badge_size = int(badge_size * (area.w - 2 * pad_x) / text_w)
        text_w = ctx.book.length("bold", badge_size, label)
    badge_w = round(text_w) + 2 * pad_x
    badge_h = round(badge_size * 1.2) + 2 * pad_y
    col.gap(badge_h / ctx.fmt.card_unit)
    meter = ctx.theme.verdict_style == "meter"
    if meter:
        col.gap(32 + 2 * METER_RAISE + METER_BAR + 12 + METER_NAMES * 1.3)
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
    if meter:
        elements += _meter(ctx, Box(area.x, badge.bottom + ctx.px(32), min(area.w, ctx.px(METER_MAX_WIDTH)), 0),
                           rating.label)
    elements += placed
    return SceneLayout("verdict", c["background"], tuple(elements))


def _meter(ctx: SceneContext, top: Box, chosen: str) -> list[Element]:
    """The scale as segments from ``top``'s corner across its width, ``chosen`` marked."""
    ratings, labels, c = ctx.theme.ratings, ctx.labels, ctx.theme.colors
    gap, raise_, bar = ctx.px(METER_GAP), ctx.px(METER_RAISE), ctx.px(METER_BAR)
    width = (top.w - gap * (len(ratings) - 1)) // len(ratings)
    y = top.y + raise_
    out: list[Element] = []
    for i, r in enumerate(ratings):
        x = top.x + i * (width + gap)
        if r.label.casefold() == chosen.casefold():
            out.append(RectEl(Box(x, y - raise_, width, bar + 2 * raise_), r.color, radius=ctx.px(4),
                              role="meter-chosen", layer="hero"))
        else:
            out.append(RectEl(Box(x, y, width, bar), r.color, opacity=FAINT, radius=ctx.px(3),
                              role="meter-step", layer="hero"))
    size = ctx.px(METER_NAMES)
    ends = [labels.rating(ratings[0].label, own=True), labels.rating(ratings[-1].label, own=True)]
    widths = [round(ctx.book.length("medium", size, name)) for name in ends]
    span = len(ratings) * (width + gap) - gap
    if sum(widths) + ctx.px(40) <= span:  # room for both ends' names; else the badge says enough
        names_y = y + bar + raise_ + ctx.px(12)
        line = round(size * 1.3)
        out.append(TextEl(Box(top.x, names_y, widths[0], line), (ends[0],), "medium", size, line, c["muted"],
                          "left", "meter-end", "hero"))
        out.append(TextEl(Box(top.x + span - widths[1], names_y, widths[1], line), (ends[1],), "medium", size,
                          line, c["muted"], "right", "meter-end", "hero"))
    return out
