"""The script format: what a producer can say, parsed and frozen.

Pydantic parses (``extra="forbid"`` so a misspelt field is an error, never
silently ignored); once parsed, a :class:`Script` is immutable. Asset paths stay
as written here; :mod:`claimreel.script.load` resolves and checks them against
the workspace root (the nearest folder above the script holding assets/).

Body blocks are picked by ``type``; to add one, write its model here with a
``type: Literal[...]`` field, add it to :data:`Block`, and register a scene for
it in :mod:`claimreel.layout.scenes`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

__all__ = [
    "Block",
    "BlockVoice",
    "Claim",
    "ClaimDate",
    "ClipBlock",
    "ClipSource",
    "DocumentBlock",
    "Comparison",
    "Credit",
    "Cut",
    "FactBlock",
    "Identity",
    "LABEL_KEYS",
    "Music",
    "NarrationBlock",
    "Outlet",
    "PhotoBlock",
    "Publish",
    "QuoteBlock",
    "RATINGS",
    "Script",
    "Source",
    "Speaker",
    "SpokenLine",
    "Verdict",
    "Voice",
]

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


class _Model(BaseModel):
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


def _check_focus(value: tuple[float, float]) -> tuple[float, float]:
    if not all(0.0 <= v <= 1.0 for v in value):
        raise ValueError("focus values are fractions between 0 and 1")
    return value


class SpokenLine(_Model):
    """A line spoken in a clip, timed from the clip's ``start`` (so trimming the clip keeps the times)."""

    text: Text
    start: Seconds = Field(description="When the line starts, in seconds from the clip's start")
    end: Seconds = Field(description="When it ends, in seconds from the clip's start")
    speaker: Label | None = Field(default=None, description="Who speaks; captions carry the name")

    @model_validator(mode="after")
    def _ordered(self) -> "SpokenLine":
        if self.end <= self.start:
            raise ValueError("a line's end must come after its start")
        return self


class ClipSource(_Model):
    """A stretch of a video file: what a clip scene (or the claim card's footage) plays."""

    file: AssetPath = Field(description="The video (MP4, MOV, MKV, WebM: anything ffmpeg decodes)")
    start: Seconds = Field(default=0.0, description="Where the clip starts in the file: seconds or HH:MM:SS.mmm")
    end: Seconds = Field(description="Where it ends in the file: seconds or HH:MM:SS.mmm")
    audio: ClipAudio = Field(
        default="under",
        description="mute: no clip sound; under: the clip's sound 20 dB or more under the narration; "
        "full: the clip's own sound, the narration waits",
    )
    focus: tuple[float, float] = Field(
        default=(0.5, 0.5), description="Point the cover crop keeps in frame, as fractions of width and height"
    )
    transcript: tuple[SpokenLine, ...] = Field(
        default=(), description="What is said in the clip (audio: full), captioned with the speaker's name"
    )
    translation: tuple[SpokenLine, ...] = Field(
        default=(), description="The transcript in the video's language when the speech is in another; "
        "burned in and in the caption files instead of the transcript"
    )

    @field_validator("focus")
    @classmethod
    def _focus_in_frame(cls, value: tuple[float, float]) -> tuple[float, float]:
        return _check_focus(value)

    @model_validator(mode="after")
    def _range(self) -> "ClipSource":
        if self.end <= self.start:
            raise ValueError(f"start ({self.start:g} s) must come before end ({self.end:g} s)")
        length = self.end - self.start
        for name in ("transcript", "translation"):
            for line in getattr(self, name):
                if line.end > length + 1e-6:
                    raise ValueError(f"a {name} line ends at {line.end:g} s, after the clip's {length:g} s")
        if (self.transcript or self.translation) and self.audio != "full":
            raise ValueError("transcript and translation caption the clip's own sound: set audio: full")
        return self

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def spoken(self) -> tuple[SpokenLine, ...]:
        """The lines captions show: the translation when there is one, else the transcript."""
        return self.translation or self.transcript


class Outlet(_Model):
    name: Label
    url: Url | None = None
    logo: AssetPath | None = Field(default=None, description="Image shown as the corner mark")


class Speaker(_Model):
    name: Label
    title: Label | None = Field(default=None, description="e.g. Chinese Foreign Ministry Spokesperson")
    photo: AssetPath | None = Field(default=None, description="Portrait; an initials monogram when absent")

    @property
    def initials(self) -> str:
        parts = [p for p in re.split(r"[\s\-]+", self.name) if p]
        return "".join(p[0] for p in parts[:2]).upper()


class Appearance(_Model):
    name: Label = Field(description="Where the claim was made, e.g. 'Regular press conference'")
    url: Url | None = None


class ClaimDate(_Model):
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


class Claim(_Model):
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


class Verdict(_Model):
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


EngineName = Literal["espeak", "fake", "gtts", "piper", "recorded"]


def default_engine(voice: str, model: str | None = None) -> str:
    """The engine for a voice nobody chose one for: Piper's neural voice for English (or a Piper model
    of the script's own), espeak-ng for every other language."""
    if model or voice.lower().split("+")[0].split("-")[0] == "en":
        return "piper"
    return "espeak"


