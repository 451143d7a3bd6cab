"""From a script and its narration timings to a timeline: pure, deterministic, no I/O.

The order of a video is fixed: title, claim, verdict, the body blocks in order,
credits. Each scene lasts its lead-in, its narration and its tail, rounded up to
whole frames; narration audio starts ``lead`` after the scene's first frame, and
caption cues come from the words' times on that shared clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from ..captions.rules import CaptionRules
from ..captions.segment import TimedWord, segment
from ..narration.base import Word
from ..script.model import FactBlock, PhotoBlock, QuoteBlock, Script, Timing
from .model import AudioPlacement, Scene, Timeline, frame_to_ms

__all__ = ["NarrationTiming", "SceneSpec", "build_timeline", "caption_names", "plan_scenes", "scene_positions"]

DEFAULT_TIMING = Timing()
CREDITS_SECONDS = 5.0
SILENT_SECONDS = {"title": 3.5, "photo": 5.0, "fact": 5.0, "narration": 4.0}
READING_CPS = 15.0  # a silent quote card holds long enough to be read at this speed


@dataclass(frozen=True)
class SceneSpec:
    """What one scene shows and says, before anything is timed."""

    kind: str
    block: int | None
    title: str
    narration: str | None
    timing: Timing
    silent_seconds: float
    speaker: str | None = None  # whose words the narration speaks; None for the narrator
    subtitles: tuple[tuple[str, str], ...] = ()  # (language tag, translated narration)


@dataclass(frozen=True)
class NarrationTiming:
    """The measured length and word timings of one scene's narration (cache key for the audio)."""

    duration_ms: int
    words: tuple[Word, ...]
    cache_key: str


def _silent_seconds(kind: str, block: object) -> float:
    if isinstance(block, QuoteBlock):
        return len(block.text) / READING_CPS + 1.5
    return SILENT_SECONDS.get(kind, 4.0)


def plan_scenes(script: Script) -> tuple[SceneSpec, ...]:
    """The scene list of a script, in playing order."""
    specs = [
        SceneSpec("title", None, script.title, script.intro, DEFAULT_TIMING, SILENT_SECONDS["title"],
                  subtitles=tuple(script.intro_subtitles.items())),
        SceneSpec("claim", None, f"The claim: {script.claim.speaker.name}",
                  script.claim.narration or script.claim.quote, DEFAULT_TIMING, 5.0,
                  # With no narration of its own the card reads the claimant's words.
                  None if script.claim.narration else script.claim.speaker.name,
                  tuple(script.claim.subtitles.items())),
        SceneSpec("verdict", None, f"Verdict: {script.verdict.shown}",
                  script.verdict.narration or script.verdict.summary, DEFAULT_TIMING, 5.0,
                  subtitles=tuple(script.verdict.subtitles.items())),
    ]
    for i, block in enumerate(script.body):
        if isinstance(block, QuoteBlock):
            title = f"Quote: {block.attribution}"
        elif isinstance(block, PhotoBlock):
            title = f"Photo: {block.caption}"
        elif isinstance(block, FactBlock):
            title = f"Fact: {block.headline}"
        else:
            title = block.on_screen or (block.narration or "").split(".")[0][:60]
        narration, speaker = block.narration, None
        if isinstance(block, QuoteBlock) and block.read_aloud:
            narration, speaker = block.text, block.speaker or block.attribution
        specs.append(SceneSpec(block.type, i, title, narration, block.timing or DEFAULT_TIMING,
                               _silent_seconds(block.type, block), speaker, tuple(block.subtitles.items())))
    specs.append(SceneSpec("credits", None, "Credits", None, DEFAULT_TIMING, CREDITS_SECONDS))
    return tuple(specs)


def caption_names(script: Script) -> list[str]:
    """People's names that captions never split (the claimant and quoted speakers): ``build_timeline``'s ``names``."""
    return [script.claim.speaker.name] + [b.speaker for b in script.body if getattr(b, "speaker", None)]


def scene_positions(specs: Sequence[SceneSpec], refs: Sequence[str | int]) -> tuple[int, ...]:
    """Where each scene a cut names sits in ``specs``: a fixed scene by its kind, a body block by index."""
    positions = []
    for ref in refs:
        if isinstance(ref, int):
            found = [i for i, s in enumerate(specs) if s.block == ref]
        else:
            found = [i for i, s in enumerate(specs) if s.block is None and s.kind == ref]
        if len(found) != 1:
            raise ValueError(f"no single scene for {ref!r}")
        positions.append(found[0])
    return tuple(positions)


def _frames(seconds: float, fps: Fraction) -> int:
    return math.ceil(Fraction(seconds).limit_denominator(1000) * fps)


def build_timeline(
    specs: Sequence[SceneSpec],
    narration: Mapping[int, NarrationTiming],
    fps: Fraction,
    rules: CaptionRules,
    *,
    names: Sequence[str] = (),
) -> Timeline:
    """Time every scene; ``narration`` maps a scene's position in ``specs`` to its speech."""
    scenes: list[Scene] = []
    audio: list[AudioPlacement] = []
    words: list[TimedWord] = []
    cursor = 0
    for index, spec in enumerate(specs):
        timing = spec.timing
        spoken = narration.get(index)
        if spoken is None:
            seconds = max(spec.silent_seconds, timing.min_duration)
        else:
            seconds = max(timing.lead + spoken.duration_ms / 1000 + timing.tail, timing.min_duration)
        frames = _frames(seconds, fps)
        scene = Scene(index, spec.kind, spec.block, cursor, cursor + frames, spec.title)
        scenes.append(scene)
        if spoken is not None:
            start_ms = frame_to_ms(cursor, fps) + round(timing.lead * 1000)
            audio.append(AudioPlacement(index, start_ms, spoken.duration_ms, spoken.cache_key))
            words.extend(
                TimedWord(w.text, start_ms + w.start_ms, start_ms + w.end_ms, spec.speaker, index)
                for w in spoken.words
            )
        cursor += frames
    cues = segment(words, rules, fps, names=names) if words else ()
    return Timeline(fps, tuple(scenes), tuple(cues), tuple(audio))
