"""Cuts in a script: references resolve to scenes; every bad reference gets an exact, placed message."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.cli import main
from claimreel.errors import ClaimreelError, ScriptError
from claimreel.pipeline.cuts import select_cuts
from claimreel.script import json_schema, load_text, new_script_text
from claimreel.script.cuts import cut_refs
from claimreel.timeline.build import plan_scenes, scene_positions
from claimreel.timeline.model import frame_to_ms

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"
# The valid fixture with ids on two body blocks; cuts are appended after line 28.
BASE = (FIXTURES / "valid.yaml").read_text(encoding="utf-8").replace(
    "  - type: photo\n", "  - type: photo\n    id: geneva-photo\n"
).replace("  - type: fact\n", "  - type: fact\n    id: sterilisations\n")
CUTS_LINE = len(BASE.splitlines()) + 1  # the line 'cuts:' lands on


def _load(cuts: str, base: str = BASE):
    return load_text(base + cuts, filename="s.yaml", check_assets=False)


def _problems(cuts: str, base: str = BASE) -> list[str]:
    with pytest.raises(ScriptError) as caught:
        _load(cuts, base)
    return str(caught.value).splitlines()


def test_cuts_resolve_to_scenes_in_the_cuts_order() -> None:
    script = _load(
        "cuts:\n"
        "  - name: claim-verdict\n    title: Claim and verdict\n    scenes: [claim, verdict]\n"
        "  - name: key-finding\n    scenes: [claim, verdict, sterilisations, 1, credits, title]\n"
    ).script
    assert [c.name for c in script.cuts] == ["claim-verdict", "key-finding"]
    assert script.cuts[0].title == "Claim and verdict"
    refs = cut_refs(script, script.cuts[1])
    assert refs == ("claim", "verdict", 2, 0, "credits", "title")
    specs = plan_scenes(script)
    positions = scene_positions(specs, refs)
    assert [(specs[p].kind, specs[p].block) for p in positions] == [
        ("claim", None), ("verdict", None), ("fact", 2), ("narration", 0), ("credits", None), ("title", None),
    ]


def test_scripts_without_cuts_have_none() -> None:
    assert _load("").script.cuts == ()


def test_unknown_references_name_the_choices() -> None:
    line = CUTS_LINE + 2
    choices = "use title, claim, verdict, credits, a body block's id (geneva-photo, sterilisations) or its number 1-3"
    assert _problems("cuts:\n  - name: short\n    scenes: [claim, verdit, steril, 7]\n") == [
        f"s.yaml:{line}:21: cuts.0.scenes.1: unknown scene 'verdit' (did you mean 'verdict'? {choices})",
        f"s.yaml:{line}:29: cuts.0.scenes.2: unknown scene 'steril' (did you mean 'sterilisations'? {choices})",
        f"s.yaml:{line}:37: cuts.0.scenes.3: there is no body block 7 (the body has 3 blocks; {choices})",
    ]


def test_unknown_reference_without_ids_says_how_to_add_one() -> None:
    base = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    line = len(base.splitlines()) + 3
    assert _problems("cuts:\n  - name: short\n    scenes: [claim, the-photo]\n", base) == [
        f"s.yaml:{line}:21: cuts.0.scenes.1: unknown scene 'the-photo' (use title, claim, verdict, credits, "
        "a body block's id (add 'id:' to the block) or its number 1-3)"
    ]


def test_duplicate_cut_names_scene_twice_and_empty_cut() -> None:
    assert _problems(
        "cuts:\n  - name: short\n    scenes: [claim, 3, sterilisations]\n  - name: short\n    scenes: []\n"
    ) == [
        f"s.yaml:{CUTS_LINE + 2}:24: cuts.0.scenes.2: 'sterilisations' is already in this cut ('3') "
        "(a cut plays each scene once; remove one)",
        f"s.yaml:{CUTS_LINE + 3}:11: cuts.1.name: there is already a cut named 'short' (cuts.0) "
        "(give each cut its own name)",
        f"s.yaml:{CUTS_LINE + 4}:13: cuts.1.scenes: needs at least 1 item(s) (list them, e.g. [claim, verdict])",
    ]


def test_duplicate_and_reserved_block_ids() -> None:
    base = BASE.replace("id: sterilisations", "id: geneva-photo")
    assert _problems("", base) == [
        "s.yaml:29:9: body.2.id: block id 'geneva-photo' is already used by body.1 (give each block its own id)"
    ]
    base = BASE.replace("id: sterilisations", "id: verdict")
    assert _problems("", base) == [
        "s.yaml:29:9: body.2.id: 'verdict' is the name of a fixed scene, so a cut could not tell them apart "
        "(choose another id, e.g. 'verdict-block')"
    ]


def test_ids_and_cut_names_must_be_slugs() -> None:
    base = BASE.replace("id: sterilisations", "id: 3rd Fact")
    assert _problems("cuts:\n  - name: Short One\n    scenes: [claim]\n", base) == [
        "s.yaml:29:9: body.2.id: must be lower-case letters, digits and dashes, starting with a letter "
        "(e.g. 'block-3rd-fact')",
        f"s.yaml:{CUTS_LINE + 1}:11: cuts.0.name: must be lower-case letters, digits and dashes, starting with "
        "a letter or digit (e.g. 'short-one')",
    ]


def test_validate_command_exits_2_naming_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "assets").mkdir()
    path = tmp_path / "s.yaml"
    text = BASE.replace("    logo: assets/logo.png\n", "").replace("    photo: assets/photos/speaker.jpg\n", "")
    path.write_text(text + "cuts:\n  - name: short\n    scenes: [claim, verdit]\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "cuts.0.scenes.1: unknown scene 'verdit' (did you mean 'verdict'?" in err
    assert "Traceback" not in err


def test_select_cuts_by_name() -> None:
    script = _load("cuts:\n  - name: a\n    scenes: [claim]\n  - name: b\n    scenes: [verdict]\n").script
    assert [c.name for c in select_cuts(script, None)] == ["a", "b"]
    assert [c.name for c in select_cuts(script, ("b",))] == ["b"]
    assert select_cuts(script, ()) == ()
    message = r"^cuts: the script has no cut named 'c'; its cuts: a, b \(or give the cuts option none\)"
    with pytest.raises(ClaimreelError, match=message):
        select_cuts(script, ("c",))


def test_render_refuses_an_unknown_cut_name(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = workspace / "scripts" / "small-check.yaml"
    code = main(["render", str(script), "--cuts", "nope", "--out", str(workspace / "out"),
                 "--cache", str(workspace / "cache")])
    assert code == 2
    assert "--cuts: the script has no cut named 'nope'; its cuts: none" in capsys.readouterr().err
    assert not (workspace / "out" / "small-check").exists()


def test_schema_and_template_document_cuts() -> None:
    schema = json_schema()
    assert "cuts" in schema["properties"]
    cut = schema["$defs"]["Cut"]
    assert cut["required"] == ["name", "scenes"] and cut["properties"]["scenes"]["minItems"] == 1
    assert "id" in schema["$defs"]["QuoteBlock"]["properties"]
    assert "# cuts:" in new_script_text("x-check")


def test_a_cut_ending_on_narration_shows_its_last_cue_in_full_over_the_end_card(tmp_path: Path) -> None:
    """The full video's credits leave room for a last cue held to be read; a cut may end on speech."""
    from claimreel.pipeline.cuts import cut_view
    from claimreel.pipeline.prepare import prepare
    from claimreel.pipeline.request import RenderOptions

    from ..conftest import SMALL_SCRIPT, make_workspace

    text = SMALL_SCRIPT.replace(  # a short headline: the card is read within the narration
        "headline: Flow in cubic metres per second", "headline: Flow").replace(
        "    narration: Flow fell later.\n",
        "    id: flow\n    narration: Flow fell sharply afterwards, unprecedentedly so.\n"
        "    timing: {lead: 0, tail: 0, min_duration: 1}\n",
    ) + "cuts:\n  - name: end-on-flow\n    scenes: [verdict, flow]\n"
    prepared = prepare(make_workspace(tmp_path, text), RenderOptions(cache=tmp_path / "cache"))
    full = prepared.timelines["16x9"]
    fact = next(s for s in full.scenes if s.kind == "fact")
    assert full.cues[-1].end_ms > frame_to_ms(fact.end_frame, full.fps)  # held past the scene, into the credits
    view, _ = cut_view(prepared, prepared.script.cuts[0], prepared.formats[0])
    cut = view.timelines["16x9"]
    assert cut.cues[-1].text == "Flow fell sharply afterwards, unprecedentedly so."
    assert cut.cues[-1].duration_ms == full.cues[-1].duration_ms  # still held long enough to be read
    # Every cut ends on the end card, which holds past the last cue.
    assert [s.kind for s in cut.scenes] == ["verdict", "fact", "end"]
    assert frame_to_ms(cut.scenes[-1].start_frame, cut.fps) < cut.cues[-1].end_ms < cut.duration_ms
    assert cut.scenes[1].frames == fact.frames and cut.scenes[0].frames == full.scenes[2].frames
    assert cut.scenes[-1].frames >= 4 * 30  # the theme's end_card.seconds
