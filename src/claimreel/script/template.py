"""The commented starting script written by ``claimreel new ID``.

The template validates as written, assets checked included: it names no files
(colour background, initials monogram instead of a speaker photo, no logo), so
the caller need create no asset. Photo examples are there but commented out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from claimreel.errors import ClaimreelError
from claimreel.script.fields import ID_PATTERN, RATINGS

if TYPE_CHECKING:
    from .claimreview import ReviewFacts

__all__ = ["new_script_text", "pick_review", "script_from_review", "script_text_from_page", "theme_scale"]

_TEMPLATE = """\
# A claimreel fact-check script. Check it with:  claimreel validate {path}
# Render it with:                                 claimreel render {path}
# Text that contains ': ' or ' #', or starts with a quote mark, must itself be quoted.
# Asset paths (photos, logos) are written from the workspace folder, e.g. assets/photos/x.jpg
# For autocompletion in an editor:  claimreel schema > script.schema.json

id: {script_id}
title: {title}
language: en
published: {today}
# url: https://example.org/fact-checks/{script_id}
outlet:
  name: Your Newsroom
  # url: https://example.org
  # logo: assets/logos/newsroom.png

summary: >-
  One paragraph that says what the video checks and what it found.
intro: >-
  What the narrator says over the title card.

claim:
  quote: "Replace with the claim, in the speaker's exact words."
  speaker:
    name: Firstname Lastname
    title: Their role, e.g. Foreign Ministry Spokesperson
    # photo: assets/photos/speaker.jpg    # without a photo, their initials are shown
  date: {today}    # or a month (2024-05), or {{day: {today}, approximate: true}}; never after published
  appeared:
    name: Where it was said, e.g. Regular press conference
    # url: https://example.org/transcript
  narration: >-
    What the narrator says over the claim card.

verdict:
  rating: "{rating}"    # one of the theme's ratings; the default theme's: {ratings}
  # label: Wrong        # the word shown and published for the verdict, instead of the rating's name
  summary: The verdict in one sentence.
  narration: >-
    What the narrator says over the verdict card.

body:
  - type: narration
    narration: >-
      The evidence, told plainly. Each block becomes one scene; its narration
      is spoken and captioned.
    on_screen: A short heading
    background:
      color: "#1f2a44"
      # photo: assets/photos/background.jpg   # instead of color
      # focus: [0.5, 0.4]

  - type: quote
    id: key-quote    # optional; a name that cuts use to include this block
    text: "The quoted words, exactly as published."
    attribution: Who said or wrote it, and when
    narration: >-
      What the narrator says while the quote is shown.

  - type: fact
    headline: What the number means
    compare:
      - label: First value
        value: 243
      - label: Second value
        value: 32.1
    source: Where the numbers come from
    narration: >-
      What the narrator says over the numbers.

  # - type: photo
  #   image: assets/photos/example.jpg
  #   caption: What and where, in a few words
  #   credit: Photographer / Agency
  #   description: What the photo shows, for blind and low-vision viewers.
  #   focus: [0.5, 0.5]
  #   narration: What the narrator says over the photo.

credits:
  - role: Video producer
    name: Your Name

sources:
  - title: The report or document relied on
    # url: https://example.org/report
    publisher: Who published it

voice:
  # engine: piper     # English is said by Piper's neural voice; espeak for the robot voice,
  #                   # recorded for your own voice-over (see docs/voice.md)
  voice: en-us
  rate: 165
# pronounce:          # names said right, by every engine: a respelling, or IPA in [[...]]
#   Xinjiang: "shin-jyahng"

formats: ["16x9"]    # any of 16x9, 9x16, 1x1, 4x5
# theme: default     # assets/themes/<name>: colours, fonts and the rating scale (three-step, meter...)

# Where the rendered folder will be served, for the video addresses in claimreview.jsonld
# (left out without it; render --media-base-url does the same for one render):
# publish:
#   media_base_url: https://media.example.org/fact-checks/{script_id}/

