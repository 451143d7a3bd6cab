"""The studio's "New fact-check": from the template, or from a published fact-check's ClaimReview
(pasted or uploaded), choosing among several, with every answer kept when something is wrong."""

from __future__ import annotations

import json

import yaml

from claimreel.studio.pages.new import suggest_id

from ..studio_support import client, ws  # noqa: F401  (fixtures)
from .test_claimreview_import import REVIEW, SECOND, _page


def test_the_scripts_page_leads_to_a_new_fact_check_from_the_template(ws, client):
    assert 'href="/new"' in client.get("/scripts").text
    form = client.get("/new")
    assert form.status_code == 200 and 'name="title"' in form.text and ">meter</option>" in form.text
    made = client.post(f"/new?csrf={client.csrf}", data={"title": "Mayor's claim: the river is dry", "theme": "default"})
    assert made.status_code == 200 and made.url.path == "/scripts/mayor-s-claim-the-river-is-dry.yaml"
    assert "Created <code>scripts/mayor-s-claim-the-river-is-dry.yaml</code>" in made.text
    script = yaml.safe_load((ws / "scripts" / "mayor-s-claim-the-river-is-dry.yaml").read_text(encoding="utf-8"))
    assert script["title"] == "Mayor's claim: the river is dry"
    assert "Validates." in made.text


def test_a_pasted_page_with_several_reviews_asks_which_and_keeps_the_answers(ws, client):
    page = _page({"@graph": [REVIEW, SECOND]})
    asked = client.post(f"/new?csrf={client.csrf}", data={"page": page, "theme": "default"})
    assert asked.status_code == 200 and "reviews 2 claims" in asked.text
    assert 'value="2"' in asked.text and "The moon landing was filmed in a studio (Mostly false)" in asked.text
    assert not list((ws / "scripts").glob("the-*.yaml")), "nothing written before the choice"
    made = client.post(f"/new?csrf={client.csrf}", data={"page": page, "theme": "default", "pick": "2"})
    assert made.url.path == "/scripts/the-moon-landing-was-filmed-in-a-studio.yaml"
    script = yaml.safe_load((ws / "scripts" / "the-moon-landing-was-filmed-in-a-studio.yaml").read_text("utf-8"))
    assert script["verdict"]["rating"] == "Mostly False"


def test_an_uploaded_page_and_an_unmapped_rating_is_a_question_shown_with_the_script(ws, client):
    review = dict(REVIEW, reviewRating={"@type": "Rating", "alternateName": "Four Pinocchios"})
    sent = client.post(f"/new?csrf={client.csrf}", data={"id": "flat", "theme": "default"},
                       files={"file": ("check.jsonld", json.dumps(review).encode(), "application/ld+json")})
    assert sent.url.path == "/scripts/flat.yaml"
    assert "Left for you to answer" in sent.text and "Four Pinocchios" in sent.text


def test_problems_keep_every_answer_on_the_form(ws, client):
    nothing = client.post(f"/new?csrf={client.csrf}", data={"page": "<html><body>no markup</body></html>",
                                                            "title": "Kept title", "theme": "default"})
    assert nothing.status_code == 400 and 'role="alert"' in nothing.text
    assert "no schema.org ClaimReview found" in nothing.text and 'value="Kept title"' in nothing.text
    taken = client.post(f"/new?csrf={client.csrf}", data={"id": "small-check", "theme": "default"})
    assert taken.status_code == 400 and "already exists" in taken.text
    theme = client.post(f"/new?csrf={client.csrf}", data={"id": "x-1", "theme": "../etc"})
    assert theme.status_code == 400 and "no theme" in theme.text
    refused = client.post("/new", data={"id": "x-2", "theme": "default"})
    assert refused.status_code == 403 and not (ws / "scripts" / "x-2.yaml").exists(), "the CSRF guard holds"


def test_ids_are_suggested_from_titles():
    assert suggest_id("Under U.N. Glare, Beijing Falsely Calls Report 'Illegal'") == "under-u-n-glare-beijing-falsely-calls-report-illegal"
    assert suggest_id("Ça coûte 5 € ?") == "ca-coute-5"
    assert len(suggest_id("word " * 40)) <= 60
