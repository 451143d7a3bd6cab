"""The caption cues a render of a script would make, without drawing or encoding anything.

Narration goes through the same engine and speech cache as a render (so a later
render reuses it), and the timeline is built with the same rules and names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..captions.rules import rules_for_format
from ..captions.translate import translated_tracks
from ..layout.formats import get_format
from ..narration import SpeechCache, get_engine
from ..narration.base import Engine
from ..narration.plan import scene_voices
from ..timeline.build import NarrationTiming, build_timeline, caption_names, plan_scenes, reading_holds
from ..timeline.model import Cue, Timeline, spoken_words
from ..timeline.reading import ReadingHold
from .problems import check_all

__all__ = ["ScriptCaptions", "script_captions"]


@dataclass(frozen=True)
class ScriptCaptions:
    timeline: Timeline
    estimated_blocks: int  # narration blocks whose word timings were spread, not measured
    spoken_blocks: int
    translations: dict[str, tuple[Cue, ...]] = field(default_factory=dict)  # language tag -> cues
    voice_rate: int = 0  # the script's voice rate (words per minute) the narration was spoken at
    holds: tuple[ReadingHold, ...] = ()  # scenes held past their narration so their cards can be read


def script_captions(
    path: Path, fmt: str, cache_dir: Path, *, engine: Engine | None = None, voice: str | None = None
) -> ScriptCaptions:
    """The timeline (and its cues) of ``path`` in format ``fmt``; ScriptError listing every problem
    ``validate`` finds (in the script's formats and ``fmt``), in its words, when there is one."""
    checked = check_all(path, also=fmt)  # what validate checks (its voice is the script's, as there)
    checked.ready()
    loaded = checked.written
    assert loaded is not None  # ready: the script was read
    script = loaded.script
    specs = plan_scenes(script)
    cache = SpeechCache(cache_dir / "speech")
    base = get_engine(voice or script.voice.chosen, cache.models) if engine is None else engine
    # the script's voice (not the blocks' own) with the pronunciations each block says
    voices = {i: dataclasses.replace(v.settings, voice=script.voice.voice, rate=script.voice.rate,
                                     pitch=script.voice.pitch)
              for i, v in scene_voices(loaded, specs, base.name).items()}
    timings: dict[int, NarrationTiming] = {}
    speeches = {}
    estimated = 0
    for index, spec in enumerate(specs):
        if not spec.narration:
            continue
        speech, key = cache.get_or_synthesize(base, spec.said, voices[index])
        estimated += bool(speech.estimated)
        timings[index] = NarrationTiming(speech.duration_ms, speech.words, key)
        speeches[index] = (speech, key)
    format_ = get_format(fmt)
    timeline = build_timeline(specs, timings, format_.fps, rules_for_format(fmt), names=caption_names(script))
    tracks = translated_tracks(specs, spoken_words(speeches, timeline), format_.fps, fmt)
    return ScriptCaptions(timeline, estimated, len(timings), tracks, script.voice.rate,
                          tuple(reading_holds(specs, timeline)))
