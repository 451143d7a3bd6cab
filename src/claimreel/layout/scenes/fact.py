"""Fact card: one number large, or two or three numbers as bars drawn to scale."""

from __future__ import annotations

from ...script.blocks import FactBlock
from ..elements import Element, RectEl, SceneLayout, TextEl
from ..formats import Box
from ..text import fit_text
from .base import SIZE_LABEL, Column, SceneContext, chrome, shifted


def _value_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _bars(ctx: SceneContext, block: FactBlock, box: Box) -> list[Element]:
    c, book = ctx.theme.colors, ctx.book
    assert block.compare is not None
    label_size, value_size = ctx.px(34), ctx.px(52)
    row_h = round(label_size * 1.3) + ctx.px(12) + ctx.px(64)
    gap = ctx.px(36)
    total = len(block.compare) * row_h + (len(block.compare) - 1) * gap
    if total > box.h:
        from ...errors import LayoutError

        raise LayoutError(f"{ctx.where}: the fact's bars need {total} px of height but have {box.h}; "
                          "shorten its headline")
    y = box.y
    biggest = max(item.value for item in block.compare) or 1.0
    value_w = max(round(book.length("bold", value_size, _value_text(i.value))) for i in block.compare)
    bar_max = box.w - value_w - ctx.px(28)
    out: list[Element] = []
    for item in block.compare:
        label = fit_text(book, item.label, weight="medium", size=label_size, min_size=ctx.px(26), max_width=box.w,
                         max_height=round(label_size * 1.3), max_lines=1, where=f"{ctx.where}.compare")
        out.append(TextEl(Box(box.x, y, label.width, label.height), label.lines, "medium", label.size,
                          label.line_height, c["muted"], role="bar-label"))
        bar_y = y + label.height + ctx.px(12)
        width = max(ctx.px(6), round(bar_max * item.value / biggest))
        out.append(RectEl(Box(box.x, bar_y, width, ctx.px(64)), c["bar"], radius=ctx.px(4), role="bar"))
        text = _value_text(item.value)
        tw = round(book.length("bold", value_size, text))
        out.append(TextEl(Box(box.x + width + ctx.px(20), bar_y + (ctx.px(64) - round(value_size * 1.2)) // 2,
                              tw, round(value_size * 1.2)), (text,), "bold", value_size,
                          round(value_size * 1.2), c["text"], role="bar-value"))
        y += row_h + gap
    return out


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, FactBlock)
    c = ctx.theme.colors
    area = ctx.content()
    source_h = ctx.px(36 + 20) if block.source else 0  # the source line at the bottom, and space above it
    body = Box(area.x, area.y, area.w, area.h - source_h)
    head = Column(ctx, body)
    if block.on_screen:
        head.text(block.on_screen.upper(), weight="semibold", size=SIZE_LABEL, color=c["accent"], role="label")
        head.gap(16)
    head.text(block.headline, weight="bold", size=52, min_size=36, color=c["text"], role="fact-headline",
              max_lines=3, leading=1.15)
    if block.number is not None:
        head.gap(20)
        head.text(block.number, weight="bold", size=200, min_size=96, color=c["accent"], role="fact-number",
                  max_lines=1, leading=1.05)
        if block.unit:
            head.text(block.unit, weight="medium", size=40, color=c["muted"], role="fact-unit", max_lines=2)
    elements: list[Element] = list(chrome(ctx))
    if block.compare is not None:
        placed = head.place(valign="top")
        if block.unit:
            unit_col = Column(ctx, Box(area.x, placed[-1].box.bottom + ctx.px(8), area.w, ctx.px(60)))
            unit_col.text(block.unit, weight="medium", size=30, color=c["muted"], role="fact-unit", max_lines=1)
            placed += unit_col.place(valign="top")
        top = placed[-1].box.bottom + ctx.px(40)
        group = placed + _bars(ctx, block, Box(area.x, top, area.w, body.bottom - top))
        # Headline and bars as one group, centred in the height the card has.
        elements += shifted(group, max(0, (body.bottom - max(e.box.bottom for e in group)) // 2))
    else:
        elements += head.place()
    if block.source:
        col = Column(ctx, Box(area.x, area.bottom - ctx.px(36), area.w, ctx.px(36)))
        col.text(ctx.labels.source(block.source), weight="regular", size=24, color=c["muted"], role="fact-source",
                 max_lines=1)
        elements += col.place()
    return SceneLayout("fact", c["background"], tuple(elements))
