"""Make the stand-in voice-over for scripts/recorded-voice-example.yaml, and its true timings.

    PYTHONPATH=src python assets/voiceover/make_example.py

Each narrated block is spoken by espeak-ng with a voice, rate and pitch unlike the default
(en-gb, 150 wpm, pitch 40), with a pause between blocks that varies (0.6-1.1 s) and a faint
noise floor, like a real booth recording. Writes ``recorded-example.m4a`` (48 kHz mono AAC) and
``recorded-example.truth.json``: espeak's own word events, which the aligner never sees; tests
compare the aligned captions against them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAUSES_S = (0.6, 1.1, 0.8, 0.95, 0.7)
VOICE = {"voice": "en-gb", "rate": 150, "pitch": 40}


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from claimreel.encode.audio import write_wav
    from claimreel.encode.ffmpeg import Ffmpeg, media_path
    from claimreel.narration.base import VoiceSettings
    from claimreel.narration.engines.espeak import EspeakEngine
    from claimreel.script.load import load_script
    from claimreel.timeline.build import plan_scenes

    loaded = load_script(ROOT / "scripts" / "recorded-voice-example.yaml")
    texts = [s.narration for s in plan_scenes(loaded.script) if s.narration]
    engine = EspeakEngine()
    rng = np.random.default_rng(5)
    parts, words, clock = [], [], 0
    rate = 0
    for k, text in enumerate(texts):
        speech = engine.synthesize(text, VoiceSettings(**VOICE))
        rate = speech.sample_rate
        gap = np.zeros(int((0.4 if k == 0 else PAUSES_S[k % len(PAUSES_S)]) * rate), np.float32)
        parts.append(gap)
        clock += len(gap)
        offset = clock * 1000 // rate
        words += [[k, w.text, offset + w.start_ms] for w in speech.words]
        parts.append(speech.samples)
        clock += len(speech.samples)
    parts.append(np.zeros(rate // 2, np.float32))
    audio = np.concatenate(parts)
    audio = 0.8 * audio + rng.normal(0, 0.0015, len(audio)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(audio, rate, Path(tmp) / "vo.wav")
        Ffmpeg().run(["-i", media_path(wav), "-c:a", "aac", "-b:a", "48k", "-ar", "48000", "-ac", "1",
                      media_path(HERE / "recorded-example.m4a")])
    truth = {"made_with": {"engine": "espeak", **VOICE}, "blocks": texts,
             "words": [{"block": b, "text": t, "start_ms": s} for b, t, s in words]}
    (HERE / "recorded-example.truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
