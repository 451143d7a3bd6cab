"""Document scenes frame whole lines and keep every overlay off the page (issue 25, items 7 and 11).

A PDF written here (fpdf2) holds paragraphs whose lines are known (fpdf2 says how it broke them).
In every format the scene must end on a view that shows each line of the passage from its first
letter to its last, and no overlay (corner mark, DRAFT mark, lower third, captions) may lie over
any part of the page, at any phase of the scene: the page is drawn only in the window the
overlays leave free.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.compose.frames import CueSpan, SceneFrames
from claimreel.compose.yuv import Planes
from claimreel.layout.elements import Document
from claimreel.layout.formats import FORMATS, Box, get_format
from claimreel.layout.framing import passage_view
from claimreel.layout.page_lines import ink_lines, page_lines
from claimreel.layout.pages import find_passage
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.pipeline.checks import check_script
from claimreel.script.load import load_script

from ..conftest import SMALL_SCRIPT, make_photo

pytest.importorskip("fpdf", reason="fpdf2 (the test extra) writes the test PDFs")

HEADING = "Section 4. Findings of the review"
PARAGRAPHS = (
    "The review relied on official records, satellite imagery and interviews with forty former "
    "residents of the district, each heard separately and in their own language.",
    "The extent of the detention may constitute international crimes, in particular crimes against "
    "humanity, the review concludes, and it calls for a further inquiry into the policies behind it.",
    "The authorities were given the draft and their comments are printed in the annex in full, "
    "alongside the replies of the review team to each of the points they raised.",
)
WANTED = "international crimes"  # a few words in the middle of a line
FRAMES = 150


def _write_pdf(path: Path) -> dict[str, list[str]]:
    """The test page; returns each paragraph's lines as fpdf2 broke them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 13)
    pdf.set_xy(20, 14)  # the heading high on the page: under the corner mark if the page were drawn there
    pdf.cell(170, 8, HEADING)
    pdf.set_font("helvetica", size=12)
    lines: dict[str, list[str]] = {}
    y = 30.0
    for text in PARAGRAPHS:
        lines[text] = pdf.multi_cell(170, 7, text, dry_run=True, output="LINES")
        pdf.set_xy(20, y)
        pdf.multi_cell(170, 7, text)
        y = pdf.get_y() + 5
    pdf.output(str(path))
    return lines


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("framing")
    (root / "assets" / "documents").mkdir(parents=True)
    make_photo(root / "assets" / "photos" / "river.jpg")
    lines = _write_pdf(root / "assets" / "documents" / "review.pdf")
    Image.fromarray(_scan()).save(root / "assets" / "documents" / "scan.png")
    (root / "scripts").mkdir()
    script = root / "scripts" / "small-check.yaml"
    logo = np.zeros((160, 400, 4), np.uint8)
    logo[20:140, 20:380] = (200, 30, 30, 255)
    (root / "assets" / "logos").mkdir()
    Image.fromarray(logo).save(root / "assets" / "logos" / "desk.png")
    script.write_text(SMALL_SCRIPT.replace("credits:\n", f"""\
  - type: document
    file: assets/documents/review.pdf
    page: 1
    source: District review
    credit: Review team
    highlight: {WANTED}
    narration: The review is plain about it.
  - type: document
    file: assets/documents/scan.png
    source: Scanned letter
    highlight: [0.40, 0.296, 0.55, 0.318]
credits:
""", 1))
    # the same script with the outlet's logo as the corner mark (taller than the name)
    branded = script.read_text().replace('url: "https://example.org"}', 'url: "https://example.org", '
                                         'logo: assets/logos/desk.png}', 1)
    assert branded != script.read_text()
    (root / "scripts" / "branded.yaml").write_text(branded)
    return script, lines


def _scan() -> np.ndarray:
    """A page image with 'lines' of ink: a heading near the top and a paragraph of full-width lines."""
    page = np.full((1400, 1000, 3), 248, np.uint8)
    page[60:90, 100:520] = 30
    for k in range(8):
        y = 300 + k * 42
        page[y:y + 22, 100:(900 if k < 7 else 600)] = 40
    return page


