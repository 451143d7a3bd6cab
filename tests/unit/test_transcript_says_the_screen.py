"""The transcript and descriptions say what the screen says: the card's date form, quotation marks not
doubled, the verdict under the card's heading with the meter's position, one full stop after "D.C."."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.layout.theme import load_theme
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.package import package_files, player_tracks
from claimreel.publish.transcript import meter_position, sentence, transcript_text

from ..conftest import SMALL_SCRIPT, make_workspace


def _published(tmp_path: Path, script_text: str) -> dict[str, str]:
    script = make_workspace(tmp_path, script_text)
    prepared = prepare(script, RenderOptions(formats=("16x9",), cache=tmp_path / "cache"))
    timeline = prepared.timelines["16x9"]
    theme = prepared.theme
    files = package_files(prepared.script, prepared.specs, {"16x9": timeline}, theme)
    tracks = {t.kind: "\n".join(c.text for c in t.cues)
              for t in player_tracks(prepared.script, prepared.specs, timeline, theme=theme)}
    return {"transcript.txt": transcript_text(prepared.script, prepared.specs, timeline, theme),
            "transcript.html": files["transcript.html"].decode(), "descriptions": tracks["descriptions"]}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, str]:
    text = (SMALL_SCRIPT
            .replace("quote: The river is dry.", 'quote: "\\u201cThe river is dry.\\u201d"')
            .replace("text: It was flowing.", "text: '\"It was flowing.\"'")
            .replace("title: Mayor of Testville", "title: \"Mayor of Washington, D.C.\"")
            .replace("name: Test Producer", "name: Test Producer Jr.")
            .replace("  date: 2024-04-30", "  date: 2024-04-30\nlabels: {date: \"{month_name} {day}, {year}\"}", 1)
            .replace('rating: "False"', 'rating: "Outrageous"')
            + "theme: meter\n")
    return _published(tmp_path_factory.mktemp("ws"), text)


def test_pasted_quotation_marks_are_not_doubled(published):
    for name, text in published.items():
        assert "\u201c\u201c" not in text and "\u201d\u201d" not in text, name
        assert "\u201cThe river is dry.\u201d" in text and "\u201cIt was flowing.\u201d" in text, name


def test_dates_take_the_cards_form(published):
    for name, text in published.items():
        assert "April 30, 2024" in text and "30 April 2024" not in text, name
    assert "published May 1, 2024" in published["transcript.txt"]
    assert "published May 1, 2024." in published["transcript.html"]


def test_the_verdict_is_described_under_the_cards_heading_with_the_meters_position(published):
    for name, text in published.items():
        assert "ON OUR METER: OUTRAGEOUS." in text, name
        assert "On the meter: Outrageous, the lowest of six." in text, name


def test_no_doubled_full_stop_after_an_abbreviation(published):
    for name, text in published.items():
        assert "D.C.." not in text and "Jr.." not in text, name
        assert "Video producer: Test Producer Jr." in text, name
    assert "Mayor of Washington, D.C., April 30, 2024." in published["transcript.txt"]


def test_sentence_and_meter_position():
    assert sentence("Washington, D.C.") == "Washington, D.C."
    assert sentence("Is it?") == "Is it?"
    assert sentence("\u201cDry.\u201d") == "\u201cDry.\u201d"
    assert sentence("A river") == "A river."
    theme = load_theme("meter")
    labels = theme.labels_for(type("S", (), {"language": "en", "labels": {}, "verdict": type("V", (), {
        "label": None})()})())
    assert meter_position(theme, "True", labels) == "On the meter: True, the highest of six."
    assert meter_position(theme, "half true", labels) == "On the meter: Half True, the third of six from the top."
