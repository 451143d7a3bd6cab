"""Claim card: who said it (photo or monogram, name, title, date), the quote, where it appeared.

16:9 puts the speaker in a column left of the quote; 1:1, 4:5 and 9:16 stack the
speaker row (portrait beside name and title) above the quote, and the group is
centred in the content area. The quote takes the height the rest leaves and
shrinks to its minimum size before the scene is an error.
"""

from __future__ import annotations

from ..elements import Element, ImageEl, RectEl, SceneLayout, TextEl
from ..formats import Box
from .base import SIZE_BODY, SIZE_LABEL, SIZE_QUOTE, Column, SceneContext, chrome, quoted, shifted


def _portrait(ctx: SceneContext, box: Box) -> list[Element]:
    speaker, c = ctx.script.claim.speaker, ctx.theme.colors
    if speaker.photo:
        return [ImageEl(box, ctx.assets[speaker.photo], circle=True, role="speaker-photo")]
    size = round(box.h * 0.38)
    return [
        RectEl(box, c["surface"], radius=box.w // 2, role="monogram"),
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
    col.text(ctx.labels.claim_date(claim.date), weight="regular", size=28, color=c["muted"], role="claim-date")


def _quote(ctx: SceneContext, body: Column) -> None:
    claim, c = ctx.script.claim, ctx.theme.colors
    body.text(ctx.labels["claim"], weight="semibold", size=SIZE_LABEL, color=c["accent"], role="label")
    body.gap(20)
    body.text(quoted(ctx, claim.quote), weight="semibold", size=SIZE_QUOTE, min_size=40, color=c["text"],
              role="claim-quote", leading=1.2, flex=True)
    if claim.appeared:
        body.gap(24)
        body.text(claim.appeared.name, weight="regular", size=SIZE_BODY * 0.75, color=c["muted"],
                  role="claim-appeared", max_lines=2)


def _stacked(ctx: SceneContext, area: Box) -> list[Element]:
    """Speaker row above the quote (1:1, 4:5, 9:16)."""
    photo = ctx.px(180 if ctx.tall else 150)
    gap = ctx.px(32)
    head = Column(ctx, Box(area.x + photo + gap, area.y, area.w - photo - gap, area.h))
    _who(ctx, head)
    who = head.place(valign="top")
    head_h = max(photo, who[-1].box.bottom - area.y)
    # Centre the speaker text on the portrait when it is shorter.
    text_dy = max(0, (photo - (who[-1].box.bottom - area.y)) // 2)
    photo_dy = max(0, (head_h - photo) // 2)
    space = ctx.px(56 if ctx.tall else 40)
    body = Column(ctx, Box(area.x, area.y + head_h + space, area.w, area.h - head_h - space))
    _quote(ctx, body)
    placed = body.place(valign="top")
    total = placed[-1].box.bottom - area.y
    dy = max(0, (area.h - total) // 2)
    out = _portrait(ctx, Box(area.x, area.y + photo_dy, photo, photo))
    return shifted(out, dy) + shifted(who, dy + text_dy) + shifted(placed, dy)


def _side_by_side(ctx: SceneContext, area: Box) -> list[Element]:
    """Speaker column left of the quote (16:9)."""
    photo = ctx.px(200)
    side = ctx.px(380)
    left = Column(ctx, Box(area.x, area.y, side, area.h))
    left.gap(200 + 28)
    _who(ctx, left)
    placed = left.place()
    top = placed[0].box.y - ctx.px(200 + 28) if placed else area.y
    out = _portrait(ctx, Box(area.x, top, photo, photo)) + placed
    body = Column(ctx, Box(area.x + side + ctx.px(56), area.y, area.w - side - ctx.px(56), area.h))
    _quote(ctx, body)
    return out + body.place()


def layout(ctx: SceneContext) -> SceneLayout:
    if ctx.script.claim.clip is not None:
        from .clip import claim_layout

        return claim_layout(ctx)
    c = ctx.theme.colors
    area = ctx.content()
    elements: list[Element] = list(chrome(ctx))
    elements += _stacked(ctx, area) if ctx.portrait else _side_by_side(ctx, area)
    return SceneLayout("claim", c["background"], tuple(elements))
