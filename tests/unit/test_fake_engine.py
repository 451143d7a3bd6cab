"""The fake engine: deterministic audio, exact word timings, and the engine registry."""

from __future__ import annotations

import numpy as np
import pytest

from claimreel.errors import ClaimreelError
from claimreel.narration import ENGINES, Engine, UnknownEngine, VoiceSettings, Word, get_engine
from claimreel.narration.engines.fake import FakeEngine

VOICE = VoiceSettings()


def test_words_follow_the_rule_of_60_ms_per_character_and_40_ms_gaps() -> None:
    speech = FakeEngine().synthesize("The “so-called” claim.", VOICE)
    assert speech.words == (
        Word("The", 0, 180),
        Word("“so-called”", 220, 880),
        Word("claim.", 920, 1280),
    )
    assert speech.sample_rate == 22050
    assert speech.duration_ms == 1320
    assert speech.samples.dtype == np.float32
    assert not speech.estimated


def test_audio_is_tone_during_words_and_silence_in_gaps() -> None:
    speech = FakeEngine().synthesize("alpha beta", VOICE)
    rate = speech.sample_rate

    def peak(start_ms: int, end_ms: int) -> float:
        return float(np.abs(speech.samples[start_ms * rate // 1000 : end_ms * rate // 1000]).max())

    for word in speech.words:
        assert peak(word.start_ms + 10, word.end_ms - 10) > 0.25
    assert peak(speech.words[0].end_ms + 1, speech.words[1].start_ms - 1) == 0.0
    assert float(np.abs(speech.samples).max()) <= 0.3 + 1e-6


def test_same_input_gives_identical_samples() -> None:
    a = FakeEngine().synthesize("Same words, same sound.", VOICE)
    b = FakeEngine().synthesize("Same words, same sound.", VOICE)
    assert np.array_equal(a.samples, b.samples)
    assert a.words == b.words


def test_rate_scales_timings_and_pitch_changes_audio() -> None:
    engine = FakeEngine()
    slow = engine.synthesize("word", VOICE)
    fast = engine.synthesize("word", VoiceSettings(rate=330))
    assert fast.words == (Word("word", 0, 120),)
    assert slow.words == (Word("word", 0, 240),)
    high = engine.synthesize("word", VoiceSettings(pitch=90))
    assert not np.array_equal(slow.samples, high.samples)


def test_settings_change_version() -> None:
    assert FakeEngine().version() != FakeEngine(ms_per_char=50).version()
    assert FakeEngine().version() == FakeEngine().version()


def test_empty_text_gives_no_words_and_no_audio() -> None:
    speech = FakeEngine().synthesize("  \n ", VOICE)
    assert speech.words == ()
    assert len(speech.samples) == 0


def test_registry_builds_engines_by_name() -> None:
    assert set(ENGINES) == {"espeak", "fake", "gtts", "piper", "recorded"}
    engine = get_engine("fake")
    assert isinstance(engine, Engine)
    assert engine.name == "fake"


def test_unknown_engine_names_itself_and_the_known_ones() -> None:
    with pytest.raises(UnknownEngine) as info:
        get_engine("gtts-typo")
    error = info.value
    assert isinstance(error, ClaimreelError)
    assert error.exit_code == 2
    assert str(error) == (
        "unknown speech engine 'gtts-typo'; known engines: espeak, fake, gtts, piper, recorded; "
        "set voice.engine in the script (or the voice option) to one of them"
    )


def test_public_names_stay_exported() -> None:
    import claimreel.narration as narration

    for name in ("Engine", "Speech", "VoiceSettings", "Word", "SpeechCache", "get_engine"):
        assert name in narration.__all__
        assert hasattr(narration, name)
