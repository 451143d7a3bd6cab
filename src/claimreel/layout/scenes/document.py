"""Document: a page of a source document, shown whole, then moved in on the highlighted passage.

The page sits in the page window, the band of the frame between the corner mark
and the captions above the lower third that says where the passage is ("OHCHR
assessment, page 43"). No overlay ever covers the page: the mark, the lower third
and the captions are outside the window, and the page is drawn only inside it.
The scene ends on a view of whole lines around the passage (:mod:`..framing`);
compose moves in on it and draws the highlighter across the passage. The passage
comes as boxes in page fractions: found on a PDF page's text layer, or given as
one box.
"""

from __future__ import annotations

from ...script.blocks import DocumentBlock
from ..elements import Document, Element, SceneLayout
from ..formats import Box
from ..framing import passage_view
from ..page_lines import page_lines
from ..pages import find_passage, page_size
from .base import SceneContext
from .photo import lower_third

#: The tallest a line of the page may be drawn, in design pixels: about the captions' size, so a
#: short passage is not blown up past reading size.
MAX_LINE = 60


def passage(ctx: SceneContext, block: DocumentBlock) -> tuple[tuple[float, float, float, float], ...]:
    """The highlighted passage, one box per line, in page fractions (top-left origin)."""
    if isinstance(block.highlight, str):
        assert block.page is not None  # the model allows text highlights on PDFs only
        return find_passage(ctx.assets[block.file], block.page, block.highlight)
    if block.highlight is not None:
        return (tuple(block.highlight),)  # type: ignore[return-value]
    return ()


def page_window(ctx: SceneContext, overlays: tuple[Element, ...], caption_bottom: int) -> Box:
    """The band of the safe area no overlay covers: below the corner marks, above the captions'
    room (which sits above the lower third)."""
    gap = ctx.px(16)
    marks = [e.box.bottom for e in overlays if e.layer == "chrome"]
    top = max(marks, default=ctx.fmt.safe.y) + gap
    bottom = caption_bottom - ctx.caption_reserve() - gap
    safe = ctx.fmt.safe
    return Box(safe.x, top, safe.w, max(bottom - top, 2))


def layout(ctx: SceneContext) -> SceneLayout:
    block = ctx.block
    assert isinstance(block, DocumentBlock)
    c = ctx.theme.colors
    third = lower_third(ctx, block.where, block.credit, block.on_screen)
    window = page_window(ctx, third.elements, third.caption_bottom)
    path = ctx.assets[block.file]
    rects = passage(ctx, block)
    width, height = page_size(path, block.page)
    view = passage_view(page_lines(path, block.page), rects, height / width, (window.w, window.h),
                        max_line=ctx.px(MAX_LINE))
    document = Document(path, block.page, rects, c.get("highlight", "#ffd400"),
                        (window.x, window.y, window.w, window.h), view)
    return SceneLayout("document", c["surface"], third.elements, document=document,
                       caption_bottom=third.caption_bottom)
