"""``claimreview.jsonld``: schema.org ClaimReview and VideoObject (docs/standards.md, "Structured data").

ClaimReview carries the required ``claimReviewed``, ``reviewRating`` (with the
verdict as ``alternateName``) and ``url``, and the recommended ``author``
(the outlet, an Organization), ``itemReviewed`` (a Claim with its author,
date and appearance) and ``datePublished``. VideoObject carries ``name``,
``thumbnailUrl`` and ``uploadDate`` (ISO 8601 with a time zone), and
``description``, ``duration`` (ISO 8601, e.g. ``PT1M43S``), ``contentUrl``,
``embedUrl`` and ``transcript``.

File addresses (video, poster, player page) are made only from the address the
package is published at (``publish.media_base_url`` in the script, or
``render --media-base-url``): the output folder's files are served under it.
Without one, ``contentUrl``, ``embedUrl`` and ``thumbnailUrl`` are left out rather
than guessed (the article's address says nothing about where its media live), and
``validate`` says so. The upload date is the video's own publication day at 00:00 UTC
(scripts give a date, not a time): ``publish.date`` when the script gives one, else the day
it is rendered; not the article's ``published`` day, which is the ClaimReview's.

The text is JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes, so it can
be pasted into a ``<script type="application/ld+json">`` element as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence
from urllib.parse import urljoin

from ..script.model import Script
from .html import json_for_script

__all__ = ["claimreview", "claimreview_jsonld", "iso_duration", "upload_date"]


def iso_duration(ms: int) -> str:
    """ISO 8601 duration rounded to whole seconds: ``PT1M43S``, ``PT1H2M5S``, ``PT0S``."""
    seconds = max(0, round(ms / 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return out + (f"{seconds}S" if seconds or out == "PT" else "")


def upload_date(script: Script, rendered: dt.date | None = None) -> dt.date:
    """The day the video is published: ``publish.date``, else the day it is rendered (``rendered``,
    default today in UTC)."""
    if script.publish is not None and script.publish.date is not None:
        return script.publish.date
    return rendered or dt.datetime.now(dt.timezone.utc).date()


def _address(base: str, path: str) -> str:
    return urljoin(base if base.endswith("/") else base + "/", path)


def claimreview(
    script: Script,
    *,
    formats: Sequence[str],
    duration_ms: int,
    transcript: str,
    rating_scale: Sequence[str] = (),
    media_base: str | None = None,
    rendered: dt.date | None = None,
) -> dict[str, object]:
    """The JSON-LD document as data: a ``@graph`` holding the ClaimReview and the VideoObject.

    ``media_base``: where the package's files are served; ``rendered``: the day of the render,
    the upload date when the script gives no ``publish.date`` (default today, UTC; see the
    module docstring)."""
    claim, verdict = script.claim, script.verdict
    url = script.url or script.outlet.url
    outlet: dict[str, object] = {"@type": "Organization", "name": script.outlet.name}
    if script.outlet.url:
        outlet["url"] = script.outlet.url
    rating: dict[str, object] = {"@type": "Rating", "alternateName": verdict.shown}
    folded = [r.casefold() for r in rating_scale]
    if verdict.rating.casefold() in folded:  # the scale runs best (the claim holds) first to worst last
        rank = folded.index(verdict.rating.casefold())
        rating.update(ratingValue=len(folded) - rank, bestRating=len(folded), worstRating=1)
    speaker: dict[str, object] = {"@type": "Person", "name": claim.speaker.name}
    if claim.speaker.title:
        speaker["jobTitle"] = claim.speaker.title
    # A month is written as one (ISO 8601 reduced precision); an approximate day says so in ``temporal``.
    item: dict[str, object] = {"@type": "Claim", "author": speaker, "datePublished": claim.date.iso}
    if claim.date.approximate:
        item["temporal"] = f"approximately {claim.date.iso}"
    if claim.appeared:
        appearance: dict[str, object] = {"@type": "CreativeWork", "name": claim.appeared.name}
        if claim.appeared.url:
            appearance["url"] = claim.appeared.url
        item["appearance"] = appearance
        item["firstAppearance"] = appearance
    first = formats[0]
    video: dict[str, object] = {
        "@type": "VideoObject",
        "@id": (_address(media_base, f"{first}/video.mp4") if media_base else "") + "#video",
        "name": script.title,
        "description": script.summary or f"{claim.quote} \u2014 {verdict.shown}: {verdict.summary}",
        "uploadDate": dt.datetime.combine(upload_date(script, rendered), dt.time(0, 0), dt.timezone.utc).isoformat(),
        "duration": iso_duration(duration_ms),
        "inLanguage": script.language,
        "publisher": outlet,
        "transcript": transcript,
    }
    if media_base:
        video.update(
            thumbnailUrl=[_address(media_base, f"{name}/poster.jpg") for name in formats],
            contentUrl=_address(media_base, f"{first}/video.mp4"),
            embedUrl=_address(media_base, f"{first}/index.html"),
        )
    review: dict[str, object] = {
        "@type": "ClaimReview",
        "claimReviewed": claim.quote,
        "reviewRating": rating,
        "author": outlet,
        "itemReviewed": item,
        "datePublished": script.published.isoformat(),
        "name": script.title,
        "inLanguage": script.language,
        "associatedMedia": {"@id": video["@id"]},
    }
    if url:
        review["url"] = url
    return {"@context": "https://schema.org", "@graph": [review, video]}


def claimreview_jsonld(script: Script, **kwargs: object) -> str:
    """``claimreview.jsonld`` as text (see :func:`claimreview` for the arguments)."""
    return json_for_script(claimreview(script, **kwargs), indent=2) + "\n"  # type: ignore[arg-type]
