"""The claim a script checks (who said what, when and where, and the outlet checking it) and its verdict."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from .fields import SUBTITLES_HELP, AssetPath, FrozenModel, Label, Subtitles, Text, Url
from .footage import ClipSource
from .sound import BlockVoice

__all__ = ["Appearance", "Claim", "ClaimDate", "Outlet", "Speaker", "Verdict"]


class Outlet(FrozenModel):
    name: Label
    url: Url | None = None
    logo: AssetPath | None = Field(default=None, description="Image shown as the corner mark")


class Speaker(FrozenModel):
    name: Label
    title: Label | None = Field(default=None, description="e.g. Chinese Foreign Ministry Spokesperson")
    photo: AssetPath | None = Field(default=None, description="Portrait; an initials monogram when absent")

    @property
    def initials(self) -> str:
        parts = [p for p in re.split(r"[\s\-]+", self.name) if p]
        return "".join(p[0] for p in parts[:2]).upper()


class Appearance(FrozenModel):
    name: Label = Field(description="Where the claim was made, e.g. 'Regular press conference'")
    url: Url | None = None


class ClaimDate(FrozenModel):
    """When the claim was made: a day, a month (``2022-09``), or a day marked approximate.

    In a script: ``date: 2022-09-21``, ``date: 2022-09``, or
    ``date: {day: 2022-09-21, approximate: true}``.
    """

    day: dt.date = Field(description="The day (for a month: its first day)")
    precision: Literal["day", "month"] = "day"
    approximate: bool = Field(default=False, description="The day is not certain (shown as about that day)")

    @property
    def iso(self) -> str:
        """``2022-09-21``, or ``2022-09`` for a month (ISO 8601 reduced precision)."""
        return self.day.isoformat()[:7] if self.precision == "month" else self.day.isoformat()


def _claim_date(value: object) -> object:
    """The forms a script may write a claim date in, as a :class:`ClaimDate`."""
    if isinstance(value, dt.date):
        return {"day": value}
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        year, month = (int(part) for part in value.strip().split("-"))
        if 1 <= month <= 12:
            return {"day": dt.date(year, month, 1), "precision": "month"}
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return {"day": value.strip()}
    if isinstance(value, (str, int, float)):
        raise ValueError(f"{value!r} is not a date; write a day (2022-09-21), a month (2022-09) "
                         "or {day: 2022-09-21, approximate: true}")
    return value


_CLAIM_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        {
            "type": "object",
            "properties": {"day": {"type": "string", "format": "date"},
                           "precision": {"enum": ["day", "month"]}, "approximate": {"type": "boolean"}},
            "required": ["day"],
            "additionalProperties": False,
        },
    ]
}


class Claim(FrozenModel):
    quote: Text = Field(description="The claim in the speaker's exact words")
    speaker: Speaker
    date: Annotated[ClaimDate, BeforeValidator(_claim_date), WithJsonSchema(_CLAIM_DATE_SCHEMA)] = Field(
        description="When it was said: 2022-09-21, a month (2022-09), or {day: 2022-09-21, approximate: true}"
    )
    appeared: Appearance | None = None
    narration: Text | None = Field(
        default=None, description="What the narrator says over the claim card"
    )
    voice: BlockVoice | None = Field(default=None, description="Another voice for this card, e.g. the claimant's")
    audio: AssetPath | None = Field(default=None, description="recorded engine: this card's voice-over file")
    subtitles: Subtitles = Field(default_factory=dict, description=SUBTITLES_HELP)
    clip: ClipSource | None = Field(
        default=None, description="The claimant's own footage saying the words, played on the claim card"
    )


class Verdict(FrozenModel):
    rating: Label = Field(description="One of the theme's ratings, e.g. False")
    label: Label | None = Field(
        default=None, description="Shown on the card instead of the rating's name (or the theme's translation of it)"
    )
    summary: Text = Field(description="The verdict in one sentence")
    narration: Text | None = Field(
        default=None, description="What the narrator says over the verdict card; defaults to the summary"
    )
    voice: BlockVoice | None = None
    audio: AssetPath | None = Field(default=None, description="recorded engine: this card's voice-over file")
    subtitles: Subtitles = Field(default_factory=dict, description=SUBTITLES_HELP)

    @property
    def shown(self) -> str:
        """The verdict's word as the card shows it, for every other place that names the verdict
        (transcripts, tracks, chapters, structured data): ``label``, else the rating. A render
        fills ``label`` from the theme's name for the rating before anything is published."""
        return self.label or self.rating
