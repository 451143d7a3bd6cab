"""Segmentation of timed words into cues, checked against the caption rules."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimreel.captions import (
    CaptionRules,
    TimedWord,
    check_cues,
    rules_for_format,
    segment,
    speaker_label,
)
from claimreel.captions.linebreak import ARTICLES
from claimreel.errors import ClaimreelError
from claimreel.timeline.model import Cue, frame_to_ms, ms_to_frame

NAMES = ("Wang Wenbin", "Michelle Bachelet")
FPS_VALUES = (Fraction(24), Fraction(25), Fraction(30), Fraction(30000, 1001), Fraction(60))

SCRIPT = (
    "Foreign ministry spokesperson Wang Wenbin said the report was full of lies. "
    "But the figures tell a different story. In 2019, the imprisonment rate in Xinjiang was "
    "243 per 100,000 people, compared with 32.1 in China as a whole. "
    "Michelle Bachelet, the former UN human rights chief, said the detention of 40 individuals "
    "without charge was a serious concern, and her office called for an independent review. "
    "The ministry did not respond to our questions. We also checked the satellite images that "
    "the researchers used, and they show new walls and watchtowers built between 2017 and 2019."
)


def speak(text: str, start: int = 1000, *, speaker: str | None = None) -> list[TimedWord]:
    """Plausible narration timings: about 14 characters a second, pauses after sentences."""
    words, t = [], start
    for token in text.split():
        length = 110 + 48 * len(token)
        words.append(TimedWord(token, t, t + length, speaker))
        t += length + 70
        if token.endswith((".", "?", "!")):
            t += 220
    return words


def assert_frame_aligned(cues: tuple[Cue, ...], fps: Fraction) -> None:
    for cue in cues:
        for ms in (cue.start_ms, cue.end_ms):
            assert isinstance(ms, int)
            assert frame_to_ms(ms_to_frame(ms, fps), fps) == ms


@pytest.mark.parametrize("fps", FPS_VALUES, ids=str)
@pytest.mark.parametrize("fmt", ["16x9", "9x16"])
def test_realistic_narration_passes_every_rule(fps: Fraction, fmt: str) -> None:
    rules = rules_for_format(fmt)
    words = speak(SCRIPT)
    assert len(words) > 80
    cues = segment(words, rules, fps, names=NAMES)

    assert check_cues(cues, rules, fps) == []
    assert [c.index for c in cues] == list(range(1, len(cues) + 1))
    assert " ".join(c.text for c in cues) == " ".join(SCRIPT.split())
    assert_frame_aligned(cues, fps)

    frame_ms = 1000 / fps
    position = 0
    for cue in cues:
        first = words[position]
        position += len(cue.text.split())
        last = words[position - 1]
        # Sync: on or just before the first word, never more than 2 frames off.
        assert first.start_ms - 2 * frame_ms <= cue.start_ms <= first.start_ms
        # Ends after the last word, or just before it when the next cue follows at once
        # (the next cue must start with its word and keep a 2-frame gap).
        assert cue.end_ms >= last.end_ms - 3 * frame_ms
        assert cue.lines[-1].split()[-1].lower() not in ARTICLES
        for name in NAMES:
            assert name.split()[0] not in cue.text or name in cue.text


def test_cues_end_at_sentence_ends_where_they_can() -> None:
    cues = segment(speak(SCRIPT), CaptionRules(), Fraction(30), names=NAMES)
    ends = [c.text.rstrip('"').endswith((".", ",")) for c in cues]
    assert sum(ends) >= len(cues) - 2
    assert cues[0].lines == ("Foreign ministry spokesperson Wang Wenbin", "said the report was full of lies.")


def test_gaps_are_closed_to_two_frames_or_left_wide() -> None:
    fps = Fraction(24)
    cues = segment(speak(SCRIPT), CaptionRules(), fps, names=NAMES)
    for prev, cue in zip(cues, cues[1:]):
        gap = ms_to_frame(cue.start_ms, fps) - ms_to_frame(prev.end_ms, fps)
        assert gap == 2 or gap > 12


def test_pause_and_speaker_change_always_end_a_cue() -> None:
    first = speak("The minister said that the", 0)
    quote = speak("numbers are wrong", first[-1].end_ms + 100, speaker="Wang Wenbin")
    after = speak("and nobody", quote[-1].end_ms + 50)
    later = speak("checked them.", after[-1].end_ms + 400)
    cues = segment([*first, *quote, *after, *later], CaptionRules(), Fraction(30))
    assert [c.text for c in cues] == [
        "The minister said that the", "numbers are wrong", "and nobody", "checked them."
    ]
    assert [c.speaker for c in cues] == [None, "Wang Wenbin", None, None]


def test_block_label_forces_a_boundary() -> None:
    words = [replace(w, block=i // 3) for i, w in enumerate(speak("one two three four five six"))]
    cues = segment(words, CaptionRules(), Fraction(30))
    assert [c.text for c in cues] == ["one two three", "four five six"]


def test_cue_frames_do_not_depend_on_where_the_words_sit_in_the_video() -> None:
    """Word times are whole milliseconds: a word on a frame boundary that rounded down a hair
    (7033.33 ms -> 7033) still starts on that frame, so a scene's cues fall on the same frames
    of the scene wherever it plays (the full video or a social cut)."""
    fps = Fraction(30)
    placed = []
    for scene_start in (211, 485, 900, 1000):  # frame_to_ms rounds down, up, and not at all
        start = frame_to_ms(scene_start, fps) + 300
        words = [replace(w, start_ms=w.start_ms - 1000 + start, end_ms=w.end_ms - 1000 + start)
                 for w in speak("The river was running on that day. The gauge shows it.")]
        cues = segment(words, CaptionRules(), fps)
        placed.append([(ms_to_frame(c.start_ms, fps) - scene_start, ms_to_frame(c.end_ms, fps) - scene_start)
                       for c in cues])
    assert placed[0][0][0] == 9  # 300 ms into the scene is its frame 9 (counting from 0)
    assert all(p == placed[0] for p in placed)


def test_short_cue_is_extended_to_minimum_duration() -> None:
    words = [TimedWord("No.", 1000, 1200), TimedWord("Really.", 4000, 4400)]
    fps = Fraction(25)
    cues = segment(words, CaptionRules(), fps)
    assert [c.duration_ms >= 833 for c in cues] == [True, True]
    assert cues[0].start_ms == 1000
    assert check_cues(cues, CaptionRules(), fps) == []


def test_too_short_without_room_is_reported_not_hidden() -> None:
    words = [TimedWord("No.", 1000, 1200), TimedWord("Really?", 1600, 3000)]
    fps = Fraction(25)
    cues = segment(words, CaptionRules(), fps)
    assert cues[0].start_ms == 1000 and cues[1].start_ms == 1600
    assert [f.rule for f in check_cues(cues, CaptionRules(), fps)] == ["min_duration"]


def test_linger_after_speech_is_at_most_half_a_second() -> None:
    fps = Fraction(30)
    cues = segment(speak("The claim is false, and the data shows it.", 0), CaptionRules(), fps)
    assert len(cues) == 1
    last_word_end = speak("The claim is false, and the data shows it.", 0)[-1].end_ms
    assert last_word_end < cues[0].end_ms <= last_word_end + 500


def test_fast_speech_is_shown_longer_to_stay_readable() -> None:
    text = "Officials counted twelve thousand detainees across the region"
    words, t = [], 0
    for token in text.split():  # about 24 characters a second
        words.append(TimedWord(token, t, t + 35 * len(token)))
        t += 35 * len(token) + 10
    cues = segment(words, CaptionRules(), Fraction(30))
    assert len(cues) == 1
    assert len(cues[0].text) / (cues[0].duration_ms / 1000) <= 17.0
    assert check_cues(cues, CaptionRules(), Fraction(30)) == []


def test_long_monologue_is_split_below_seven_seconds() -> None:
    text = " ".join(["data"] * 70)  # no punctuation at all
    fps = Fraction(30)
    cues = segment(speak(text, 0), CaptionRules(), fps)
    assert len(cues) > 3
    assert all(c.duration_ms <= 7000 for c in cues)
    assert check_cues(cues, CaptionRules(), fps) == []


def test_word_longer_than_a_line_is_placed_alone_and_reported() -> None:
    word = "pneumonoultramicroscopicsilicovolcanoconiosis-related"
    words = [TimedWord("Doctors", 0, 450), TimedWord("said", 500, 800), TimedWord(word, 850, 4300),
             TimedWord("cases", 4350, 4700), TimedWord("rose.", 4750, 5100)]
    fps = Fraction(30)
    cues = segment(words, CaptionRules(), fps)
    assert " ".join(c.text for c in cues) == f"Doctors said {word} cases rose."
    assert any(word in c.lines for c in cues)
    assert {f.rule for f in check_cues(cues, CaptionRules(), fps)} == {"long_word"}


def test_named_speaker_leaves_room_for_the_label() -> None:
    name = "Michelle Bachelet"
    words = speak("Arbitrary detention on this scale is a serious human rights concern.", speaker=name)
    cues = segment(words, CaptionRules(), Fraction(30), names=NAMES)
    assert len(speaker_label(name) + cues[0].lines[0]) <= 42
    assert all(c.speaker == name for c in cues)


def test_empty_and_blank_input() -> None:
    assert segment([], CaptionRules(), Fraction(30)) == ()
    assert segment([TimedWord("  ", 0, 100)], CaptionRules(), Fraction(30)) == ()


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(ClaimreelError, match=r"unknown video format '21x9'.*16x9, 1x1, 4x5, 9x16"):
        rules_for_format("21x9")


def test_vertical_format_rules() -> None:
    rules = rules_for_format("9x16")
    assert rules.max_lines == 3 and 25 <= rules.max_chars_per_line <= 32
    assert rules_for_format("1x1") == rules_for_format("4x5") == CaptionRules()
    assert CaptionRules().close_gap_frames(Fraction(24)) == 12
    assert CaptionRules().close_gap_frames(Fraction(30)) == 15


# Property: for any plausible narration, segmentation never crashes and every cue
# meets every rule, except a word that is itself longer than a line.

VOCAB = (
    "the a report said Wang Wenbin Michelle Bachelet minister 243 per 100,000 and but because of in "
    "with detained individuals was not have been figures show that region officials it they we "
    "independent review claims false misleading data 2019 percent"
).split()
word_text = st.one_of(
    st.sampled_from(VOCAB),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=43, max_size=60),
)
spoken_word = st.tuples(
    word_text,
    st.sampled_from(["", "", "", "", ",", ".", "?"]),
    st.integers(0, 300),  # extra duration beyond a natural pace
    st.integers(0, 300),  # pause after the word (inside a block)
)
block = st.tuples(st.lists(spoken_word, min_size=1, max_size=40), st.sampled_from([None, "Wang Wenbin"]),
                  st.integers(1000, 4000))


def build(blocks: list) -> list[TimedWord]:
    words, t = [], 0
    for items, speaker, pause in blocks:
        for text, punct, extra, gap in items:
            token = text + punct
            length = math.ceil((len(token) + 1) * 1000 / 15) + extra  # at most 15 chars/s
            words.append(TimedWord(token, t, t + length, speaker))
            t += length + gap
        t += pause
    return words


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=4), st.sampled_from(FPS_VALUES), st.sampled_from(["16x9", "9x16"]))
def test_property_cues_obey_rules(blocks: list, fps: Fraction, fmt: str) -> None:
    rules = rules_for_format(fmt)
    words = build(blocks)
    cues = segment(words, rules, fps, names=NAMES)
    assert " ".join(c.text for c in cues) == " ".join(w.text for w in words)
    assert [c.index for c in cues] == list(range(1, len(cues) + 1))
    assert_frame_aligned(cues, fps)
    findings = check_cues(cues, rules, fps)
    assert [f for f in findings if f.rule != "long_word"] == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=20), st.integers(-1000, 10**6), st.integers(-1000, 10**6),
                       st.sampled_from([None, "A", "B"])), max_size=30),
    st.sampled_from(FPS_VALUES),
)
def test_property_arbitrary_words_never_crash(raw: list, fps: Fraction) -> None:
    words = [TimedWord(text, start, end, speaker) for text, start, end, speaker in raw]
    cues = segment(words, CaptionRules(), fps)
    for prev, cue in zip(cues, cues[1:]):
        assert cue.start_ms >= prev.end_ms  # never overlapping, whatever the input
    assert all(c.end_ms > c.start_ms for c in cues)
    check_cues(cues, CaptionRules(), fps)
