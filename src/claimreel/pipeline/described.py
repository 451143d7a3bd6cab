"""A video's audio description: what each scene shows, spoken in the narration's gaps.

Each scene's parts (:mod:`..publish.description_text`) are said in order, each placed in the first
gap of the scene (:mod:`..timeline.gaps`), at or after the one the previous part went into, with room
left for it; a part that fits nowhere is said in its short form (key numbers or words) if that fits,
else dropped, and what was shortened or dropped is reported. Nothing is ever placed over the
narration or a clip's sound.

The speech comes from the script's voice engine (``--voice`` if given; eSpeak for a recorded
voice-over, which has no engine to say new words) at :data:`RATE_FACTOR` times its rate: the same
voice, audibly distinct and brisk. It goes through the render's speech cache like the narration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..narration.base import Engine, Speech, VoiceSettings
from ..narration.cache import SpeechCache
from ..publish.description_text import Part, description_parts
from ..script.load import LoadedScript
from ..script.model import Script
from ..timeline.build import SceneSpec
from ..timeline.gaps import scene_gaps
from ..timeline.model import Timeline

__all__ = ["PAUSE_MS", "RATE_FACTOR", "Description", "Said", "Speaker", "describe", "description_rate",
           "description_voice", "fit_parts", "undescribed"]

RATE_FACTOR = 1.15
PAUSE_MS = 250  # between two parts said in the same gap
MAX_RATE = 400
SURE_TOO_LONG = 1.25  # an estimate this many times the longest gap: not spoken to measure it


@dataclass(frozen=True)
class Said:
    """One part placed: said from ``start_ms`` (video clock) by ``speech`` (cache key ``key``)."""

    scene: int
    start_ms: int
    text: str
    speech: Speech
    key: str

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.speech.duration_ms


@dataclass(frozen=True)
class Description:
    """Everything said, and per scene what was said shorter or not at all."""

    said: tuple[Said, ...]
    shortened: tuple[tuple[int, str, str], ...]  # (scene position, full text, what was said instead)
    dropped: tuple[tuple[int, str], ...]  # (scene position, text not said)

    def report(self, timeline: Timeline) -> dict[str, Any]:
        """The render report's account: how much was said, and what was shortened or left out, by scene."""
        def where(position: int) -> str:
            return timeline.scenes[position].title

        return {
            "parts_said": len(self.said),
            "seconds": round(sum(s.speech.duration_ms for s in self.said) / 1000, 2),
            "shortened": [{"scene": where(p), "text": full, "said": short} for p, full, short in self.shortened],
            "dropped": [{"scene": where(p), "text": text} for p, text in self.dropped],
        }


def description_rate(script: Script) -> int:
    """Words a minute the description is said at: the script's rate, a little faster."""
    return min(MAX_RATE, round(script.voice.rate * RATE_FACTOR))


def description_voice(loaded: LoadedScript, engine_override: str | None) -> tuple[str, VoiceSettings]:
    """The engine name and voice that describe: the script's (its own Piper model included), a little faster."""
    voice = loaded.script.voice
    name = engine_override or voice.chosen
    if name == "recorded":
        name = "espeak"
    model = None
    if name == "piper" and voice.model:
        from ..files import file_sha256
        from ..narration.plan import _resolve

        model = _resolve(loaded, voice.model, "voice.model")
    return name, VoiceSettings(voice=voice.voice, rate=description_rate(loaded.script),
                               pitch=voice.pitch, model=str(model) if model else None,
                               model_sha256=file_sha256(model) if model else "")


def fit_parts(parts: Sequence[Part], gaps: Sequence[tuple[int, int]], length: Callable[[str], int]
              ) -> tuple[list[tuple[str, int]], list[tuple[str, str]], list[str]]:
    """Place ``parts`` in ``gaps`` in order (``length(text)``: how long it takes to say, ms): what is
    said and where; what was shortened (full, short); what was dropped."""
    cursor = [a for a, _ in gaps]  # where the next part may start in each gap
    first = 0  # the earliest gap the next part may use (parts keep their order)
    placed: list[tuple[str, int]] = []
    shortened: list[tuple[str, str]] = []
    dropped: list[str] = []
    for part in parts:
        for text in (part.text, part.short):
            if text is None:
                continue
            need = length(text)
            at = next((g for g in range(first, len(gaps)) if cursor[g] + need <= gaps[g][1]), None)
            if at is None:
                continue
            placed.append((text, cursor[at]))
            cursor[at] += need + PAUSE_MS
            first = at
            if text != part.text:
                shortened.append((part.text, text))
            break
        else:
            dropped.append(part.text)
    return placed, shortened, dropped


class Speaker:
    """Says a description's texts with one engine and voice, through the speech cache (each text once)."""

    def __init__(self, cache: SpeechCache, engine: Engine, voice: VoiceSettings) -> None:
        self.cache, self.engine, self.voice = cache, engine, voice
        self.spoken: dict[str, tuple[Speech, str]] = {}

    def __call__(self, text: str) -> tuple[Speech, str]:
        if text not in self.spoken:
            self.spoken[text] = self.cache.get_or_synthesize(self.engine, text, self.voice)
        return self.spoken[text]


def describe(script: Script, specs: Sequence[SceneSpec], timeline: Timeline, theme: object,
             say: Callable[[str], tuple[Speech, str]]) -> Description:
    """The description of one video (a format, or a social cut); ``say``: a :class:`Speaker`."""
    gaps = scene_gaps(timeline)
    said: list[Said] = []
    shortened: list[tuple[int, str, str]] = []
    dropped: list[tuple[int, str]] = []
    for position, parts in enumerate(description_parts(script, specs, timeline, theme)):
        if not gaps.get(position):
            dropped += [(position, part.text) for part in parts]
            continue
        room = max(b - a for a, b in gaps[position])

        def length(text: str) -> int:
            # a text far too long for the scene's longest gap is not spoken to find that out
            guess = estimated_ms(text, say.voice.rate) if isinstance(say, Speaker) else 0
            return guess if guess > SURE_TOO_LONG * room else say(text)[0].duration_ms

        placed, short, lost = fit_parts(parts, gaps[position], length)
        said += [Said(position, start, text, *say(text)) for text, start in placed]
        shortened += [(position, full, brief) for full, brief in short]
        dropped += [(position, text) for text in lost]
    return Description(tuple(said), tuple(shortened), tuple(dropped))


def estimated_ms(text: str, words_per_minute: int) -> int:
    """How long ``text`` takes to say at ``words_per_minute``, from its word count."""
    return round(len(text.split()) * 60_000 / words_per_minute)


def undescribed(script: Script, specs: Sequence[SceneSpec], timeline: Timeline, theme: object, words_per_minute: int
                ) -> dict[int, list[str]]:
    """Per scene position, the essential parts (its heading, its numbers) that cannot be said in its
    gaps even in their short forms, at ``words_per_minute`` (the description's rate; ``validate``
    speaks nothing, so lengths are estimated from word counts, as for the narration)."""
    def length(text: str) -> int:
        return estimated_ms(text, words_per_minute)

    gaps = scene_gaps(timeline)
    out: dict[int, list[str]] = {}
    for position, parts in enumerate(description_parts(script, specs, timeline, theme)):
        essential = [Part(part.short or part.text, None, True) for part in parts if part.essential]
        _, _, lost = fit_parts(essential, gaps.get(position, []), length)
        if lost:
            out[position] = lost
    return out
