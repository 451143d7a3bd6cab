"""A deterministic, instant engine for tests: one tone burst per word, exact timings.

At the reference rate (165 words per minute) each character lasts
``ms_per_char`` and each word is followed by ``gap_ms`` of silence; a voice
rate of 330 halves both. Word ``i`` starts where word ``i - 1``'s gap ends and
ends when its tone stops. The audio ends one gap after the last word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import NarrationError
from ..base import Speech, VoiceSettings, Word
from ..timing import tokenize

__all__ = ["FakeEngine"]

REFERENCE_RATE = 165
FADE_MS = 5


@dataclass(frozen=True)
class FakeEngine:
    """Tones instead of speech; timings are whole milliseconds, known in advance."""

    ms_per_char: int = 60
    gap_ms: int = 40
    sample_rate: int = 22050
    amplitude: float = 0.3

    name = "fake"  # a class attribute, not a field

    def version(self) -> str:
        return (
            f"fake-1; ms_per_char={self.ms_per_char}; gap_ms={self.gap_ms}; "
            f"sample_rate={self.sample_rate}; amplitude={self.amplitude}"
        )

    def _scaled(self, ms: int, rate: int) -> int:
        return round(ms * REFERENCE_RATE / rate)

    def timings(self, text: str, voice: VoiceSettings) -> tuple[tuple[Word, ...], int]:
        """The words and total length in ms that :meth:`synthesize` will produce."""
        if voice.rate <= 0:
            raise NarrationError(f"fake: voice rate must be positive, got {voice.rate}")
        char_ms = max(1, self._scaled(self.ms_per_char, voice.rate))
        gap = self._scaled(self.gap_ms, voice.rate)
        words, clock = [], 0
        for token in tokenize(text):
            end = clock + char_ms * len(token.text)
            words.append(Word(token.text, clock, end))
            clock = end + gap
        return tuple(words), clock

    def _tone(self, word: Word, voice: VoiceSettings) -> np.ndarray:
        count = (word.end_ms - word.start_ms) * self.sample_rate // 1000
        frequency = 110.0 + 4.0 * voice.pitch + 40.0 * (len(word.text) % 7)
        t = np.arange(count, dtype=np.float64) / self.sample_rate
        tone = self.amplitude * np.sin(2 * np.pi * frequency * t)
        fade = min(count // 2, FADE_MS * self.sample_rate // 1000)
        if fade:
            ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
            tone[:fade] *= ramp
            tone[count - fade :] *= ramp[::-1]
        return tone

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        words, total_ms = self.timings(text, voice)
        samples = np.zeros(total_ms * self.sample_rate // 1000, dtype=np.float32)
        for word in words:
            tone = self._tone(word, voice)
            start = word.start_ms * self.sample_rate // 1000
            samples[start : start + len(tone)] = tone
        return Speech(samples, self.sample_rate, words)
