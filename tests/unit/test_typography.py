"""Cards print the language's quotation marks and apostrophes; speech and captions keep what was written."""

from __future__ import annotations

import pytest

from claimreel.layout.elements import TextEl
from claimreel.layout.runs import tokens
from claimreel.layout.typography import NNBSP, quoted, smarten
from claimreel.pipeline.checks import check_script
from claimreel.pipeline.layouts import layout_all
from claimreel.script.load import load_script
from claimreel.timeline.build import plan_scenes

from ..conftest import SMALL_SCRIPT, make_workspace


@pytest.mark.parametrize("language, expected", [
    ("en", "He called it \u201cnull and void\u201d and \u2018illegal\u2019; it\u2019s not."),
    ("en-GB", "He called it \u201cnull and void\u201d and \u2018illegal\u2019; it\u2019s not."),
    ("de", "He called it \u201enull and void\u201c and \u201aillegal\u2018; it\u2019s not."),
    ("fr", f"He called it \u00ab{NNBSP}null and void{NNBSP}\u00bb and \u201cillegal\u201d; it\u2019s not."),
    ("zh-Hans", "He called it \u201cnull and void\u201d and \u2018illegal\u2019; it\u2019s not."),
    ("ru", "He called it \u00abnull and void\u00bb and \u201eillegal\u201c; it\u2019s not."),
])
def test_straight_marks_become_the_languages_own(language, expected):
    assert smarten("He called it \"null and void\" and 'illegal'; it's not.", language) == expected


def test_apostrophes_inside_and_at_the_start_of_words():
    assert smarten("l'homme d'État, the '90s") == "l\u2019homme d\u2019État, the \u201990s"


@pytest.mark.parametrize("pasted", [
    '"It was flowing."', "\u201cIt was flowing.\u201d", "'It was flowing.'", "\u00abIt was flowing.\u00bb",
    "It was flowing.", '  "It was flowing."  ',
])
def test_marks_pasted_around_a_quotation_are_not_doubled(pasted):
    assert quoted(pasted) == "\u201cIt was flowing.\u201d"
    assert quoted(pasted, "de") == "\u201eIt was flowing.\u201c"


def test_quotes_inside_a_quotation_take_the_inner_marks():
    assert quoted('"The so-called "assessment" is void."') == "\u201cThe so-called \u2018assessment\u2019 is void.\u201d"
    # Two quotations side by side are not one wrapped quotation.
    assert quoted('"null" and "void"') == "\u201c\u2018null\u2019 and \u2018void\u2019\u201d"


def test_french_guillemets_never_break_from_their_words():
    words = [text for text, _ in tokens(quoted("C'est faux", "fr"))]
    assert words == [f"\u00ab{NNBSP}C\u2019est", f"faux{NNBSP}\u00bb"]


def _texts(script_text: str, tmp_path) -> tuple[dict[str, str], object]:
    loaded = load_script(make_workspace(tmp_path, script_text))
    theme, book = check_script(loaded)
    (layouts,) = layout_all(loaded, theme, book, ["16x9"]).values()
    shown = {e.role: " ".join(e.lines) for layout in layouts for e in layout.elements if isinstance(e, TextEl)}
    return shown, loaded.script


def test_cards_draw_typographic_marks_and_speech_keeps_the_text(tmp_path):
    text = (SMALL_SCRIPT
            .replace("title: A short test of the whole pipeline", "title: Mayor's 'dry river' claim")
            .replace("text: It was flowing.", "text: '\"It was ''flowing''.\"'\n    read_aloud: true")
            .replace("caption: The river on April 30", "caption: The river's bed on April 30"))
    shown, script = _texts(text, tmp_path)
    assert shown["title"] == "Mayor\u2019s \u2018dry river\u2019 claim"
    assert shown["quote-text"] == "\u201cIt was \u2018flowing\u2019.\u201d"  # pasted marks not doubled
    assert shown["photo-caption"] == "The river\u2019s bed on April 30"
    spoken = {s.kind: s.narration for s in plan_scenes(script)}
    assert spoken["quote"] == "\"It was 'flowing'.\""  # the speech engine reads what was written
