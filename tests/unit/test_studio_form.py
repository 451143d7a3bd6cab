"""The form editor's parts without a server: fields generated from the schema (a field added to
the model appears), a posted form read back and written by a round trip that keeps comments, key
order and the places of moved blocks, and findings placed beside their fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import Field

from claimreel.script.model import Script
from claimreel.script.template import new_script_text
from claimreel.script.yamltree import parse
from claimreel.studio.form.checks import place_findings
from claimreel.studio.form.fields import build_form, form_pairs
from claimreel.studio.form.posted import draft_text, read_posted, write_yaml
from claimreel.studio.form.schema_walk import Schema, script_schema

SCALE = ("True", "Mostly True", "Misleading", "Unsubstantiated", "Mostly False", "False")
FLAGSHIP = Path(__file__).resolve().parents[2] / "scripts" / "xinjiang-un-report.yaml"
TEMPLATE = new_script_text("river-claim", today=dt.date(2024, 5, 1), title="The river claim")


def _fields(text: str, schema: Schema | None = None):
    return build_form(schema or script_schema(), parse(text, "t").data, SCALE)


def _by_name(fields) -> dict:
    found = {}
    for f in fields:
        found[f.name] = f
        found.update(_by_name(f.children))
    return found


def _save(text: str, changes: dict[str, str] | None = None, pairs: list | None = None) -> str:
    """``text`` as the form saves it after the user changed the inputs named in ``changes``."""
    data = parse(text, "t").data
    pairs = pairs if pairs is not None else form_pairs(_fields(text))
    pairs = [(k, (changes or {}).get(k, v)) for k, v in pairs]
    return write_yaml(text, read_posted(script_schema(), pairs, data))


def test_a_field_added_to_the_model_appears_in_the_form_with_its_description_as_help():
    class DeskScript(Script):
        desk: str | None = Field(default=None, description="The desk that checked the claim")

    fields = _by_name(_fields(TEMPLATE, Schema(DeskScript.model_json_schema())))
    assert fields["desk"].kind == "text" and fields["desk"].help == "The desk that checked the claim"
    assert "desk" not in _by_name(_fields(TEMPLATE))


def test_each_part_of_the_script_gets_the_input_its_schema_asks_for():
    fields = _by_name(_fields(FLAGSHIP.read_text(encoding="utf-8")))
    rating = fields["verdict.rating"]
    assert rating.kind == "rating" and rating.options == SCALE and rating.value == "False"
    assert fields["claim.quote"].kind == "textarea" and fields["claim.quote"].required
    assert fields["claim.quote"].help == "The claim in the speaker's exact words"
    assert fields["formats"].kind == "choices" and fields["formats"].chosen == ("16x9",)
    assert fields["body"].kind == "blocks"
    assert set(fields["body"].item_types) == {"narration", "quote", "photo", "fact", "clip", "document"}
    cards = {f.item_type for f in fields["body"].children}
    assert {"clip", "photo", "quote", "fact", "document", "narration"} <= cards
    assert fields["body.1.caption"].kind == "text" and fields["body.1.description"].kind == "textarea"
    assert fields["credits"].kind == "list" and fields["cuts.0.scenes"].kind == "lines"
    assert fields["cuts.0.scenes"].value == "claim\nverdict"
    assert fields["body.0.audio"].kind == "choice" and fields["body.0.audio"].options == ("mute", "under", "full")
    assert fields["publish"].kind == "group" and "publish.media_base_url" in fields
    assert fields["claim.date"].kind == "yaml" and fields["claim.date"].value == "2022-09-21"
    assert not fields["music"].present  # an optional group the script does not set starts folded


@pytest.mark.parametrize("text", [FLAGSHIP.read_text(encoding="utf-8"), TEMPLATE], ids=["flagship", "template"])
def test_saving_an_untouched_form_writes_the_file_back_byte_for_byte(text):
    assert _save(text) == text


def test_an_edit_keeps_every_comment_and_the_key_order_of_what_was_not_edited():
    saved = _save(TEMPLATE, {"claim.speaker.name": "Ana Ruiz", "verdict.rating": "Mostly False"})
    before, after = TEMPLATE.splitlines(), saved.splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and changed == [
        ("    name: Firstname Lastname", "    name: Ana Ruiz"),
        ('  rating: "False"    # one of the theme\'s ratings; the default theme\'s: True, Mostly True, Misleading, '
         'Unsubstantiated, Mostly False, False',
         # the comment stays; the longer value pushes it to one space after
         '  rating: "Mostly False" # one of the theme\'s ratings; the default theme\'s: True, Mostly True, '
         'Misleading, Unsubstantiated, Mostly False, False'),
    ]


def test_an_emptied_optional_field_is_removed_and_an_emptied_required_one_is_left_for_the_findings():
    saved = yaml.safe_load(_save(TEMPLATE, {"claim.speaker.title": "", "claim.quote": ""}))
    assert "title" not in saved["claim"]["speaker"]
    assert saved["claim"]["quote"] == ""


def test_blocks_moved_removed_and_added_keep_their_own_yaml_and_comments():
    pairs = form_pairs(_fields(TEMPLATE))
    by_block: dict[str, list] = {}
    for key, value in pairs:
        if key.startswith("body.") and key != "body!":
            by_block.setdefault(key.split(".")[1], []).append((key, value))
    head = [p for p in pairs if not p[0].startswith("body.")]
    at = head.index(("body!", "")) + 1
    new_quote = [("body.n1.type", "quote"), ("body.n1.text", "A second quote."), ("body.n1.attribution", "A clerk")]
    blocks = sorted(by_block)  # "0", "1", ...: the template's narration, quote, ...
    moved = head[:at] + by_block[blocks[1]] + by_block[blocks[0]] + new_quote + head[at:]
    saved = _save(TEMPLATE, pairs=moved)
    body = yaml.safe_load(saved)["body"]
    assert [b["type"] for b in body] == ["quote", "narration", "quote"]
    assert body[2] == {"type": "quote", "text": "A second quote.", "attribution": "A clerk"}
    # the quote's own comment travelled with it, and the removed blocks' text is gone
    assert saved.index("id: key-quote    # optional; a name that cuts use") < saved.index("type: narration")
    assert len(body) == 3


def test_unknown_keys_stay_for_the_findings_to_name():
    text = TEMPLATE.replace("  summary: The verdict in one sentence.", "  summary: The verdict in one sentence.\n"
                            "  sumary: a typo the form does not know")
    assert "  sumary: a typo the form does not know" in _save(text)


def test_findings_are_placed_by_their_field_path_or_their_line_and_follow_new_items():
    class F:
        def __init__(self, path, line, message, hint=""):
            self.path, self.line, self.message, self.hint = path, line, message, hint

    text = TEMPLATE
    data = parse(text, "t").data
    pairs = form_pairs(_fields(text)) + [("body.n1.type", "quote"), ("body.n1.text", "")]
    posted = read_posted(script_schema(), pairs, data)
    rating_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("  rating:"))
    last = len([b for b in posted.data["body"]]) - 1
    placed, other = place_findings([
        F("verdict.rating", 40, "unknown rating 'Flase'", "did you mean 'False'?"),
        F("", rating_line, "rating written as a bare word"),
        F(f"body.{last}.attribution", None, "Field required"),
        F("claim.date.day", None, "not a date"),
        F("", None, "the theme's colours fail contrast"),
    ], posted.names, text)
    assert placed["verdict.rating"][0].text == "unknown rating 'Flase' (did you mean 'False'?)"
    assert placed["verdict.rating"][1].text == "rating written as a bare word"
    assert [f.text for f in placed["body.n1.attribution"]] == ["Field required"]
    assert [f.text for f in placed["claim.date"]] == ["not a date"]
    assert [f.text for f in other] == ["the theme's colours fail contrast"]


@pytest.mark.parametrize("changes", [
    {"verdict.rating": "Flase"},
    {"body.1.caption": "", "claim.date": "2022-13-45"},
    {"body.0.end": "00:00:99.000", "cuts.0.scenes": "claim\nno-such-block"},
], ids=["rating", "caption-and-date", "clip-and-cut"])
def test_checking_as_the_user_types_finds_what_checking_the_saved_file_finds(changes, tmp_path):
    from claimreel.studio.form.checks import draft_findings
    from claimreel.studio.form.posted import draft_text

    text = FLAGSHIP.read_text(encoding="utf-8")
    pairs = [(k, changes.get(k, v)) for k, v in form_pairs(_fields(text))]
    posted = read_posted(script_schema(), pairs, parse(text, "t").data)
    script = FLAGSHIP  # checked beside the flagship, so its assets resolve as the studio's would
    typed = [(f.path, f.message) for f in draft_findings(script, draft_text(posted))]
    saved = [(f.path, f.message) for f in draft_findings(script, write_yaml(text, posted))]
    assert typed == saved and typed


def test_a_new_cards_index_is_its_own_and_not_that_of_the_lists_inside_it():
    body = _by_name(_fields(TEMPLATE))["body"]
    fact = next(t for t in body.templates if t.item_type == "fact")
    assert fact.name == "body.__i0__"
    compare = _by_name([fact])["body.__i0__.compare"]
    assert [t.name for t in compare.templates] == ["body.__i0__.compare.__i1__"]
    # what the page's script does when a fact card and then a comparison in it are added
    posted_names = [n.replace("__i0__", "n1").replace("__i1__", "n2") for n in
                    ("body.__i0__.type", "body.__i0__.headline", "body.__i0__.compare.__i1__.label",
                     "body.__i0__.compare.__i1__.value")]
    pairs = form_pairs(_fields(TEMPLATE)) + list(zip(posted_names, ["fact", "Flow", "April", "12"]))
    body_data = read_posted(script_schema(), pairs, parse(TEMPLATE, "t").data).data["body"]
    assert body_data[-1] == {"type": "fact", "headline": "Flow", "compare": [{"label": "April", "value": 12}]}


_NAMES = [name for name, _ in form_pairs(_fields(TEMPLATE))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(st.sampled_from(_NAMES), st.text(".abcdy0123n", max_size=12),
                                    st.sampled_from(["body.7.text", "body.x.type", "credits.0", "body!", "body.0"])),
                          st.text(max_size=20)), max_size=40))
def test_any_posted_form_reads_and_writes_without_failing(pairs):
    posted = read_posted(script_schema(), form_pairs(_fields(TEMPLATE)) + pairs, parse(TEMPLATE, "t").data)
    assert isinstance(yaml.safe_load(draft_text(posted)), dict)
    assert isinstance(write_yaml(TEMPLATE, posted), str)
