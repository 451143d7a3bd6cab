"""Photo: full frame with a slow zoom toward its focus point; caption and credit as a lower third."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ...script.blocks import PhotoBlock
from ..cover import cover_kept, focus_in_fit, upright_size
from ..elements import Element, Photo, RectEl, SceneLayout, TextEl
from ..formats import Box
from ..text import fit_text
from .base import SceneContext, chrome


@dataclass(frozen=True)
class LowerThird:
    """A caption panel at the bottom of the safe area (kicker, caption, credit) over a full-frame picture."""

    panel: Box
    elements: tuple[Element, ...]  # the corner mark, the panel and its texts
    caption_bottom: int  # where burned-in captions sit, above the panel


def lower_third(ctx: SceneContext, caption: str, credit: str | None, kicker: str | None = None,
                *, place: Callable[[Box, int], tuple[Box, int]] | None = None) -> LowerThird:
    """The lower third of a photo, clip or document scene; ``place`` may move the panel (tall frames)."""
    # The lower third keeps its 16:9 size in tall formats: larger type there would hide the picture.
    ctx = replace(ctx, fmt=replace(ctx.fmt, type_scale=1.0))
    c, book = ctx.theme.colors, ctx.book
    safe = ctx.fmt.safe
    pad = ctx.px(24)
    width = safe.w if ctx.portrait else round(safe.w * 0.72)
    text_w = width - 2 * pad - ctx.px(8)
    cap = fit_text(book, caption, weight="semibold", size=ctx.px(36), min_size=ctx.px(28),
                   max_width=text_w, max_height=ctx.px(200), max_lines=3, where=f"{ctx.where}.caption")
    cred = None
    if credit:
        cred = fit_text(book, credit, weight="regular", size=ctx.px(24), min_size=ctx.px(20),
                        max_width=text_w, max_height=ctx.px(100), max_lines=2, where=f"{ctx.where}.credit")
    kick = None
    if kicker:
        kick = fit_text(book, kicker.upper(), weight="semibold", size=ctx.px(24), min_size=ctx.px(20),
                        max_width=text_w, max_height=ctx.px(70), max_lines=2, where=f"{ctx.where}.on_screen")
    kicker_h = kick.height + ctx.px(8) if kick else 0
    credit_h = cred.height + ctx.px(10) if cred else 0
    height = kicker_h + cap.height + credit_h + 2 * pad
    gap = ctx.px(36 if ctx.portrait else 20)
    panel = Box(safe.x, safe.bottom - height, width, height)
    caption_bottom = panel.y - gap
    if place is not None:
        panel, caption_bottom = place(panel, caption_bottom)
    x = panel.x + pad + ctx.px(8)
    elements: list[Element] = list(chrome(ctx, on_photo=True))
    theme = ctx.theme
    elements.append(RectEl(panel, c["lower_third"], theme.lower_third_opacity, ctx.px(theme.lower_third_radius),
                           "lower-third"))
    if theme.lower_third_rule:
        elements.append(RectEl(Box(panel.x, panel.y, ctx.px(8), panel.h), c["accent"], role="lower-third-rule"))
    if kick:
        elements.append(TextEl(Box(x, panel.y + pad, kick.width, kick.height), kick.lines, "semibold",
                               kick.size, kick.line_height, c["accent"], role="photo-kicker"))
    top = panel.y + pad + kicker_h
    elements.append(TextEl(Box(x, top, cap.width, cap.height), cap.lines, "semibold", cap.size,
                           cap.line_height, c["text"], role="photo-caption"))
    if cred:
        elements.append(TextEl(Box(x, top + cap.height + ctx.px(10), cred.width, cred.height), cred.lines,
                               "regular", cred.size, cred.line_height, c["muted"], role="photo-credit"))
    return LowerThird(panel, tuple(elements), caption_bottom)


def keep_clear(ctx: SceneContext, ys: Sequence[float]) -> Callable[[Box, int], tuple[Box, int]]:
    """A lower third's placement that keeps the picture's subject (at heights ``ys`` on screen) seen.

    Tall frames: the lower third and the captions above it take a band across the middle of the
    picture; when the subject would sit under that band, the panel moves up under the corner mark
    and the captions keep their usual place.
    """
    def hides(band: Box) -> bool:
        margin = ctx.px(60)
        return any(band.y - margin <= y <= band.bottom + margin for y in ys)

    def place(panel: Box, caption_bottom: int) -> tuple[Box, int]:
        if ctx.portrait:
            band = Box(0, caption_bottom - ctx.caption_reserve(), ctx.fmt.width,
                       ctx.fmt.safe.bottom - caption_bottom + ctx.caption_reserve())
            if hides(band):
                upper = Box(panel.x, ctx.content().y, panel.w, panel.h)
                if not hides(upper):
                    return upper, 0
        return panel, caption_bottom

    return place


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, PhotoBlock)
    photo = _photo(ctx, block)
    # where the focus point is at the start and the end of the slow zoom
    ys = [focus_on_screen(ctx, photo, t)[1] for t in (0.0, 1.0)]
    third = lower_third(ctx, block.caption, block.credit, block.on_screen, place=keep_clear(ctx, ys))
    return SceneLayout("photo", ctx.theme.colors["background"], third.elements, photo=photo,
                       caption_bottom=third.caption_bottom)


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
