"""Clip: footage filling the frame (cover-cropped around its focus point) under a lower third.

The claim card takes this layout too when the script gives ``claim.clip`` (the
claimant's own footage): the lower third names the claimant, with their title and the date.
"""

from __future__ import annotations

from ...script.blocks import ClipBlock
from ...script.footage import ClipSource
from ..elements import Clip, SceneLayout
from .base import SceneContext
from .photo import keep_clear, lower_third


def footage(ctx: SceneContext, source: ClipSource) -> Clip:
    """The layout's footage: the file, its in and out points, the crop's focus."""
    return Clip(ctx.assets[source.file], source.start, source.end, source.focus, source.audio)


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, ClipBlock)
    # A landscape clip fills a tall frame's height, so its focus point sits at that fraction of it.
    third = lower_third(ctx, block.caption, block.credit, block.on_screen,
                        place=keep_clear(ctx, [block.focus[1] * ctx.fmt.height]))
    return SceneLayout("clip", ctx.theme.colors["background"], third.elements, clip=footage(ctx, block),
                       caption_bottom=third.caption_bottom)


def claim_layout(ctx: SceneContext) -> SceneLayout:
    """The claim card over the claimant's footage."""
    claim = ctx.script.claim
    assert claim.clip is not None
    who = claim.speaker.name + (f", {claim.speaker.title}" if claim.speaker.title else "")
    when = ctx.labels.claim_date(claim.date) + (f" \u00b7 {claim.appeared.name}" if claim.appeared else "")
    third = lower_third(ctx, who, when, ctx.labels["claim"],
                        place=keep_clear(ctx, [claim.clip.focus[1] * ctx.fmt.height]))
    return SceneLayout("claim", ctx.theme.colors["background"], third.elements, clip=footage(ctx, claim.clip),
                       caption_bottom=third.caption_bottom)
