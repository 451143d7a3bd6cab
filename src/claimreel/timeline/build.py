"""From a script and its narration timings to a timeline: pure, deterministic, no I/O.

The order of a video is fixed: title, claim, verdict, the body blocks in order,
credits. Each scene lasts its lead-in, its narration and its tail, rounded up to
whole frames; narration audio starts ``lead`` after the scene's first frame, and
caption cues come from the words' times on that shared clock.

A clip scene lasts at least its clip. With ``audio: full`` the clip's own sound
plays first and the narration waits for the clip's end; the clip's spoken lines
(its translation when given, else its transcript) become caption words on the
same clock, spread over each line's time by length, with the speaker's name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from ..captions.rules import CaptionRules
from ..captions.segment import TimedWord, segment
from ..narration.base import Word
from ..script.model import (ClipBlock, ClipSource, DocumentBlock, FactBlock, PhotoBlock, QuoteBlock, Script, SpokenLine,
                            Timing)
from .model import AudioPlacement, ClipSound, Scene, Timeline, frame_to_ms

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
    # Footage the scene plays: its source file (as written), in and out points (``clip.start``,
    # ``clip.end``, seconds into the file) and sound mode. An editing timeline's media reference.
    clip: ClipSource | None = None


@dataclass(frozen=True)
class NarrationTiming:
    """The measured length and word timings of one scene's narration (cache key for the audio)."""

    duration_ms: int
    words: tuple[Word, ...]
    cache_key: str


def _silent_seconds(kind: str, block: object) -> float:
    if isinstance(block, ClipSource):
        return block.duration
    if isinstance(block, QuoteBlock):
        return len(block.text) / READING_CPS + 1.5
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
        SceneSpec("verdict", None, f"Verdict: {script.verdict.rating}",
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
    sounds: list[ClipSound] = []
    words: list[TimedWord] = []
    cursor = 0
    for index, spec in enumerate(specs):
        timing = spec.timing
        spoken = narration.get(index)
        speech_at = timing.lead  # seconds into the scene the narration starts
        if spec.clip is not None and spec.clip.audio == "full":
            speech_at += spec.clip.duration  # the clip speaks first; the narration waits
        if spoken is None:
            seconds = max(spec.silent_seconds, timing.min_duration)
        else:
            seconds = max(speech_at + spoken.duration_ms / 1000 + timing.tail, timing.min_duration,
                          spec.clip.duration if spec.clip else 0)
        frames = _frames(seconds, fps)
        scene = Scene(index, spec.kind, spec.block, cursor, cursor + frames, spec.title)
        scenes.append(scene)
        scene_ms = frame_to_ms(cursor, fps)
        if spec.clip is not None and spec.clip.audio != "mute":
            clip_ms = min(round(spec.clip.duration * 1000), frame_to_ms(frames, fps))
            sounds.append(ClipSound(index, scene_ms, clip_ms, spec.clip.file, spec.clip.start, spec.clip.audio))
            words.extend(_line_words(spec.clip.spoken, scene_ms, index))
        if spoken is not None:
            start_ms = scene_ms + round(speech_at * 1000)
            audio.append(AudioPlacement(index, start_ms, spoken.duration_ms, spoken.cache_key))
            words.extend(
                TimedWord(w.text, start_ms + w.start_ms, start_ms + w.end_ms, spec.speaker, index)
                for w in spoken.words
            )
        cursor += frames
    words.sort(key=lambda w: w.start_ms)
    cues = segment(words, rules, fps, names=names) if words else ()
    return Timeline(fps, tuple(scenes), tuple(cues), tuple(audio), tuple(sounds))


def _line_words(lines: Sequence[SpokenLine], scene_ms: int, index: int) -> list[TimedWord]:
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
            out.append(TimedWord(token, a, start + (end - start) * at // total, line.speaker, index))
    return out
