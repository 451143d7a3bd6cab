"""Text in Arabic script and Simplified Chinese: font runs, shaping, order, direction, line breaks."""

from __future__ import annotations

import numpy as np
import pytest

from claimreel.compose.layers import draw_elements
from claimreel.errors import FontCoverageError
from claimreel.layout.elements import TextEl
from claimreel.layout.formats import Box
from claimreel.layout.runs import CLOSING, direction, tokens
from claimreel.layout.text import FontBook, check_coverage, fit_text
from claimreel.layout.theme import load_theme

from ..conftest import glyph_offset


@pytest.fixture(scope="module")
def book():
    theme = load_theme("default")
    return FontBook(theme.fonts, theme.fallbacks)


def _ink(book, text, weight="regular", size=64, width=900):
    el = TextEl(Box(10, 10, width - 20, 100), (text,), weight, size, 100, "#ffffff")
    img = draw_elements([el], (width, 120), book)
    return np.asarray(img)[..., 3] > 0


def test_direction_follows_the_first_strong_character():
    assert direction("ئۇيغۇرچە 2022") == "rtl"
    assert direction("2022 Polygraph ئۇ") == "ltr"
    assert direction("联合国") == "ltr"


def test_characters_go_to_the_first_font_that_covers_them(book):
    runs = book.runs("regular", 40, "Report 联合国（U.N.）评估")
    names = [(font.path.rsplit("/", 1)[-1], text) for font, text, _ in runs]
    assert names == [("Inter-Regular.otf", "Report "), ("NotoSansSC-Regular.otf", "联合国（"),
                     ("Inter-Regular.otf", "U.N."), ("NotoSansSC-Regular.otf", "）评估")]


def test_rtl_runs_are_in_visual_order(book):
    runs = book.runs("regular", 40, "بۇ Polygraph.info دوكلاتى")
    texts = [text for _, text, _ in runs]
    # Visual order, left to right: the last logical Arabic run first; the Latin run in the middle.
    assert texts[0].strip() == "دوكلاتى" and "Polygraph.info" in texts[1] and texts[-1].strip() == "بۇ"
    assert [d for _, _, d in runs] == ["rtl", "ltr", "rtl"]


def test_uyghur_letters_are_drawn_right_to_left(book):
    letters = ["ب", "د", "ت"]  # logical order; separated by spaces so each keeps its isolated form
    line = _ink(book, " ".join(letters))
    xs = []
    for letter in letters:
        x, mismatch = glyph_offset(line, _ink(book, letter))
        assert mismatch < 20, letter
        xs.append(x)
    assert xs[0] > xs[1] > xs[2]  # the first letter is rightmost


def test_uyghur_word_is_shaped_with_joining_forms(book):
    word = "بىلەن"
    joined = book.length("regular", 64, word)
    isolated = sum(book.length("regular", 64, ch) for ch in word)
    assert joined < isolated * 0.9  # initial/medial forms are narrower than isolated ones
    # The shaped word is one connected stroke along its baseline, not separate letters.
    ink = _ink(book, word)
    cols = ink.any(0)
    span = np.where(cols)[0]
    assert cols[span.min(): span.max() + 1].mean() > 0.95


def test_chinese_characters_are_drawn_in_order(book):
    text = "中国人"
    line = _ink(book, text)
    xs = [glyph_offset(line, _ink(book, ch))[0] for ch in text]
    assert xs[0] < xs[1] < xs[2]


def test_cjk_breaks_between_characters_never_before_closing_punctuation(book):
    text = "联合国的评估并非非法或无效；真正的问题是中国自身在新疆行为的合法性。这一说法是错误的。"
    fit = fit_text(book, text, weight="regular", size=48, min_size=48, max_width=420, max_height=2000)
    assert len(fit.lines) >= 4
    assert "".join(fit.lines) == text  # no spaces invented between Chinese characters
    for line in fit.lines:
        assert line[0] not in CLOSING, fit.lines
        assert book.length("regular", 48, line) <= 420


def test_tokens_keep_punctuation_with_its_character():
    assert tokens("合法性。这") == [("合", False), ("法", False), ("性。", False), ("这", False)]
    assert tokens("“不合法”") == [("“不", False), ("合", False), ("法”", False)]


def test_rtl_text_is_right_aligned_in_its_column(book):
    """An Arabic-script line inside a left-to-right scene starts at the column's right edge."""
    from claimreel.layout.scenes.base import Column, SceneContext
    from claimreel.layout.formats import FORMATS
    from claimreel.script.load import load_script
    from ..conftest import REPO

    loaded = load_script(REPO / "scripts" / "xinjiang-un-report.yaml")
    ug = load_script(REPO / "scripts" / "xinjiang-un-report-ug.yaml")
    theme = load_theme("default")
    ctx = SceneContext(loaded.script, FORMATS["16x9"], theme, book, loaded.assets)
    col = Column(ctx, Box(240, 100, 1400, 600))
    col.text(ug.script.verdict.summary, weight="regular", size=40, color="#ffffff", role="t")
    (el,) = col.place()
    assert el.align == "right" and el.box.right == 1640


