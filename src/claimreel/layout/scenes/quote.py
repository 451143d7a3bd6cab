"""Quote card: the quoted words in large type and an attribution line."""

from __future__ import annotations

from ...script.blocks import QuoteBlock
from ..elements import Element, RectEl, SceneLayout
from ..formats import Box
from .base import SIZE_BODY, SIZE_QUOTE, Column, SceneContext, chrome, quoted


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, QuoteBlock)
    c = ctx.theme.colors
    area = ctx.content()
    indent = ctx.px(40)
    col = Column(ctx, Box(area.x + indent, area.y, area.w - indent, area.h))
    if block.on_screen:
        col.text(block.on_screen.upper(), weight="semibold", size=30, color=c["accent"], role="label")
        col.gap(20)
    col.text(quoted(ctx, block.text), weight="semibold", size=SIZE_QUOTE, min_size=40,
             color=c["text"], role="quote-text", leading=1.22)
    col.gap(28)
    col.text(f"\u2014 {block.attribution}", weight="medium", size=SIZE_BODY * 0.8, color=c["muted"],
             role="quote-attribution", max_lines=2)
    placed = col.place()
    top, bottom = placed[0].box.y, placed[-1].box.bottom
    elements: list[Element] = list(chrome(ctx))
    elements.append(RectEl(Box(area.x, top, ctx.px(8), bottom - top), c["accent"], role="quote-rule"))
    elements += placed
    return SceneLayout("quote", c["background"], tuple(elements))
