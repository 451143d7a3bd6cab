"""Scene types, registered by name.

To add a scene type: write a module here with ``layout(ctx: SceneContext) ->
SceneLayout``, add it to ``SCENES``, and (for a body block) give the block a
model in :mod:`claimreel.script.model` whose ``type`` is the same name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..elements import SceneLayout, TextEl
from ..formats import Box, Format
from . import claim, clip, credits, document, end, fact, narration, photo, quote, title, verdict
from .base import SceneContext

__all__ = ["SCENES", "SceneContext", "layout_scene", "mirrored"]

SCENES: dict[str, Callable[[SceneContext], SceneLayout]] = {
    "title": title.layout,
    "claim": claim.layout,
    "verdict": verdict.layout,
    "narration": narration.layout,
    "quote": quote.layout,
    "photo": photo.layout,
    "fact": fact.layout,
    "clip": clip.layout,
    "document": document.layout,
    "credits": credits.layout,
    "end": end.layout,  # the last scene of every social cut
}


def layout_scene(kind: str, ctx: SceneContext) -> SceneLayout:
    """Lay out one scene; a tall format's larger type (``Format.type_scale``) steps down by tenths, to
    the 16:9 sizes at worst, until the scene's text fits."""
    from ...errors import LayoutError

    scale = ctx.fmt.type_scale
    while True:
        try:
            layout = SCENES[kind](replace(ctx, fmt=replace(ctx.fmt, type_scale=scale)))
            break
        except LayoutError:
            if scale <= 1.0:
                raise
            scale = max(1.0, round(scale - 0.1, 2))
    return mirrored(layout, ctx.fmt) if ctx.rtl else layout


def mirrored(layout: SceneLayout, fmt: Format) -> SceneLayout:
    """The scene for a right-to-left script: every box reflected across the canvas's vertical axis and
    left/right alignment swapped, so columns, rules, badges and the corner mark start at the right.
    Pictures are placed, never flipped. A box inside the safe area is reflected across the safe area's
    own axis (a pixel off the canvas's where the margins round unevenly), so it stays inside."""
    swap = {"left": "right", "right": "left", "center": "center"}
    out = []
    for el in layout.elements:
        axis = fmt.safe.x + fmt.safe.right if fmt.safe.contains(el.box) else fmt.width
        box = Box(axis - el.box.right, el.box.y, el.box.w, el.box.h)
        if isinstance(el, TextEl):
            out.append(replace(el, box=box, align=swap[el.align]))
        else:
            out.append(replace(el, box=box))
    return replace(layout, elements=tuple(out))
