"""The script format's building blocks: the frozen base model, the field types (text, labels,
language tags, addresses, asset paths, clip times) and the constants the models share.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

__all__ = ["BLOCK_ID_PATTERN", "FIXED_SCENES", "ID_PATTERN", "LABEL_KEYS", "LONG_TEXT", "RATINGS", "SHORT_TEXT",
           "SUBTITLES_HELP", "URL_PATTERN", "AssetPath", "ClipAudio", "FrozenModel", "Label", "LanguageTag",
           "Seconds", "Subtitles", "Text", "Url", "check_focus", "parse_seconds"]

#: The default rating scale, mildest to strongest; themes give each a colour.
RATINGS: tuple[str, ...] = (
    "True",
    "Mostly True",
    "Misleading",
    "Unsubstantiated",
    "Mostly False",
    "False",
)

#: Fixed on-screen words a theme (per language) or a script's ``labels:`` may replace.
#: Templates: ``claim_by`` takes {speaker}, ``source`` {source}, ``date`` {day} {month} {month_name} {year},
#: ``about_date`` {date} (an approximate claim date).
LABEL_KEYS: tuple[str, ...] = (
    "claim", "verdict", "fact_check", "credits", "sources", "claim_by", "source", "date", "about_date",
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
#: A body block's id starts with a letter, so it never reads as a block number.
BLOCK_ID_PATTERN = r"^[a-z][a-z0-9-]{0,63}$"
#: Scenes a cut can name besides body blocks (the fixed scenes of every video).
FIXED_SCENES: tuple[str, ...] = ("title", "claim", "verdict", "credits")
# Plain text fields: at most this many characters (guards layout and speech).
LONG_TEXT = 1200
SHORT_TEXT = 200


class FrozenModel(BaseModel):
    """Every model of the format: unknown fields refused, text stripped, frozen once parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1, max_length=LONG_TEXT)]
Label = Annotated[str, Field(min_length=1, max_length=SHORT_TEXT)]
LanguageTag = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
#: Subtitle text in other languages, by BCP 47 tag (e.g. zh-Hans, ar): timed to the original narration.
Subtitles = dict[LanguageTag, Text]
SUBTITLES_HELP = "The narration translated, by language tag (e.g. zh-Hans, ar), for translated caption tracks"
URL_PATTERN = r"^https?://\S+$"  # a web address (also what render --media-base-url accepts)
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)]
AssetPath = Annotated[str, Field(min_length=1, max_length=500)]


def parse_seconds(value: object) -> object:
    """A time as seconds: a number, or ``HH:MM:SS.mmm`` / ``MM:SS.mmm`` text (anything else is left for
    pydantic to refuse with its own message)."""
    if isinstance(value, str) and re.fullmatch(r"\s*(\d+:){1,2}\d+(\.\d+)?\s*", value):
        seconds = 0.0
        for part in value.strip().split(":"):
            seconds = seconds * 60 + float(part)
        return seconds
    return value


#: A time in a clip: seconds (12.5) or ``HH:MM:SS.mmm`` (00:00:12.500).
Seconds = Annotated[
    float, BeforeValidator(parse_seconds), Field(ge=0, le=86_400),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": 86_400},
                              {"type": "string", "pattern": r"^\s*(\d+:){1,2}\d+(\.\d+)?\s*$"}]}),
]
ClipAudio = Literal["mute", "under", "full"]


def check_focus(value: tuple[float, float]) -> tuple[float, float]:
    if not all(0.0 <= v <= 1.0 for v in value):
        raise ValueError("focus values are fractions between 0 and 1")
    return value
