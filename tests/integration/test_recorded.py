"""The recorded engine and its aligner, checked against recordings whose true timings are known.

The recordings are espeak-ng speaking with voices, rates and pitches unlike the default, with
pauses inserted between sentences; espeak's own word events are the ground truth, which the
aligner never sees (it gets only the audio and the text).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from claimreel.captions.rules import rules_for_format
from claimreel.captions.segment import TimedWord, segment
from claimreel.cli import main
from claimreel.encode.audio import write_wav
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions
from claimreel.narration.align import align
from claimreel.narration.base import VoiceSettings
from claimreel.narration.engines.espeak import EspeakEngine
from claimreel.narration.engines.recorded import WholeRecording
from claimreel.script.load import load_script
from claimreel.timeline.build import plan_scenes

from ..conftest import REPO, SMALL_SCRIPT, make_photo

pytestmark = pytest.mark.integration

TOLERANCE_MS = 150
PASSAGES = [
    ("en-gb", 140, 35, ["On September 21, China rejected a U.N. report on abuses in Xinjiang.",
                        "Polygraph.info checked the claim, and found it false."]),
    ("en-us+f3", 190, 60, ["The same day, President Joe Biden raised China's abuses of Uyghurs at the U.N.",
                           "Michelle Bachelet's office published the report on August 31.",
                           "That claim is false."]),
    ("es", 150, 50, ["El informe, publicado en agosto, se basa en documentos oficiales.", "China lo rechazó."]),
    ("de", 130, 45, ["Der Bericht stützt sich auf offizielle Dokumente.", "China wies ihn zurück, sofort."]),
]


def speak_with_pauses(sentences, voice, rate, pitch, seed):
    """Audio of the sentences with 0.35-0.9 s pauses between, the true word starts and phrase onsets."""
    engine = EspeakEngine()
    rng = np.random.default_rng(seed)
    parts, truth, onsets, clock, sr = [], [], [], 0, 22050
    for k, sentence in enumerate(sentences):
        speech = engine.synthesize(sentence, VoiceSettings(voice=voice, rate=rate, pitch=pitch))
        sr = speech.sample_rate
        gap = int((0.3 if k == 0 else rng.uniform(0.35, 0.9)) * sr)
        parts += [np.zeros(gap, np.float32), speech.samples]
        first = len(truth)
        offset = (clock + gap) * 1000 // sr
        truth += [offset + w.start_ms for w in speech.words]
        onsets.append(first)
        onsets += [first + i + 1 for i, w in enumerate(speech.words[:-1]) if w.text.endswith(",")]
        clock += gap + len(speech.samples)
    audio = np.concatenate(parts + [np.zeros(sr // 3, np.float32)])
    audio = audio + rng.normal(0, 0.002, len(audio)).astype(np.float32)
    return audio, sr, truth, onsets


@pytest.mark.parametrize("voice, rate, pitch, sentences", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_phrase_onsets_land_within_150_ms(voice, rate, pitch, sentences):
    audio, sr, truth, onsets = speak_with_pauses(sentences, voice, rate, pitch, seed=rate)
    result = align(" ".join(sentences), audio, sr)
    starts = [w.start_ms for w in result.words]
    assert [w.text for w in result.words] == " ".join(sentences).split()
    errors = {i: starts[i] - truth[i] for i in onsets}
    assert all(abs(e) <= TOLERANCE_MS for e in errors.values()), errors
    # every sentence start was found as a phrase start
    firsts = {0, *(sum(len(s.split()) for s in sentences[:k]) for k in range(1, len(sentences)))}
    assert firsts <= set(result.phrase_starts)
    # words inside phrases are estimated: still ordered and near their true place
    assert np.median(np.abs(np.array(starts) - np.array(truth))) < 200


def test_example_recording_is_split_into_blocks_and_cues_start_on_time():
    truth = json.loads((REPO / "assets" / "voiceover" / "recorded-example.truth.json").read_text("utf-8"))
    loaded = load_script(REPO / "scripts" / "recorded-voice-example.yaml")
    texts = [s.narration for s in plan_scenes(loaded.script) if s.narration]
    assert texts == truth["blocks"], "the example recording is out of date: run assets/voiceover/make_example.py"
    whole = WholeRecording(loaded.assets.get("x", REPO / "assets/voiceover/recorded-example.m4a"), texts, Ffmpeg())
    parts = [whole.speech_for(t) for t in texts]
    for text, part in zip(texts, parts):
        assert [w.text for w in part.words] == text.split()
        assert part.estimated
    aligned = whole.alignment
    assert aligned is not None
    true_ms = [w["start_ms"] for w in truth["words"]]
    got_ms = [w.start_ms for w in aligned.words]
    # Every caption cue that begins a phrase (a block, a sentence or a clause) starts within 150 ms.
    words = [TimedWord(w.text, w.start_ms, w.end_ms, block=b["block"]) for w, b in zip(aligned.words, truth["words"])]
    cues = segment(words, rules_for_format("16x9"), Fraction(30))
    phrase_cues, i = 0, 0
    for cue in cues:
        first, i = i, i + len(cue.text.split())
        assert cue.text.split()[0] == aligned.words[first].text
        i_ = first
        starts_phrase = i_ == 0 or truth["words"][i_ - 1]["text"][-1] in ".,;:?!" or \
            truth["words"][i_ - 1]["block"] != truth["words"][i_]["block"]
        if starts_phrase:
            phrase_cues += 1
            assert abs(cue.start_ms - true_ms[i_]) <= TOLERANCE_MS, (cue, true_ms[i_])
    assert phrase_cues >= len(texts)
    # every phrase the aligner found starts within 150 ms of where the voice really starts it
    assert all(abs(got_ms[i] - true_ms[i]) <= TOLERANCE_MS for i in aligned.phrase_starts), [
        (i, got_ms[i] - true_ms[i]) for i in aligned.phrase_starts]
    assert len(aligned.phrase_starts) >= 10
    block_starts = [i for i, w in enumerate(truth["words"]) if i == 0 or truth["words"][i - 1]["block"] != w["block"]]
    assert all(abs(got_ms[i] - true_ms[i]) <= TOLERANCE_MS for i in block_starts)


def _per_block_workspace(root: Path) -> Path:
    """The small script read by a 'producer' (espeak en-gb at 150 wpm), one WAV per narrated block."""
    (root / "scripts").mkdir(parents=True)
    make_photo(root / "assets" / "photos" / "river.jpg")
    engine = EspeakEngine()
    script = SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: recorded}")
    texts = {"intro": "A quick check.", "claim": "The river is dry.",
             "verdict": "The river was running on that day.", "photo": "Photos show water.",
             "fact": "Flow fell later."}
    for name, text in texts.items():
        speech = engine.synthesize(text, VoiceSettings(voice="en-gb", rate=150, pitch=35))
        pad = np.zeros(speech.sample_rate // 3, np.float32)
        write_wav(np.concatenate([pad, speech.samples, pad]), speech.sample_rate, root / "assets" / "vo" / f"{name}.wav"
                  ) if (root / "assets" / "vo").mkdir(exist_ok=True) or True else None
    script = script.replace("intro: A quick check.\n", "intro: A quick check.\nintro_audio: assets/vo/intro.wav\n")
    script = script.replace("  date: 2024-04-30\n", "  date: 2024-04-30\n  audio: assets/vo/claim.wav\n")
    script = script.replace("  summary: The river was running on that day.\n",
                            "  summary: The river was running on that day.\n  audio: assets/vo/verdict.wav\n")
    script = script.replace("    narration: Photos show water.\n", "    narration: Photos show water.\n    audio: assets/vo/photo.wav\n")
    script = script.replace("    narration: Flow fell later.\n", "    narration: Flow fell later.\n    audio: assets/vo/fact.wav\n")
    path = root / "scripts" / "small-check.yaml"
    path.write_text(script, encoding="utf-8")
    return path


def test_per_block_recordings_are_trimmed_aligned_and_cached(tmp_path):
    script = _per_block_workspace(tmp_path)
    options = RenderOptions(cache=tmp_path / "cache", preview=True)
    prepared = prepare(script, options)
    assert prepared.synthesized == 5
    for speech, _ in prepared.speeches.values():
        assert speech.sample_rate == 48000 and speech.estimated
        assert speech.words[0].start_ms <= 120  # leading silence trimmed to a short head
        assert abs(speech.duration_ms - speech.words[-1].end_ms) <= 400
    again = prepare(script, options)
    assert again.synthesized == 0


@pytest.mark.parametrize("damage, message", [
    ("missing", "file not found"),
    ("empty", "empty (0 bytes)"),
    ("corrupt", "not a readable audio file"),
])
def test_bad_recordings_exit_2_naming_the_file(tmp_path, capsys, damage, message):
    script = _per_block_workspace(tmp_path)
    target = tmp_path / "assets" / "vo" / "fact.wav"
    if damage == "missing":
        target.unlink()
    elif damage == "empty":
        target.write_bytes(b"")
    else:
        target.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk" * 10)
    code = main(["render", str(script), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"),
                 "--preview"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "fact.wav" in err and message in err and "Traceback" not in err
