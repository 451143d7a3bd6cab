"""Portrait photos in landscape frames: shown whole on a blurred fill of themselves, not cut to a band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.compose.frames import Motion, SceneFrames
from claimreel.layout.cover import contain_box, cover_kept, focus_in_fit
from claimreel.layout.formats import FORMATS
from claimreel.pipeline.checks import check_script
from claimreel.pipeline.layouts import layout_all
from claimreel.script.load import load_script

from ..conftest import SMALL_SCRIPT, make_workspace

RED, BLUE, GREY = (220, 30, 30), (30, 60, 220), (128, 128, 128)


def _portrait(path: Path, size=(600, 900)) -> Path:
    """A tall test photo: a red band at the top, a blue band at the bottom, grey between."""
    w, h = size
    rgb = np.full((h, w, 3), GREY, np.uint8)
    rgb[: h // 10] = RED
    rgb[-h // 10:] = BLUE
    Image.fromarray(rgb).save(path, quality=95)
    return path


def _photo_scene(tmp_path, extra: str = "", formats=("16x9",)):
    script = make_workspace(tmp_path, SMALL_SCRIPT.replace(
        "    description: A wide river under a cloudy sky.\n",
        f"    description: A wide river under a cloudy sky.\n{extra}"))
    _portrait(tmp_path / "assets" / "photos" / "river.jpg")
    loaded = load_script(script)
    theme, book = check_script(loaded)
    layouts = layout_all(loaded, theme, book, list(formats))
    return {name: next(lay for lay in scenes if lay.kind == "photo") for name, scenes in layouts.items()}, theme, book


def test_the_share_a_cover_crop_keeps():
    assert cover_kept((600, 900), (1920, 1080)) == pytest.approx(600 * 1080 / 1920 / 900, abs=1e-3)  # 37.5%
    assert cover_kept((1920, 1080), (1920, 1080)) == 1.0
    assert contain_box((600, 900), (1920, 1080)) == (720, 1080, 600, 0)
    assert focus_in_fit((600, 900), (1920, 1080), (0.5, 0.1), "contain") == (960.0, 108.0)


def test_a_portrait_photo_is_contained_in_16x9_and_cropped_in_9x16(tmp_path):
    scenes, _, _ = _photo_scene(tmp_path, formats=("16x9", "9x16", "1x1"))
    assert scenes["16x9"].photo.fit == "contain"  # a cover crop would keep 37.5% of it
    assert scenes["9x16"].photo.fit == "cover" and scenes["1x1"].photo.fit == "cover"


def test_a_block_chooses_its_fit(tmp_path):
    scenes, _, _ = _photo_scene(tmp_path / "a", "    fit: cover\n", ("16x9",))
    assert scenes["16x9"].photo.fit == "cover"
    scenes, _, _ = _photo_scene(tmp_path / "b", "    fit: contain\n", ("9x16",))
    assert scenes["9x16"].photo.fit == "contain"


def test_contain_shows_the_whole_photo_on_a_darker_blurred_fill(tmp_path):
    scenes, theme, book = _photo_scene(tmp_path)
    fmt = FORMATS["16x9"]
    frames = SceneFrames(scenes["16x9"], fmt, theme, book, 60, motion=Motion(enter=0, exit=0, photo_fade=0))
    first = frames.rgb(0, captions=False).astype(int)
    photo_x = slice(620, 1300)  # the contained photo spans x 600..1320 at the first frame
    top, bottom = first[20:90, photo_x].mean(axis=(0, 1)), first[1034:1076, photo_x].mean(axis=(0, 1))
    assert np.abs(top - RED).sum() < 60, top  # the photo's top band is on screen...
    assert np.abs(bottom - BLUE).sum() < 60, bottom  # ...and so is its bottom band: nothing cropped
    fill = first[400:700, 80:400].mean(axis=(0, 1))
    assert fill.max() < 0.6 * max(GREY)  # the sides: the photo's own fill, darkened
    blurred = first[40:110, 80:400].std(axis=0).mean()
    assert blurred < 25  # and blurred (no hard band edges)


def test_a_workers_next_piece_reuses_the_decoded_photo_until_the_file_changes(tmp_path):
    import os

    from claimreel.compose.frames import _KenBurns
    from claimreel.layout.elements import Photo

    path = tmp_path / "p.png"
    Image.new("RGB", (320, 180), (200, 40, 40)).save(path)
    photo = Photo(path, (0.5, 0.5))
    first, second = _KenBurns(photo, 160, 90), _KenBurns(photo, 160, 90)
    assert second.ysrc is first.ysrc and not first.ysrc.flags.writeable, "decoded once, shared read-only"
    Image.new("RGB", (320, 180), (40, 40, 200)).save(path)  # replaced in place
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 1_000_000))
    third = _KenBurns(photo, 160, 90)
    assert third.ysrc is not first.ysrc and not np.array_equal(third.usrc, first.usrc)
