"""Scene types, registered by name.

To add a scene type: write a module here with ``layout(ctx: SceneContext) ->
SceneLayout``, add it to ``SCENES``, and (for a body block) give the block a
model in :mod:`claimreel.script.model` whose ``type`` is the same name.
"""

from __future__ import annotations

from typing import Callable

from ..elements import SceneLayout
from . import claim, credits, fact, narration, photo, quote, title, verdict
from .base import SceneContext

__all__ = ["SCENES", "SceneContext", "layout_scene"]

SCENES: dict[str, Callable[[SceneContext], SceneLayout]] = {
    "title": title.layout,
    "claim": claim.layout,
    "verdict": verdict.layout,
    "narration": narration.layout,
    "quote": quote.layout,
    "photo": photo.layout,
    "fact": fact.layout,
    "credits": credits.layout,
}


def layout_scene(kind: str, ctx: SceneContext) -> SceneLayout:
    return SCENES[kind](ctx)