def test_rtl_scripts_lay_out_mirrored(book):
    """An Uyghur script's scenes start at the right: text right-aligned to the content edge, the rating
    badge and the corner mark on the right."""
    from claimreel.layout.formats import FORMATS
    from claimreel.layout.scenes import SceneContext, layout_scene
    from claimreel.script.load import load_script
    from ..conftest import REPO

    loaded = load_script(REPO / "scripts" / "xinjiang-un-report-ug.yaml")
    theme = load_theme("default")
    for name in ("16x9", "9x16"):
        fmt = FORMATS[name]
        ctx = SceneContext(loaded.script, fmt, theme, book, loaded.assets, kind="verdict")
        assert ctx.rtl
        roles = {e.role: e for e in layout_scene("verdict", ctx).elements}
        for role in ("label", "verdict-summary", "verdict-claimant"):
            assert roles[role].align == "right" and roles[role].box.right == fmt.safe.right, (name, role)
        assert roles["rating-badge"].box.right == fmt.safe.right
        pad = round(10 * fmt.unit)  # the mark sits inset by its plate's padding (layout.plate)
        assert roles["outlet-logo"].box.right == fmt.safe.right - pad
        assert roles["outlet-logo"].box.y == fmt.safe.y + pad


def test_uncovered_character_lists_all_fonts_tried(book):
    with pytest.raises(FontCoverageError) as info:
        check_coverage(book, {"scripts/x.yaml: claim.quote": "Hello \U0001F600 \u0E01"})
    message = str(info.value)
    assert message.startswith("scripts/x.yaml: claim.quote: no font covers '\U0001F600' (U+1F600) "
                              "'\u0e01' (U+0E01); tried Inter-Regular.otf")
    for name in ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", "NotoSansSC-Regular.otf"):
        assert name in message


def test_light_theme_passes_and_script_backgrounds_are_checked():
    from claimreel.layout.theme import contrast_problems

    light = load_theme("light")
    assert contrast_problems(light) == []
    assert light.colors["background"] != load_theme("default").colors["background"]
    problems = contrast_problems(light, {"body.2": "#1b2a41"})
    assert problems[0] == ("theme 'light': text on body.2 background (#14161a on #1b2a41) has contrast "
                           "1.25:1, below 4.5:1 (WCAG 1.4.3); darken or lighten one of them")


def test_bold_and_semibold_chinese_use_the_bold_face(book):
    for weight in ("semibold", "bold"):
        (font, text, _), = book.runs(weight, 40, "我们的结论")
        assert font.path.endswith("NotoSansSC-Bold.otf"), weight
    (font, _, _), = book.runs("regular", 40, "我们的结论")
    assert font.path.endswith("NotoSansSC-Regular.otf")
    # Heavier strokes: more ink than the regular face for the same characters.
    assert _ink(book, "我们的结论", "bold").sum() > 1.3 * _ink(book, "我们的结论", "regular").sum()


def test_zh_script_is_covered_by_the_bold_face_too():
    from fontTools.ttLib import TTFont

    from ..conftest import REPO

    text = (REPO / "scripts" / "xinjiang-un-report-zh.yaml").read_text(encoding="utf-8")
    bold = TTFont(REPO / "assets" / "fonts" / "NotoSansSC-Bold.otf", lazy=True).getBestCmap()
    han = {ch for ch in text if 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF}
    assert han and not [ch for ch in han if ord(ch) not in bold]


def test_runs_of_text_the_main_font_covers_are_one_run_whichever_way_they_are_found():
    """The shortcut for text wholly in the main font gives what the character scan gives."""
    import claimreel.layout.runs as runs

    covers = [frozenset(map(ord, "abc 12-.")), frozenset(map(ord, "\u062e\u0649 12-.")), frozenset(map(ord, "中国"))]
    texts = ["abc", "a b-c.", "12-", "", "abc \u062e\u0649", "\u062e\u0649 12", "中国 abc", "a中"]
    for text in texts:
        scanned = runs.font_runs(text, [frozenset()] + covers)[:]  # no shortcut: the first font has nothing
        scanned = [(i - 1, t) for i, t in scanned] if text else []
        if set(map(ord, text)) <= covers[0] and text:
            assert runs.font_runs(text, covers) == [(0, text)] == scanned, text
        else:
            assert runs.font_runs(text, covers) != [(0, text)] or not text, text
