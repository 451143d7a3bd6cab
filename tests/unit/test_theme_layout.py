"""Theme contrast checks and the layout of every scene type in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimreel.layout.elements import TextEl
from claimreel.layout.formats import FORMATS
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.layout.text import FontBook, check_coverage, fit_text
from claimreel.layout.theme import contrast_problems, contrast_ratio, load_theme
from claimreel.errors import FontCoverageError, LayoutError
from claimreel.script.model import Script
from claimreel.timeline.build import plan_scenes

from ..conftest import SMALL_SCRIPT


@pytest.fixture(scope="module")
def theme():
    return load_theme("default")


@pytest.fixture(scope="module")
def book(theme):
    return FontBook(theme.fonts, theme.fallbacks)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_default_theme_passes_contrast(theme):
    assert contrast_problems(theme) == []


def test_low_contrast_pair_is_named(theme, tmp_path: Path):
    raw = yaml.safe_load((theme.folder / "theme.yaml").read_text())
    raw["colors"]["muted"] = "#1a2a3a"
    raw["fonts"] = {k: str(v) for k, v in theme.fonts.items()}
    raw.pop("fallback_fonts", None)
    (tmp_path / "grey").mkdir()
    (tmp_path / "grey" / "theme.yaml").write_text(yaml.safe_dump(raw))
    problems = contrast_problems(load_theme("grey", tmp_path))
    assert len(problems) == 2
    assert problems[0].startswith("theme 'default': muted on background (#1a2a3a on #0d1b2a) has contrast 1.")
    assert "below 4.5:1 (WCAG 1.4.3)" in problems[0]


def test_uncovered_character_is_an_error_not_tofu(book):
    with pytest.raises(FontCoverageError) as info:
        check_coverage(book, {"claim.quote": "Hello \u0e01\u0e02 \u4e16\u754c"})  # Thai is not shipped
    message = str(info.value)
    assert message.startswith("claim.quote: no font covers '\u0e01' (U+0E01) '\u0e02' (U+0E02); tried Inter-")


def test_fit_text_shrinks_then_fails(book):
    fit = fit_text(book, "word " * 30, weight="bold", size=80, min_size=30, max_width=800, max_height=400)
    assert 30 <= fit.size < 80 and fit.height <= 400
    assert all(book.font("bold", fit.size).getlength(line) <= 800 for line in fit.lines)
    with pytest.raises(LayoutError, match="does not fit its place on screen even at 30 px"):
        fit_text(book, "word " * 300, weight="bold", size=80, min_size=30, max_width=800, max_height=400)


@pytest.mark.parametrize("fmt_name", list(FORMATS))
def test_every_scene_stays_inside_the_safe_area(fmt_name, theme, book, tmp_path):
    from ..conftest import make_photo

    photo = make_photo(tmp_path / "river.jpg")
    script = Script.model_validate(yaml.safe_load(SMALL_SCRIPT))
    fmt = FORMATS[fmt_name]
    for spec in plan_scenes(script):
        block = script.body[spec.block] if spec.block is not None else None
        ctx = SceneContext(script, fmt, theme, book, {"assets/photos/river.jpg": photo}, block, spec.block)
        layout = layout_scene(spec.kind, ctx)
        texts = [e for e in layout.elements if isinstance(e, TextEl)]
        assert texts, spec.kind
        for el in layout.elements:
            assert fmt.canvas.contains(el.box), (spec.kind, el.role, el.box)
        for el in texts:
            assert fmt.safe.contains(el.box), (spec.kind, el.role, el.box, fmt.safe)
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                assert not a.box.intersects(b.box), (spec.kind, a.role, b.role)
