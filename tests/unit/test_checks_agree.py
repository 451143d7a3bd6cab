"""One check decides each problem, and every command reports it in the same words: a PDF named as
a photo's image (once, on the photo block, with the fix in the script's terms), and a quote too
long for its card (``lint`` as ``validate``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimreel
from claimreel.cli import main
from claimreel.errors import ScriptError

from ..conftest import SMALL_SCRIPT, make_workspace
from ..media import make_pdf

pytest.importorskip("fpdf", reason="fpdf2 (the test extra) writes the test PDFs")

DOCUMENT = """\
  - type: document
    file: assets/documents/report.pdf
    page: 1
    source: River report
    narration: The report says so.
"""


def _pdf_workspace(root: Path, document_first: bool) -> Path:
    text = SMALL_SCRIPT.replace("image: assets/photos/river.jpg", "image: assets/documents/report.pdf")
    if document_first:
        text = text.replace("body:\n", "body:\n" + DOCUMENT, 1)
    else:
        text = text.replace("credits:\n", DOCUMENT + "credits:\n", 1)
    script = make_workspace(root, text)
    (root / "assets" / "documents").mkdir()
    make_pdf(root / "assets" / "documents" / "report.pdf", ["The river was running on April 30."])
    return script


@pytest.mark.parametrize("document_first", [False, True])
def test_a_pdf_as_a_photo_is_reported_once_on_the_photo_block(tmp_path, document_first):
    script = _pdf_workspace(tmp_path, document_first)
    photo = 1 if document_first else 0
    errors = [f for f in claimreel.validate(script) if f.severity == "error"]
    assert [(f.path, f.message) for f in errors] == [
        (f"body.{photo}.image", "this is a PDF document, not a picture")]
    (finding,) = errors
    assert "type: document" in finding.hint
    assert not any(name in str(finding) for name in ("PIL", "Pillow", "pypdfium2", "PDFium"))
    with pytest.raises(ScriptError) as caught:
        claimreel.load_script(script)
    assert str(caught.value) == str(finding)


def test_a_video_as_a_photo_says_what_it_is(tmp_path):
    script = make_workspace(tmp_path, SMALL_SCRIPT.replace("river.jpg", "river.mp4"))
    (tmp_path / "assets" / "photos" / "river.mp4").write_bytes(b"\x00\x00\x00\x20ftypisom" + bytes(64))
    (finding,) = [f for f in claimreel.validate(script) if f.severity == "error"]
    assert finding.message == "this is a video file, not a picture" and "type: clip" in finding.hint


@pytest.fixture(scope="module")
def long_quote(tmp_path_factory) -> Path:
    """A quote under the field's length cap that no card can hold even at its smallest size."""
    words = " ".join(["Every single word of this quotation keeps going on and on about the river"] * 15)
    return make_workspace(tmp_path_factory.mktemp("long"),
                          SMALL_SCRIPT.replace("quote: The river is dry.", f"quote: The river is dry. {words}"))


def test_lint_reports_a_quote_too_long_for_its_card_as_validate_does(long_quote, tmp_path, capsys):
    (finding,) = [f for f in claimreel.validate(long_quote) if f.severity == "error"]
    assert finding.path == "claim.quote" and "does not fit its place on screen" in finding.message
    assert main(["lint", str(long_quote), "--cache", str(tmp_path / "cache")]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [str(finding)]
    assert "cue" not in captured.out  # no caption findings for a script that cannot render
