"""Real speech through libespeak-ng (ctypes, from the espeakng-loader wheel)."""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
import pytest

from claimreel.errors import NarrationError
from claimreel.narration import VoiceSettings, get_engine
from claimreel.narration.engines.espeak import EspeakEngine

pytestmark = pytest.mark.integration

SENTENCE = "The so-called assessment is completely illegal, null and void."
NUMBERS = "243 per 100,000 inhabitants versus 32.1"
VOICE = VoiceSettings(voice="en-us")


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


def peak(samples: np.ndarray, rate: int, start_ms: int, end_ms: int) -> float:
    part = samples[start_ms * rate // 1000 : end_ms * rate // 1000]
    return float(np.abs(part).max()) if part.size else 0.0


def assert_words_match(text: str, speech) -> None:
    assert [w.text for w in speech.words] == text.split()
    starts = [w.start_ms for w in speech.words]
    assert all(a < b for a, b in zip(starts, starts[1:]))
    for a, b in zip(speech.words, speech.words[1:]):
        assert a.end_ms == b.start_ms
    assert speech.words[-1].end_ms <= speech.duration_ms


def test_sentence_is_spoken_with_one_word_per_token(engine: EspeakEngine) -> None:
    speech = engine.synthesize(SENTENCE, VOICE)
    rate = speech.sample_rate
    assert rate == 22050
    assert speech.samples.dtype == np.float32
    assert 0.1 < float(np.abs(speech.samples).max()) <= 1.0
    assert 1500 <= speech.duration_ms <= 8000
    assert not speech.estimated
    assert_words_match(SENTENCE, speech)
    assert speech.words[0].start_ms < 500
    assert speech.words[-1].end_ms > speech.duration_ms - 400  # little trailing silence kept
    for word in speech.words:  # sound begins right at each word's start
        assert peak(speech.samples, rate, word.start_ms, word.start_ms + 150) > 0.05, word
    # the comma's pause falls before "null" starts, not inside it
    null = speech.words[6]
    assert null.text == "null"
    assert peak(speech.samples, rate, null.start_ms - 60, null.start_ms - 10) < 0.02


def test_numbers_still_give_one_word_per_token(engine: EspeakEngine) -> None:
    speech = engine.synthesize(NUMBERS, VOICE)
    assert_words_match(NUMBERS, speech)
    # "243" is said as three words; its span is longer than "per".
    first, second = speech.words[:2]
    assert first.end_ms - first.start_ms > second.end_ms - second.start_ms
    for word in speech.words:
        assert peak(speech.samples, speech.sample_rate, word.start_ms, word.end_ms) > 0.05, word


def test_quotes_abbreviations_and_dashes(engine: EspeakEngine) -> None:
    text = "The U.N. said — in 2019 — that Dr. Smith's 3.5% figure was “wrong.”"
    speech = engine.synthesize(text, VOICE)
    assert_words_match(text, speech)


def test_rate_and_pitch_change_the_audio(engine: EspeakEngine) -> None:
    normal = engine.synthesize(SENTENCE, VOICE)
    fast = engine.synthesize(SENTENCE, VoiceSettings(rate=300))
    assert fast.duration_ms < normal.duration_ms * 0.75
    high = engine.synthesize(SENTENCE, VoiceSettings(pitch=90))
    assert len(high.samples) != len(normal.samples) or not np.array_equal(high.samples, normal.samples)


def test_same_input_gives_the_same_speech_whatever_was_said_before(engine: EspeakEngine) -> None:
    # espeak-ng keeps state (its pitch-flutter phase) in statics nothing resets; the library is
    # loaded afresh for each block, so a block is the same said first, again, or after others
    # (a cluster's workers say a render's blocks in any order)
    first = engine.synthesize(NUMBERS, VOICE)
    again = engine.synthesize(NUMBERS, VOICE)
    engine.synthesize(SENTENCE, VOICE)
    after_another = engine.synthesize(NUMBERS, VOICE)
    for later in (again, after_another):
        assert np.array_equal(first.samples, later.samples)
        assert first.words == later.words


def test_language_fallback_and_unknown_voice(engine: EspeakEngine) -> None:
    speech = engine.synthesize("Hello there.", VoiceSettings(voice="en-gb"))
    assert len(speech.words) == 2
    with pytest.raises(NarrationError, match="no voice or language called 'xx-nowhere'"):
        engine.synthesize("Hello.", VoiceSettings(voice="xx-nowhere"))
    # A failed voice change does not break the next call.
    assert len(engine.synthesize("Hello again.", VOICE).words) == 2


def test_rate_out_of_range_is_a_clear_error(engine: EspeakEngine) -> None:
    with pytest.raises(NarrationError, match=r"rate 20 is outside 80–450"):
        engine.synthesize("Hello.", VoiceSettings(rate=20))


def test_missing_library_is_a_clear_error(tmp_path) -> None:
    broken = EspeakEngine(library_path=str(tmp_path / "libespeak-ng.so"))
    with pytest.raises(NarrationError, match="cannot load libespeak-ng from .*reinstall"):
        broken.synthesize("Hello.", VOICE)


def test_version_names_library_and_wheel(engine: EspeakEngine) -> None:
    version = engine.version()
    assert version.startswith("espeak-ng 1.") and "espeakng-loader 0." in version
    assert get_engine("espeak").version() == version


def test_threads_take_turns(engine: EspeakEngine) -> None:
    texts = [f"Line number {n} of the test." for n in range(6)]
    results: dict[int, list[str]] = {}

    def run(n: int) -> None:
        results[n] = [w.text for w in engine.synthesize(texts[n], VOICE).words]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {n: texts[n].split() for n in range(6)}


def _child_words(text: str) -> list[str]:
    return [w.text for w in EspeakEngine().synthesize(text, VOICE).words]


def test_works_in_a_spawned_process() -> None:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_child_words, (NUMBERS,)) == NUMBERS.split()