@pytest.fixture(scope="module")
def loaded(workspace):
    script, _ = workspace
    return load_script(script)


def _scene(loaded, name: str, block: int) -> tuple[SceneContext, object]:
    theme, book = check_script(loaded)
    fmt = get_format(name).preview()
    ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, loaded.script.body[block], block, "document")
    return ctx, layout_scene("document", ctx)


def _frames(ctx: SceneContext, layout) -> SceneFrames:
    """The scene with captions as long as the format's burned-in captions get (3 lines in 9:16)."""
    rows = 3 if ctx.fmt.name == "9x16" else 2
    cue = CueSpan(0, FRAMES, tuple("The review says the detention may amount to"[: 30 if rows == 3 else 42]
                                   for _ in range(rows)))
    return SceneFrames(layout, ctx.fmt, ctx.theme, ctx.book, FRAMES, (cue,))


def _overlays(frames: SceneFrames) -> list[tuple[str, Box]]:
    """Everything drawn over the scene's picture: the layout's elements and the captions."""
    drawn = [(e.role, e.box) for e in frames.layout.elements]
    return drawn + [(e.role, e.box) for e in frames.caption_layout((0, None))]


def _on_screen(frames: SceneFrames, i: int, rect: tuple[float, float, float, float]) -> Box:
    """Where a page rectangle (page fractions) is drawn on frame ``i``."""
    page = frames.page
    view, _ = page.on_screen(i)
    m = view.matrix(page.anchor)
    sh, sw = page.plain[0].shape
    x0, y0 = m[0, 0] * rect[0] * sw + m[0, 2], m[1, 1] * rect[1] * sh + m[1, 2]
    x1, y1 = m[0, 0] * rect[2] * sw + m[0, 2], m[1, 1] * rect[3] * sh + m[1, 2]
    return Box(round(x0), round(y0), round(x1 - x0), round(y1 - y0))


