"""The body of a script: its blocks (narration, quote, photo, fact, clip, document), each a scene.

Body blocks are picked by ``type``; to add one, write its model here with a
``type: Literal[...]`` field, add it to :data:`Block`, and register a scene for
it in :mod:`claimreel.layout.scenes`.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from .fields import BLOCK_ID_PATTERN, LONG_TEXT, SUBTITLES_HELP, AssetPath, FrozenModel, Label, Subtitles, Text
from .footage import ClipSource
from .sound import BlockVoice

__all__ = ["Background", "Block", "ClipBlock", "Comparison", "DocumentBlock", "FactBlock", "NarrationBlock",
           "PhotoBlock", "QuoteBlock", "Timing"]


class Timing(FrozenModel):
    lead: float = Field(default=0.3, ge=0, le=10, description="Seconds before the narration starts")
    tail: float = Field(default=0.5, ge=0, le=10, description="Seconds held after it ends")
    min_duration: float = Field(default=3.0, ge=1, le=60, description="Shortest the scene may be")


class _BlockBase(FrozenModel):
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


class Background(FrozenModel):
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


class Comparison(FrozenModel):
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