class Voice(_Model):
    engine: EngineName | None = Field(
        default=None, description="piper (the default for English), espeak (the default for other languages), "
        "gtts, recorded")
    voice: Label = Field(default="en-us", description="Engine voice or language, e.g. en-us")
    rate: int = Field(default=165, ge=80, le=400, description="Words per minute")
    pitch: int = Field(default=50, ge=0, le=99)
    audio: AssetPath | None = Field(
        default=None, description="recorded engine: one voice-over file (WAV/MP3/M4A) for the whole piece"
    )
    model: AssetPath | None = Field(
        default=None, description="piper engine: a voice model of your own (.onnx, with its .onnx.json beside it)"
    )

    @property
    def chosen(self) -> str:
        """The engine that speaks: the one named, else :func:`default_engine`."""
        return self.engine or default_engine(self.voice, self.model)


def _check_pronounce(value: dict[str, str]) -> dict[str, str]:
    for word, say in value.items():
        if not word.strip() or not say.strip():
            raise ValueError(f"pronounce entry {word!r}: give a word and how to say it, e.g. Bachelet: Bah-sheh-LET")
        if say.startswith("[[") != say.endswith("]]"):
            raise ValueError(f"pronounce entry {word!r}: write IPA phonemes as [[...]], e.g. [[bɐʃəlˈɛt]]")
    return value


Pronounce = Annotated[dict[Label, Label], AfterValidator(_check_pronounce)]
PRONOUNCE_HELP = ("How to say words and names: word → respelling (Bah-sheh-LET) or IPA phonemes in "
                  "double brackets ([[bɐʃəlˈɛt]], Piper voices); applied by piper and espeak")


class BlockVoice(_Model):
    """A voice for one block, overriding the script's voice for what is not given."""

    engine: EngineName | None = None
    voice: Label | None = Field(default=None, description="Engine voice or language, e.g. en-gb")
    rate: int | None = Field(default=None, ge=80, le=400)
    pitch: int | None = Field(default=None, ge=0, le=99)


class Music(_Model):
    file: AssetPath = Field(description="Music bed (WAV/FLAC/OGG/MP3/M4A), looped or trimmed to length")
    level: float = Field(default=-14.0, ge=-40, le=0, description="dB relative to the narration where nobody speaks")
    under_speech: float = Field(
        default=-26.0, ge=-60, le=-20, description="dB relative to the narration while speech plays (≤ -20)"
    )


class Timing(_Model):
    lead: float = Field(default=0.3, ge=0, le=10, description="Seconds before the narration starts")
    tail: float = Field(default=0.5, ge=0, le=10, description="Seconds held after it ends")
    min_duration: float = Field(default=3.0, ge=1, le=60, description="Shortest the scene may be")


class _BlockBase(_Model):
    id: Annotated[str, Field(pattern=BLOCK_ID_PATTERN)] | None = Field(
        default=None, description="A name for the block that cuts use to include it, e.g. crimes-quote"
    )
    narration: Text | None = Field(default=None, description="What the narrator says")
    subtitles: Subtitles = Field(default_factory=dict, description=SUBTITLES_HELP)
    on_screen: Label | None = Field(default=None, description="A short heading shown on screen")
    timing: Timing | None = None
    voice: BlockVoice | None = Field(default=None, description="Another voice for this block")
    audio: AssetPath | None = Field(default=None, description="recorded engine: this block's voice-over file")

    @property
    def voice_file(self) -> str | None:
        """recorded engine: the block's voice-over file, as written."""
        return self.audio  # type: ignore[return-value]


class Background(_Model):
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    photo: AssetPath | None = None
    focus: tuple[float, float] = (0.5, 0.5)

    @model_validator(mode="after")
    def _one_kind(self) -> "Background":
        if self.color and self.photo:
            raise ValueError("give either color or photo, not both")
        return self


class NarrationBlock(_BlockBase):
    type: Literal["narration"]
    narration: Text
    background: Background | None = None


class QuoteBlock(_BlockBase):
    type: Literal["quote"]
    text: Text = Field(description="The quoted words, exactly")
    attribution: Label = Field(description="Who said or wrote it, e.g. OHCHR assessment, 31 Aug 2022")
    speaker: Label | None = Field(default=None, description="Name of the person quoted, for caption labels")
    read_aloud: bool = Field(
        default=False,
        description="The narration reads the quoted words themselves (instead of `narration`); "
        "captions mark them as the speaker's (or the attribution's) words",
    )

    @model_validator(mode="after")
    def _one_voice(self) -> "QuoteBlock":
        if self.read_aloud and self.narration:
            raise ValueError("give either narration or read_aloud: true, not both")
        return self


