"""End slate: credits as role/name rows, then the sources."""

from __future__ import annotations

from ..elements import Element, SceneLayout
from ..formats import Box
from .base import SIZE_LABEL, Column, SceneContext


def layout(ctx: SceneContext) -> SceneLayout:
    s, c = ctx.script, ctx.theme.colors
    area = ctx.content()
    area = Box(area.x, ctx.fmt.safe.y, area.w, ctx.fmt.safe.bottom - ctx.fmt.safe.y)
    col = Column(ctx, area)
    col.text(s.outlet.name.upper(), weight="semibold", size=SIZE_LABEL, color=c["accent"], role="kicker")
    col.gap(16)
    col.text("Credits", weight="bold", size=56, color=c["text"], role="credits-heading")
    col.gap(24)
    for credit in s.credits:
        col.text(credit.role.upper(), weight="semibold", size=22, color=c["muted"], role="credit-role")
        col.text(credit.name, weight="medium", size=34, color=c["text"], role="credit-name")
        col.gap(14)
    if s.sources:
        col.gap(18)
        col.text("SOURCES", weight="semibold", size=22, color=c["muted"], role="sources-heading")
        col.gap(6)
        for source in s.sources:
            line = source.title + (f" \u2014 {source.publisher}" if source.publisher else "")
            col.text(line, weight="regular", size=26, min_size=20, color=c["text"], role="source", max_lines=2)
            col.gap(6)
    elements: list[Element] = list(col.place())
    return SceneLayout("credits", c["background"], tuple(elements))
