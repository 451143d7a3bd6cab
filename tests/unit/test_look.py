"""The outlet's logo as corner mark, on-screen words in the script's language, tall photo scenes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.compose.frames import _KenBurns
from claimreel.compose.layers import draw_elements
from claimreel.errors import ClaimreelError, ScriptError
from claimreel.pipeline.layouts import layout_all
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.layout.elements import ImageEl, Photo, TextEl
from claimreel.layout.formats import FORMATS, Box
from claimreel.layout.scenes.base import SceneContext
from claimreel.layout.scenes.photo import focus_on_screen
from claimreel.layout.text import FontBook
from claimreel.layout.theme import load_theme, themes_root
from claimreel.narration.engines.fake import FakeEngine
from claimreel.script.load import load_script, load_text

from ..conftest import REPO, glyph_offset

ZH = REPO / "scripts" / "xinjiang-un-report-zh.yaml"
UG = REPO / "scripts" / "xinjiang-un-report-ug.yaml"
LOGO = REPO / "assets" / "logos" / "polygraph-wordmark.png"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The Chinese and Uyghur examples laid out in every format."""
    out = {}
    for path in (ZH, UG):
        cache = tmp_path_factory.mktemp(path.stem)
        out[path.stem] = prepare(path, RenderOptions(formats=tuple(FORMATS), out=cache / "out", cache=cache),
                                 engine=FakeEngine())
    return out


def _by_role(layout, role):
    return [e for e in layout.elements if e.role == role]


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_logo_is_the_corner_mark_on_every_scene_inside_the_safe_area(world, fmt_name):
    fmt = FORMATS[fmt_name]
    w, h = Image.open(LOGO).size
    for prepared in world.values():
        for layout in prepared.layouts[fmt_name]:
            (logo,) = _by_role(layout, "outlet-logo")
            assert isinstance(logo, ImageEl) and logo.path == LOGO.resolve() and logo.layer == "chrome"
            assert logo.box.h == round(48 * fmt.unit)  # the theme's logo height
            assert abs(logo.box.w / logo.box.h - w / h) < 0.02  # its own aspect ratio
            assert fmt.safe.contains(logo.box), (layout.kind, logo.box)
            # Top left corner, inset by its plate's padding; top right for the right-to-left (mirrored)
            # Uyghur script. The same place on every scene, whether its plate is drawn or not.
            pad = round(10 * fmt.unit)
            corner = fmt.safe.right - pad - logo.box.w if prepared.script.language.startswith("ug") else fmt.safe.x + pad
            assert (logo.box.x, logo.box.y) == (corner, fmt.safe.y + pad)
            plates = _by_role(layout, "mark-plate")
            assert len(plates) == (layout.kind in ("photo", "clip", "document") or layout.photo is not None
                                   or layout.clip is not None)
            for plate in plates:  # the plate holds the logo with its padding, inside the safe area
                assert fmt.safe.contains(plate.box) and plate.opacity == 1.0 and plate.layer == "chrome"
                assert (plate.box.w, plate.box.h) == (logo.box.w + 2 * pad, logo.box.h + 2 * pad)
                assert plate.box.x + pad == logo.box.x and plate.box.y + pad == logo.box.y
            assert not _by_role(layout, "outlet-mark")  # the name mark gives way to the logo
            for el in layout.texts():
                assert fmt.safe.contains(el.box), (layout.kind, el.role)
                assert not el.box.intersects(logo.box), (layout.kind, el.role)
            texts = layout.texts()
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    assert not a.box.intersects(b.box), (layout.kind, a.role, b.role)


def test_logo_is_drawn_with_its_colours(world):
    layout = world[ZH.stem].layouts["16x9"][1]
    (logo,) = _by_role(layout, "outlet-logo")
    img = np.asarray(draw_elements([logo], (1920, 1080), world[ZH.stem].book))
    patch = img[logo.box.y: logo.box.bottom, logo.box.x: logo.box.right]
    assert patch[..., 3].mean() > 200  # opaque badge
    gold = (patch[..., 0] > 200) & (patch[..., 1] > 160) & (patch[..., 2] < 120)
    assert gold.sum() > 100  # the gold tile and ".info" of the wordmark


