"""The corner mark over a picture sits on its own plate: the pixels under it are the plate's, whatever
the photo, and the mark's contrast is measured against the plate (docs/standards.md, "Overlays and
the picture's text")."""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
import pytest

from claimreel.compose.frames import SceneFrames, _KenBurns
from claimreel.layout.cover import cover_box, upright_size
from claimreel.layout.elements import ImageEl
from claimreel.layout.formats import FORMATS, Box
from claimreel.layout.plate import LOGO_CONTRAST, NAME_CONTRAST, logo_ink
from claimreel.layout.text import FontBook
from claimreel.layout.theme import contrast_ratio, load_theme
from claimreel.pipeline.layouts import layout_all
from claimreel.script.load import load_text

from ..conftest import REPO

FLAGSHIP = REPO / "scripts" / "xinjiang-un-report.yaml"
LOGO_LINE = "  logo: assets/logos/polygraph-wordmark.png\n"
OTHER_PHOTO = REPO / "assets" / "photos" / "mosque.jpg"
FRAME = 100  # after the fade in, before the fade out


def _flagship(logo: bool):
    text = FLAGSHIP.read_text(encoding="utf-8")
    if logo:
        text = text.replace("  url: https://www.polygraph.info\n", "  url: https://www.polygraph.info\n" + LOGO_LINE, 1)
    return load_text(text, filename=str(FLAGSHIP), root=REPO, check_assets=True)


@pytest.fixture(scope="module")
def marks():
    """The flagship laid out in every format, with the stand-in wordmark and with the outlet's name."""
    theme = load_theme("default")
    book = FontBook(theme.fonts, theme.fallbacks)
    return {mark: layout_all(_flagship(mark == "logo"), theme, book, list(FORMATS)) for mark in ("logo", "name")}, \
        theme, book


def _one(layout, role):
    (el,) = [e for e in layout.elements if e.role == role]
    return el


def _full_bleed(layouts):
    return [lay for lay in layouts if lay.photo is not None or lay.clip is not None]


def _frame(layout, fmt, theme, book, photo=None) -> np.ndarray:
    if photo is not None:
        layout = dataclasses.replace(layout, photo=dataclasses.replace(layout.photo, path=photo))
    frames = SceneFrames(layout, fmt, theme, book, 150)
    try:
        return frames.rgb(FRAME, captions=False).astype(int)
    finally:
        frames.close()


def _plate_mask(plate: Box, radius: int) -> np.ndarray:
    """The plate's pixels less its rounded corners and a 2 px edge (chroma is shared with the
    neighbouring pixel in yuv420p)."""
    mask = np.zeros((plate.h, plate.w), bool)
    mask[2:-2, 2:-2] = True
    corner = radius + 2
    for ys in (slice(0, corner), slice(-corner, None)):
        for xs in (slice(0, corner), slice(-corner, None)):
            mask[ys, xs] = False
    return mask


