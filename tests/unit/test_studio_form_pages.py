"""The form editor in the real studio app (in-process): the page, saving (comments kept, the YAML
view showing what the form saved), the three-way merge on a stale save, the buttons without script,
findings per field as JSON, the edited scene's stills, and a photo uploaded from a card."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import urlencode

import yaml
from PIL import Image

from claimreel.script.yamltree import parse
from claimreel.studio.form.fields import build_form, form_pairs
from claimreel.studio.form.schema_walk import script_schema

from ..conftest import SMALL_SCRIPT
from ..studio_support import NAME, client, ws  # noqa: F401  (fixtures)

COMMENTED = SMALL_SCRIPT.replace("  summary: The river was running on that day.",
                                 "  summary: The river was running on that day.  # checked with the gauge")


def _pairs(text: str) -> list[tuple[str, str]]:
    return form_pairs(build_form(script_schema(), parse(text, "t").data, ("True", "False")))


def _opened(client) -> tuple[str, str]:
    page = client.get(f"/scripts/{NAME}/form")
    assert page.status_code == 200
    base = re.search(r'name="base" value="(\w+)"', page.text).group(1)
    return page.text, base


def _post(client, path: str, pairs: list[tuple[str, str]], **kw):
    return client.post(path, content=urlencode(pairs), headers={
        "content-type": "application/x-www-form-urlencoded", "x-csrf-token": client.csrf}, **kw)


def _changed(text: str, changes: dict[str, str], base: str, extra: tuple = ()) -> list[tuple[str, str]]:
    return [(k, changes.get(k, v)) for k, v in _pairs(text)] + [("original", text), ("base", base), *extra]


def test_the_form_is_the_script_labelled_with_its_help_and_the_themes_scale(ws, client):
    script = client.get(f"/scripts/{NAME}")
    assert f'href="/scripts/{NAME}/form"' in script.text
    page, _ = _opened(client)
    assert '<label for="f-claim-quote">Quote <span class="req">(required)</span></label>' in page
    assert 'aria-describedby="f-claim-quote-help f-claim-quote-findings"' in page
    assert '<p id="f-claim-quote-help" class="help">The claim in the speaker&#39;s exact words</p>' in page
    assert page.count('name="verdict.rating"') == 6 and 'value="False" checked' in page
    assert 'fill="#c0262d" data-step="False"' in page  # the meter, in the theme's colours
    assert "Photo block" in page and "Quote block" in page and "Fact block" in page
    assert 'name="body.0.image.upload"' in page
    assert '<nav aria-label="Parts of the script" class="parts">' in page and '<a href="#f-body">Body</a>' in page


def test_saving_the_form_keeps_comments_and_the_yaml_view_shows_what_the_form_saved(ws, client):
    (ws / "scripts" / NAME).write_text(COMMENTED, encoding="utf-8")
    _, base = _opened(client)
    saved = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                  _changed(COMMENTED, {"claim.speaker.name": "Ana María Ruiz"}, base, (("op", "save"),)))
    assert saved.status_code == 200 and saved.url.path == f"/scripts/{NAME}/form"
    assert "Saved and checked again." in saved.text
    text = (ws / "scripts" / NAME).read_text(encoding="utf-8")
    assert text == COMMENTED.replace("name: Ana Ruiz", "name: Ana María Ruiz")
    # the two views agree: the YAML editor holds the file, and the form shows it again as saved
    assert "speaker: {name: Ana María Ruiz, title: Mayor of Testville}" in client.get(f"/scripts/{NAME}").text
    assert 'value="Ana María Ruiz"' in saved.text
    assert _pairs(text) == [(k, "Ana María Ruiz" if k == "claim.speaker.name" else v) for k, v in _pairs(COMMENTED)]


def test_a_stale_save_merges_other_fields_and_keeps_both_versions_when_the_same_field_changed(ws, client):
    _, base = _opened(client)
    path = ws / "scripts" / NAME
    path.write_text(SMALL_SCRIPT.replace("intro: A quick check.", "intro: A quick check, edited elsewhere."),
                    encoding="utf-8")
    merged = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                   _changed(SMALL_SCRIPT, {"title": "A new title"}, base))
    assert merged.status_code == 200 and "merged with the edit someone saved meanwhile" in merged.text
    text = path.read_text(encoding="utf-8")
    assert "title: A new title" in text and "intro: A quick check, edited elsewhere." in text
    now = path.read_text(encoding="utf-8")
    clash = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                  _changed(SMALL_SCRIPT, {"intro": "My own intro."}, base))
    assert clash.status_code == 409 and "My own intro." in clash.text and "edited elsewhere" in clash.text
    assert path.read_text(encoding="utf-8") == now, "nothing written over the newer file"


def test_without_script_the_item_buttons_add_and_remove_cards_unsaved(ws, client):
    _, base = _opened(client)
    added = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                  _changed(SMALL_SCRIPT, {}, base, (("op", "add:body:quote"),)))
    assert added.status_code == 200 and "Added a quote block at the end (not saved yet)." in added.text
    assert 'name="body.3.text"' in added.text and 'name="body.3.type" value="quote"' in added.text
    assert "field required (add &#39;text:&#39;" in added.text  # the new card's findings, beside its fields
    assert (ws / "scripts" / NAME).read_text(encoding="utf-8") == SMALL_SCRIPT
    removed = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                    _changed(SMALL_SCRIPT, {}, base, (("op", "remove:body.1"),)))
    assert 'name="body.2.text"' not in removed.text and "Removed item 2" in removed.text
    stale = _post(client, f"/scripts/{NAME}/form?csrf={client.csrf}",
                  _changed(SMALL_SCRIPT, {}, base, (("op", "remove:body.9"),)))
    assert stale.status_code == 400 and "that item is not on the form; open the form again" in stale.text


def test_findings_of_the_unsaved_form_come_back_by_field_in_validates_words(ws, client):
    _, base = _opened(client)
    found = _post(client, f"/scripts/{NAME}/form/findings",
                  _changed(SMALL_SCRIPT, {"verdict.rating": "Flase", "body.0.caption": ""}, base)).json()
    assert found["count"] == 2 and found["other"] == []
    assert found["fields"]["verdict.rating"][0].startswith("unknown rating 'Flase' (did you mean 'False'?")
    assert set(found["fields"]) == {"verdict.rating", "body.0.caption"}
    refused = client.post(f"/scripts/{NAME}/form/findings", data={"original": SMALL_SCRIPT})
    assert refused.status_code == 403, "the CSRF guard holds"


def test_the_scene_being_edited_is_drawn_in_both_shapes_from_the_unsaved_form(ws, client):
    _, base = _opened(client)
    sent = _changed(SMALL_SCRIPT, {"body.1.text": "It was flowing fast."}, base, (("focus", "body.1.text"),))
    drawn = _post(client, f"/scripts/{NAME}/form/stills", sent).json()
    assert drawn["scene"].startswith("quote scene")
    sizes = {}
    for fmt, url in drawn["stills"].items():
        image = client.get(url)
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
        sizes[fmt] = Image.open(io.BytesIO(image.content)).size
    assert sizes["16x9"][0] > sizes["16x9"][1] and sizes["9x16"][0] < sizes["9x16"][1]
    again = _post(client, f"/scripts/{NAME}/form/stills", sent).json()
    assert again == drawn  # kept by content: the same form draws nothing again
    broken = _post(client, f"/scripts/{NAME}/form/stills",
                   _changed(SMALL_SCRIPT, {"verdict.rating": "Flase"}, base, (("focus", "verdict.rating"),))).json()
    assert broken["message"].startswith("The scene is drawn once the script checks")
    assert client.get(f"/scripts/{NAME}/form/stills/..%2Fx.jpg").status_code == 404


def test_a_photo_chosen_in_a_card_is_stored_and_written_into_its_field(ws, client):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 160)).save(buf, "JPEG")
    _, base = _opened(client)
    files = [(k, (None, v)) for k, v in _changed(SMALL_SCRIPT, {}, base, (("op", "save"),))]
    files.append(("body.0.image.upload", ("Bridge Photo.JPG", buf.getvalue(), "image/jpeg")))
    saved = client.post(f"/scripts/{NAME}/form?csrf={client.csrf}", files=files)
    assert saved.status_code == 200 and "Saved and checked again." in saved.text
    assert (ws / "assets" / "photos" / "bridge-photo.jpg").is_file()
    script = yaml.safe_load((ws / "scripts" / NAME).read_text(encoding="utf-8"))
    assert script["body"][0]["image"] == "assets/photos/bridge-photo.jpg"
    at_once = client.post(f"/scripts/{NAME}/form/photo", headers={"x-csrf-token": client.csrf},
                          files={"photo": ("notes.txt", b"hello", "text/plain")})
    assert at_once.status_code == 415 and "only JPEG, PNG or WebP photos" in at_once.json()["error"]


def test_a_script_whose_yaml_does_not_read_sends_the_editor_to_the_yaml_view(ws, client):
    (ws / "scripts" / NAME).write_text("id: small-check\ntitle: [unclosed\n", encoding="utf-8")
    page = client.get(f"/scripts/{NAME}/form")
    assert page.status_code == 200
    assert "The script's YAML does not read, so it cannot be shown as a form." in page.text
    assert "<li>line 3: invalid YAML: expected" in page.text
    assert f'href="/scripts/{NAME}#text"' in page.text and "invalid YAML" in page.text
    refused = _post(client, f"/scripts/{NAME}/form/findings", [("original", "title: [unclosed\n")])
    assert refused.status_code == 400 and "fix it in the YAML editor first" in refused.text


def test_a_yaml_save_shows_in_the_form_at_once(ws, client):
    page = client.get(f"/scripts/{NAME}")
    base = re.search(r'name="base" value="(\w+)"', page.text).group(1)
    edited = SMALL_SCRIPT.replace("intro: A quick check.", "intro: Checked in the YAML view.")
    saved = client.post(f"/scripts/{NAME}?csrf={client.csrf}", data={"text": edited, "base": base,
                                                                      "original": SMALL_SCRIPT})
    assert saved.status_code == 200
    form, _ = _opened(client)
    assert "Checked in the YAML view.</textarea>" in form
    assert ("intro", "Checked in the YAML view.") in _pairs((ws / "scripts" / NAME).read_text(encoding="utf-8"))


def test_the_ratings_scale_and_meter_for_a_theme_typed_in_the_form(ws, client):
    page, _ = _opened(client)
    assert 'class="scale-meter" id="f-verdict-rating-scale" data-theme="default"' in page
    other = client.get(f"/scripts/{NAME}/form/scale", params={"theme": "three-step", "rating": "Inaccurate"}).json()
    assert other["theme"] == "three-step" and other["known"] is True
    assert other["scale"] == ["Accurate", "Missing Context", "Inaccurate"]
    html = other["html"]
    assert html.startswith('<div class="scale-meter" id="f-verdict-rating-scale" data-theme="three-step">')
    assert html.count('name="verdict.rating"') == 3 and 'value="Inaccurate" checked' in html
    assert 'fill="#c0262d" data-step="Inaccurate"' in html and "The verdict meter: Inaccurate" in html
    # a rating not on the new scale stays chosen and says so, as the saved page would show it
    kept = client.get(f"/scripts/{NAME}/form/scale", params={"theme": "three-step", "rating": "False"}).json()
    assert "False (not on the theme's scale)" in kept["html"] and 'value="False" checked' in kept["html"]
    # a name that is no theme (yet: being typed) shows the default theme's scale, as saving it would
    typing = client.get(f"/scripts/{NAME}/form/scale", params={"theme": "three-st"}).json()
    assert typing["theme"] == "default" and typing["known"] is False and "Mostly False" in typing["scale"]
    # the same markup the page itself holds once the theme is saved
    (ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace("language: en", "language: en\ntheme: three-step")
                                       .replace('rating: "False"', "rating: Inaccurate"), encoding="utf-8")
    saved, _ = _opened(client)
    assert html in saved
    assert client.get("/scripts/..%2Fx.yaml/form/scale", params={"theme": "default"}).status_code in (400, 404)


FAST = SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: fake, rate: 330}").replace(
    "intro: A quick check.", "intro: Internationalization, telecommunications, institutionalization.").replace(
    "narration: Flow fell later.", "narration: Internationalization, telecommunications, institutionalization. "
                                   "Internationalization, telecommunications, institutionalization.")


def _caption_lists(page: str) -> dict[str, list[str]]:
    lists = re.findall(r'<ul id="[^"]+-captions" class="caption-findings" data-captions="([^"]+)">(.*?)</ul>', page, re.S)
    return {slot: re.findall(r"<li><strong>Caption:</strong> (.*?)</li>", items, re.S) for slot, items in lists}


def test_caption_findings_of_the_saved_script_are_shown_with_the_card_whose_scene_holds_the_cue(ws, client):
    (ws / "scripts" / NAME).write_text(FAST, encoding="utf-8")
    page, base = _opened(client)
    assert 'data-pending="1"' in page and "Checking the saved script&#39;s captions" in page
    assert "not as you type: they need the narration&#39;s timings" in page
    assert f'href="/scripts/{NAME}/form?captions=1#captions">Wait for them</a>' in page
    assert set(_caption_lists(page)) == {"title", "intro", "claim", "verdict", "body.0", "body.1", "body.2", "credits"}
    found = client.get(f"/scripts/{NAME}/form/captions", params={"base": base}).json()
    assert found["stale"] is False and found["other"] == []
    assert set(found["fields"]) == {"intro", "body.2"}, found["fields"]
    assert all(t.startswith("cue ") and ": cps" in t for texts in found["fields"].values() for t in texts)
    # once the report is made the page holds them itself (and without script, as the link waits for them)
    again, _ = _opened(client)
    assert 'data-pending="1"' not in again and "caption finding(s) in the saved script" in again
    lists = _caption_lists(again)
    assert {slot: [html.unescape(t) for t in texts] for slot, texts in lists.items() if texts} == found["fields"]
    # in the script page's words (its caption findings, at the lines of the same blocks)
    script = html.unescape(re.sub(r"</?code>", "", client.get(f"/scripts/{NAME}").text))
    assert all(t in script for texts in found["fields"].values() for t in texts)
    stale = client.get(f"/scripts/{NAME}/form/captions", params={"base": "0" * 24}).json()
    assert stale["stale"] is True and "open the form again" in stale["status"]
    # a new version: not known yet, so the page says it is checking, and ?captions=1 waits for them
    (ws / "scripts" / NAME).write_text(FAST.replace("title: A short", "title: A shorter"), encoding="utf-8")
    waited = client.get(f"/scripts/{NAME}/form", params={"captions": "1"}).text
    assert 'data-pending="1"' not in waited and set(k for k, v in _caption_lists(waited).items() if v) == {"intro", "body.2"}


def test_a_script_that_does_not_validate_has_its_captions_checked_once_it_does(ws, client):
    (ws / "scripts" / NAME).write_text(FAST.replace('rating: "False"', "rating: Flase"), encoding="utf-8")
    page = client.get(f"/scripts/{NAME}/form", params={"captions": "1"}).text
    assert "Captions are checked once the saved script validates." in page
    assert not any(_caption_lists(page).values())
