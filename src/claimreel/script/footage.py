"""Footage in a script: a stretch of a video file and the lines spoken in it."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from .fields import AssetPath, ClipAudio, FrozenModel, Label, Seconds, Text, check_focus

__all__ = ["ClipSource", "SpokenLine"]


class SpokenLine(FrozenModel):
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


class ClipSource(FrozenModel):
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
        return check_focus(value)

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