@pytest.mark.parametrize("mark", ["logo", "name"])
@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_pixels_under_the_mark_are_the_plate_not_the_photo(marks, fmt_name, mark):
    layouts, theme, book = marks
    fmt = FORMATS[fmt_name]
    photo_scene = next(lay for lay in layouts[mark][fmt_name] if lay.kind == "photo")
    mark_el = _one(photo_scene, "outlet-logo" if mark == "logo" else "outlet-mark")
    first = _frame(photo_scene, fmt, theme, book)
    second = _frame(photo_scene, fmt, theme, book, photo=OTHER_PHOTO)
    box = mark_el.box  # under the mark (a logo's transparent corners, the name's letter spaces): no photo
    under = (slice(box.y + 2, box.bottom - 2), slice(box.x + 2, box.right - 2))
    assert np.abs(first[under] - second[under]).max() <= 2
    plate = _one(photo_scene, "mark-plate").box
    assert plate.contains(mark_el.box) and fmt.safe.contains(plate)
    region = (slice(plate.y, plate.bottom), slice(plate.x, plate.right))
    mask = _plate_mask(plate, round(6 * fmt.unit))
    assert np.abs(first[region] - second[region])[mask].max() <= 2  # another photo, the same pixels
    # The ring around the mark is the plate's colour; the mark's contrast is measured against it.
    ring = mask.copy()
    inner = mark_el.box
    ring[inner.y - plate.y - 2: inner.bottom - plate.y + 2, inner.x - plate.x - 2: inner.right - plate.x + 2] = False
    assert ring.sum() > 100
    seen = np.median(first[region][ring], axis=0)
    plate_hex = "#%02x%02x%02x" % tuple(int(round(v)) for v in seen)
    if mark == "logo":
        assert isinstance(mark_el, ImageEl)
        assert contrast_ratio(logo_ink(mark_el.path), plate_hex) >= LOGO_CONTRAST
    else:
        assert contrast_ratio(mark_el.color, plate_hex) >= NAME_CONTRAST


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_full_bleed_scene_has_the_plate_clear_of_the_lower_third(marks, fmt_name):
    layouts, _theme, _book = marks
    fmt = FORMATS[fmt_name]
    for mark, role in (("logo", "outlet-logo"), ("name", "outlet-mark")):
        scenes = _full_bleed(layouts[mark][fmt_name])
        assert {lay.kind for lay in scenes} >= {"photo", "clip"}
        for lay in scenes:
            plate = _one(lay, "mark-plate")
            assert plate.opacity == 1.0 and plate.layer == "chrome"
            assert plate.box.contains(_one(lay, role).box) and fmt.safe.contains(plate.box), lay.kind
            panel = _one(lay, "lower-third").box
            assert not panel.intersects(plate.box), (lay.kind, panel, plate.box)
            # Nothing of the scene's own is drawn over the plate.
            others = [e for e in lay.elements if e.layer != "chrome"]
            assert not any(e.box.intersects(plate.box) for e in others), lay.kind


def test_cards_keep_the_mark_in_the_same_place_without_a_plate(marks):
    layouts, _theme, _book = marks
    for fmt_name, scenes in layouts["logo"].items():
        scenes = [lay for lay in scenes if lay.kind != "end"]  # the end card shows the logo large instead
        places = {_one(lay, "outlet-logo").box for lay in scenes}
        assert len(places) == 1, fmt_name  # the mark does not jump between cards and pictures
        cards = [lay for lay in scenes if lay.photo is None and lay.clip is None and lay.kind != "document"]
        assert cards and not any(e.role == "mark-plate" for lay in cards for e in lay.elements)


def _standins():
    """The stand-in photos' generator (assets/photos/make_standins.py), for where each one's mark is."""
    folder = str(REPO / "assets" / "photos")
    sys.path.insert(0, folder)
    try:
        import make_standins
        from standins.finish import mark_box
    finally:
        sys.path.remove(folder)
    return make_standins.SCENES, mark_box


def _on_screen(layout, fmt, rect, t: float) -> Box:
    """An image rectangle ``(x, y, w, h)`` of a cover-fitted photo where the slow zoom draws it at ``t``."""
    burns = _KenBurns(layout.photo, fmt.width, fmt.height)
    src = upright_size(layout.photo.path)
    bw, _bh, left, top = cover_box(src, burns.size, layout.photo.focus)
    k = bw / src[0]
    s, tx, ty = burns.matrix(t)
    x0, y0 = s * (rect[0] * k - left) + tx, s * (rect[1] * k - top) + ty
    return Box(round(x0), round(y0), round(s * rect[2] * k), round(s * rect[3] * k))


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_stand_in_label_of_each_photo_stays_clear_of_the_mark_and_lower_third(marks, fmt_name):
    layouts, _theme, _book = marks
    fmt = FORMATS[fmt_name]
    scenes, mark_box = _standins()
    checked = 0
    for lay in layouts["logo"][fmt_name]:
        if lay.photo is None or lay.photo.fit != "cover" or lay.photo.path.stem not in scenes:
            continue
        label = mark_box(upright_size(lay.photo.path), *scenes[lay.photo.path.stem][2:])
        plate, panel = _one(lay, "mark-plate").box, _one(lay, "lower-third").box
        for t in np.linspace(0.0, 1.0, 11):
            shown = _on_screen(lay, fmt, label, float(t))
            assert not shown.intersects(plate), (lay.photo.path.name, t, shown, plate)
            assert not shown.intersects(panel), (lay.photo.path.name, t, shown, panel)
        checked += 1
    assert checked >= 4