# Social cuts: short clips rendered beside each format (<format>/cuts/<name>/), captions re-timed.
# scenes: title, claim, verdict, credits, or a body block's id (or its number, 1 for the first).
# cuts:
#   - name: claim-verdict
#     title: The claim and our verdict
#     scenes: [claim, verdict]
#   - name: key-finding
#     scenes: [claim, verdict, key-quote]
"""


def new_script_text(script_id: str, *, today: dt.date | None = None, title: str | None = None) -> str:
    """A commented script for ``script_id`` that validates as is; ``today`` defaults to the clock,
    ``title`` to a placeholder that says what to write there."""
    if not re.match(ID_PATTERN, script_id):
        raise ClaimreelError(
            f"{script_id!r} is not a valid script id: use lower-case letters, digits and dashes, "
            "starting with a letter or digit, at most 64 characters (e.g. vaccine-claim-2024)"
        )
    return _TEMPLATE.format(
        script_id=script_id,
        title=json.dumps(title or "Replace with the headline of the fact-check", ensure_ascii=False),
        path=f"scripts/{script_id}.yaml",
        today=(today or dt.date.today()).isoformat(),
        rating=RATINGS[-1],
        ratings=", ".join(RATINGS),
    )


def script_from_review(script_id: str, facts: "ReviewFacts", scale: tuple[str, ...], *, theme: str = "default",
                       today: dt.date | None = None) -> tuple[str, list[str]]:
    """The template for ``script_id`` filled from a published ClaimReview, its comments kept (a
    round trip through ruamel.yaml); and the questions left for the user (a rating the theme's
    ``scale`` does not have, a date the page does not give), each naming the field to set."""
    from io import StringIO

    from ruamel.yaml import YAML

    from .claimreview import map_rating

    yaml = YAML()  # round-trip: comments, key order and quoting of the template stay
    yaml.width = 100
    doc = yaml.load(new_script_text(script_id, today=today))
    questions: list[str] = []
    if facts.headline:
        doc["title"] = facts.headline
    if facts.published:
        doc["published"] = facts.published.isoformat()
    if facts.url:
        doc["url"] = facts.url
    if facts.outlet:
        doc["outlet"]["name"] = facts.outlet
        if facts.outlet_url:
            doc["outlet"]["url"] = facts.outlet_url
    claim = doc["claim"]
    claim["quote"] = facts.claim
    if facts.speaker:
        claim["speaker"]["name"] = facts.speaker
        if facts.speaker_title:
            claim["speaker"]["title"] = facts.speaker_title
        else:
            del claim["speaker"]["title"]
    else:
        questions.append("claim.speaker.name: the page does not say who made the claim; who did?")
    if facts.claim_date:
        claim["date"] = facts.claim_date.isoformat()
    else:
        claim["date"] = doc["published"]
        questions.append("claim.date: the page gives no date for the claim (the review's date stands in); "
                         "when was it said?")
    if facts.appeared_name or facts.appeared_url:
        claim["appeared"]["name"] = facts.appeared_name or "Where the claim appeared"
        if facts.appeared_url:
            claim["appeared"]["url"] = facts.appeared_url
    else:
        del claim["appeared"]
    rating = map_rating(facts, scale)
    if rating is None:
        doc["verdict"]["rating"] = facts.rating_text
        questions.append(f"verdict.rating: the page rates the claim {facts.rating_text!r}, which is not on the "
                         f"{theme!r} theme's scale ({', '.join(scale)}); which rating is it?")
    else:
        doc["verdict"]["rating"] = rating
    if facts.explanation:
        doc["verdict"]["summary"] = facts.explanation
    if facts.author:
        doc["credits"].insert(0, {"role": "Fact-check", "name": facts.author})
    if facts.url:
        source = {"title": facts.headline or f"Fact-check: {facts.claim}", "url": facts.url}
        if facts.outlet:
            source["publisher"] = facts.outlet
        doc["sources"].insert(0, source)
    if theme != "default":
        doc["theme"] = theme
    out = StringIO()
    yaml.dump(doc, out)
    return out.getvalue(), questions


def pick_review(reviews: list[dict], pick: int | None, source: str) -> dict:
    """The ClaimReview the user chose; several without a choice is a question, listing them."""
    from claimreel.script.claimreview import review_facts

    if pick is None and len(reviews) == 1:
        return reviews[0]
    if pick is not None and 1 <= pick <= len(reviews):
        return reviews[pick - 1]
    listed = "\n".join(f"  {n}: {review_facts(r).claim[:90]} ({review_facts(r).rating_text})"
                       for n, r in enumerate(reviews, 1))
    asked = f"the claim numbered {pick} is not one of them" if pick is not None else "choose one by its number"
    raise ClaimreelError(f"{source}: the page reviews {len(reviews)} claims; {asked} (the pick option):\n{listed}"
                         ).naming("pick")


def theme_scale(workspace: Path, theme: str) -> tuple[str, ...]:
    """Theme ``theme``'s rating scale, best first, as a script in ``workspace`` finds the theme."""
    from claimreel.script.themes import rating_scale

    scale = rating_scale(workspace, theme)
    if scale is None:
        raise ClaimreelError(f"theme {theme!r}: no such theme (or its theme.yaml cannot be read); "
                             "use one in assets/themes, e.g. default, meter or three-step")
    return scale


def script_text_from_page(script_id: str, page: str, source: str, *, pick: int | None, theme: str,
                          workspace: Path) -> tuple[str, list[str]]:
    """A new script's text from a fact-check page, and the questions it leaves (see
    :func:`script_from_review`)."""
    from claimreel.script.claimreview import find_reviews, review_facts

    facts = review_facts(pick_review(find_reviews(page, source), pick, source))
    return script_from_review(script_id, facts, theme_scale(workspace, theme), theme=theme)
