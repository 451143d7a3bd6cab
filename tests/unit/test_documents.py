"""Document scenes from a generated PDF: the passage found on the text layer whatever its case,
spacing and line breaks; the nearest text shown when it is not there; and the scene moving from
the whole page to the passage, highlighted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.compose.frames import SceneFrames
from claimreel.layout.formats import get_format
from claimreel.layout.pages import DocumentProblem, PassageNotFound, find_passage, page_count
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.pipeline.checks import check_script
from claimreel.publish.transcript import transcript_entries
from claimreel.script.load import load_script
from claimreel.timeline.build import build_timeline, plan_scenes
from claimreel.captions.rules import rules_for_format

from ..conftest import SMALL_SCRIPT, make_photo
from ..media import make_pdf

pytest.importorskip("fpdf", reason="fpdf2 (the test extra) writes the test PDFs")

LONG = ("The assessment relied on official documents and interviews. The extent of the detention "
        "may constitute international crimes, in particular crimes against humanity, it concludes, "
        "and calls for further review of the policies that led to it.")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", ["Cover page.", LONG])


def test_passage_found_ignoring_case_spacing_and_line_breaks(pdf: Path) -> None:
    assert page_count(pdf) == 2
    wanted = "the extent of the DETENTION MAY CONSTITUTE international\ncrimes,   in particular crimes against humanity"
    rects = find_passage(pdf, 2, wanted)
    # the passage wraps: one box per line, in reading order, inside the page
    assert len(rects) == 2 and rects[0][1] < rects[1][1]
    assert all(0 < x0 < x1 < 1 and 0 < y0 < y1 < 0.3 for x0, y0, x1, y1 in rects)
    assert find_passage(pdf, 2, "maycon stitute international crimes") == find_passage(
        pdf, 2, "may constitute international crimes")


def test_missing_passage_names_the_nearest_text(pdf: Path) -> None:
    with pytest.raises(PassageNotFound) as caught:
        find_passage(pdf, 2, "may constitute war crimes against humanity")
    assert "crimes against humanity" in caught.value.nearest
    assert "not on the page" in caught.value.message
    with pytest.raises(DocumentProblem, match="the PDF has 2 pages, no page 3"):
        find_passage(pdf, 3, "anything")


def _script_with_document(tmp_path: Path, block: str) -> Path:
    """A workspace whose script's body ends with the document ``block`` (a YAML list item); the
    caller puts the document itself into ``assets/documents/``."""
    (tmp_path / "assets" / "documents").mkdir(parents=True)
    make_photo(tmp_path / "assets" / "photos" / "river.jpg")
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "small-check.yaml"
    script.write_text(SMALL_SCRIPT.replace("credits:\n", block + "credits:\n", 1))
    return script


def _workspace(tmp_path: Path, pdf: Path) -> Path:
    script = _script_with_document(tmp_path, """\
  - type: document
    file: assets/documents/report.pdf
    page: 2
    source: River report
    highlight: The extent of the detention may constitute international crimes, in particular crimes against humanity
    narration: The report is plain about it.
""")
    (tmp_path / "assets" / "documents" / "report.pdf").write_bytes(pdf.read_bytes())
    return script


def _yellow(rgb: np.ndarray, layout=None) -> np.ndarray:
    """Highlighter pixels (outside the scene's own elements: the accent rules are yellow too)."""
    r, g, b = (rgb[..., k].astype(int) for k in range(3))
    out = (r > 200) & (g > 170) & (b < 90)
    for el in layout.elements if layout is not None else ():
        out[el.box.y: el.box.bottom + 1, el.box.x: el.box.right + 1] = False
    return out


def test_document_scene_moves_in_and_highlights(pdf: Path, tmp_path: Path) -> None:
    loaded = load_script(_workspace(tmp_path, pdf))
    theme, book = check_script(loaded)
    fmt = get_format("16x9").preview()
    ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, loaded.script.body[3], 3, "document")
    layout = layout_scene("document", ctx)
    assert layout.document is not None and len(layout.document.rects) == 2
    assert "River report, page 2" in [e.text for e in layout.texts()]
    frames = SceneFrames(layout, fmt, theme, book, 150)
    first, last = frames.rgb(5, captions=False), frames.rgb(140, captions=False)
    mid = frames.rgb(frames.page.move_to + 3, captions=False)  # the highlighter under way
    for name, image in (("start", first), ("wipe", mid), ("end", last)):
        Image.fromarray(image).save(tmp_path / f"document-{name}.png")
    assert not _yellow(first, layout).any()  # the whole page, nothing marked yet
    assert 0 < _yellow(mid, layout).sum() < _yellow(last, layout).sum()  # the stroke grows
    # at the end the passage spans most of the width
    cols = np.where(_yellow(last, layout).any(axis=0))[0]
    assert cols.max() - cols.min() > fmt.width * 0.5
    # held frames are drawn once: the whole page and the marked page are still states
    assert frames.state_key(15) is not None and frames.state_key(140) is not None
    assert frames.state_key(15) != frames.state_key(140)
    assert frames.state_key(frames.page.move_from + 2) is None


def test_transcript_and_descriptions_say_what_is_highlighted_and_where(pdf: Path, tmp_path: Path) -> None:
    loaded = load_script(_workspace(tmp_path, pdf))
    specs = plan_scenes(loaded.script)
    fmt = get_format("16x9")
    timeline = build_timeline(specs, {}, fmt.fps, rules_for_format("16x9"))
    entry = transcript_entries(loaded.script, specs, timeline)[6]
    assert entry.heading == "Document"
    assert entry.visual[:2] == (
        "Document page: River report, page 2.",
        "Highlighted on River report, page 2: \u201cThe extent of the detention may constitute international "
        "crimes, in particular crimes against humanity\u201d",
    )


def test_an_image_page_with_a_box_highlight(tmp_path: Path) -> None:
    page = np.full((1400, 1000, 3), 250, np.uint8)
    page[400:430, 150:850] = 40  # a "line of text"
    script = _script_with_document(tmp_path, """\
  - type: document
    file: assets/documents/scan.png
    source: Scanned letter
    highlight: [0.14, 0.28, 0.86, 0.31]
""")
    Image.fromarray(page).save(tmp_path / "assets" / "documents" / "scan.png")
    loaded = load_script(script)
    theme, book = check_script(loaded)
    fmt = get_format("9x16").preview()
    ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, loaded.script.body[3], 3, "document")
    layout = layout_scene("document", ctx)
    assert layout.document is not None and layout.document.page is None
    assert layout.document.rects == ((0.14, 0.28, 0.86, 0.31),)
    assert "Scanned letter" in [e.text for e in layout.texts()]
    frames = SceneFrames(layout, fmt, theme, book, 120)
    last = frames.rgb(119, captions=False)
    Image.fromarray(last).save(tmp_path / "image-document-end.png")
    marked = _yellow(last, layout)
    assert marked.sum() > 1000
    # the marked band is where the dark line is: the highlighter multiplies, ink stays dark
    rows = np.where(marked.any(axis=1))[0]
    band = last[rows.min(): rows.max() + 1]
    assert band.min() < 80
