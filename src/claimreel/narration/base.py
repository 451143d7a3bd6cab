"""What every speech engine gives back, and the protocol it follows.

To add an engine: write a class with ``name``, ``version()`` and
``synthesize(text, voice) -> Speech`` in ``narration/engines/``, and add it to
``ENGINES`` in ``narration/engines/__init__.py``. Engines do no caching; the
cache in :mod:`claimreel.narration.cache` wraps any engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["Engine", "Speech", "VoiceSettings", "Word"]


@dataclass(frozen=True)
class Word:
    """One spoken word and where it sits in its block's audio, in milliseconds."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class VoiceSettings:
    """Everything that changes how an engine says a text."""

    voice: str = "en-us"
    rate: int = 165
    pitch: int = 50
    # (word or phrase, respelling or [[IPA]]): only the entries the text contains, so an entry
    # changes the speech (and cache key) of exactly the blocks that say it
    pronounce: tuple[tuple[str, str], ...] = ()
    model: str | None = None  # piper: a voice model file of the script's own (.onnx beside .onnx.json)
    model_sha256: str = ""  # its content hash: the cache key follows the file, not where it lies

    def key(self) -> dict[str, object]:
        key: dict[str, object] = {"voice": self.voice, "rate": self.rate, "pitch": self.pitch}
        if self.pronounce:  # absent when empty: speech cached before pronounce: keeps its key
            key["pronounce"] = [list(pair) for pair in self.pronounce]
        if self.model:
            key["model"] = self.model_sha256
        return key


@dataclass(frozen=True, eq=False)
class Speech:
    """Mono audio for one block of narration, with its word timings.

    ``samples`` is float32 in [-1, 1]. ``words`` are in spoken order and cover
    every word of the text; ``estimated`` is true when the engine could not
    report real timings and they were spread over the audio instead.
    """

    samples: np.ndarray
    sample_rate: int
    words: tuple[Word, ...]
    estimated: bool = False

    @property
    def duration_ms(self) -> int:
        return round(len(self.samples) * 1000 / self.sample_rate)


@runtime_checkable
class Engine(Protocol):
    name: str

    def version(self) -> str:
        """A string that changes whenever the engine would produce different audio."""

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        """Say ``text``; raise :class:`claimreel.errors.NarrationError` on failure."""