def _theme_with(tmp_path, logo: bytes | None, extra: str = "") -> Path:
    root = tmp_path / "themes"
    shutil.copytree(themes_root() / "default", root / "brand")
    theme = root / "brand" / "theme.yaml"
    text = theme.read_text(encoding="utf-8").replace("../../fonts/", str(REPO / "assets" / "fonts") + "/")
    text = text.replace("name: default", "name: brand")
    if logo is not None:
        (root / "brand" / "logo.png").write_bytes(logo)
        text = text.replace("logo: {height: 48}", "logo: {file: logo.png, height: 60}")
    theme.write_text(text + extra, encoding="utf-8")
    return root


def test_theme_logo_is_used_when_the_script_has_none(tmp_path):
    root = _theme_with(tmp_path, LOGO.read_bytes())
    theme = load_theme("brand", root)
    loaded = load_script(REPO / "scripts" / "xinjiang-un-report.yaml")
    book = FontBook(theme.fonts, theme.fallbacks)
    layouts = layout_all(loaded, theme, book, ["9x16"])["9x16"]
    for layout in layouts:
        (logo,) = _by_role(layout, "outlet-logo")
        assert logo.path == theme.logo and logo.box.h == 60


def test_corrupt_theme_logo_names_the_file(tmp_path):
    root = _theme_with(tmp_path, b"\x89PNG\r\n\x1a\n not really a png")
    with pytest.raises(ClaimreelError) as info:
        load_theme("brand", root)
    assert info.value.exit_code == 2
    assert "logo.file" in str(info.value) and str(root / "brand" / "logo.png") in str(info.value)


def test_corrupt_script_logo_names_the_file(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"GIF89a broken")
    text = ZH.read_text(encoding="utf-8").replace("assets/logos/polygraph-wordmark.png", "assets/logo.png")
    with pytest.raises(ScriptError) as info:
        load_text(text, filename="zh.yaml", root=tmp_path, check_assets=True)
    assert info.value.exit_code == 2
    # The loader's convention: script file, line and column of the `logo:` value, the field, the fix.
    assert str(info.value).startswith("zh.yaml:11:9: outlet.logo: not an image file (JPEG, PNG, WebP, GIF, TIFF or BMP)")


# -- labels ----------------------------------------------------------------------------------------

def _texts(layout):
    return {e.role: e.text for e in layout.texts()}


def test_chinese_example_shows_chinese_labels(world):
    layouts = {lay.kind: lay for lay in world[ZH.stem].layouts["16x9"]}
    assert _texts(layouts["title"])["kicker"] == "事实核查"
    assert _texts(layouts["title"])["date"] == "2022年9月23日"
    assert _texts(layouts["claim"])["label"] == "说法"
    assert _texts(layouts["claim"])["claim-date"] == "2022年9月21日"
    verdict = _texts(layouts["verdict"])
    assert (verdict["label"], verdict["rating-label"], verdict["verdict-claimant"]) == ("我们的结论", "错误",
                                                                                       "汪文斌的说法")
    credits = _texts(layouts["credits"])
    assert credits["credits-heading"] == "制作人员" and credits["sources-heading"] == "资料来源"


def test_uyghur_example_shows_uyghur_labels_right_aligned(world):
    for fmt_name in ("16x9", "9x16"):
        layouts = {lay.kind: lay for lay in world[UG.stem].layouts[fmt_name]}
        verdict = {e.role: e for e in layouts["verdict"].texts()}
        assert verdict["label"].text == "بىزنىڭ خۇلاسىمىز" and verdict["label"].align == "right"
        assert verdict["rating-label"].text == "يالغان"
        claim = {e.role: e for e in layouts["claim"].texts()}
        assert claim["label"].text == "دەۋا" and claim["label"].align == "right"
        assert claim["claim-date"].text == "2022-يىلى 9-ئاينىڭ 21-كۈنى"
        assert _texts(layouts["credits"])["credits-heading"] == "ئىشلىگۈچىلەر"


def _ink(book, text, weight="bold", size=64, width=900):
    el = TextEl(Box(10, 10, width - 20, 100), (text,), weight, size, 100, "#ffffff")
    return np.asarray(draw_elements([el], (width, 120), book))[..., 3] > 0


