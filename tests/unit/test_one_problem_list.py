"""One list of problems everywhere: ``load_script``, ``render``, ``validate``, the command line
and the studio report every problem of a bad script, in the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

import claimreel
from claimreel.cli import main
from claimreel.errors import ScriptError
from claimreel.studio.findings import validate_file

from ..conftest import SMALL_SCRIPT, make_workspace


@pytest.fixture(scope="module")
def bad_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine problems: five found while reading the YAML (an invisible character, a claim dated after
    publication, an unknown rating, a missing logo and photo), four by the later checks (a character
    no font draws, a missing music file, and the narration card's grey background, too dark for the
    theme's text and for its accent colour)."""
    text = SMALL_SCRIPT.replace("credits:", "  - type: narration\n    narration: The gauge was read daily.\n"
                                "    background: {color: \"#8a8a8a\"}\ncredits:")
    for old, new in [
        ("quote: The river is dry.", "quote: The river \u202e is dry."),
        ("date: 2024-04-30", "date: 2024-06-30"),
        ('rating: "False"', "rating: Flase"),
        ("image: assets/photos/river.jpg", "image: assets/photos/missing.jpg"),
        ("text: It was flowing.", "text: It was \u16a0 flowing."),
        ("voice: {engine: fake}", "voice: {engine: fake}\nmusic: {file: assets/music/bed.ogg}"),
        ("outlet: {name: Test Desk,", "outlet: {name: Test Desk, logo: assets/logo.png,"),
    ]:
        assert old in text
        text = text.replace(old, new)
    return make_workspace(tmp_path_factory.mktemp("bad"), text)


@pytest.fixture(scope="module")
def expected(bad_script: Path) -> list[str]:
    lines = [str(f) for f in claimreel.validate(bad_script) if f.severity == "error"]
    assert len(lines) == 9, "\n".join(lines)
    return lines


def test_validate_finds_all_nine_with_the_missing_photo_and_the_fonts(expected, bad_script):
    fields = [f.path for f in claimreel.validate(bad_script) if f.severity == "error"]
    assert sorted(fields) == sorted(["outlet.logo", "claim.quote", "claim.date", "verdict.rating", "body.0.image",
                                     "body.1.text", "music.file", "", ""]), expected
    assert any("file not found" in line and "missing.jpg" in line for line in expected)
    assert any("no font covers" in line for line in expected)
    assert sum("contrast" in line for line in expected) == 2


def test_load_script_raises_the_same_list(expected, bad_script):
    with pytest.raises(ScriptError) as caught:
        claimreel.load_script(bad_script)
    assert str(caught.value).splitlines() == expected


def test_render_raises_the_same_list_and_writes_nothing(expected, bad_script, tmp_path):
    with pytest.raises(ScriptError) as caught:
        claimreel.render(bad_script, preview=True, out=tmp_path / "out", cache=tmp_path / "cache")
    assert str(caught.value).splitlines() == expected
    assert not any((tmp_path / "out").rglob("*.mp4"))


def test_the_commands_print_the_same_list(expected, bad_script, tmp_path, capsys):
    assert main(["validate", str(bad_script)]) == 2
    assert capsys.readouterr().err.splitlines() == expected
    assert main(["render", str(bad_script), "--preview", "--out", str(tmp_path / "o"),
                 "--cache", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err.splitlines()[-9:] == expected


def test_the_studio_shows_the_same_list(expected, bad_script):
    problems, loaded = validate_file(bad_script)
    assert loaded is None
    assert [(p.line, p.field, p.message, p.hint) for p in problems] == [
        (f.line, f.path, f.message, f.hint) for f in claimreel.validate(bad_script) if f.severity == "error"]
