"""Photo: full frame with a slow zoom toward its focus point; caption and credit as a lower third."""

from __future__ import annotations

from ...script.model import PhotoBlock
from ..elements import Element, Photo, RectEl, SceneLayout, TextEl
from ..formats import Box
from ..text import fit_text
from .base import SceneContext, chrome


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, PhotoBlock)
    c, book = ctx.theme.colors, ctx.book
    safe = ctx.fmt.safe
    pad = ctx.px(24)
    width = safe.w if ctx.portrait else round(safe.w * 0.72)
    text_w = width - 2 * pad - ctx.px(8)
    caption = fit_text(book, block.caption, weight="semibold", size=ctx.px(36), min_size=ctx.px(28),
                       max_width=text_w, max_height=ctx.px(200), max_lines=3, where=f"{ctx.where}.caption")
    credit = fit_text(book, block.credit, weight="regular", size=ctx.px(24), min_size=ctx.px(20),
                      max_width=text_w, max_height=ctx.px(100), max_lines=2, where=f"{ctx.where}.credit")
    kicker = None
    if block.on_screen:
        kicker = fit_text(book, block.on_screen.upper(), weight="semibold", size=ctx.px(24), min_size=ctx.px(20),
                          max_width=text_w, max_height=ctx.px(70), max_lines=2, where=f"{ctx.where}.on_screen")
    kicker_h = kicker.height + ctx.px(8) if kicker else 0
    height = kicker_h + caption.height + ctx.px(10) + credit.height + 2 * pad
    bottom = safe.bottom
    panel = Box(safe.x, bottom - height, width, height)
    x = panel.x + pad + ctx.px(8)
    elements: list[Element] = list(chrome(ctx, on_photo=True))
    theme = ctx.theme
    elements.append(RectEl(panel, c["lower_third"], theme.lower_third_opacity, ctx.px(theme.lower_third_radius),
                           "lower-third"))
    if theme.lower_third_rule:
        elements.append(RectEl(Box(panel.x, panel.y, ctx.px(8), panel.h), c["accent"], role="lower-third-rule"))
    if kicker:
        elements.append(TextEl(Box(x, panel.y + pad, kicker.width, kicker.height), kicker.lines, "semibold",
                               kicker.size, kicker.line_height, c["accent"], role="photo-kicker"))
    top = panel.y + pad + kicker_h
    elements += [
        TextEl(Box(x, top, caption.width, caption.height), caption.lines, "semibold", caption.size,
               caption.line_height, c["text"], role="photo-caption"),
        TextEl(Box(x, top + caption.height + ctx.px(10), credit.width, credit.height), credit.lines,
               "regular", credit.size, credit.line_height, c["muted"], role="photo-credit"),
    ]
    return SceneLayout(
        "photo", c["background"], tuple(elements),
        photo=Photo(ctx.assets[block.image], block.focus),
        caption_bottom=panel.y - ctx.px(20),
    )