class PhotoBlock(_BlockBase):
    type: Literal["photo"]
    image: AssetPath
    caption: Label
    credit: Label
    description: Text = Field(description="What the photo shows, for blind and low-vision readers")
    focus: tuple[float, float] = Field(
        default=(0.5, 0.5), description="Point the slow zoom moves toward, as fractions of width and height"
    )
    fit: Literal["cover", "contain"] | None = Field(
        default=None,
        description="cover: crop the photo to fill the frame; contain: the whole photo on a blurred, darkened "
        "fill of itself. Default: cover, or contain in 16:9 when cropping would keep less than half the photo",
    )

    @field_validator("focus")
    @classmethod
    def _focus_in_frame(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not all(0.0 <= v <= 1.0 for v in value):
            raise ValueError("focus values are fractions between 0 and 1")
        return value


class Comparison(_Model):
    label: Label
    value: float = Field(ge=0)


class FactBlock(_BlockBase):
    type: Literal["fact"]
    headline: Label = Field(description="What the number means, e.g. Sterilisations per 100,000 people")
    number: Label | None = Field(default=None, description="A single number shown large, e.g. 40")
    unit: Label | None = None
    compare: tuple[Comparison, ...] | None = Field(
        default=None, description="Two or three values drawn as bars to scale"
    )
    source: Label | None = None

    @model_validator(mode="after")
    def _number_or_compare(self) -> "FactBlock":
        if (self.number is None) == (self.compare is None):
            raise ValueError("give either number or compare")
        if self.compare is not None and not 2 <= len(self.compare) <= 3:
            raise ValueError("compare takes two or three values")
        return self


class ClipBlock(ClipSource, _BlockBase):
    """A clip scene; ``audio`` is the clip's sound (mute, under, full), so a recorded voice-over for its
    narration is ``recording``."""

    type: Literal["clip"]
    recording: AssetPath | None = Field(default=None, description="recorded engine: this block's voice-over file")
    caption: Label = Field(description="What the footage shows, as a lower third")
    credit: Label = Field(description="Whose footage it is")
    description: Text = Field(description="What the footage shows, for blind and low-vision readers")

    @property
    def voice_file(self) -> str | None:
        return self.recording


Box = tuple[float, float, float, float]


class DocumentBlock(_BlockBase):
    type: Literal["document"]
    file: AssetPath = Field(description="A page image (PNG, JPEG) or a PDF (give page:)")
    page: int | None = Field(default=None, ge=1, le=100_000, description="The PDF page shown, 1 for the first")
    source: Label = Field(description="The document's name, said with the page, e.g. OHCHR assessment")
    highlight: Annotated[str, Field(min_length=1, max_length=LONG_TEXT)] | Box | None = Field(
        default=None,
        description="The passage marked: its text as on the page (case, spacing and line breaks do not "
        "matter; PDF only), or a box [x0, y0, x1, y1] in fractions of the page",
    )
    description: Text | None = Field(default=None, description="What the page shows, for blind and low-vision readers")
    credit: Label | None = None

    @field_validator("highlight")
    @classmethod
    def _box_in_page(cls, value: object) -> object:
        if isinstance(value, tuple):
            x0, y0, x1, y1 = value
            if not all(0.0 <= v <= 1.0 for v in value):
                raise ValueError("a highlight box is four fractions of the page between 0 and 1")
            if x1 <= x0 or y1 <= y0:
                raise ValueError("a highlight box is [x0, y0, x1, y1] with x0 < x1 and y0 < y1")
        return value

    @model_validator(mode="after")
    def _page_for_pdf(self) -> "DocumentBlock":
        is_pdf = self.file.lower().endswith(".pdf")
        if is_pdf and self.page is None:
            raise ValueError("a PDF needs page: (1 for the first page)")
        if not is_pdf and self.page is not None:
            raise ValueError("page: is for PDF files; an image is one page")
        if not is_pdf and isinstance(self.highlight, str):
            raise ValueError("a text highlight needs a PDF's text layer; give a box [x0, y0, x1, y1] for an image")
        return self

    @property
    def where(self) -> str:
        """Where the passage is, as captions and the transcript say it: "OHCHR assessment, page 43"."""
        return f"{self.source}, page {self.page}" if self.page else self.source


Block = Annotated[
    Union[NarrationBlock, QuoteBlock, PhotoBlock, FactBlock, ClipBlock, DocumentBlock], Field(discriminator="type")
]


class Credit(_Model):
    role: Label
    name: Label


class Source(_Model):
    title: Label
    url: Url | None = None
    publisher: Label | None = None


class Cut(_Model):
    """A named short clip made of some of the video's scenes (e.g. claim and verdict only)."""

    name: Annotated[str, Field(pattern=ID_PATTERN, description="Names the cut's folder, e.g. claim-verdict")]
    title: Label | None = Field(default=None, description="What the cut is, for people (the manifest lists it)")
    scenes: tuple[Annotated[str, Field(min_length=1, max_length=64)], ...] = Field(
        min_length=1,
        description="The scenes it plays, in order: title, claim, verdict, credits, or a body block's id "
        "(or its number, 1 for the first block)",
        examples=[["claim", "verdict"], ["claim", "verdict", "crimes-quote"]],
    )


class Publish(_Model):
    """Where the rendered package is published (for the addresses in its structured data)."""

    media_base_url: Url = Field(
        description="Address the output folder <id>/ is served from, e.g. https://media.example.org/checks/"
        "bridge-claim/; contentUrl, embedUrl and thumbnailUrl are made from it (left out without it)"
    )


class Identity(_Model):
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
