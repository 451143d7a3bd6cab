"""Narration: text → audio and word timings through a named engine, cached by content.

Importing this package loads no speech library; an engine loads its own on
first use.
"""

from __future__ import annotations

from .base import Engine, Speech, VoiceSettings, Word
from .cache import SpeechCache
from .engines import ENGINES, UnknownEngine, get_engine

__all__ = [
    "ENGINES",
    "Engine",
    "Speech",
    "SpeechCache",
    "UnknownEngine",
    "VoiceSettings",
    "Word",
    "get_engine",
]
