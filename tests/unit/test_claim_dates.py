"""Claim dates: never after the publication; a month or an approximate day is shown as such
(the claim card, the transcript, the JSON-LD)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.layout.formats import get_format
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.layout.text import FontBook
from claimreel.layout.theme import load_theme
from claimreel.publish.jsonld import claimreview
from claimreel.publish.transcript import transcript_text
from claimreel.script.load import load_script
from claimreel.timeline.build import build_timeline, plan_scenes
from claimreel.captions.rules import rules_for_format


def _dated(workspace: Path, date: str, language: str = "en") -> Path:
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace("  date: 2024-04-30", f"  date: {date}")
                      .replace("language: en", f"language: {language}"))
    return script


def _shown(script: Path) -> tuple[str, str, dict]:
    loaded = load_script(script)
    theme = load_theme("default")
    ctx = SceneContext(loaded.script, get_format("16x9"), theme, FontBook(theme.fonts, theme.fallbacks),
                       loaded.assets, kind="claim")
    card = next(e.text for e in layout_scene("claim", ctx).elements if e.role == "claim-date")
    specs = plan_scenes(loaded.script)
    timeline = build_timeline(specs, {}, get_format("16x9").fps, rules_for_format("16x9"))
    transcript = transcript_text(loaded.script, specs, timeline)
    item = claimreview(loaded.script, formats=["16x9"], duration_ms=1000, transcript="")["@graph"][0]["itemReviewed"]
    return card, transcript, item


def test_a_claim_dated_after_the_publication_is_an_error(workspace, capsys):
    script = _dated(workspace, "2024-05-02")
    assert main(["validate", str(script)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{script}:11:9: claim.date: the claim is dated 2024-05-02, after the fact-check's publication on "
        "2024-05-01 (check both dates; a claim is checked after it is made)")
    script.write_text(script.read_text().replace("2024-05-02", "2024-05"))  # the month of publication: fine
    assert main(["validate", str(script)]) == 0
    script.write_text(script.read_text().replace("date: 2024-05\n", "date: 2024-06\n"))
    assert main(["validate", str(script)]) == 2
    assert "claim.date: the claim is dated 2024-06, after" in capsys.readouterr().err


def test_a_month_is_shown_as_a_month(workspace):
    card, transcript, item = _shown(_dated(workspace, "2024-04"))
    assert card == "April 2024"
    assert "Initials of Ana Ruiz, Mayor of Testville, April 2024." in transcript
    assert item["datePublished"] == "2024-04" and "temporal" not in item


def test_an_approximate_day_is_shown_as_approximate(workspace):
    card, transcript, item = _shown(_dated(workspace, "{day: 2024-04-30, approximate: true}"))
    assert card == "about 30 April 2024"
    assert "Mayor of Testville, about 30 April 2024." in transcript
    assert item["datePublished"] == "2024-04-30" and item["temporal"] == "approximately 2024-04-30"


@pytest.mark.parametrize("date, shown", [("2024-04", "2024年4月"), ("{day: 2024-04-30, approximate: true}",
                                                                   "约2024年4月30日")])
def test_the_theme_words_the_date_in_the_script_language(workspace, date, shown):
    card, _, _ = _shown(_dated(workspace, date, "zh-Hans"))
    assert card == shown


def test_a_month_that_does_not_exist_is_refused(workspace, capsys):
    script = _dated(workspace, "2024-13")
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"{script}:11:9: claim.date: '2024-13' is not a date; write a day (2022-09-21), "
                           "a month (2022-09) or {day: 2022-09-21, approximate: true}")


def test_the_schema_offers_the_three_forms(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    date = schema["$defs"]["Claim"]["properties"]["date"]
    kinds = [(f.get("type"), f.get("format") or f.get("pattern")) for f in date["anyOf"]]
    assert kinds == [("string", "date"), ("string", r"^\d{4}-\d{2}$"), ("object", None)]