def test_chinese_verdict_label_is_bold_and_in_order(world):
    book = world[ZH.stem].book
    (font, text, _), = book.runs("bold", 104, "错误")
    assert font.path.endswith("NotoSansSC-Bold.otf") and text == "错误"
    line = _ink(book, "我们的结论", "semibold")
    xs = [glyph_offset(line, _ink(book, ch, "semibold"))[0] for ch in "我们的结论"]
    assert xs == sorted(xs) and len(set(xs)) == 5


def test_uyghur_date_orders_numbers_right_to_left(world):
    """In "2022-يىلى 9-ئاينىڭ 21-كۈنى" the year is the rightmost thing drawn, the day number the leftmost."""
    book = world[UG.stem].book
    text = "2022-يىلى 9-ئاينىڭ 21-كۈنى"
    runs = book.runs("regular", 40, text)
    assert [(t, d) for _, t, d in runs] == [(text, "rtl")]  # one run: bidi orders the digits inside it
    line = _ink(book, text, "regular")
    year, _ = glyph_offset(line, _ink(book, "2022", "regular"))
    day, _ = glyph_offset(line, _ink(book, "21", "regular"))
    month, _ = glyph_offset(line, _ink(book, "9", "regular"))
    assert day < month < year


def test_script_labels_and_verdict_label_override_the_theme():
    text = ZH.read_text(encoding="utf-8").replace(
        'rating: "False"', 'rating: "False"\n  label: 不实').replace(
        "theme: default", "theme: default\nlabels:\n  claim: 原话\n  verdict: 核查结果")
    loaded = load_text(text, filename="zh.yaml", root=REPO)
    theme = load_theme("default")
    book = FontBook(theme.fonts, theme.fallbacks)
    layouts = {lay.kind: lay for lay in layout_all(loaded, theme, book, ["16x9"])["16x9"]}
    assert _texts(layouts["claim"])["label"] == "原话"
    assert _texts(layouts["verdict"])["label"] == "核查结果"
    assert _texts(layouts["verdict"])["rating-label"] == "不实"
    assert _texts(layouts["credits"])["credits-heading"] == "制作人员"  # the rest from the theme


def test_unknown_script_label_key_is_an_error_naming_the_allowed_keys():
    text = ZH.read_text(encoding="utf-8") + "labels:\n  verdikt: 结论\n"
    with pytest.raises(ScriptError) as info:
        load_text(text, filename="zh.yaml", root=REPO)
    message = str(info.value)
    assert info.value.exit_code == 2 and "labels" in message and "'verdikt'" in message
    assert "allowed: claim, verdict, fact_check, credits, sources, claim_by, source, date" in message


def test_unknown_theme_label_key_is_an_error(tmp_path):
    root = _theme_with(tmp_path, None)
    theme = root / "brand" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("    sources: 资料来源\n",
                                                                 "    sources: 资料来源\n    soruces: x\n"))
    with pytest.raises(ClaimreelError) as info:
        load_theme("brand", root)
    assert ":14: labels.zh.soruces: unknown label key 'soruces' (allowed: claim, verdict" in str(info.value)


def test_english_scripts_keep_the_english_words():
    loaded = load_script(REPO / "scripts" / "xinjiang-un-report.yaml")
    labels = load_theme("default").labels_for(loaded.script)
    assert (labels["claim"], labels["verdict"], labels.rating("False")) == ("THE CLAIM", "OUR VERDICT", "False")
    assert labels.date(loaded.script.published) == "23 September 2022"


# -- tall photo scenes ---------------------------------------------------------------------------

