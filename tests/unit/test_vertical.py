"""Native vertical clips: larger card type in 9:16 (and 4:5), and the end card every social cut ends on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from claimreel.errors import ClaimreelError
from claimreel.layout.elements import ImageEl, TextEl
from claimreel.layout.formats import FORMATS
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.layout.text import FontBook
from claimreel.layout.theme import EndCard, load_theme, themes_root
from claimreel.pipeline.checks import check_script
from claimreel.pipeline.layouts import layout_all, layout_end_cards
from claimreel.script.load import load_script

REPO = Path(__file__).resolve().parents[2]
FLAGSHIP = REPO / "scripts" / "xinjiang-un-report.yaml"


@pytest.fixture(scope="module")
def flagship():
    loaded = load_script(FLAGSHIP)
    theme, book = check_script(loaded)
    return loaded, theme, book, layout_all(loaded, theme, book, list(FORMATS))


def _text(layout, role: str) -> TextEl:
    return next(e for e in layout.texts() if e.role == role)


@pytest.mark.parametrize("name, larger", [("9x16", 1.25), ("4x5", 1.08)])
def test_tall_formats_set_the_cards_in_larger_type(flagship, name, larger):
    *_, layouts = flagship
    wide, tall = layouts["16x9"], layouts[name]
    for index, layout in enumerate(wide):
        if layout.kind == "quote":
            assert _text(tall[index], "quote-text").size >= larger * _text(layout, "quote-text").size
    assert _text(tall[0], "title").size > _text(wide[0], "title").size


def test_vertical_cards_stay_in_the_safe_area_centred_above_the_captions(flagship):
    loaded, theme, book, layouts = flagship
    fmt = FORMATS["9x16"]
    for index, layout in enumerate(layouts["9x16"]):
        if layout.kind in ("photo", "clip", "document", "credits"):  # full-frame pictures with a lower third
            continue
        main = [e for e in layout.elements if e.layer != "chrome"]
        assert all(fmt.safe.contains(e.box) for e in main), layout.kind
        ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, kind=layout.kind)
        area = ctx.content()
        top, bottom = min(e.box.y for e in main), max(e.box.bottom for e in main)
        # centred in the card area (the safe area less the corner mark and the three caption lines)
        assert abs((top + bottom) / 2 - (area.y + area.bottom) / 2) <= 40, (index, layout.kind)


def test_the_corner_mark_and_photo_captions_keep_their_size(flagship):
    *_, layouts = flagship
    for name in ("9x16", "4x5"):
        for wide, tall in zip(layouts["16x9"], layouts[name]):
            assert _text(tall, "outlet-mark").size == _text(wide, "outlet-mark").size
            if wide.kind == "photo":
                assert _text(tall, "photo-caption").size <= _text(wide, "photo-caption").size


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_end_card_shows_verdict_outlet_and_address(flagship, name):
    loaded, theme, book, _ = flagship
    card = layout_end_cards(loaded, theme, book, [name])[name]
    texts = {e.role: " ".join(e.lines) for e in card.texts()}
    assert texts["rating-label"] == "FALSE" and texts["label"] == "OUR VERDICT"
    assert texts["end-outlet"] == "Polygraph.info"
    assert texts["end-heading"] == "Read the full fact check at" and texts["end-address"] == "polygraph.info"
    assert any(e.role == "rating-badge" for e in card.elements)
    assert all(FORMATS[name].safe.contains(e.box) for e in card.elements)


def _theme(tmp_path: Path, end_card: str) -> Path:
    root = tmp_path / "themes"
    shutil.copytree(themes_root() / "default", root / "brand")
    path = root / "brand" / "theme.yaml"
    text = path.read_text(encoding="utf-8").replace("../../fonts/", str(REPO / "assets" / "fonts") + "/")
    text = re.sub(r"\nend_card:\n(  .*\n)+", "\n", text + "\n")
    path.write_text(text.replace("name: default", "name: brand") + end_card, encoding="utf-8")
    return root


def test_the_end_card_is_defined_once_in_the_theme(tmp_path):
    root = _theme(tmp_path, "end_card: {seconds: 6, heading: {en: More at, zh: 更多内容}}\n")
    theme = load_theme("brand", root)
    assert theme.end_card == EndCard(6.0, {"en": "More at", "zh": "更多内容"})
    assert load_theme("brand", _theme(tmp_path / "plain", "")).end_card == EndCard()
    loaded = load_script(REPO / "scripts" / "xinjiang-un-report-zh.yaml")
    book = FontBook(theme.fonts, theme.fallbacks)
    card = layout_scene("end", SceneContext(loaded.script, FORMATS["9x16"], theme, book, loaded.assets, kind="end"))
    assert _text(card, "end-heading").lines == ("更多内容",)
    bad = _theme(tmp_path / "bad", "end_card: {seconds: 1}\n")
    with pytest.raises(ClaimreelError, match=r"(?s)theme\.yaml.*end_card"):
        load_theme("brand", bad)


def test_a_long_address_breaks_after_its_slashes(flagship):
    loaded, theme, book, _ = flagship
    url = "https://www.polygraph.info/a/fact-check-china-xinjiang-un-report-illegal-null-void/32047598.html"
    script = loaded.script.model_copy(update={"url": url})
    card = layout_scene("end", SceneContext(script, FORMATS["9x16"], theme, book, loaded.assets, kind="end"))
    address = _text(card, "end-address")
    assert "".join(address.lines) == url.removeprefix("https://www.")
    assert len(address.lines) >= 2 and all(line.endswith("/") for line in address.lines[:-1])
    assert not any(isinstance(e, ImageEl) for e in card.elements)  # no logo in the flagship: the name instead
