"""Photo: full frame with a slow zoom toward its focus point; caption and credit as a lower third."""

from __future__ import annotations

import math
from dataclasses import replace

from ...script.model import PhotoBlock
from ..cover import cover_kept, focus_in_fit, upright_size
from ..elements import Element, Photo, RectEl, SceneLayout, TextEl
from ..formats import Box
from ..text import fit_text
from .base import SceneContext, chrome


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, PhotoBlock)
    # The lower third keeps its 16:9 size in tall formats: larger type there would hide the picture.
    ctx = replace(ctx, fmt=replace(ctx.fmt, type_scale=1.0))
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
    photo = _photo(ctx, block)
    gap = ctx.px(36 if ctx.portrait else 20)
    panel = Box(safe.x, safe.bottom - height, width, height)
    caption_bottom = panel.y - gap
    if ctx.portrait:
        # Tall frames: the lower third and the captions above it take a band across the middle of
        # the picture; when the photo's focus point would sit under that band, the panel moves up
        # under the corner mark and the captions keep their usual place, so the subject stays seen.
        band = Box(0, caption_bottom - ctx.caption_reserve(), ctx.fmt.width, safe.bottom - caption_bottom
                   + ctx.caption_reserve())
        if _covers(ctx, band, photo):
            top = ctx.content().y
            upper = Box(safe.x, top, width, height)
            if not _covers(ctx, upper, photo):
                panel, caption_bottom = upper, 0
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
    return SceneLayout("photo", c["background"], tuple(elements), photo=photo, caption_bottom=caption_bottom)


#: A cover crop keeping less of the photo than this shows it whole instead (landscape frames).
MIN_KEPT = 0.5


def photo_fit(ctx: SceneContext, block: PhotoBlock) -> str:
    """The block's ``fit``; by default ``cover``, or ``contain`` in a landscape frame when a cover crop would
    keep less than half the photo (a portrait photo in 16:9). Tall frames crop landscape photos by default:
    that is how vertical video shows them, and the slow zoom moves toward the focus point."""
    if block.fit:
        return block.fit
    size = (ctx.fmt.width, ctx.fmt.height)
    wide = ctx.fmt.width > ctx.fmt.height
    return "contain" if wide and cover_kept(upright_size(ctx.assets[block.image]), size) < MIN_KEPT else "cover"


def _photo(ctx: SceneContext, block: PhotoBlock) -> Photo:
    """The photo with its slow zoom; tall frames push in further, toward the focus point."""
    return Photo(ctx.assets[block.image], block.focus, zoom_to=1.12 if ctx.tall else 1.08, fit=photo_fit(ctx, block))


def focus_on_screen(ctx: SceneContext, photo: Photo, t: float) -> tuple[float, float]:
    """Where the photo's focus point is drawn at time ``t`` in [0, 1] of the zoom (the same
    cover-crop and zoom as :class:`claimreel.compose.frames._KenBurns`)."""
    fw, fh = ctx.fmt.width, ctx.fmt.height
    bw, bh = math.ceil(fw * photo.zoom_to / 2) * 2, math.ceil(fh * photo.zoom_to / 2) * 2
    px, py = focus_in_fit(upright_size(photo.path), (bw, bh), photo.focus, photo.fit)
    z = photo.zoom_from + (photo.zoom_to - photo.zoom_from) * t
    s = z / photo.zoom_to
    ww, wh = fw / s, fh / s
    cx = min(max(bw / 2 + (px - bw / 2) * t, ww / 2), bw - ww / 2)
    cy = min(max(bh / 2 + (py - bh / 2) * t, wh / 2), bh - wh / 2)
    return s * (px - (cx - ww / 2)), s * (py - (cy - wh / 2))


def _covers(ctx: SceneContext, band: Box, photo: Photo) -> bool:
    """Whether ``band`` (with a margin) hides the focus point at the start or the end of the zoom."""
    margin = ctx.px(60)
    for t in (0.0, 1.0):
        _, y = focus_on_screen(ctx, photo, t)
        if band.y - margin <= y <= band.bottom + margin:
            return True
    return False
