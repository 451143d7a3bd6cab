"""Which engine and voice says each scene, and the speech for all of them (cached).

A scene's voice is the script's ``voice`` with the block's (or claim's, or
verdict's) ``voice`` laid over it; ``--voice`` replaces every engine; an engine
nobody names is Piper for English and espeak for other languages
(:func:`claimreel.script.sound.default_engine`). Each scene's voice carries the
``pronounce:`` entries (the theme's, then the script's) its text says. With the
``recorded`` engine a scene uses its own ``audio`` file, else the script's
``voice.audio`` (one file for the whole piece, split between the scenes that
have no file of their own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..encode.ffmpeg import Ffmpeg
from ..errors import AssetError
from ..script import checks
from ..script.load import LoadedScript
from ..files import file_sha256
from ..script.themes import theme_pronounce
from ..script.model import Script
from ..script.sound import BlockVoice, default_engine
from . import pronounce
from .base import Engine, Speech, VoiceSettings
from .cache import SpeechCache
from .engines import get_engine
from .pauses import speak

# Engines slow enough that a render's blocks are said in its worker processes, not here.
POOLED = frozenset({"piper"})
# What saying a block costs, about, in CPU seconds per character (Piper's voice on one core: 0.7 s for
# 143 characters), to weigh an edit's few blocks against starting the workers.
SPEECH_CPU_PER_CHAR = 0.005

__all__ = ["SceneVoice", "say", "scene_voices", "speak_all"]


@dataclass(frozen=True)
class SceneVoice:
    engine: str
    settings: VoiceSettings
    audio: Path | None  # recorded engine: this scene's own file
    where: str


def _source(script: Script, kind: str, block: int | None) -> tuple[str, Any, str | None]:
    """(field path, the object whose ``voice`` applies, its audio path as written)."""
    if kind == "title":
        return "intro", None, script.intro_audio
    if kind == "claim":
        return "claim", script.claim, script.claim.audio
    if kind == "verdict":
        return "verdict", script.verdict, script.verdict.audio
    if block is not None:
        item = script.body[block]
        return f"body.{block}", item, item.voice_file
    return kind, None, None


def _resolve(loaded: LoadedScript, value: str, where: str) -> Path:
    if value in loaded.assets:  # a queued task's stored copy (see claimreel.jobs.snapshot)
        return loaded.assets[value]
    target = checks.check_asset_path(value, loaded.root)
    if not isinstance(target, checks.Failure):
        target = checks.check_asset_file(target, loaded.root)
    if isinstance(target, checks.Failure):
        raise AssetError(value, target.message, target.hint or "check the path", where=f"{loaded.path}: {where}")
    return target


def scene_voices(loaded: LoadedScript, specs: Sequence[Any], engine_override: str | None = None
                 ) -> dict[int, SceneVoice]:
    """The voice of every scene that speaks, by its index in ``specs``."""
    script = loaded.script
    base = script.voice
    words = pronunciations(loaded)
    model = _resolve(loaded, base.model, "voice.model") if base.model else None
    model_sha256 = file_sha256(model) if model else ""  # once: a model is tens of megabytes
    out: dict[int, SceneVoice] = {}
    for index, spec in enumerate(specs):
        if not spec.narration:
            continue
        where, owner, audio = _source(script, spec.kind, spec.block)
        own: BlockVoice = getattr(owner, "voice", None) or BlockVoice()
        voice = own.voice or base.voice
        engine = engine_override or own.engine or base.engine or default_engine(voice, base.model)
        settings = VoiceSettings(voice=voice, rate=own.rate or base.rate,
                                 pitch=base.pitch if own.pitch is None else own.pitch,
                                 pronounce=pronounce.entries_for(spec.said, words),
                                 model=str(model) if model and engine == "piper" else None,
                                 model_sha256=model_sha256 if engine == "piper" else "")
        path = _resolve(loaded, audio, f"{where}.audio") if audio and engine == "recorded" else None
        if engine == "recorded" and path is None and not base.audio:
            raise AssetError(where, "the recorded voice needs a voice-over file for this narration",
                             f"add audio: <file> to {where}, or voice.audio for one file for the whole piece, "
                             "or set the voice option to espeak", where=str(loaded.path)).naming("voice")
        out[index] = SceneVoice(engine, settings, path, where)
    return out


def pronunciations(loaded: LoadedScript) -> dict[str, str]:
    """The theme's ``pronounce:`` entries with the script's laid over them."""
    script = loaded.script
    return {**theme_pronounce(loaded.root, script.theme), **script.pronounce}


def speak_all(
    loaded: LoadedScript,
    specs: Sequence[Any],
    cache: SpeechCache,
    *,
    engine_override: str | None = None,
    engine: Engine | None = None,
    ffmpeg: Ffmpeg | None = None,
    engines: Callable[[str, Path | None], Engine] = get_engine,
    advance: Callable[[], None] = lambda: None,
    pool: Any = None,
    saying: Callable[[], None] = lambda: None,
) -> dict[int, tuple[Speech, str]]:
    """Speech and cache key for every narrated scene. ``engine``, if given, says everything.
    ``saying()`` is called once before the neural voice's blocks are said in this process (its
    inference runs outside the GIL, so the caller may start other work meanwhile).

    With a remote ``pool`` (a cluster), the blocks missing from the cache are synthesised
    there, all at once; with a local pool, the neural voice's blocks are said in its workers, unless
    they are few enough to say here before the workers would have started (an edit's; see
    :meth:`~..executor.WorkPool.runs_here`); otherwise one after another here, as the cache is read.
    """
    from .engines.recorded import RecordedEngine, WholeRecording

    voices = scene_voices(loaded, specs, engine_override)
    made: dict[str, Engine] = {}
    whole: WholeRecording | None = None
    shared = [i for i, v in voices.items() if v.engine == "recorded" and v.audio is None]
    if shared and engine is None:
        audio = loaded.script.voice.audio
        assert audio is not None  # scene_voices checked
        path = _resolve(loaded, audio, "voice.audio")
        whole = WholeRecording(path, [specs[i].narration for i in shared], ffmpeg, where=f"{loaded.path}: voice.audio")
    out: dict[int, tuple[Speech, str]] = {}
    remote = getattr(pool, "remote", False)
    # blocks not in the cache, to say here or in the pool: voice, key, engine, what the pool makes it by
    missing: dict[int, tuple[Any, str, Engine, Engine | str]] = {}
    sent: dict[int, tuple[Any, str, Engine]] = {}
    for index, voice in voices.items():
        chosen: Engine
        if engine is not None:
            chosen = engine
        elif voice.engine == "recorded":
            chosen = (RecordedEngine(voice.audio, ffmpeg, where=f"{loaded.path}: {voice.where}.audio")
                      if voice.audio is not None else whole.part())  # type: ignore[union-attr]
        else:
            chosen = made.setdefault(voice.engine, engines(voice.engine, cache.models))
        text = specs[index].said
        by_name = engine is None and voice.engine != "recorded"
        if not (remote or (pool is not None and by_name and voice.engine in POOLED)):
            out[index] = cache.get_or_synthesize(chosen, text, voice.settings)
            advance()
            continue
        speech, key = cache.lookup(chosen, text, voice.settings)
        if speech is not None:
            out[index] = speech, key
            advance()
            continue
        # an engine of the registry is made on the worker by name (it may hold a loaded library)
        missing[index] = voice, key, chosen, voice.engine if by_name else chosen
    if missing and pool.runs_here(sum(SPEECH_CPU_PER_CHAR * len(specs[i].said) for i in missing)):
        saying()
        for index, (voice, key, chosen, _) in missing.items():  # an edit's block or two: said here
            text = specs[index].said
            out[index] = cache.keep(key, chosen.name, text, say(chosen, text, voice.settings)), key
            advance()
        missing = {}
    # a local worker keeps what it derives in this cache, as this process would
    local = () if remote else (cache.models,)
    for index, (voice, key, chosen, unit_engine) in missing.items():
        sent[index] = pool.submit(say, unit_engine, specs[index].said, voice.settings, *local), key, chosen
    for future in pool.as_completed([f for f, _, _ in sent.values()]) if sent else ():
        index = next(i for i, (f, _, _) in sent.items() if f is future)
        _, key, chosen = sent[index]
        out[index] = cache.keep(key, chosen.name, specs[index].said, future.result()), key
        advance()
    return dict(sorted(out.items()))


def say(engine: Engine | str, text: str, voice: VoiceSettings, keep: Path | None = None) -> Speech:
    """One narration block's speech (a unit a cluster runs); ``engine`` is an engine, or the name of
    one to make where this runs (keeping what it derives in ``keep``, see :func:`get_engine`)."""
    if isinstance(engine, str):
        engine = get_engine(engine, keep)
    return speak(engine, text, voice)


def sound_fields(script: Script) -> list[tuple[str, str]]:
    """Every audio file the script names (voice-over, music), as (field path, the path as written)."""
    named: list[tuple[str, str | None]] = [
        ("voice.audio", script.voice.audio),
        ("intro_audio", script.intro_audio),
        ("claim.audio", script.claim.audio),
        ("verdict.audio", script.verdict.audio),
        ("music.file", script.music.file if script.music else None),
    ]
    named += [(f"body.{i}.{'recording' if block.type == 'clip' else 'audio'}", block.voice_file)
              for i, block in enumerate(script.body)]
    return [(where, value) for where, value in named if value]


def resolve_sound(loaded: LoadedScript, where: str, value: str) -> Path:
    """The audio file ``value`` named at ``where``, resolved; AssetError (exit 2) if it is unusable."""
    return _resolve(loaded, value, where)


def check_sound_assets(loaded: LoadedScript) -> dict[str, Path]:
    """Every audio file the script names (voice-over, music), resolved; AssetError (exit 2) if one is missing.

    Only paths are checked here (fast, for ``validate``); a render also decodes each file.
    """
    return {where: _resolve(loaded, value, where) for where, value in sound_fields(loaded.script)}
