"""How a script sounds: the voice (its engine, or one block's own), pronunciations, the music bed."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .fields import AssetPath, FrozenModel, Label

__all__ = ["PRONOUNCE_HELP", "BlockVoice", "EngineName", "Music", "Pronounce", "Voice", "default_engine"]


EngineName = Literal["espeak", "fake", "gtts", "piper", "recorded"]


def default_engine(voice: str, model: str | None = None) -> str:
    """The engine for a voice nobody chose one for: Piper's neural voice for English (or a Piper model
    of the script's own), espeak-ng for every other language."""
    if model or voice.lower().split("+")[0].split("-")[0] == "en":
        return "piper"
    return "espeak"


class Voice(FrozenModel):
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


class BlockVoice(FrozenModel):
    """A voice for one block, overriding the script's voice for what is not given."""

    engine: EngineName | None = None
    voice: Label | None = Field(default=None, description="Engine voice or language, e.g. en-gb")
    rate: int | None = Field(default=None, ge=80, le=400)
    pitch: int | None = Field(default=None, ge=0, le=99)


class Music(FrozenModel):
    file: AssetPath = Field(description="Music bed (WAV/FLAC/OGG/MP3/M4A), looped or trimmed to length")
    level: float = Field(default=-14.0, ge=-40, le=0, description="dB relative to the narration where nobody speaks")
    under_speech: float = Field(
        default=-26.0, ge=-60, le=-20, description="dB relative to the narration while speech plays (≤ -20)"
    )
