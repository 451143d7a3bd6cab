"""What a render describes for each video: the description said in its gaps, and its extended plan.

The render's audio thread calls :func:`video_describer`'s function once per video (every format,
every social cut) before mixing, and gets back what :class:`Sound` carries to the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..narration import SpeechCache
from ..narration.base import Engine
from .described import Description, Speaker, describe, description_voice
from .extended import Extended
from .prepared import Video

__all__ = ["Sound", "video_describer"]


@dataclass(frozen=True)
class Sound:
    """A video's soundtracks: the main one and the described one (each its AAC and loudness report),
    what the description said and left out; and with ``--described extended``, the extended version's
    plan and soundtrack."""

    main: tuple[Path, dict[str, Any]]
    described: tuple[Path, dict[str, Any]]
    description: Description
    extended: tuple[Extended, tuple[Path, dict[str, Any]]] | None = None


def video_describer(speech_cache: Path, voice: str | None, extended: bool, engine: Engine | None
                    ) -> Callable[[Video], tuple[Description, Extended | None]]:
    """Describes a video (its scenes' gaps filled) with the render's speech cache and engine (``engine``
    if the caller gave one, else ``voice`` or the script's); and plans its extended version when
    ``extended`` (formats only: a social cut has none)."""
    from ..narration.engines import get_engine
    from ..publish.description_text import description_parts
    from .extended import plan_extended

    cache = SpeechCache(speech_cache)
    speakers: dict[tuple[str, object], Speaker] = {}

    def described(video: Video) -> tuple[Description, Extended | None]:
        p = video.prepared
        name, settings = description_voice(p.loaded, voice)
        if (name, settings) not in speakers:
            chosen = engine if engine is not None else get_engine(name, cache.models)
            speakers[name, settings] = Speaker(cache, chosen, settings)
        say = speakers[name, settings]
        description = describe(p.script, p.specs, video.timeline, p.theme, say)
        if not extended or p.social:
            return description, None
        return description, plan_extended(video.timeline, description_parts(p.script, p.specs, video.timeline,
                                                                             p.theme), say)

    return described
