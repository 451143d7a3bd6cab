"""``pronounce:`` entries and pause markers, said by Piper and espeak: an entry changes the samples
of exactly the blocks that say its word; a pause is silence in the speech and nothing in the
captions; a voice the script cannot be spoken with is refused with exit 2 before anything is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from claimreel.cli import main
from claimreel.narration import SpeechCache
from claimreel.narration.plan import speak_all
from claimreel.script.load import load_script
from claimreel.timeline.build import plan_scenes

from ..conftest import SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

SAYS = (SMALL_SCRIPT.replace("intro: A quick check.", "intro: Bachelet's office checked the Uyghurs' claim.")
        .replace("narration: Photos show water.", "narration: Photos show water. [pause 0.6] Bachelet agreed.")
        .replace("voice: {engine: fake}\n", ""))
ENTRY = 'pronounce:\n  Bachelet: "[[bˌɑːʃəlˈɛt]]"\n'


def _speech(tmp_path: Path, name: str, text: str, engine: str) -> dict[int, np.ndarray]:
    script = make_workspace(tmp_path / name, text)
    loaded = load_script(script)
    specs = plan_scenes(loaded.script)
    said = speak_all(loaded, specs, SpeechCache(tmp_path / name / "cache"), engine_override=engine)
    return {i: speech.samples for i, (speech, _) in said.items()}, specs, said


@pytest.mark.parametrize("engine", ["piper", "espeak"])
def test_an_entry_changes_exactly_the_blocks_that_say_the_word(tmp_path, engine):
    plain, specs, _ = _speech(tmp_path, "plain", SAYS, engine)
    named, _, _ = _speech(tmp_path, "named", SAYS + ENTRY, engine)
    changed = {i for i in plain if not np.array_equal(plain[i], named[i])}
    saying = {i for i, spec in enumerate(specs) if spec.said and "Bachelet" in spec.said}
    assert len(saying) == 2 and changed == saying


@pytest.mark.parametrize("engine", ["piper", "espeak"])
def test_a_pause_is_silence_in_the_speech_and_absent_from_the_captions(tmp_path, engine):
    _, specs, said = _speech(tmp_path, "paused", SAYS, engine)
    index = next(i for i, spec in enumerate(specs) if spec.spoken)
    spec, (speech, _) = specs[index], said[index]
    assert spec.narration == "Photos show water. Bachelet agreed."
    assert [w.text for w in speech.words] == spec.narration.split()
    # the longest run of quiet 10 ms frames lasts at least the marker's 0.6 s, and sits between the sentences
    window = speech.sample_rate // 100
    frames = np.abs(speech.samples[: len(speech.samples) // window * window]).reshape(-1, window).max(axis=1)
    quiet = frames < 0.01
    runs, run = [], 0
    for q in quiet:
        run = run + 1 if q else 0
        runs.append(run)
    longest_end = int(np.argmax(runs))
    assert max(runs) * 10 >= 600
    water, bachelet = speech.words[2], speech.words[3]
    assert water.start_ms < (longest_end - max(runs)) * 10 and longest_end * 10 <= bachelet.start_ms + 20


def test_validate_warns_of_an_entry_no_narration_says(tmp_path, capsys):
    script = make_workspace(tmp_path, SAYS + ENTRY + "  Zorblax: zor-blax\n")
    assert main(["validate", str(script)]) == 0
    out = capsys.readouterr().err
    assert "pronounce.Zorblax: no narration says 'Zorblax'" in out and "pronounce.Bachelet" not in out


def _refused(tmp_path: Path, capsys, text: str, *extra: str) -> str:
    script = make_workspace(tmp_path, text)
    code = main(["render", str(script), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), *extra])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out").exists(), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_ipa_the_voice_does_not_have_is_refused_at_its_place(tmp_path, capsys):
    err = _refused(tmp_path, capsys, SAYS + 'pronounce:\n  Bachelet: "[[bɑʃ§lɛt]]"\n')
    assert "small-check.yaml:" in err and "pronounce.Bachelet: '§' in [[bɑʃ§lɛt]] is not a phoneme" in err


def test_a_language_the_bundled_voice_cannot_speak_is_refused(tmp_path, capsys):
    err = _refused(tmp_path, capsys, SAYS + "voice: {engine: piper, voice: fr}\n")
    assert "voice.voice: the Piper voice en_US-joe-medium speaks en-us, not 'fr'" in err and "voice.engine: espeak" in err


def test_a_voice_model_that_is_not_a_piper_model_or_whose_config_does_not_match_is_refused(tmp_path, capsys):
    from claimreel.narration.engines._pipermodel import bundled

    text = SAYS + "voice: {model: assets/voices/mine.onnx}\n"
    voices = tmp_path / "a" / "assets" / "voices"
    voices.mkdir(parents=True)
    (voices / "mine.onnx").write_bytes(b"not a model")
    (voices / "mine.onnx.json").write_text(bundled().config.read_text(encoding="utf-8"), encoding="utf-8")
    err = _refused(tmp_path / "a", capsys, text)
    assert "voice.model" in err and "mine.onnx is not an ONNX model" in err
    config = json.loads(bundled().config.read_text(encoding="utf-8"))
    config["phoneme_id_map"]["Q"] = [400]  # beyond the model's 256 symbols
    voices = tmp_path / "b" / "assets" / "voices"
    voices.mkdir(parents=True)
    shutil.copyfile(bundled().model, voices / "mine.onnx")
    (voices / "mine.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    err = _refused(tmp_path / "b", capsys, text)
    assert "mine.onnx.json does not match mine.onnx" in err
