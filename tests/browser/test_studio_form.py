"""A fact-check made from nothing in the studio's form editor, in real headless Chromium.

``claimreel studio`` runs over a workspace with no script (uvicorn on 127.0.0.1, stopped in
``finally``); the browser (form_flow.mjs) makes a new fact-check with a title, then fills the form:
claim, speaker, rating, two quotes (one added as a card), a photo card with an uploaded photo; fixes
the finding shown beside the empty caption; sees the scene's stills; saves; renders a preview and
downloads the social pack. No YAML is typed. axe-core checks the form in every state.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
import yaml

from .test_player_page import _missing
from .test_studio import _assert_clean, _browse, _studio

pytest.importorskip("starlette", reason="the studio needs the studio extra: pip install 'claimreel[studio]'")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]


def test_a_fact_check_from_nothing_through_the_form(tmp_path):
    from ..conftest import make_photo

    ws = tmp_path / "ws"
    (ws / "scripts").mkdir(parents=True)
    (ws / "assets" / "photos").mkdir(parents=True)
    photo = tmp_path / "Bridge.jpg"
    make_photo(photo)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with _studio(ws, tmp_path / "studio.log", "--jobs", "2") as port:
        report = _browse("form_flow.mjs", f"http://127.0.0.1:{port}", "--photo", str(photo), "--downloads",
                         str(downloads), *(["--screenshots", os.environ["FORM_SHOTS"]]
                                           if os.environ.get("FORM_SHOTS") else []),
                         log=tmp_path / "studio.log", timeout=900)

    assert report["formPath"] == "/scripts/bridge-closure-claim.yaml/form"
    assert report["meter"] == "The verdict meter: Mostly False"
    assert report["addedFocus"] == "f-body-n1-text", "focus goes to the added card's first field"
    assert report["moved"] == {"order": ["body.0", "body.1", "body.n1", "body.2"], "focused": "Move this quote up",
                               "status": "Moved the quote block up (not saved yet)."}
    assert report["photoPath"] == "assets/photos/bridge.jpg"
    assert len(report["captionFinding"]) == 1 and report["captionFinding"][0].startswith(
        "must not be empty"), report["captionFinding"]
    assert report["captionInvalid"] == "true"
    assert "photo scene" in report["stills"]["note"], report["stills"]
    (wide_w, wide_h), (tall_w, tall_h) = report["stills"]["sizes"]
    assert wide_w > wide_h and tall_h > tall_w
    assert report["findingsCount"] == "No findings: the script validates."
    assert report["saved"] == {"status": "Saved and checked again.", "focused": "status",
                               "findings": "No findings: the script validates."}

    text = (ws / "scripts" / "bridge-closure-claim.yaml").read_text(encoding="utf-8")
    assert text.startswith("# A claimreel fact-check script."), "the template's comments are kept"
    script = yaml.safe_load(text)
    assert script["title"] == "Bridge closure claim"
    assert script["claim"]["quote"] == "The bridge will close for good in May."
    assert script["claim"]["speaker"]["name"] == "Ana Ruiz" and script["verdict"]["rating"] == "Mostly False"
    assert [b["type"] for b in script["body"]] == ["narration", "quote", "quote", "fact", "photo"]
    assert "id: key-quote    # optional; a name that cuts use" in text, "the template's quote kept its comment"
    quotes = [b for b in script["body"] if b["type"] == "quote"]
    assert [q["text"] for q in quotes] == ["The bridge stays open.", "Repairs end in June."]
    photos = [b for b in script["body"] if b["type"] == "photo"]
    assert photos == [{"type": "photo", "image": "assets/photos/bridge.jpg", "caption": "The bridge on 2 May",
                       "credit": "Test photo", "description": "A steel bridge over a wide river on a cloudy day."}]
    assert (ws / "assets" / "photos" / "bridge.jpg").is_file()

    pack = zipfile.ZipFile(io.BytesIO((downloads / report["pack"]).read_bytes()))
    assert "bridge-closure-claim-full-16x9/video.mp4" in pack.namelist() and "post.txt" in pack.namelist()

    assert report["narrow"] <= 390, "the form scrolls sideways on a phone"
    assert set(report["axe"]) == {"form", "form-finding", "form-edited", "form-saved", "form-narrow"}
    _assert_clean(report, port)


def test_the_form_works_with_javascript_turned_off(tmp_path):
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path / "ws"
    make_workspace(ws)
    with _studio(ws, tmp_path / "studio.log", "--no-runner") as port:
        report = _browse("form_nojs.mjs", f"http://127.0.0.1:{port}/scripts/small-check.yaml/form",
                         log=tmp_path / "studio.log")
    assert report["added"]["status"] == "Added a quote block at the end (not saved yet)."
    assert report["added"]["cards"] == ["body.0", "body.1", "body.2", "body.3"]
    assert report["axe"] == []
    assert report["saved"] == "Saved and checked again." and report["failed"] == []
    script = yaml.safe_load((ws / "scripts" / "small-check.yaml").read_text(encoding="utf-8"))
    assert script["body"][-1] == {"type": "quote", "text": "Typed with no script running.", "attribution": "A reader"}
    assert script["body"][:3] == yaml.safe_load(SMALL_SCRIPT)["body"]


def test_the_ratings_scale_follows_the_theme_as_it_is_typed_and_caption_findings_show_by_their_cards(tmp_path):
    from ..conftest import make_workspace
    from ..unit.test_studio_form_pages import FAST

    ws = tmp_path / "ws"
    make_workspace(ws)
    (ws / "scripts" / "small-check.yaml").write_text(FAST, encoding="utf-8")
    with _studio(ws, tmp_path / "studio.log", "--no-runner") as port:
        report = _browse("form_live.mjs", f"http://127.0.0.1:{port}/scripts/small-check.yaml/form",
                         log=tmp_path / "studio.log")
    assert report["before"]["theme"] == "default" and report["before"]["checked"] == "False"
    three = ["Accurate", "Missing Context", "Inaccurate"]
    typed = report["typed"]
    assert typed["theme"] == "three-step" and typed["options"] == three + ["False"] and typed["steps"] == three
    assert typed["checked"] == "False", "the rating chosen stays chosen (not on the new scale, and it says so)"
    assert typed["status"] == "The rating now offers the three-step theme's scale: " \
                              "Accurate, Missing Context, Inaccurate (not saved yet)."
    assert report["chosen"]["meter"] == "The verdict meter: Inaccurate"
    saved = report["saved"]
    assert saved["theme"] == "three-step" and saved["options"] == three and saved["checked"] == "Inaccurate"
    assert saved["status"] == "Saved and checked again."
    script = yaml.safe_load((ws / "scripts" / "small-check.yaml").read_text(encoding="utf-8"))
    assert script["theme"] == "three-step" and script["verdict"]["rating"] == "Inaccurate"
    for seen in (report["captions"], report["savedCaptions"]):
        assert seen["status"].startswith("2 caption finding(s) in the saved script"), seen
        assert set(seen["lists"]) == {"intro", "body.2"}
        assert all(t.startswith("Caption: cue ") for texts in seen["lists"].values() for t in texts)
    assert report["axe"] == {"theme-typed": [], "theme-saved": []}, report["axe"]
    assert report["failed"] == [] and report["console"] == [], (report["failed"], report["console"])
