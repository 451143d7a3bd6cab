"""Narration over a background: a colour (with the block's on-screen heading) or a photo."""

from __future__ import annotations

from ...script.blocks import NarrationBlock
from ..elements import Element, Photo, SceneLayout
from .base import Column, SceneContext, chrome


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, NarrationBlock)
    c = ctx.theme.colors
    background = c["background"]
    photo = None
    if block.background and block.background.photo:
        photo = Photo(ctx.assets[block.background.photo], block.background.focus)
    elif block.background and block.background.color:
        background = block.background.color
    elements: list[Element] = list(chrome(ctx, on_photo=photo is not None))
    if block.on_screen:
        col = Column(ctx, ctx.content())
        col.rule(96, 8, c["accent"], "accent-rule")
        col.gap(28)
        col.text(block.on_screen, weight="bold", size=64, min_size=44, color=c["text"], role="on-screen",
                 max_lines=4, leading=1.15)
        elements += col.place()
    return SceneLayout("narration", background, tuple(elements), photo=photo, scrim=photo is not None)
