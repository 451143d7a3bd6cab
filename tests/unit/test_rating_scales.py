"""An outlet's own rating scale: checked against the script's theme, drawn as a badge or a meter,
and one verdict word in every file that names the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.layout.formats import get_format
from claimreel.layout.scenes import SceneContext, layout_scene
from claimreel.layout.text import FontBook
from claimreel.layout.theme import load_theme
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.package import package_files, player_tracks
from claimreel.publish.transcript import transcript_text
from claimreel.script.load import load_script


def _rescale(workspace: Path, theme: str, rating: str, extra: str = "") -> Path:
    script = workspace / "scripts" / "small-check.yaml"
    text = script.read_text().replace('  rating: "False"', f'  rating: "{rating}"{extra}')
    script.write_text(text + f"theme: {theme}\n")
    return script


@pytest.mark.parametrize("theme, rating", [("three-step", "Missing Context"), ("meter", "Half True")])
def test_a_theme_with_its_own_scale_accepts_its_ratings(workspace, capsys, theme, rating):
    script = _rescale(workspace, theme, rating)
    assert main(["validate", str(script), "--format", "all"]) == 0, capsys.readouterr().err


def test_a_rating_from_another_scale_points_at_verdict_rating(workspace, capsys):
    script = _rescale(workspace, "three-step", "False")
    assert main(["validate", str(script)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"{script}:13:11: verdict.rating: unknown rating 'False' "
                   "(allowed: Accurate, Missing Context, Inaccurate)")


def test_a_workspace_theme_is_the_scale_that_counts(workspace, capsys):
    """A theme in the workspace's own assets/themes, with ratings no shipped theme has."""
    folder = workspace / "assets" / "themes" / "desk"
    folder.mkdir(parents=True)
    text = (Path(load_theme("three-step").folder) / "theme.yaml").read_text()
    text = text.replace("name: three-step", "name: desk").replace("Missing Context", "Needs Context")
    text = text.replace("../../fonts/", str(Path(load_theme("default").folder).parent.parent / "fonts") + "/")
    (folder / "theme.yaml").write_text(text)
    script = _rescale(workspace, "desk", "Needs Context")
    assert main(["validate", str(script)]) == 0, capsys.readouterr().err
    script.write_text(script.read_text().replace('"Needs Context"', '"Missing Context"'))
    assert main(["validate", str(script)]) == 2
    assert "verdict.rating: unknown rating 'Missing Context' (did you mean 'Needs Context'?" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["16x9", "9x16"])
def test_the_meter_marks_the_rating_on_its_scale(workspace, fmt):
    script = _rescale(workspace, "meter", "Mostly False")
    loaded = load_script(script)
    theme = load_theme("meter")
    ctx = SceneContext(loaded.script, get_format(fmt), theme, FontBook(theme.fonts, theme.fallbacks),
                       loaded.assets, kind="verdict")
    layout = layout_scene("verdict", ctx)
    steps = [e for e in layout.elements if e.role in ("meter-step", "meter-chosen")]
    assert [e.color for e in steps] == [r.color for r in theme.ratings]  # scale order, the ratings' colours
    (chosen,) = [e for e in steps if e.role == "meter-chosen"]
    assert steps.index(chosen) == 3 and chosen.color == theme.rating("Mostly False").color
    assert all(chosen.box.h > e.box.h and e.opacity < 1 for e in steps if e is not chosen)
    xs = [e.box.x for e in steps]
    assert xs == sorted(xs) and all(a.box.right <= b.box.x for a, b in zip(steps, steps[1:]))
    ends = [e.text for e in layout.elements if e.role == "meter-end"]
    assert ends == ["True", "Outrageous"]
    safe = get_format(fmt).safe
    for e in layout.elements:
        if e.role != "outlet-mark":
            assert safe.x <= e.box.x and e.box.right <= safe.right and safe.y <= e.box.y <= safe.bottom, e
    summary = next(e for e in layout.elements if e.role == "verdict-summary")
    assert summary.box.y >= max(e.box.bottom for e in layout.elements if e.role.startswith("meter"))


def test_the_badge_theme_draws_no_meter(workspace):
    loaded = load_script(_rescale(workspace, "three-step", "Inaccurate"))
    theme = load_theme("three-step")
    ctx = SceneContext(loaded.script, get_format("16x9"), theme, FontBook(theme.fonts, theme.fallbacks),
                       loaded.assets, kind="verdict")
    roles = {e.role for e in layout_scene("verdict", ctx).elements}
    assert "rating-badge" in roles and not any(r.startswith("meter") for r in roles)


def _published(script: Path, cache: Path) -> dict[str, str]:
    prepared = prepare(script, RenderOptions(formats=("16x9",), cache=cache))
    timeline = prepared.timelines["16x9"]
    files = package_files(prepared.script, prepared.specs, {"16x9": timeline}, prepared.theme)
    tracks = {t.kind: "\n".join(c.text for c in t.cues) for t in player_tracks(prepared.script, prepared.specs,
                                                                                 timeline)}
    return {
        "jsonld": files["claimreview.jsonld"].decode(),
        "transcript.html": files["transcript.html"].decode(),
        "transcript.txt": transcript_text(prepared.script, prepared.specs, timeline),
        "chapters": tracks["chapters"],
        "descriptions": tracks["descriptions"],
        "scene titles": "\n".join(s.title for s in timeline.scenes),
    }


def test_the_verdict_label_is_the_word_everywhere(workspace):
    script = _rescale(workspace, "three-step", "Inaccurate", "\n  label: Wrong")
    published = _published(script, workspace / "cache")
    for name, text in published.items():
        if name != "jsonld":
            assert "Wrong" in text or "WRONG" in text, name
            assert "Inaccurate" not in text and "INACCURATE" not in text, name
    review = json.loads(published["jsonld"])["@graph"][0]
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Wrong", "ratingValue": 1,
                                      "bestRating": 3, "worstRating": 1}


def test_the_themes_name_for_the_rating_is_the_word_everywhere(workspace):
    """Without verdict.label a Chinese script says the theme's 错误 for False: on the card and off it."""
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace("language: en", "language: zh-Hans"))
    published = _published(script, workspace / "cache")
    for name in ("transcript.txt", "transcript.html", "chapters", "descriptions", "scene titles"):
        assert "错误" in published[name] and "FALSE" not in published[name], name
    rating = json.loads(published["jsonld"])["@graph"][0]["reviewRating"]
    assert rating["alternateName"] == "错误" and (rating["ratingValue"], rating["bestRating"]) == (1, 6)


def test_ratings_from_the_middle_of_the_meter_have_their_position(workspace):
    script = _rescale(workspace, "meter", "Mostly True")
    review = json.loads(_published(script, workspace / "cache")["jsonld"])["@graph"][0]
    assert review["reviewRating"]["alternateName"] == "Mostly True"
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["bestRating"],
            review["reviewRating"]["worstRating"]) == (5, 6, 1)
