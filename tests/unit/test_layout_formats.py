"""Every scene of the flagship in every format: boxes inside the canvas, text and captions inside
the safe area, no text over other text (docs/standards.md, "Safe areas")."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.pipeline.segment_plan import scene_cues
from claimreel.layout.captions import caption_elements
from claimreel.layout.elements import ImageEl, RectEl
from claimreel.layout.formats import FORMATS, Box
from claimreel.narration.engines.fake import FakeEngine

from ..conftest import REPO

FLAGSHIP = REPO / "scripts" / "xinjiang-un-report.yaml"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    options = RenderOptions(formats=tuple(FORMATS), out=Path(cache / "out"), cache=cache)
    return prepare(FLAGSHIP, options, engine=FakeEngine())


def _scene_captions(prepared, fmt_name):
    """(scene index, caption elements) for every cue shown in every scene."""
    fmt, timeline = FORMATS[fmt_name], prepared.timelines[fmt_name]
    layouts = prepared.layouts[fmt_name]
    for scene, layout in zip(timeline.scenes, layouts):
        for span in scene_cues(timeline, scene):
            yield scene.index, caption_elements(span.lines, fmt, prepared.theme, prepared.book,
                                                bottom=layout.caption_bottom)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_element_inside_canvas_and_text_inside_safe_area(prepared, fmt_name):
    fmt = FORMATS[fmt_name]
    layouts = prepared.layouts[fmt_name]
    assert {lay.kind for lay in layouts} == {"title", "claim", "verdict", "photo", "narration", "quote",
                                             "fact", "credits", "clip", "document"}
    for index, layout in enumerate(layouts):
        texts = layout.texts()
        assert texts, layout.kind
        for el in layout.elements:
            assert el.box.w > 0 and el.box.h > 0, (index, el.role)
            assert fmt.canvas.contains(el.box), (index, layout.kind, el.role, el.box)
        for el in texts:
            assert fmt.safe.contains(el.box), (index, layout.kind, el.role, el.box, fmt.safe)
            # The box is as wide as the widest drawn line: measure it.
            font = prepared.book.font(el.weight, el.size)
            assert max(font.getlength(line) for line in el.lines) <= el.box.w + 1, (index, el.role)
            assert el.line_height * len(el.lines) <= el.box.h + 1, (index, el.role)
        marks = [e for e in layout.elements if e.role in ("outlet-logo", "outlet-mark")]
        assert marks, (index, layout.kind)  # the outlet's logo or name on every scene
        for el in marks:
            assert fmt.safe.contains(el.box), (index, layout.kind, el.role, el.box)
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                assert not a.box.intersects(b.box), (index, layout.kind, a.role, b.role)
        for logo in (e for e in layout.elements if e.role == "outlet-logo"):
            assert not any(t.box.intersects(logo.box) for t in texts), (index, layout.kind)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_captions_inside_safe_area_and_clear_of_scene_text(prepared, fmt_name):
    fmt = FORMATS[fmt_name]
    layouts = prepared.layouts[fmt_name]
    checked = 0
    for index, elements in _scene_captions(prepared, fmt_name):
        layout = layouts[index]
        scene_text = [e.box for e in layout.texts()]
        panels = [e.box for e in layout.elements if isinstance(e, RectEl) and e.role == "lower-third"]
        for el in elements:
            assert fmt.safe.contains(el.box), (index, layout.kind, el.role, el.box, fmt.safe)
            for other in scene_text + panels:
                assert not el.box.intersects(other), (index, layout.kind, el.box, other)
            checked += 1
    assert checked > 50


def test_nine_by_sixteen_text_is_in_the_reels_zone(prepared):
    """The 9:16 zone: x 65..1015, y 270..1248, whatever the Format object says."""
    zone = Box(65, 270, 950, 978)
    for layout in prepared.layouts["9x16"]:
        for el in layout.texts():
            assert zone.contains(el.box), (layout.kind, el.role, el.box)
    for _, elements in _scene_captions(prepared, "9x16"):
        for el in elements:
            assert zone.contains(el.box), el.box


def test_stacked_claim_puts_the_speaker_above_the_quote(prepared):
    for name in ("9x16", "1x1", "4x5"):
        claim = next(lay for lay in prepared.layouts[name] if lay.kind == "claim")
        roles = {e.role: e.box for e in claim.elements}
        portrait = roles.get("monogram") or roles["speaker-photo"]
        assert portrait.bottom <= roles["claim-quote"].y, name
        assert roles["speaker-name"].bottom <= roles["claim-quote"].y, name
    wide = next(lay for lay in prepared.layouts["16x9"] if lay.kind == "claim")
    roles = {e.role: e.box for e in wide.elements}
    assert roles["speaker-name"].right <= roles["claim-quote"].x


def test_photos_fill_every_frame_around_their_focus(prepared):
    script = prepared.script
    for name in FORMATS:
        for layout in prepared.layouts[name]:
            if layout.kind == "photo":
                block = next(b for b in script.body if getattr(b, "image", None)
                             and prepared.loaded.assets[b.image] == layout.photo.path)
                assert layout.photo.focus == block.focus
            for el in layout.elements:
                assert not isinstance(el, ImageEl) or fmt_inside(name, el.box)


def fmt_inside(name: str, box: Box) -> bool:
    return FORMATS[name].canvas.contains(box)


def test_text_sizes_follow_the_canvas(prepared):
    """The claim quote in every format stays at a readable size (>= 40 px at 1080 short side); tall
    formats may set it larger (their type scale)."""
    for name in FORMATS:
        claim = next(lay for lay in prepared.layouts[name] if lay.kind == "claim")
        quote = next(e for e in claim.texts() if e.role == "claim-quote")
        assert 40 * FORMATS[name].unit <= quote.size <= 64 * FORMATS[name].card_unit, (name, quote.size)
