"""Placed messages: a theme file's problems at file:line:col without library dumps; layout errors at
the script line of the field, in the producer's words; an unknown rating at verdict.rating."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.errors import ScriptError
from claimreel.layout.theme import load_theme
from claimreel.pipeline.checks import check_script
from claimreel.script.load import load_script

FONTS = Path(load_theme("default").folder).parent.parent / "fonts"


def _theme(workspace: Path, edit=lambda text: text) -> tuple[Path, Path]:
    folder = workspace / "assets" / "themes" / "desk"
    folder.mkdir(parents=True)
    text = (Path(load_theme("three-step").folder) / "theme.yaml").read_text()
    text = text.replace("name: three-step", "name: desk").replace("../../fonts/", f"{FONTS}/")
    theme = folder / "theme.yaml"
    theme.write_text(edit(text))
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace('"False"', '"Inaccurate"') + "theme: desk\n")
    return theme, script


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("edit, needle, column, expected", [
    (lambda t: t.replace('color: "#8a5a00"', 'color: "#8a5a0"'), "#8a5a0", 39,
     "ratings.1.color: expected a colour like #1a2b3c, got '#8a5a0' (write the colour as # and six hex digits)"),
    (lambda t: t.replace("caption_style: boxed", "caption_style: boxy"), "caption_style", 16,
     "caption_style: input should be 'boxed', 'outlined' or 'highlight'"),
    (lambda t: t.replace("caption_box_opacity: 0.78", "caption_box_opacity: 0.78\ncaption_size: 40"), "caption_size", 1,
     "caption_size: unknown field 'caption_size'"),
    (lambda t: t.replace("  text: \"#f5f7fa\"", "  text: \"#f5f7fa\"\n  text: \"#ffffff\""), 'text: "#ffffff"', 3,
     "colors.text: duplicate key"),
    (lambda t: t.replace("    verdict: OUR RATING", "    verdict: OUR RATING\n    verdikt: X"), "verdikt", 14,
     "labels.en.verdikt: unknown label key 'verdikt'"),
    (lambda t: t.replace("Inter-Bold.otf", "Inter-Bolder.otf"), "Inter-Bolder", 9, "fonts.bold: "),
    (lambda t: t.replace("  background: \"#0d1b2a\"   # deep navy canvas", "  background: navy"), "background: navy", 15,
     "colors.background: expected a colour like #1a2b3c, got 'navy'"),
])
def test_theme_problems_are_placed(workspace, capsys, edit, needle, column, expected):
    theme, script = _theme(workspace, edit)
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{theme}:{_line_of(theme, needle)}:{column}: {expected}"), err
    assert "\n" not in err and "pydantic" not in err and "errors.pydantic.dev" not in err and "Traceback" not in err


def test_a_theme_that_is_not_yaml_is_placed(workspace, capsys):
    theme, script = _theme(workspace, lambda t: t.replace("name: desk", "name: [desk"))
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{theme}:") and "Traceback" not in err and "yaml." not in err


def test_the_themes_has_no_rating_points_at_verdict_rating(workspace):
    theme, script = _theme(workspace)
    script.write_text(script.read_text().replace('"Inaccurate"', '"Needs Context"'))
    loaded = load_script(script, ratings=("Needs Context",))  # a caller with its own scale
    with pytest.raises(ScriptError) as info:
        check_script(loaded)
    assert str(info.value) == (f"{script}:{_line_of(script, 'rating:')}:11: verdict.rating: theme 'desk' has no "
                               "rating 'Needs Context' (did you mean 'Missing Context'? allowed: Accurate, Missing Context, "
                               "Inaccurate)")


@pytest.mark.parametrize("old, new, needle, field, words", [
    ("text: It was flowing.", "text: " + "It was flowing strongly all down the valley. " * 16, "It was flowing",
     "body.1.text", "the quote card's text needs"),
    ("summary: The river was running on that day.", "summary: " + "The river was running that day. " * 20,
     "summary:", "verdict.summary", "the verdict card's text needs"),
    ("quote: The river is dry.", "quote: " + "dry " * 280, "quote: dry", "claim.quote",
     "the text does not fit its place on screen"),
])
def test_layout_errors_name_the_script_line_in_the_producers_words(workspace, capsys, old, new, needle, field, words):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace(old, new))
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err.strip()
    line = _line_of(script, needle)
    assert err.startswith(f"{script}:{line}:") and f": {field}: 16x9: {words}" in err, err
    assert "-text" not in err and "role" not in err and "box" not in err


def test_an_unknown_theme_points_at_the_theme_line(workspace, capsys):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text() + "theme: three-steps\n")
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{script}:{_line_of(script, 'theme:')}:8: theme: no theme named 'three-steps' "
                          "(known themes: default, light, meter, three-step"), err
