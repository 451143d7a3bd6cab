"""The timeline is pure: scene frames from narration lengths, cues on the shared clock."""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml

from claimreel.captions.check import check_cues
from claimreel.captions.rules import rules_for_format
from claimreel.narration.base import Word
from claimreel.script.model import Script
from claimreel.timeline.build import NarrationTiming, build_timeline, plan_scenes
from claimreel.timeline.model import frame_to_ms, ms_to_frame

from ..conftest import SMALL_SCRIPT

FPS = Fraction(30)


def _timing(text: str, ms_per_word: int = 320) -> NarrationTiming:
    words = tuple(Word(w, i * ms_per_word, (i + 1) * ms_per_word - 40) for i, w in enumerate(text.split()))
    return NarrationTiming(len(words) * ms_per_word, words, f"key-{len(text)}")


@pytest.fixture
def script() -> Script:
    return Script.model_validate(yaml.safe_load(SMALL_SCRIPT))


def test_scene_order_is_title_claim_verdict_body_credits(script):
    kinds = [s.kind for s in plan_scenes(script)]
    assert kinds == ["title", "claim", "verdict", "photo", "quote", "fact", "credits"]


def test_frames_are_contiguous_and_follow_narration(script):
    specs = plan_scenes(script)
    narration = {i: _timing(s.narration) for i, s in enumerate(specs) if s.narration}
    timeline = build_timeline(specs, narration, FPS, rules_for_format("16x9"))
    cursor = 0
    for scene in timeline.scenes:
        assert scene.start_frame == cursor and scene.frames > 0
        cursor = scene.end_frame
    claim = timeline.scenes[1]
    # lead 0.3 s + 4 words * 320 ms + tail 0.5 s = 2.08 s, below the 3 s minimum
    assert claim.frames == 90
    title = timeline.scenes[0]
    # "A quick check." is short too; a longer block runs lead + speech + tail, rounded up
    long_spec = specs[0]
    long = build_timeline(specs, {0: _timing("word " * 20)}, FPS, rules_for_format("16x9")).scenes[0]
    assert long.frames == ms_to_frame(300 + 20 * 320 + 500, FPS)
    assert title.frames == 90 and long_spec.kind == "title"
    assert timeline.scenes[-1].frames == 150  # credits: 5 s
    placement = {a.scene_index: a for a in timeline.audio}
    assert placement[1].start_ms == frame_to_ms(claim.start_frame, FPS) + 300
    assert 4 not in placement  # the quote card has no narration: it holds silently


def test_silent_quote_holds_long_enough_to_read(script):
    specs = plan_scenes(script)
    timeline = build_timeline(specs, {}, FPS, rules_for_format("16x9"))
    quote = timeline.scenes[4]
    assert quote.frames >= 3 * 30  # "It was flowing." at 15 chars/s plus 1.5 s, at least 3 s


def test_cues_start_on_the_first_word_and_obey_the_rules(script):
    specs = plan_scenes(script)
    narration = {i: _timing(s.narration) for i, s in enumerate(specs) if s.narration}
    timeline = build_timeline(specs, narration, FPS, rules_for_format("16x9"))
    starts = {a.start_ms for a in timeline.audio}
    for start in starts:
        cue = min((c for c in timeline.cues if c.start_ms >= start - 67), key=lambda c: c.start_ms)
        assert abs(cue.start_ms - start) <= 67  # within 2 frames of the block's first word
    assert check_cues(timeline.cues, rules_for_format("16x9"), FPS) == []
    assert " ".join(c.text for c in timeline.cues).split() == " ".join(
        s.narration for s in specs if s.narration).split()


def test_timeline_is_deterministic(script):
    specs = plan_scenes(script)
    narration = {i: _timing(s.narration) for i, s in enumerate(specs) if s.narration}
    a = build_timeline(specs, narration, FPS, rules_for_format("16x9"))
    b = build_timeline(specs, narration, FPS, rules_for_format("16x9"))
    assert a == b