def _phases(frames: SceneFrames) -> list[int]:
    page = frames.page
    return [0, page.move_from, (page.move_from + page.move_to) // 2, page.move_to,
            (page.move_to + page.wipe_to) // 2, FRAMES - 1]


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_scene_ends_on_whole_lines_of_the_passage(loaded, workspace, name: str) -> None:
    _, lines = workspace
    ctx, layout = _scene(loaded, name, 3)
    frames = _frames(ctx, layout)
    pdf = ctx.assets["assets/documents/review.pdf"]
    passage = find_passage(pdf, 1, WANTED)
    # the passage's line, whole: found on the page by its full text as fpdf2 wrote it
    line = next(text for text in lines[PARAGRAPHS[1]] if WANTED in text)
    (full,) = find_passage(pdf, 1, line)
    assert full[2] - full[0] > 2 * (passage[0][2] - passage[0][0])  # the passage is a short part of it
    _, (cx0, cy0, cx1, cy1) = frames.page.on_screen(FRAMES - 1)
    drawn = _on_screen(frames, FRAMES - 1, full)
    assert cx0 <= drawn.x and drawn.right <= cx1 and cy0 <= drawn.y and drawn.bottom <= cy1, (drawn, (cx0, cx1))
    # every line of the page the end frame shows any of, it shows whole
    for rect in page_lines(pdf, 1):
        box = _on_screen(frames, FRAMES - 1, rect)
        if box.intersects(Box(cx0, cy0, cx1 - cx0, cy1 - cy0)):
            assert cx0 <= box.x and box.right <= cx1 and cy0 <= box.y and box.bottom <= cy1, (rect, box)
    # and it moved in: the line spans most of the window, at a size that reads
    assert drawn.w > layout.document.area[2] * 0.8


@pytest.fixture(scope="module")
def branded(workspace):
    script, _ = workspace
    return load_script(script.with_name("branded.yaml"))


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("mark", ["name", "logo"])
def test_no_overlay_covers_the_page(loaded, branded, name: str, mark: str) -> None:
    ctx, layout = _scene(loaded if mark == "name" else branded, name, 3)
    assert any(e.role == ("outlet-logo" if mark == "logo" else "outlet-mark") for e in layout.elements)
    frames = _frames(ctx, layout)
    overlays = _overlays(frames)
    pdf = ctx.assets["assets/documents/review.pdf"]
    text = page_lines(pdf, 1)
    assert len(text) >= 8
    out = Planes(ctx.fmt.width, ctx.fmt.height)
    bg = frames.page.bg
    for i in _phases(frames):
        # the page's text boxes as placed in the frame (the part drawn) meet no overlay
        _, (cx0, cy0, cx1, cy1) = frames.page.on_screen(i)
        clip = Box(cx0, cy0, cx1 - cx0, cy1 - cy0)
        for rect in text:
            box = _on_screen(frames, i, rect)
            if not box.intersects(clip):
                continue
            shown = Box(max(box.x, clip.x), max(box.y, clip.y), min(box.right, clip.right) - max(box.x, clip.x),
                        min(box.bottom, clip.bottom) - max(box.y, clip.y))
            hit = [role for role, o in overlays if o.intersects(shown)]
            assert not hit, (name, i, rect, hit)
        # and, drawn: under every overlay the page layer is the plain background
        frames.page.render(i, out)
        for role, o in overlays:
            y = out.y[o.y:o.bottom, o.x:o.right]
            u = out.u[o.y // 2:o.bottom // 2, o.x // 2:o.right // 2]
            assert (y == bg[0]).all() and (u == bg[1]).all(), (name, i, role, o)


@pytest.mark.parametrize("name", ["16x9", "9x16"])
def test_an_image_page_is_framed_by_its_ink(loaded, name: str) -> None:
    ctx, layout = _scene(loaded, name, 4)
    doc: Document = layout.document
    assert doc.page is None
    ink = ink_lines(Image.fromarray(_scan()))
    assert len(ink) == 9 and ink[0][:2] == (0.1, round(60 / 1400, 5))
    x0, y0, x1, y1 = doc.view
    for a, b, c, d in ink:
        if b < y1 and y0 < d:  # a line the view shows: all of it
            assert x0 <= a and c <= x1 and y0 <= b and d <= y1, ((a, b, c, d), doc.view)
    # the highlighted box's own line (x 0.1..0.9), not just the box, is in the view
    assert x0 <= 0.1 and 0.9 <= x1


def test_passage_view_never_cuts_a_line() -> None:
    """Two columns of lines and a passage in each, in windows of every shape: the view holds every line
    it touches."""
    left = [(0.08, 0.1 + k * 0.03, 0.46, 0.12 + k * 0.03) for k in range(20)]
    right = [(0.54, 0.1 + k * 0.03, 0.92, 0.12 + k * 0.03) for k in range(20)]
    title = [(0.08, 0.04, 0.92, 0.07)]
    lines = title + left + right
    for passage in ([(0.2, 0.25, 0.3, 0.27)], [(0.6, 0.4, 0.92, 0.42), (0.54, 0.43, 0.7, 0.45)], []):
        for window in ((1440, 560), (950, 460), (900, 700), (300, 600)):
            x0, y0, x1, y1 = passage_view(lines, passage, 1.414, window, max_line=60)
            for a, b, c, d in lines:
                if a < x1 and x0 < c and b < y1 and y0 < d:
                    assert x0 <= a and c <= x1 and y0 <= b and d <= y1, (passage, window, (a, b, c, d))
            for a, b, c, d in passage:
                assert x0 <= a and c <= x1 and y0 <= b and d <= y1


def test_ink_lines_of_a_page_photographed_on_a_desk() -> None:
    """The dark desk around a photographed page is not text: the lines are the page's own."""
    photo = np.full((1000, 1600, 3), 35, np.uint8)
    photo[80:950, 400:1150] = 240  # the paper
    for k in range(10):
        y = 200 + k * 40
        photo[y:y + 18, 460:(1090 if k < 9 else 800)] = 30
    lines = ink_lines(Image.fromarray(photo))
    assert len(lines) == 10
    assert all(a == 460 / 1600 for a, *_ in lines) and lines[0][2] == 1090 / 1600 and lines[-1][2] == 800 / 1600
