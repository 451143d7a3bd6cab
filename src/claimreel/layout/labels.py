"""Fixed on-screen words ("THE CLAIM", "OUR VERDICT", rating names...) in the script's language.

The words come, later winning: the English defaults here, the theme's ``labels.en``,
the theme's set for the script's language (``labels.zh`` for ``language: zh-Hans``:
the primary subtag of the BCP 47 tag), then the script's own ``labels:``. Rating
names shown on the verdict card come from the language set's ``ratings:`` map
(rating -> display name) unless the script gives ``verdict.label``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Mapping

from ..script.claim import ClaimDate
from ..script.fields import LABEL_KEYS
from ..script.model import Script

__all__ = ["DEFAULT_LABELS", "LABEL_KEYS", "Labels", "primary_language", "resolve_labels"]

#: English, as the scenes showed them before labels could be changed.
DEFAULT_LABELS: Mapping[str, str] = {
    "claim": "THE CLAIM",
    "verdict": "OUR VERDICT",
    "fact_check": "FACT CHECK",
    "credits": "Credits",
    "sources": "SOURCES",
    "claim_by": "Claim by {speaker}",
    "source": "Source: {source}",
    "date": "{day} {month_name} {year}",
    "about_date": "about {date}",
}
assert tuple(DEFAULT_LABELS) == LABEL_KEYS

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def primary_language(tag: str) -> str:
    """``zh`` for ``zh-Hans``, ``ug`` for ``ug-Arab``: the BCP 47 primary subtag, lower case."""
    return tag.split("-", 1)[0].lower()


@dataclass(frozen=True)
class Labels:
    """The words one script shows, already chosen for its language."""

    words: Mapping[str, str]
    ratings: Mapping[str, str] = field(default_factory=dict)
    rating_override: str | None = None
    origins: Mapping[str, str] = field(default_factory=dict)  # key -> where the word was set

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def claim_by(self, speaker: str) -> str:
        return self.words["claim_by"].replace("{speaker}", speaker)

    def source(self, source: str) -> str:
        return self.words["source"].replace("{source}", source)

    def date(self, value: dt.date, *, month_only: bool = False) -> str:
        """``value`` in the language's date template; ``month_only`` leaves the day out."""
        parts = {"{day}": str(value.day), "{month}": str(value.month), "{year}": str(value.year),
                 "{month_name}": _MONTHS[value.month - 1]}
        text = self.words["date"]
        if month_only:  # the day with what is written right after it ("日", "-كۈنى") and one space
            text = re.sub(r"\{day\}[^\s{]*\s?", "", text).strip()
        for key, part in parts.items():
            text = text.replace(key, part)
        return text

    def claim_date(self, value: "ClaimDate") -> str:
        """A claim's date as precise as it is known: a day, a month, or about a day."""
        text = self.date(value.day, month_only=value.precision == "month")
        return self.words["about_date"].replace("{date}", text) if value.approximate else text

    def rating(self, name: str, *, own: bool = False) -> str:
        """The display name of rating ``name`` (matched without regard to case): the script's
        ``verdict.label`` for the verdict, unless ``own`` asks for the name of that rating itself
        (a meter naming the ends of its scale)."""
        if self.rating_override and not own:
            return self.rating_override
        by_case = {k.casefold(): v for k, v in self.ratings.items()}
        return by_case.get(name.casefold(), name)

    def texts(self) -> dict[str, str]:
        """Every word as drawn (templates with their placeholders removed), for font coverage checks."""
        out = {self.origins.get(k, f"labels.{k}"): v for k, v in self.words.items()}
        out.update({self.origins.get(f"ratings.{k}", f"labels.ratings.{k}"): v for k, v in self.ratings.items()})
        if self.rating_override:
            out["verdict.label"] = self.rating_override
        for key, value in out.items():
            for hole in ("{speaker}", "{source}", "{day}", "{month}", "{year}", "{month_name}", "{date}"):
                value = value.replace(hole, "")
            out[key] = value
        return out


def resolve_labels(script: Script, sets: Mapping[str, Mapping[str, str]],
                   rating_sets: Mapping[str, Mapping[str, str]], theme: str = "") -> Labels:
    """The words for ``script`` from a theme's per-language ``sets`` and ``rating_sets``."""
    lang = primary_language(script.language)
    words = dict(DEFAULT_LABELS)
    ratings: dict[str, str] = {}
    origins: dict[str, str] = {}
    for code in dict.fromkeys(("en", lang)):
        for key, value in sets.get(code, {}).items():
            words[key] = value
            origins[key] = f"theme {theme!r}: labels.{code}.{key}"
        for key, value in rating_sets.get(code, {}).items():
            ratings[key] = value
            origins[f"ratings.{key}"] = f"theme {theme!r}: labels.{code}.ratings.{key}"
    for key, value in script.labels.items():
        words[key] = value
        origins[key] = f"labels.{key}"
    return Labels(words, ratings, script.verdict.label, origins)
