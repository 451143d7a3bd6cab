"""Reading a published fact-check's schema.org ClaimReview, to start a script from it.

Fact-check pages carry their ClaimReview as JSON-LD (``<script type="application/ld+json">``),
alone, in a list or in an ``@graph``. :func:`find_reviews` finds every ClaimReview in a page's
HTML or in JSON-LD text; :func:`review_facts` reads one into the fields a script needs. Both are
pure: no file or network is touched, so the studio and the command line share them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Iterator

from ..errors import ClaimreelError

__all__ = ["ReviewFacts", "decode_page", "find_reviews", "map_rating", "review_facts"]


def decode_page(data: bytes) -> str:
    """A saved page's text: UTF-8 (a byte-order mark dropped), else Latin-1, an old page's usual
    charset; the JSON-LD that matters is ASCII-safe either way."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class NoClaimReview(ClaimreelError):
    """The page holds no ClaimReview markup."""


class _JsonLdBlocks(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">`` element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _json_documents(text: str, source: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return [json.loads(stripped)]
        except json.JSONDecodeError as exc:
            raise ClaimreelError(f"{source}: line {exc.lineno} column {exc.colno}: not valid JSON-LD ({exc.msg}); "
                                 "paste the whole JSON-LD block, or the page's HTML") from exc
    parser = _JsonLdBlocks()
    parser.feed(text)
    parser.close()
    documents = []
    for block in parser.blocks:
        try:
            documents.append(json.loads(block))
        except json.JSONDecodeError:
            continue  # a page's other, broken JSON-LD does not hide a good ClaimReview
    return documents


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``value``, depth first (lists and ``@graph`` included)."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", ())
    kinds = [kind] if isinstance(kind, str) else list(kind) if isinstance(kind, list) else []
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds}


def find_reviews(text: str, source: str = "<page>") -> list[dict[str, Any]]:
    """Every ClaimReview object in ``text`` (a page's HTML, or JSON-LD), in page order.

    Raises :class:`NoClaimReview` when there is none, naming what was looked for.
    """
    reviews = [node for doc in _json_documents(text, source) for node in _nodes(doc) if "ClaimReview" in _types(node)]
    if not reviews:
        raise NoClaimReview(
            f"{source}: no schema.org ClaimReview found (looked in the page's JSON-LD script blocks); "
            "save the fact-check page itself (its HTML carries the markup) or paste its ClaimReview JSON-LD"
        )
    return reviews


@dataclass(frozen=True)
class ReviewFacts:
    """What a ClaimReview says, as a script's fields want it (None where the page does not say)."""

    claim: str
    headline: str | None
    speaker: str | None
    speaker_title: str | None
    claim_date: dt.date | None
    appeared_name: str | None
    appeared_url: str | None
    rating_name: str | None
    rating_value: int | None
    best: int | None
    worst: int | None
    explanation: str | None
    outlet: str | None
    outlet_url: str | None
    author: str | None
    published: dt.date | None
    url: str | None

    @property
    def rating_text(self) -> str:
        """The page's rating as a reader sees it: its name, else its value on the scale."""
        if self.rating_name:
            return self.rating_name
        if self.rating_value is not None and self.best is not None and self.worst is not None:
            return f"{self.rating_value} on a scale from {self.worst} to {self.best}"
        return "no rating"


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("headline")
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), {})
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> dt.date | None:
    text = _text(value)
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _url(node: dict[str, Any]) -> str | None:
    url = _text(node.get("url")) or _text(node.get("sameAs"))
    return url if url and re.match(r"https?://", url) else None


def review_facts(review: dict[str, Any]) -> ReviewFacts:
    """The fields of one ClaimReview (from :func:`find_reviews`)."""
    item = _first(review.get("itemReviewed"))
    speaker = _first(item.get("author"))
    appearance = _first(item.get("appearance")) or _first(item.get("firstAppearance"))
    rating = _first(review.get("reviewRating"))
    outlet = _first(review.get("author")) or _first(review.get("publisher"))
    person = next((p for p in (_first(review.get("author")), _first(review.get("creator")))
                   if "Person" in _types(p)), {})
    claim = _text(review.get("claimReviewed")) or _text(item.get("name")) or _text(item.get("text"))
    if not claim:
        raise ClaimreelError("the ClaimReview gives no claimReviewed text; the script needs the claim's words")
    return ReviewFacts(
        claim=claim,
        headline=_text(review.get("headline")) or _text(review.get("name")),
        speaker=_text(speaker.get("name")),
        speaker_title=_text(speaker.get("jobTitle")),
        claim_date=_date(item.get("datePublished")) or _date(appearance.get("datePublished")),
        appeared_name=_text(appearance.get("headline")) or _text(appearance.get("name")),
        appeared_url=_url(appearance),
        rating_name=_text(rating.get("alternateName")) or _text(rating.get("name")),
        rating_value=_int(rating.get("ratingValue")),
        best=_int(rating.get("bestRating")),
        worst=_int(rating.get("worstRating")),
        explanation=_text(rating.get("ratingExplanation")) or _text(review.get("description")),
        outlet=_text(outlet.get("name")) if "Person" not in _types(outlet) else None,
        outlet_url=_url(outlet) if "Person" not in _types(outlet) else None,
        author=_text(person.get("name")),
        published=_date(review.get("datePublished")),
        url=_text(review.get("url")),
    )


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def map_rating(facts: ReviewFacts, scale: tuple[str, ...]) -> str | None:
    """The rating of ``scale`` (best first, as themes list them) the review gives: by name (case,
    spaces and punctuation aside), else by value when the review's scale has as many steps as the
    theme's; None when it does not map (the user is asked)."""
    if facts.rating_name:
        for label in scale:
            if _fold(label) == _fold(facts.rating_name):
                return label
    value, best, worst = facts.rating_value, facts.best, facts.worst
    if value is not None and best is not None and worst is not None and best > worst:
        if best - worst + 1 == len(scale) and worst <= value <= best:
            return scale[best - value]
    return None
