"""Pause markers in narration: ``[pause 0.5]`` (seconds; ``[pause]`` is half a second).

Captions and transcripts show the text without them (:func:`strip_pauses`); every engine
honours them through :func:`speak`, which says the text between markers on its own and
joins the pieces with that much silence. A recording has its own pauses, so the recorded
engine hears the text without markers.
"""

from __future__ import annotations

import re

import numpy as np

from .base import Engine, Speech, VoiceSettings, Word

__all__ = ["MAX_PAUSE_S", "PAUSE", "has_pauses", "speak", "split_pauses", "strip_pauses"]

PAUSE = re.compile(r"\[pause(?:\s+(\d+(?:\.\d+)?)\s*s?)?\]", re.IGNORECASE)
DEFAULT_PAUSE_S = 0.5
MAX_PAUSE_S = 5.0
_SPACES = re.compile(r"\s+")


def has_pauses(text: str | None) -> bool:
    return bool(text) and PAUSE.search(text) is not None  # type: ignore[arg-type]


def strip_pauses(text: str) -> str:
    """The text a viewer reads: markers gone, the spaces around them made one."""
    if not has_pauses(text):
        return text
    return _SPACES.sub(" ", PAUSE.sub(" ", text)).strip()


def _seconds(match: re.Match[str]) -> float:
    return min(MAX_PAUSE_S, float(match.group(1))) if match.group(1) else DEFAULT_PAUSE_S


def split_pauses(text: str) -> list[tuple[str, float]]:
    """(text, seconds of silence after it) for each stretch between markers."""
    parts: list[tuple[str, float]] = []
    last = 0
    for match in PAUSE.finditer(text):
        parts.append((text[last:match.start()].strip(), _seconds(match)))
        last = match.end()
    parts.append((text[last:].strip(), 0.0))
    return parts


def speak(engine: Engine, text: str, voice: VoiceSettings) -> Speech:
    """``engine`` saying ``text``, its pause markers honoured."""
    if engine.name == "recorded" or not has_pauses(text):
        return engine.synthesize(strip_pauses(text), voice)
    said = [(engine.synthesize(part, voice) if part else None, pause_s) for part, pause_s in split_pauses(text)]
    rates = {speech.sample_rate for speech, _ in said if speech is not None}
    if not rates:  # nothing but markers
        return engine.synthesize("", voice)
    rate = rates.pop()
    pieces: list[np.ndarray] = []
    words: list[Word] = []
    at = 0  # samples so far
    for speech, pause_s in said:
        if speech is not None:
            shift = at * 1000 // rate
            words += [Word(w.text, w.start_ms + shift, w.end_ms + shift) for w in speech.words]
            pieces.append(speech.samples)
            at += len(speech.samples)
        silence = round(pause_s * rate)
        pieces.append(np.zeros(silence, dtype=np.float32))
        at += silence
    estimated = any(speech.estimated for speech, _ in said if speech is not None)
    return Speech(np.concatenate(pieces).astype(np.float32), rate, tuple(words), estimated)
