"""End slate: credits as role/name rows, then the sources."""

from __future__ import annotations

from ...narration.disclosure import statement
from ..elements import Element, SceneLayout
from ..formats import Box
from .base import Column, SceneContext, chrome, mark_height


def layout(ctx: SceneContext) -> SceneLayout:
    s, c = ctx.script, ctx.theme.colors
    area = ctx.content()
    # No captions run over the end slate: it may use the safe area below the corner mark.
    top = ctx.fmt.safe.y + mark_height(ctx)
    area = Box(area.x, top, area.w, ctx.fmt.safe.bottom - top)
    labels = ctx.labels
    col = Column(ctx, area)
    col.text(labels["credits"], weight="bold", size=56, color=c["text"], role="credits-heading")
    col.gap(24)
    for credit in s.credits:
        col.text(credit.role.upper(), weight="semibold", size=22, color=c["muted"], role="credit-role")
        col.text(credit.name, weight="medium", size=34, color=c["text"], role="credit-name")
        col.gap(14)
    if s.sources:
        col.gap(18)
        col.text(labels["sources"], weight="semibold", size=22, color=c["muted"], role="sources-heading")
        col.gap(6)
        for source in s.sources:
            line = source.title + (f" \u2014 {source.publisher}" if source.publisher else "")
            col.text(line, weight="regular", size=26, min_size=20, color=c["text"], role="source", max_lines=2)
            col.gap(6)
    disclosed = statement(s)
    if disclosed:  # a synthetic narrator is said openly (a recorded one is not called synthetic)
        col.gap(18)
        col.text(disclosed, weight="regular", size=22, min_size=18, color=c["muted"], role="voice-disclosure",
                 max_lines=2)
    elements: list[Element] = chrome(ctx) + col.place()
    return SceneLayout("credits", c["background"], tuple(elements))
