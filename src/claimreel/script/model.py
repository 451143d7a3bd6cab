"""The script format: what a producer can say, parsed and frozen; this module holds the whole
script (:class:`Script`) and the parts that only it holds: credits, sources, cuts, publishing.

Pydantic parses (``extra="forbid"`` so a misspelt field is an error, never
silently ignored); once parsed, a :class:`Script` is immutable. Asset paths stay
as written here; :mod:`claimreel.script.load` resolves and checks them against
the workspace root (the nearest folder above the script holding assets/). The
claim and verdict are in :mod:`.claim`, the body's blocks in :mod:`.blocks`, the
voice and music in :mod:`.sound`, the shared field types in :mod:`.fields`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator

from .blocks import Block
from .claim import Claim, Outlet, Verdict
from .fields import ID_PATTERN, LABEL_KEYS, SUBTITLES_HELP, AssetPath, FrozenModel, Label, Subtitles, Text, Url
from .sound import PRONOUNCE_HELP, Music, Pronounce, Voice

__all__ = ["Credit", "Cut", "Identity", "Publish", "Script", "Source"]


class Credit(FrozenModel):
    role: Label
    name: Label


class Source(FrozenModel):
    title: Label
    url: Url | None = None
    publisher: Label | None = None


class Cut(FrozenModel):
    """A named short clip made of some of the video's scenes (e.g. claim and verdict only)."""

    name: Annotated[str, Field(pattern=ID_PATTERN, description="Names the cut's folder, e.g. claim-verdict")]
    title: Label | None = Field(default=None, description="What the cut is, for people (the manifest lists it)")
    scenes: tuple[Annotated[str, Field(min_length=1, max_length=64)], ...] = Field(
        min_length=1,
        description="The scenes it plays, in order: title, claim, verdict, credits, or a body block's id "
        "(or its number, 1 for the first block)",
        examples=[["claim", "verdict"], ["claim", "verdict", "crimes-quote"]],
    )


class Publish(FrozenModel):
    """Where and when the rendered video is published (for its structured data)."""

    media_base_url: Url | None = Field(
        default=None,
        description="Address the output folder <id>/ is served from, e.g. https://media.example.org/checks/"
        "bridge-claim/; contentUrl, embedUrl and thumbnailUrl are made from it (left out without it)"
    )
    date: dt.date | None = Field(
        default=None,
        description="The day the video itself is published (its structured data's uploadDate); default the "
        "day it is rendered. The fact-check article's day is published:",
    )


class Identity(FrozenModel):
    id: Annotated[str, Field(pattern=ID_PATTERN, description="Lower-case letters, digits and dashes")]
    title: Label
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    outlet: Outlet
    published: dt.date
    url: Url | None = None


class Script(Identity):
    """A whole fact-check script."""

    summary: Text | None = Field(default=None, description="One-paragraph description of the video")
    intro: Text | None = Field(default=None, description="What the narrator says over the title card")
    intro_audio: AssetPath | None = Field(default=None, description="recorded engine: the intro's voice-over file")
    intro_subtitles: Subtitles = Field(default_factory=dict, description=SUBTITLES_HELP)
    claim: Claim
    verdict: Verdict
    body: tuple[Block, ...] = Field(min_length=1)
    credits: tuple[Credit, ...] = ()
    sources: tuple[Source, ...] = ()
    voice: Voice = Voice()
    pronounce: Pronounce = Field(default_factory=dict, description=PRONOUNCE_HELP)
    music: Music | None = None
    loudness: Literal["web", "youtube", "ebu-r128", "atsc-a85"] | None = Field(
        default=None, description="Loudness profile (render/profiles); default web, -16 LUFS"
    )
    theme: Label = "default"
    publish: Publish | None = None
    formats: tuple[Literal["16x9", "9x16", "1x1", "4x5"], ...] = ("16x9",)
    labels: dict[str, Label] = Field(
        default_factory=dict,
        description="On-screen words in place of the theme's for the script's language: " + ", ".join(LABEL_KEYS),
        json_schema_extra={"propertyNames": {"enum": list(LABEL_KEYS)}},
    )
    cuts: tuple[Cut, ...] = Field(
        default=(), description="Short social clips rendered beside each format, captions re-timed to the cut"
    )

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [key for key in value if key not in LABEL_KEYS]
        if unknown:
            raise ValueError(f"unknown label key {unknown[0]!r}; allowed: {', '.join(LABEL_KEYS)}")
        return value
