"""From a script and its narration timings to a timeline: pure, deterministic, no I/O.

The order of a video is fixed: title, claim, verdict, the body blocks in order,
credits. Each scene lasts its lead-in, its narration and its tail, rounded up to
whole frames, or longer when its card needs more time to be read
(:mod:`claimreel.timeline.reading`); narration audio starts ``lead`` after the
scene's first frame, and caption cues come from the words' times on that shared clock.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from ..captions.rules import CaptionRules
from ..captions.segment import TimedWord, segment
from ..narration.base import Word
from ..script.model import FactBlock, PhotoBlock, QuoteBlock, Script, Timing
from .model import AudioPlacement, Scene, Timeline, frame_to_ms
from .reading import ReadingHold, card_texts, characters, reading_seconds

__all__ = ["NarrationTiming", "SceneSpec", "build_timeline", "caption_names", "estimated_narration", "plan_scenes",
           "reading_holds", "scene_positions"]

DEFAULT_TIMING = Timing()
CREDITS_SECONDS = 5.0
SILENT_SECONDS = {"title": 3.5, "photo": 5.0, "fact": 5.0, "narration": 4.0}


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
    card: tuple[str, ...] = ()  # the texts the card shows that a viewer reads
    reading_seconds: float = 0.0  # how long the card must stay up for them to be read

    @property
    def where(self) -> str:
        """The script field the scene comes from (``body.3``, ``claim``)."""
        return f"body.{self.block}" if self.block is not None else self.kind


@dataclass(frozen=True)
class NarrationTiming:
    """The measured length and word timings of one scene's narration (cache key for the audio)."""

    duration_ms: int
    words: tuple[Word, ...]
    cache_key: str


def _with_card(spec: SceneSpec, script: Script) -> SceneSpec:
    """``spec`` with the texts its card shows and the time they take to read."""
    block = script.body[spec.block] if spec.block is not None else None
    texts = card_texts(script, spec.kind, block)
    return dataclasses.replace(spec, card=texts, reading_seconds=reading_seconds(texts, script.language))


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
                               SILENT_SECONDS.get(block.type, 4.0), speaker, tuple(block.subtitles.items())))
    specs.append(SceneSpec("credits", None, "Credits", None, DEFAULT_TIMING, CREDITS_SECONDS))
    return tuple(_with_card(spec, script) for spec in specs)


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


def _own_seconds(spec: SceneSpec, spoken: NarrationTiming | None) -> float:
    """How long a scene lasts for its narration (or as a silent card), before reading time."""
    timing = spec.timing
    if spoken is None:
        return max(spec.silent_seconds, timing.min_duration)
    return max(timing.lead + spoken.duration_ms / 1000 + timing.tail, timing.min_duration)


def estimated_narration(specs: Sequence[SceneSpec], words_per_minute: int) -> dict[int, NarrationTiming]:
    """Narration lengths guessed from word counts at the voice's rate, for checks that speak nothing
    (``validate``); without word timings, so a timeline built from them has no cues."""
    return {
        i: NarrationTiming(round(len(spec.narration.split()) * 60_000 / words_per_minute), (), "")
        for i, spec in enumerate(specs) if spec.narration
    }


def reading_holds(specs: Sequence[SceneSpec], timeline: Timeline) -> list[ReadingHold]:
    """The scenes of ``timeline`` (built from ``specs``) held longer than their narration so their card
    can be read."""
    out = []
    for scene in timeline.scenes:
        if scene.held_frames:
            spec = specs[scene.index]
            own = (scene.frames - scene.held_frames) / timeline.fps
            out.append(ReadingHold(spec.where, spec.kind, characters(spec.card), float(own),
                                   float(scene.frames / timeline.fps)))
    return out


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
        own = _frames(_own_seconds(spec, spoken), fps)
        frames = max(own, _frames(spec.reading_seconds, fps))
        scene = Scene(index, spec.kind, spec.block, cursor, cursor + frames, spec.title, held_frames=frames - own)
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
