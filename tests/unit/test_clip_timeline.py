"""Clip scenes on the timeline: times written as seconds or HH:MM:SS.mmm, scene lengths, where the
narration and the clip's own sound go, and the clip's speech as captions with the speaker's name."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from pydantic import ValidationError

from claimreel.captions.rules import rules_for_format
from claimreel.narration.base import Word
from claimreel.script.blocks import ClipBlock
from claimreel.script.model import Script
from claimreel.timeline.build import NarrationTiming, build_timeline, plan_scenes
from claimreel.timeline.model import frame_to_ms

from ..conftest import SMALL_SCRIPT

FPS = 30

CLAIM_CLIP = textwrap.indent(textwrap.dedent("""\
    clip:
      file: assets/clips/briefing.mp4
      start: "00:01:02.500"
      end: "1:06.5"
      audio: full
      transcript:
        - {text: "El río está seco.", start: 0.5, end: 2.0, speaker: Ana Ruiz}
      translation:
        - {text: "The river is dry.", start: 0.5, end: 2.0, speaker: Ana Ruiz}
"""), "  ")


def _script(extra_block: str = "", claim_clip: bool = False) -> Script:
    text = SMALL_SCRIPT
    if claim_clip:
        text = text.replace("  date: 2024-04-30\n", "  date: 2024-04-30\n" + CLAIM_CLIP, 1)
    text = text.replace("credits:\n", extra_block + "credits:\n", 1)
    return Script.model_validate(yaml.safe_load(text))


def _timeline(script: Script, spoken: dict[int, int]):
    specs = plan_scenes(script)
    narration = {i: NarrationTiming(ms, (Word("words", 0, ms),), f"k{i}") for i, ms in spoken.items()}
    from fractions import Fraction

    return specs, build_timeline(specs, narration, Fraction(FPS), rules_for_format("16x9"))


def test_times_parse_as_seconds_or_clock_text() -> None:
    block = _script(claim_clip=True).claim.clip
    assert block is not None and (block.start, block.end, block.duration) == (62.5, 66.5, 4.0)
    with pytest.raises(ValidationError, match="start .* must come before end"):
        _script(claim_clip=True).claim.model_validate(
            {**_script(claim_clip=True).claim.model_dump(), "clip": {"file": "a.mp4", "start": 3, "end": "0:02"}})


def test_claim_footage_speaks_for_itself() -> None:
    script = _script(claim_clip=True)
    specs, timeline = _timeline(script, {})
    claim = specs[1]
    # with the claimant's own words playing (audio: full), nobody reads the quote over them
    assert claim.clip is script.claim.clip and claim.narration is None
    scene = timeline.scenes[1]
    assert scene.frames == 4 * FPS  # the clip's 4 s
    (sound,) = timeline.sounds
    assert (sound.file, sound.source_start, sound.mode) == ("assets/clips/briefing.mp4", 62.5, "full")
    assert sound.start_ms == frame_to_ms(scene.start_frame, timeline.fps) and sound.duration_ms == 4000
    # the translation is captioned, with the speaker's name, at its time in the clip
    (cue,) = [c for c in timeline.cues if c.speaker == "Ana Ruiz"]
    assert cue.text == "The river is dry."
    assert cue.start_ms == sound.start_ms + 500


def test_full_sound_makes_the_narration_wait_and_under_does_not() -> None:
    block = textwrap.dedent("""\
      - type: clip
        file: assets/clips/a.mp4
        start: 2
        end: 5
        audio: {audio}
        caption: A clip
        credit: Test
        description: Something happens.
        narration: Then the narrator speaks.
    """)
    for audio, speech_at, frames in (("full", 3.3, round((3.3 + 2.0 + 0.5) * FPS)), ("under", 0.3, 3 * FPS)):
        script = _script(textwrap.indent(block.format(audio=audio), "  "))
        specs, timeline = _timeline(script, {6: 2000})
        scene = timeline.scenes[6]
        assert isinstance(script.body[3], ClipBlock) and specs[6].clip is script.body[3]
        (placed,) = [a for a in timeline.audio if a.scene_index == 6]
        assert placed.start_ms == frame_to_ms(scene.start_frame, timeline.fps) + round(speech_at * 1000), audio
        assert scene.frames == frames, audio
        (sound,) = timeline.sounds
        assert sound.mode == audio and sound.duration_ms == 3000


def test_a_muted_clip_has_no_sound_and_transcripts_need_full_sound() -> None:
    block = textwrap.indent(textwrap.dedent("""\
      - type: clip
        file: assets/clips/a.mp4
        end: 4
        audio: mute
        caption: A clip
        credit: Test
        description: Something happens.
    """), "  ")
    _, timeline = _timeline(_script(block), {})
    assert timeline.sounds == () and timeline.scenes[6].frames == 4 * FPS
    with pytest.raises(ValidationError, match="set audio: full"):
        _script(block.replace("    description: Something happens.\n", "    description: Something happens.\n"
                              "    transcript: [{text: Hello, start: 0, end: 1}]\n"))
