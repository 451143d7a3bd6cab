"""Opening card: outlet, "Fact check" kicker, the headline and the date."""

from __future__ import annotations

from ..elements import SceneLayout
from .base import SIZE_LABEL, SIZE_TITLE, Column, SceneContext, chrome


def layout(ctx: SceneContext) -> SceneLayout:
    s, c = ctx.script, ctx.theme.colors
    col = Column(ctx, ctx.content())
    col.rule(120, 8, c["accent"], "accent-rule")
    col.gap(28)
    labels = ctx.labels
    # The outlet's logo or name is the corner mark; the kicker says what this is.
    col.text(labels["fact_check"], weight="semibold", size=SIZE_LABEL,
             color=c["accent"], role="kicker", max_lines=2)
    col.gap(24)
    col.text(s.title, weight="bold", size=SIZE_TITLE, min_size=52, color=c["text"],
             role="title", max_lines=4, leading=1.12)
    col.gap(28)
    col.text(labels.date(s.published), weight="medium", size=SIZE_LABEL, color=c["muted"], role="date")
    return SceneLayout("title", c["background"], tuple(chrome(ctx) + col.place()))
