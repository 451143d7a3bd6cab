"""Starting a script from a published fact-check: ``claimreel new ID --from PAGE``.

The pages are built here from the examples in schema.org's and Google's ClaimReview documentation
(the flat-earth claim reviewed by "Example.com science watch"), in the shapes fact-check sites
publish them: a JSON-LD script block in a page, several reviews on one page, a rating given only by
name, bare JSON-LD, and a page without any.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import yaml

from claimreel.cli import main
from claimreel.script.claimreview import find_reviews, map_rating, review_facts

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://example.com/news/science/worldisflat.html",
    "claimReviewed": "The world is flat",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Square World Society",
                   "sameAs": "https://example.flatworlders.com/we-know-that-the-world-is-flat"},
        "datePublished": "2016-06-20",
        "appearance": {
            "@type": "OpinionNewsArticle",
            "url": "https://example.flatworlders.com/we-know-that-the-world-is-flat",
            "headline": "We Know The World Is Flat",
            "datePublished": "2016-06-22",
            "author": {"@type": "Person", "name": "T. Tellar"},
            "publisher": {"@type": "Organization", "name": "Ground News"},
        },
    },
    "author": {"@type": "Organization", "name": "Example.com science watch"},
    "datePublished": "2016-07-01T10:00:00+00:00",
    "reviewRating": {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
                     "alternateName": "False"},
}

SECOND = {
    "@type": "ClaimReview",
    "url": "https://example.com/news/science/moon.html",
    "claimReviewed": "The moon landing was filmed in a studio",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Skeptic", "jobTitle": "Blogger"},
                     "datePublished": "2019-07-20"},
    "author": {"@type": "Organization", "name": "Example.com science watch", "url": "https://example.com"},
    "datePublished": "2019-07-21",
    "reviewRating": {"@type": "Rating", "alternateName": "Mostly false"},  # the name alone, another case
}


def _page(*blocks: object) -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(b, indent=1)}</script>\n' for b in blocks)
    return (f"<!doctype html><html><head><title>Fact check</title>\n"
            f'<script type="application/ld+json">{{"@type": "WebSite", "name": "Example"}}</script>\n'
            f"{scripts}</head><body><h1>Is the world flat?</h1><script>var x = 1 < 2;</script></body></html>")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_page_fills_the_script_and_it_validates(workspace: Path, capsys) -> None:
    (workspace / "page.html").write_text(_page(REVIEW), encoding="utf-8")
    assert main(["new", "flat-earth", "--from", "page.html"]) == 0
    script = yaml.safe_load((workspace / "scripts" / "flat-earth.yaml").read_text(encoding="utf-8"))
    assert script["claim"]["quote"] == "The world is flat"
    assert script["claim"]["speaker"] == {"name": "Square World Society"}, "no placeholder job title left"
    assert str(script["claim"]["date"]) == "2016-06-20" and str(script["published"]) == "2016-07-01"
    assert script["claim"]["appeared"] == {"name": "We Know The World Is Flat",
                                           "url": "https://example.flatworlders.com/we-know-that-the-world-is-flat"}
    assert script["verdict"]["rating"] == "False"
    assert script["outlet"]["name"] == "Example.com science watch"
    assert script["url"] == "https://example.com/news/science/worldisflat.html"
    assert script["sources"][0]["url"] == script["url"]
    text = (workspace / "scripts" / "flat-earth.yaml").read_text(encoding="utf-8")
    assert "# A claimreel fact-check script" in text, "the template's help comments are kept"
    assert capsys.readouterr().err == "", "nothing left to ask"
    assert main(["validate", "scripts/flat-earth.yaml"]) == 0


def test_several_reviews_on_a_page_are_listed_and_one_is_picked(workspace: Path, capsys) -> None:
    (workspace / "page.html").write_text(_page({"@context": "https://schema.org", "@graph": [REVIEW, SECOND]}),
                                         encoding="utf-8")
    assert main(["new", "moon", "--from", "page.html"]) == 2
    err = capsys.readouterr().err
    assert "reviews 2 claims" in err and "1: The world is flat (False)" in err and "--pick" in err
    assert not (workspace / "scripts" / "moon.yaml").exists(), "nothing written while the choice is open"
    assert main(["new", "moon", "--from", "page.html", "--pick", "2"]) == 0
    script = yaml.safe_load((workspace / "scripts" / "moon.yaml").read_text(encoding="utf-8"))
    assert script["claim"]["quote"] == "The moon landing was filmed in a studio"
    assert script["claim"]["speaker"] == {"name": "A. Skeptic", "title": "Blogger"}
    assert script["verdict"]["rating"] == "Mostly False", "a rating given only by name maps by name"
    assert "appeared" not in script["claim"]
    assert main(["validate", "scripts/moon.yaml"]) == 0


def test_a_rating_the_theme_does_not_have_is_asked_not_guessed(workspace: Path, capsys) -> None:
    review = dict(REVIEW, reviewRating={"@type": "Rating", "alternateName": "Four Pinocchios"})
    (workspace / "page.jsonld").write_text(json.dumps(review), encoding="utf-8")
    assert main(["new", "pinocchio", "--from", "page.jsonld"]) == 0
    err = capsys.readouterr().err
    assert "verdict.rating: the page rates the claim 'Four Pinocchios'" in err and "Mostly False" in err
    assert main(["validate", "scripts/pinocchio.yaml"]) == 2, "the script is not renderable until answered"


def test_bare_json_ld_from_standard_input_and_a_scale_by_value(workspace: Path, monkeypatch) -> None:
    review = dict(REVIEW, reviewRating={"@type": "Rating", "ratingValue": 2, "bestRating": 6, "worstRating": 1})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps([review]).encode())))
    assert main(["new", "by-value", "--from", "-", "--theme", "meter"]) == 0
    script = yaml.safe_load((workspace / "scripts" / "by-value.yaml").read_text(encoding="utf-8"))
    assert script["verdict"]["rating"] == "False" and script["theme"] == "meter", "2 of 1-6 is the meter's fifth"


def test_a_page_without_a_claimreview_says_so(workspace: Path, capsys) -> None:
    (workspace / "page.html").write_text(_page(), encoding="utf-8")
    assert main(["new", "none", "--from", "page.html"]) == 2
    err = capsys.readouterr().err
    assert "page.html: no schema.org ClaimReview found" in err
    assert main(["new", "none", "--from", "missing.html"]) == 2
    assert "missing.html: no such file" in capsys.readouterr().err
    (workspace / "broken.json").write_text('{"@type": "ClaimReview",', encoding="utf-8")
    assert main(["new", "none", "--from", "broken.json"]) == 2
    assert "broken.json: line 1 column" in capsys.readouterr().err
    assert not (workspace / "scripts" / "none.yaml").exists()


def test_reading_is_pure_and_maps_names_loosely() -> None:
    (review,) = find_reviews(_page(REVIEW))
    facts = review_facts(review)
    assert facts.claim_date.isoformat() == "2016-06-20" and facts.rating_value == 1 and facts.best == 5
    scale = ("True", "Mostly True", "Half True", "Mostly False", "False", "Pants on Fire")
    assert map_rating(review_facts(dict(REVIEW, reviewRating={"alternateName": "pants-on-fire!"})), scale) == "Pants on Fire"
    assert map_rating(review_facts(dict(REVIEW, reviewRating={"ratingValue": 3, "bestRating": 5, "worstRating": 1})),
                      scale) is None, "a five-step scale does not map onto six steps by value"
