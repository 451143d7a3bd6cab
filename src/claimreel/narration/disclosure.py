"""Saying openly who speaks: a synthetic voice is disclosed on the credits slate, in the
descriptive transcript and in the manifest (engine, voice model, its licence, its content hash).
A producer's recording is a human voice and is not called synthetic.

Everything here reads the script; ``--voice`` is laid into it first (:func:`with_engine`) so the
slate, the transcript and the manifest name the engine that really spoke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..script.model import Script

__all__ = ["SYNTHETIC", "described", "engines_of", "manifest_entries", "statement", "with_engine"]

SYNTHETIC = {"piper": "Piper", "espeak": "eSpeak NG", "gtts": "Google Translate (gTTS)", "fake": "test tones"}
LICENCES = {"espeak": "GPL-3.0-or-later (espeak-ng)", "gtts": "Google's terms of service (online)",
            "fake": "claimreel's own (test engine)"}


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


def _voice_name(engine: str, script: Script) -> str:
    if engine == "piper":
        from .engines._pipermodel import BUNDLED_NAME

        return Path(script.voice.model).stem if script.voice.model else BUNDLED_NAME
    return script.voice.voice


def described(script: Script) -> str | None:
    """"synthetic voice (Piper, en_US-joe-medium)", or None when a person speaks it all."""
    named = [f"{SYNTHETIC[e]}, {_voice_name(e, script)}" for e in engines_of(script) if e in SYNTHETIC]
    return f"synthetic voice ({'; '.join(named)})" if named else None


def statement(script: Script) -> str | None:
    """The credits slate's line: "Narration: synthetic voice (Piper, en_US-joe-medium)"."""
    voice = described(script)
    return f"Narration: {voice}" if voice else None


def manifest_entries(script: Script, root: Path) -> list[dict[str, object]]:
    """Per engine that speaks: whether it is synthetic, the voice, its licence and content hash."""
    from ..files import file_sha256

    out: list[dict[str, object]] = []
    for engine in engines_of(script):
        entry: dict[str, object] = {"engine": engine, "synthetic": engine in SYNTHETIC}
        if engine == "piper":
            from .engines import _pipermodel

            files = _pipermodel.files_for(str(root / script.voice.model) if script.voice.model else None)
            entry.update(voice=files.name, model=files.model.name, licence=files.licence, sha256=files.sha256())
        elif engine == "recorded":
            entry["voice"] = "the producer's recording"
        else:
            entry.update(voice=_voice_name(engine, script), licence=LICENCES.get(engine, ""))
        out.append(entry)
    return out
