"""Document: a page of a source document, shown whole, then moved in on the highlighted passage.

The page sits in the frame above a lower third that says where the passage is
("OHCHR assessment, page 43"); compose moves in on the passage and draws the
highlighter across it. The passage comes as boxes in page fractions: found on a
PDF page's text layer, or given as one box.
"""

from __future__ import annotations

from ...script.blocks import DocumentBlock
from ..elements import Document, SceneLayout
from ..formats import Box
from ..pages import find_passage
from .base import SceneContext
from .photo import lower_third

def passage(ctx: SceneContext, block: DocumentBlock) -> tuple[tuple[float, float, float, float], ...]:
    """The highlighted passage, one box per line, in page fractions (top-left origin)."""
    if isinstance(block.highlight, str):
        assert block.page is not None  # the model allows text highlights on PDFs only
        return find_passage(ctx.assets[block.file], block.page, block.highlight)
    if block.highlight is not None:
        return (tuple(block.highlight),)  # type: ignore[return-value]
    return ()


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, DocumentBlock)
    c = ctx.theme.colors
    third = lower_third(ctx, block.where, block.credit, block.on_screen)
    safe = ctx.fmt.safe
    # The page fills the width of the frame and the height above the lower third.
    area = Box(0, safe.y, ctx.fmt.width, third.panel.y - ctx.px(16) - safe.y)
    document = Document(ctx.assets[block.file], block.page, passage(ctx, block), c.get("highlight", "#ffd400"),
                        (area.x, area.y, area.w, area.h))
    return SceneLayout("document", c["surface"], third.elements, document=document,
                       caption_bottom=third.caption_bottom)
