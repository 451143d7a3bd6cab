"""The flagship narrated by the default neural voice (Piper): rendered as a preview, its captions
in sync with the speech, the same samples in any process, the voice disclosed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
FRAME_MS = 10


@pytest.fixture(scope="module")
def flagship(flagship_preview):
    """The session's preview of the flagship, rendered from an empty cache (conftest.py)."""
    return flagship_preview


def _voiced_frames(speech) -> np.ndarray:
    """Indices of the 10 ms frames of ``speech`` whose peak is more than -34 dB under its loudest."""
    window = speech.sample_rate * FRAME_MS // 1000
    count = len(speech.samples) // window
    peaks = np.abs(speech.samples[: count * window]).reshape(count, window).max(axis=1)
    return np.flatnonzero(peaks >= 0.02 * peaks.max())


def test_the_flagship_is_spoken_by_piper_with_measured_word_times(flagship):
    _, _, result, prepared = flagship
    assert result.synthesized == 16
    speeches = [speech for speech, _ in prepared.speeches.values()]
    assert speeches and all(s.sample_rate == 22050 and not s.estimated for s in speeches)
    cache = flagship[1].cache / "speech"
    assert all((cache / key[:2] / f"{key}.wav").is_file() for _, key in prepared.speeches.values())


def test_captions_hold_the_speech_and_never_run_ahead_of_it(flagship):
    """≥ 99 % of the voiced speech plays under a cue; no cue shows more than 0.3 s before its first
    word is heard."""
    _, _, result, prepared = flagship
    timeline = result.timeline
    by_key = {key: speech for speech, key in prepared.speeches.values()}
    cues = [(c.start_ms, c.end_ms) for c in timeline.cues]
    heard: list[int] = []  # timeline ms of each voiced frame
    for placed in timeline.audio:
        speech = by_key[placed.cache_key]
        heard += [placed.start_ms + int(f) * FRAME_MS for f in _voiced_frames(speech)]
    heard_arr = np.array(heard)
    inside = np.zeros(len(heard_arr), dtype=bool)
    for start, end in cues:
        inside |= (heard_arr >= start) & (heard_arr + FRAME_MS <= end + FRAME_MS)
    assert inside.mean() >= 0.99, inside.mean()
    onsets = np.sort(heard_arr)
    for cue in timeline.cues:
        first_sound = onsets[np.searchsorted(onsets, cue.start_ms)]  # the first voiced frame under the cue
        assert first_sound - cue.start_ms <= 300, (cue, first_sound)


_SAY = """
import hashlib, os, sys
from pathlib import Path
from claimreel.narration.engines import get_engine
from claimreel.narration.base import VoiceSettings
from claimreel.narration.pauses import speak
engine = get_engine("piper", Path(os.environ["KEEP"]) if "KEEP" in os.environ else None)
for text in sys.argv[1:]:
    speech = speak(engine, text, VoiceSettings(rate=150))
    print(hashlib.sha256(speech.samples.tobytes() + repr(speech.words).encode()).hexdigest())
print("onnx imported" if "onnx" in sys.modules else "onnx not imported")
"""


def test_the_same_text_gives_the_same_samples_in_two_processes_in_either_order():
    texts = ["Wang Wenbin called the report a farce.", "[pause 0.3] Bachelet left office on 31 August 2022."]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", _SAY, *args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def hashes(proc: subprocess.Popen) -> list[str]:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        return out.splitlines()[:-1]  # the last line says whether onnx was imported

    # Two separate processes, so they may as well load the voice at the same time.
    procs = [start(*texts), start(*reversed(texts))]
    try:
        first, again = (hashes(proc) for proc in procs)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    assert len(first) == 2 and first[0] != first[1]
    assert again == first[::-1], "a block says the same samples whatever was said before it in the process"


def test_the_patched_model_is_kept_so_a_later_process_says_the_same_without_patching(tmp_path):
    """The model patched to report phoneme lengths is kept in the folder the engine is given: a later
    process loads it without importing onnx and says the same samples and words; a damaged kept
    model is patched again and replaced."""
    from claimreel.narration.engines._pipermodel import _session, bundled

    text = "Wang Wenbin called the report a farce."
    keep = tmp_path / "models"

    def said(**env: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-c", _SAY, text], env={**os.environ, **env,
                              "PYTHONPATH": str(REPO / "src")}, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.splitlines()

    first, patched = said(KEEP=str(keep))  # patched here, in memory as without a folder, and kept
    assert patched == "onnx imported"
    (kept,) = keep.iterdir()
    assert kept.name.startswith(bundled().sha256()) and kept.stat().st_size > 1_000_000
    assert said(KEEP=str(keep)) == [first, "onnx not imported"]

    kept.write_bytes(b"not a model")
    session = _session(bundled(), keep)
    assert "input" in {i.name for i in session.get_inputs()} and len(session.get_outputs()) == 2
    assert kept.stat().st_size > 1_000_000  # replaced by the patched model


def test_the_synthetic_voice_is_disclosed_on_the_slate_in_the_transcript_and_the_manifest(flagship):
    from claimreel.narration.engines._pipermodel import bundled

    _, _, result, prepared = flagship
    said = "Narration: synthetic voice (Piper, en_US-joe-medium)"
    credits = prepared.layouts["16x9"][[s.kind for s in prepared.specs].index("credits")]
    assert said in [getattr(e, "text", None) for e in credits.elements]
    transcript = (result.folder / "transcript.txt").read_text(encoding="utf-8")
    assert "Speakers: Narrator (synthetic voice (Piper, en_US-joe-medium))." in transcript
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["narration"]
    assert entry["engine"] == "piper" and entry["synthetic"] is True and entry["voice"] == "en_US-joe-medium"
    assert "CC0" in entry["licence"] and entry["sha256"] == bundled().sha256()


def test_a_recorded_narration_is_not_called_synthetic():
    from claimreel.narration.disclosure import manifest_entries, statement, with_engine
    from claimreel.script.load import load_script

    recorded = load_script(REPO / "scripts" / "recorded-voice-example.yaml")
    assert statement(recorded.script) is None
    assert manifest_entries(recorded.script, recorded.root) == [
        {"engine": "recorded", "synthetic": False, "voice": "the producer's recording"}]
    assert statement(with_engine(recorded.script, "espeak")) == "Narration: synthetic voice (eSpeak NG, en-us)"


def test_a_released_voice_is_let_go_and_loaded_again_to_say_the_same(tmp_path):
    """Once a process has said its speech it lets go of the voice (a worker drawing scenes, the render
    after its descriptions): the loaded model is dropped, and a later block loads it again and says
    the same samples."""
    from claimreel.narration.base import VoiceSettings
    from claimreel.narration.engines import _pipermodel, get_engine, release_voices

    engine = get_engine("piper", tmp_path / "models")
    text = "The report was released on the last day of the commissioner's term."
    before = engine.synthesize(text, VoiceSettings())
    assert _pipermodel._loaded
    release_voices()
    assert not _pipermodel._loaded
    again = engine.synthesize(text, VoiceSettings())
    assert np.array_equal(again.samples, before.samples) and again.words == before.words
