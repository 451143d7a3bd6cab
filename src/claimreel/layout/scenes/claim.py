"""Claim card: who said it (photo or monogram, name, title, date), the quote, where it appeared."""

from __future__ import annotations

from ..elements import Element, ImageEl, RectEl, SceneLayout, TextEl
from ..formats import Box
from .base import SIZE_BODY, SIZE_LABEL, SIZE_QUOTE, Column, SceneContext, chrome, format_date


def _portrait(ctx: SceneContext, box: Box) -> list[Element]:
    speaker, c = ctx.script.claim.speaker, ctx.theme.colors
    if speaker.photo:
        return [ImageEl(box, ctx.assets[speaker.photo], circle=True, role="speaker-photo")]
    size = round(box.h * 0.38)
    return [
        RectEl(box, c["surface"], radius=box.w // 2, role="monogram"),
        RectEl(Box(box.x, box.y, box.w, box.h), c["accent"], 0.0, box.w // 2, "monogram-ring"),
        TextEl(Box(box.x, box.y + (box.h - round(size * 1.2)) // 2, box.w, round(size * 1.2)),
               (speaker.initials,), "bold", size, round(size * 1.2), c["accent"], "center", "monogram-initials"),
    ]


def _who(ctx: SceneContext, col: Column) -> None:
    claim, c = ctx.script.claim, ctx.theme.colors
    col.text(claim.speaker.name, weight="bold", size=38, color=c["text"], role="speaker-name", max_lines=2)
    if claim.speaker.title:
        col.gap(6)
        col.text(claim.speaker.title, weight="regular", size=28, color=c["muted"], role="speaker-title", max_lines=3)
    col.gap(6)
    col.text(format_date(claim.date), weight="regular", size=28, color=c["muted"], role="claim-date")


def layout(ctx: SceneContext) -> SceneLayout:
    claim, c = ctx.script.claim, ctx.theme.colors
    area = ctx.content()
    quote = f"\u201c{claim.quote}\u201d"
    elements: list[Element] = list(chrome(ctx))
    photo = ctx.px(200)
    if ctx.portrait:
        head = Column(ctx, Box(area.x + photo + ctx.px(32), area.y, area.w - photo - ctx.px(32), photo))
        _who(ctx, head)
        elements += _portrait(ctx, Box(area.x, area.y, photo, photo))
        elements += head.place()
        body = Column(ctx, Box(area.x, area.y + photo + ctx.px(40), area.w, area.h - photo - ctx.px(40)))
    else:
        side = ctx.px(380)
        left = Column(ctx, Box(area.x, area.y, side, area.h))
        left.gap(200 + 28)
        _who(ctx, left)
        placed = left.place()
        top = placed[0].box.y - ctx.px(200 + 28) if placed else area.y
        elements += _portrait(ctx, Box(area.x, top, photo, photo))
        elements += placed
        body = Column(ctx, Box(area.x + side + ctx.px(56), area.y, area.w - side - ctx.px(56), area.h))
    body.text("THE CLAIM", weight="semibold", size=SIZE_LABEL, color=c["accent"], role="label")
    body.gap(20)
    body.text(quote, weight="semibold", size=SIZE_QUOTE, min_size=40, color=c["text"], role="claim-quote",
              leading=1.2)
    if claim.appeared:
        body.gap(24)
        body.text(claim.appeared.name, weight="regular", size=SIZE_BODY * 0.75, color=c["muted"],
                  role="claim-appeared", max_lines=2)
    elements += body.place()
    return SceneLayout("claim", c["background"], tuple(elements))
