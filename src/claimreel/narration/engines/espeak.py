"""Offline speech with libespeak-ng from the ``espeakng-loader`` wheel, via ctypes.

espeak-ng reports a WORD event (character position, audio ms) for what it
says; :func:`claimreel.narration.timing.place_words` maps those onto the
text's tokens, so numbers and abbreviations that espeak splits or merges
still give exactly one word per token.
"""

from __future__ import annotations

from importlib import metadata

import numpy as np

from ...errors import NarrationError
from .. import pronounce
from ..base import Speech, VoiceSettings
from ..timing import place_words, tokenize, voiced_end_ms
from . import _libespeak

__all__ = ["EspeakEngine"]

RATE_RANGE = (80, 450)
PITCH_RANGE = (0, 100)
TAIL_MS = 150  # silence kept after the last voiced sound; espeak adds more


def _wheel_version() -> str:
    try:
        return metadata.version("espeakng-loader")
    except metadata.PackageNotFoundError:
        return "unknown"


def _check_range(label: str, value: int, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise NarrationError(
            f"espeak: voice {label} {value} is outside {low}–{high}; "
            f"set voice.{label} in the script to a value in that range"
        )


class EspeakEngine:
    """The default engine. Paths default to the ``espeakng-loader`` wheel's files."""

    name = "espeak"

    def __init__(self, library_path: str | None = None, data_path: str | None = None) -> None:
        self._library_path = library_path
        self._data_path = data_path

    def _paths(self) -> tuple[str, str]:
        library, data = self._library_path, self._data_path
        if library is None or data is None:
            try:
                import espeakng_loader
            except ImportError as exc:
                raise NarrationError(
                    "espeak: the espeakng-loader package is not installed; "
                    "pip install espeakng-loader, or choose another voice engine"
                ) from exc
            try:
                library = library or espeakng_loader.get_library_path()
                data = data or espeakng_loader.get_data_path()
            except RuntimeError as exc:
                raise NarrationError(
                    f"espeak: {exc}; reinstall the espeakng-loader package"
                ) from exc
        return library, data

    def version(self) -> str:
        with _libespeak.lock():
            library = _libespeak.library_version(*self._paths())
        return f"espeak-ng {library}; espeakng-loader {_wheel_version()}"

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        _check_range("rate", voice.rate, RATE_RANGE)
        _check_range("pitch", voice.pitch, PITCH_RANGE)
        spoken, starts = pronounce.respell(text, pronounce.for_espeak(voice.pronounce))
        tokens = tokenize(spoken)
        paths = self._paths()
        with _libespeak.lock(), _libespeak.loaded(*paths) as lib:
            rate = lib.sample_rate
            if not tokens:
                return Speech(np.zeros(0, dtype=np.float32), rate, ())
            lib.set_voice(voice.voice)
            lib.set_parameter(_libespeak.PARAM_RATE, voice.rate, "rate")
            lib.set_parameter(_libespeak.PARAM_PITCH, voice.pitch, "pitch")
            result = lib.synthesize(spoken)
        pcm = np.frombuffer(b"".join(result.pcm), dtype=np.int16)
        if pcm.size == 0:
            raise NarrationError(f"espeak: produced no audio for {text[:60]!r}; check the text and voice")
        samples = pcm.astype(np.float32) / 32768.0
        voiced = voiced_end_ms(samples, rate)
        words, marked = place_words(tokens, result.marks, voiced)
        words = pronounce.words_for(text, starts, spoken, words, voiced)
        keep_ms = max(voiced + TAIL_MS, words[-1].end_ms)
        samples = samples[: min(len(samples), -(-keep_ms * rate // 1000))]
        return Speech(samples, rate, words, estimated=marked == 0)
