"""Saying openly who speaks: a synthetic voice is disclosed on the credits slate, in the
descriptive transcript and in the manifest (engine, voice model, its licence, its content hash).
A producer's recording is a human voice and is not called synthetic.

Everything here reads the script; ``--voice`` is laid into it first (:func:`with_engine`) so the
slate, the transcript and the manifest name the engine that really spoke.
"""

from __future__ import annotations

from pathlib import Path
from ..script.model import Script
from ..script.voices import SYNTHETIC, described, engines_of, statement, voice_name, with_engine

__all__ = ["SYNTHETIC", "described", "engines_of", "manifest_entries", "statement", "with_engine"]

# The wording lives with the script (see :mod:`claimreel.script.voices`); the manifest's file facts here.

LICENCES = {"espeak": "GPL-3.0-or-later (espeak-ng)", "gtts": "Google's terms of service (online)",
            "fake": "claimreel's own (test engine)"}


def manifest_entries(script: Script, root: Path) -> list[dict[str, object]]:
    """Per engine that speaks: whether it is synthetic, the voice, its licence and content hash."""

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
            entry.update(voice=voice_name(engine, script), licence=LICENCES.get(engine, ""))
        out.append(entry)
    return out
