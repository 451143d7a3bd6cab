"""The script's voice checked before anything is said or written (``validate`` and ``render``).

A Piper model of the script's own must be a Piper voice with its matching config; the bundled
voice speaks English only; IPA in ``pronounce:`` must use phonemes the voice has. Each is an
input error (exit 2) pinned to its place in the script. ``pronounce:`` entries the narration
never says are warnings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from ..errors import AssetError, ScriptError
from ..script.load import LoadedScript
from . import pronounce
from .engines import _pipermodel
from .plan import _resolve, pronunciations

__all__ = ["check_voice", "unused_pronunciations"]


def _config(loaded: LoadedScript) -> tuple[dict[str, Any], str]:
    """The Piper voice config the script uses (its own model checked by loading it) and its name."""
    voice = loaded.script.voice
    where = f"{loaded.path}: voice.model"
    if voice.model:
        path = _resolve(loaded, voice.model, "voice.model")
        files = _pipermodel.files_for(str(path))
        try:
            _pipermodel.check(files)
        except _pipermodel.ModelProblem as exc:
            raise AssetError(path, str(exc), "or remove voice.model to use the bundled voice", where=where) from exc
    else:
        files = _pipermodel.bundled()
    try:
        return _pipermodel.read_config(files), files.name
    except _pipermodel.ModelProblem as exc:
        raise AssetError(files.config, str(exc), "reinstall the voice package, or name another model",
                         where=where) from exc


def check_voice(loaded: LoadedScript, engine_override: str | None = None) -> None:
    """Refuse a voice the script cannot be spoken with (see the module docstring)."""
    voice = loaded.script.voice
    if (engine_override or voice.chosen) != "piper":
        return
    config, name = _config(loaded)
    speaks = str(config["espeak"]["voice"]).lower()
    if not voice.model and voice.voice.lower().split("+")[0].split("-")[0] != speaks.split("-")[0]:
        raise ScriptError([loaded.problem(("voice", "voice"), f"the Piper voice {name} speaks {speaks}, not "
                                          f"{voice.voice!r}", "name a Piper model for that language with voice.model, "
                                          "or set voice.engine: espeak")])
    known = set(config["phoneme_id_map"])
    problems = []
    for word, say in pronunciations(loaded).items():
        if not pronounce.is_phonemes(say):
            continue
        unknown = sorted({c for c in unicodedata.normalize("NFD", pronounce.phonemes_of(say)) if c not in known})
        if unknown:
            problems.append(loaded.problem(
                ("pronounce", word), f"{', '.join(repr(c) for c in unknown)} in {say} is not a phoneme of the "
                f"voice {name}", "write IPA as espeak-ng does (e.g. [[bˌɑːʃəlˈɛt]]), or give a respelling"))
    if problems:
        raise ScriptError(problems)


def unused_pronunciations(loaded: LoadedScript, texts: Sequence[str]) -> list[str]:
    """A warning for each of the script's ``pronounce:`` entries that no narration says."""
    said = " \n ".join(texts)
    return [f"{loaded.path}: pronounce.{word}: no narration says {word!r}; check its spelling, or remove the entry"
            for word in loaded.script.pronounce if not pronounce.entries_for(said, {word: "x"})]
