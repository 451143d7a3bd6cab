"""From a script and its narration timings to a timeline: pure, deterministic, no I/O.

The order of a video is fixed: title, claim, verdict, the body blocks in order,
credits. Each scene lasts its lead-in, its narration and its tail, rounded up to
whole frames, or longer when its card needs more time to be read
(:mod:`claimreel.timeline.reading`); narration audio starts ``lead`` after the
scene's first frame, and caption cues come from the words' times on that shared clock.

A clip scene lasts at least its clip. With ``audio: full`` the clip's own sound
plays first and the narration waits for the clip's end; the clip's spoken lines
(its translation when given, else its transcript) become caption words on the
same clock, spread over each line's time by length, with the speaker's name.
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
from ..narration.pauses import has_pauses, strip_pauses
from ..script.blocks import ClipBlock, DocumentBlock, FactBlock, PhotoBlock, QuoteBlock, Timing
from ..script.footage import ClipSource, SpokenLine
from ..script.model import Script
from .model import AudioPlacement, ClipSound, Scene, Timeline, frame_to_ms
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
    narration: str | None  # as captions and transcripts show it: pause markers taken out
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
    # Footage the scene plays: its source file (as written), in and out points (``clip.start``,
    # ``clip.end``, seconds into the file) and sound mode. An editing timeline's media reference.
    clip: ClipSource | None = None
    spoken: str | None = None  # the narration as written, when it has pause markers for the voice

    @property
    def said(self) -> str | None:
        """What the voice is given to say: the narration with its pause markers."""
        return self.spoken or self.narration


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


def _silent_seconds(kind: str, block: object) -> float:
    """How long a scene with no narration lasts before reading time: a clip plays through."""
    if isinstance(block, ClipSource):
        return block.duration
    return SILENT_SECONDS.get(kind, 4.0)


def plan_scenes(script: Script) -> tuple[SceneSpec, ...]:
    """The scene list of a script, in playing order."""
    claim = script.claim
    # The claimant's own footage saying the words replaces the narrator reading them.
    claim_says = claim.narration or (None if claim.clip is not None and claim.clip.audio == "full" else claim.quote)
    specs = [
        SceneSpec("title", None, script.title, script.intro, DEFAULT_TIMING, SILENT_SECONDS["title"],
                  subtitles=tuple(script.intro_subtitles.items())),
        SceneSpec("claim", None, f"The claim: {claim.speaker.name}",
                  claim_says, DEFAULT_TIMING, claim.clip.duration if claim.clip else 5.0,
                  # With no narration of its own the card reads the claimant's words.
                  None if claim.narration else claim.speaker.name,
                  tuple(claim.subtitles.items()), clip=claim.clip),
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
        elif isinstance(block, ClipBlock):
            title = f"Clip: {block.caption}"
        elif isinstance(block, DocumentBlock):
            title = f"Document: {block.where}"
        else:
            title = block.on_screen or (block.narration or "").split(".")[0][:60]
        narration, speaker = block.narration, None
        if isinstance(block, QuoteBlock) and block.read_aloud:
            narration, speaker = block.text, block.speaker or block.attribution
        specs.append(SceneSpec(block.type, i, title, narration, block.timing or DEFAULT_TIMING,
                               _silent_seconds(block.type, block), speaker, tuple(block.subtitles.items()),
                               clip=block if isinstance(block, ClipBlock) else None))
    specs.append(SceneSpec("credits", None, "Credits", None, DEFAULT_TIMING, CREDITS_SECONDS))
    return tuple(_with_card(_paused(spec), script) for spec in specs)


def _paused(spec: SceneSpec) -> SceneSpec:
    """``spec`` with pause markers out of its shown narration and kept for the voice."""
    if not has_pauses(spec.narration):
        return spec
    assert spec.narration is not None
    return dataclasses.replace(spec, narration=strip_pauses(spec.narration), spoken=spec.narration)


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


def _speech_at(spec: SceneSpec) -> float:
    """Seconds into the scene the narration starts: after its lead, and after a clip that speaks."""
    if spec.clip is not None and spec.clip.audio == "full":
        return spec.timing.lead + spec.clip.duration
    return spec.timing.lead


def _own_seconds(spec: SceneSpec, spoken: NarrationTiming | None) -> float:
    """How long a scene lasts for its narration, its clip (or as a silent card), before reading time."""
    timing = spec.timing
    if spoken is None:
        return max(spec.silent_seconds, timing.min_duration)
    return max(_speech_at(spec) + spoken.duration_ms / 1000 + timing.tail, timing.min_duration,
               spec.clip.duration if spec.clip else 0)


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
    sounds: list[ClipSound] = []
    words: list[TimedWord] = []
    cursor = 0
    for index, spec in enumerate(specs):
        spoken = narration.get(index)
        speech_at = _speech_at(spec)  # seconds into the scene the narration starts
        own = _frames(_own_seconds(spec, spoken), fps)
        frames = max(own, _frames(spec.reading_seconds, fps))
        scene = Scene(index, spec.kind, spec.block, cursor, cursor + frames, spec.title, held_frames=frames - own)
        scenes.append(scene)
        scene_ms = frame_to_ms(cursor, fps)
        if spec.clip is not None and spec.clip.audio != "mute":
            clip_ms = min(round(spec.clip.duration * 1000), frame_to_ms(frames, fps))
            sounds.append(ClipSound(index, scene_ms, clip_ms, spec.clip.file, spec.clip.start, spec.clip.audio))
            words.extend(_line_words(spec.clip.spoken, scene_ms, index, cursor))
        if spoken is not None:
            start_ms = scene_ms + round(speech_at * 1000)
            audio.append(AudioPlacement(index, start_ms, spoken.duration_ms, spoken.cache_key))
            words.extend(
                TimedWord(w.text, start_ms + w.start_ms, start_ms + w.end_ms, spec.speaker, index, cursor)
                for w in spoken.words
            )
        cursor += frames
    words.sort(key=lambda w: w.start_ms)
    cues = segment(words, rules, fps, names=names) if words else ()
    return Timeline(fps, tuple(scenes), tuple(cues), tuple(audio), tuple(sounds))


def _line_words(lines: Sequence[SpokenLine], scene_ms: int, index: int, origin: int) -> list[TimedWord]:
    """A clip's spoken lines as caption words: each line's time shared among its words by length."""
    out = []
    for line in lines:
        tokens = line.text.split()
        start, end = scene_ms + round(line.start * 1000), scene_ms + round(line.end * 1000)
        total = sum(len(t) + 1 for t in tokens)
        at = 0
        for token in tokens:
            a = start + (end - start) * at // total
            at += len(token) + 1
            out.append(TimedWord(token, a, start + (end - start) * at // total, line.speaker, index, origin))
    return out