def test_a_logo_no_plate_colour_reads_on_is_reported(tmp_path):
    from PIL import Image

    from claimreel.layout.plate import logo_plate_problem

    grey = tmp_path / "grey-logo.png"
    Image.new("RGBA", (200, 50), (122, 122, 122, 255)).save(grey)
    # A theme whose text and background pass 4.5:1 between them, with a mid grey no plate of theirs
    # takes to 3:1.
    colors = {"background": "#3a3a3a", "surface": "#3a3a3a", "text": "#c8c8c8"}
    message = logo_plate_problem(colors, "greys", grey, "s.yaml: outlet.logo")
    assert message is not None and message.startswith("s.yaml: outlet.logo: the logo grey-logo.png (main colour #7a7a7a)")
    assert "'greys'" in message and "below 3.0:1" in message
    wordmark = REPO / "assets" / "logos" / "polygraph-wordmark.png"
    assert logo_plate_problem(load_theme("default").colors, "default", wordmark, "x") is None
    assert logo_plate_problem(load_theme("light").colors, "light", wordmark, "x") is None


def _footage_label() -> Box:
    """Where the stand-in footage's mark is in its 1280x720 frames (assets/clips/make_standin.py)."""
    from PIL import Image, ImageDraw, ImageFont

    folder = str(REPO / "assets" / "clips")
    sys.path.insert(0, folder)
    try:
        import make_standin
    finally:
        sys.path.remove(folder)
    draw = ImageDraw.Draw(Image.new("RGB", (make_standin.W, make_standin.H)))
    left, top, right, bottom = make_standin.mark_box(draw, ImageFont.truetype(str(make_standin.FONT),
                                                                              make_standin.MARK_SIZE))
    return Box(round(left), round(top), round(right - left), round(bottom - top))


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_stand_in_footage_label_stays_clear_of_the_mark_and_lower_third(marks, fmt_name):
    layouts, _theme, _book = marks
    fmt = FORMATS[fmt_name]
    label = _footage_label()
    clips = [lay for lay in layouts["logo"][fmt_name] if lay.clip is not None]
    assert clips
    for lay in clips:
        assert lay.clip.path.name == "assembly-hall.mp4"
        w, _h, left, top = cover_box((1280, 720), (fmt.width, fmt.height), lay.clip.focus)
        k = w / 1280
        shown = Box(round(label.x * k - left), round(label.y * k - top), round(label.w * k), round(label.h * k))
        assert fmt.canvas.contains(shown), (lay.kind, shown)  # the crop keeps all of it
        for role in ("mark-plate", "lower-third"):
            assert not shown.intersects(_one(lay, role).box), (lay.kind, role, shown)


def test_the_logo_check_leaves_a_broken_logo_to_the_asset_checks(tmp_path):
    from claimreel.pipeline.checks import check_contrast

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"GIF89a broken")
    text = FLAGSHIP.read_text(encoding="utf-8").replace(
        "  url: https://www.polygraph.info\n", "  url: https://www.polygraph.info\n  logo: assets/logo.png\n", 1)
    loaded = load_text(text, filename="s.yaml", root=tmp_path, check_assets=False)
    check_contrast(dataclasses.replace(loaded, assets={"assets/logo.png": tmp_path / "assets" / "logo.png"}),
                   load_theme("default"))  # no crash: the asset checks name the broken file