def test_focus_point_lands_where_layout_says_it_does(tmp_path):
    """A dot painted at the focus point of a 3:2 photo is drawn where focus_on_screen puts it."""
    focus = (0.7, 0.3)
    img = np.full((1000, 1500, 3), 90, np.uint8)
    y, x = round(focus[1] * 1000), round(focus[0] * 1500)
    img[y - 6: y + 6, x - 6: x + 6] = (255, 0, 0)
    path = tmp_path / "dot.png"
    Image.fromarray(img).save(path)
    theme = load_theme("default")
    loaded = load_script(ZH)
    for name in ("9x16", "4x5", "16x9"):
        fmt = FORMATS[name]
        ctx = SceneContext(loaded.script, fmt, theme, FontBook(theme.fonts, theme.fallbacks))
        photo = Photo(path, focus, zoom_to=1.12)
        burns = _KenBurns(photo, fmt.width, fmt.height)
        for t in (0.0, 1.0):
            from claimreel.compose.yuv import planes_to_rgb, solid_planes

            planes = solid_planes(fmt.width, fmt.height, (0, 0, 0))
            burns.render(t, planes)
            rgb = planes_to_rgb(planes.buf, fmt.width, fmt.height)
            red = np.argwhere((rgb[..., 0] > 180) & (rgb[..., 1] < 90))
            assert len(red), (name, t)
            cy, cx = red.mean(0)
            fx, fy = focus_on_screen(ctx, photo, t)
            assert abs(cx - fx) < 4 and abs(cy - fy) < 4, (name, t, (cx, cy), (fx, fy))


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_big_jpeg_decoded_at_a_reduced_scale_matches_the_full_decode(tmp_path, orientation):
    """load_photo decodes a JPEG at the smallest DCT scale that still covers the frame: the same
    picture as decoding it whole, turned the same way (EXIF), the red dot in the same place."""
    from PIL import ImageOps

    from claimreel.compose.layers import load_photo

    yy, xx = np.mgrid[0:1800, 0:3000]
    img = np.stack([xx * 255 // 3000, yy * 255 // 1800, np.full_like(xx, 90)], axis=2).astype(np.uint8)
    img[880:920, 2080:2120] = (255, 0, 0)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "big.jpg"
    Image.fromarray(img).save(path, quality=92, exif=exif)
    size = (620, 1100) if orientation == 6 else (1100, 620)  # a half-size draft's zoom source
    got = load_photo(path, size, (0.5, 0.5)).astype(np.int16)
    with Image.open(path) as full:
        upright = ImageOps.exif_transpose(full).convert("RGB")
    scale = max(size[0] / upright.width, size[1] / upright.height)
    w, h = max(size[0], round(upright.width * scale)), max(size[1], round(upright.height * scale))
    left, top = (w - size[0]) // 2, (h - size[1]) // 2
    want = np.asarray(upright.resize((w, h), Image.Resampling.LANCZOS).crop(
        (left, top, left + size[0], top + size[1]))).astype(np.int16)
    assert got.shape == want.shape == (size[1], size[0], 3)
    assert np.abs(got - want).mean() < 2.0
    red = lambda a: np.argwhere((a[..., 0] > 200) & (a[..., 1] < 80)).mean(0)  # noqa: E731
    assert np.abs(red(got) - red(want)).max() < 1.5


def test_tall_photo_text_keeps_clear_of_the_focus_point():
    loaded = load_script(REPO / "scripts" / "xinjiang-un-report.yaml")
    theme = load_theme("default")
    book = FontBook(theme.fonts, theme.fallbacks)
    checked = 0
    for name, layouts in layout_all(loaded, theme, book, ["9x16", "4x5"]).items():
        fmt = FORMATS[name]
        for layout in layouts:
            if layout.kind != "photo":
                continue
            ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets)
            (panel,) = _by_role(layout, "lower-third")
            assert fmt.safe.contains(panel.box)
            for t in (0.0, 1.0):
                x, y = focus_on_screen(ctx, layout.photo, t)
                assert 0 <= x <= fmt.width and 0 <= y <= fmt.height
                assert not panel.box.y - 20 <= y <= panel.box.bottom + 20, (name, layout.photo.path.name, y)
            checked += 1
    assert checked == 8  # four photos (the fifth is now footage) in two tall formats


def test_schema_lists_the_label_keys():
    from claimreel.script.fields import LABEL_KEYS
    from claimreel.script.model import Script

    schema = Script.model_json_schema()
    assert schema["properties"]["labels"]["propertyNames"] == {"enum": list(LABEL_KEYS)}
    assert "label" in schema["$defs"]["Verdict"]["properties"]


def test_label_no_font_covers_fails_validation_naming_script_and_label(tmp_path, capsys):
    from claimreel.cli import main

    for rel in ("logos/polygraph-wordmark.png", "photos/geneva.jpg"):
        (tmp_path / "assets" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "assets" / rel, tmp_path / "assets" / rel)
    script = tmp_path / "zh.yaml"
    script.write_text(ZH.read_text(encoding="utf-8").replace(
        "theme: default", 'theme: default\nlabels:\n  claim: "ሰላም"'), encoding="utf-8")
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{script}: 16x9: labels.claim: no font covers 'ሰ' (U+1230)"), err
    assert "NotoSansSC-Bold.otf" in err
