"""Offline neural speech with Piper (``piper-tts``) and the bundled ``en_US-joe-medium`` voice.

Deterministic: the generator's and the phoneme-length noise are both switched off
(``noise_scale`` and ``noise_w_scale`` 0) and the model runs on one thread, so the same text
gives the same samples in any process, in any order. Word times come from the model's own
phoneme lengths (:mod:`._piperwords`); a model that cannot report them is aligned like a
recording (:mod:`claimreel.narration.align`), and its words are marked estimated.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import numpy as np

from ...errors import NarrationError
from .. import pronounce
from ..align import ALIGNER_VERSION, align
from ..base import Speech, VoiceSettings, Word
from ..timing import place_words, tokenize, voiced_end_ms
from . import _pipermodel, _piperwords

__all__ = ["NATURAL_WPM", "PiperEngine"]

# Words per minute the joe voice speaks at length_scale 1, counted over its voiced time (pauses
# left out) on the flagship's narration: the script's rate is reached by scaling phoneme lengths
# by NATURAL_WPM / rate. So calibrated, Piper talks as fast as espeak does at the same rate inside
# a phrase (148 words per minute at rate 165), where caption reading speed is decided.
NATURAL_WPM = 200
LENGTH_RANGE = (0.5, 2.0)
VOLUME = 0.9  # Piper scales each sentence to full range; this keeps its peaks off 0 dBFS
TAIL_MS = 150
WORDS_VERSION = "phoneme-lengths-1"
GRAPH = "graph as exported"  # how onnxruntime runs the model (see _pipermodel._session): it changes the samples


def _piper_version() -> str:
    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return "unknown"


class PiperEngine:
    name = "piper"

    def __init__(self, keep: Path | None = None) -> None:
        self.keep = keep  # where the model patched to report phoneme lengths is kept (see _pipermodel)

    def version(self) -> str:
        """The package and the bundled model's hash; a script's own model is in the voice's key."""
        try:
            model = _pipermodel.bundled().sha256()[:16]
        except _pipermodel.ModelProblem:
            model = "none"
        return (f"piper-tts {_piper_version()}; model {model}; {NATURAL_WPM} wpm; words {WORDS_VERSION}; "
                f"aligner {ALIGNER_VERSION}; {GRAPH}")

    def _voice(self, voice: VoiceSettings):  # type: ignore[no-untyped-def]
        files = _pipermodel.files_for(voice.model)
        try:
            loaded = _pipermodel.load(files, self.keep)
        except _pipermodel.ModelProblem as exc:
            raise NarrationError(f"piper: {exc}") from exc
        language = loaded.config.espeak_voice.lower()
        wanted = voice.voice.lower()
        if voice.model is None and wanted.split("-")[0] != language.split("-")[0]:
            raise NarrationError(
                f"piper: the bundled voice speaks {language}, not {voice.voice!r}; name a Piper model for it "
                "(voice.model), or use voice.engine: espeak")
        return loaded

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        from piper import SynthesisConfig

        model = self._voice(voice)
        rate = model.config.sample_rate
        if not tokenize(text):
            return Speech(np.zeros(0, dtype=np.float32), rate, ())
        spoken, starts = pronounce.respell(text, voice.pronounce)
        length = min(max(NATURAL_WPM / voice.rate, LENGTH_RANGE[0]), LENGTH_RANGE[1])
        config = SynthesisConfig(length_scale=length, noise_scale=0.0, noise_w_scale=0.0, volume=VOLUME)
        pieces: list[np.ndarray] = []
        phones: list[_piperwords.Phone] = []
        timed = True
        at = 0
        try:
            for chunk in model.synthesize(spoken, config, include_alignments=True):
                lengths = chunk.phoneme_alignments
                if lengths is None:
                    timed = False
                else:
                    phones += _piperwords.phones_of(
                        [a.phoneme for a in lengths[1:-1]], [a.num_samples for a in lengths], at)
                pieces.append(chunk.audio_float_array)
                at += len(chunk.audio_float_array)
        except (RuntimeError, ValueError, KeyError) as exc:
            raise NarrationError(f"piper: cannot say {text[:60]!r}: {exc}; check the text and pronounce: entries") from exc
        if not pieces:
            raise NarrationError(f"piper: produced no audio for {text[:60]!r}; check the text")
        samples = np.concatenate(pieces).astype(np.float32)
        return self._timed(text, starts, spoken, samples, rate, phones if timed else None, model)

    @staticmethod
    def _timed(text: str, starts: list[int | None], spoken: str, samples: np.ndarray, rate: int,
               phones: list[_piperwords.Phone] | None, model) -> Speech:  # type: ignore[no-untyped-def]
        voiced = voiced_end_ms(samples, rate)
        if phones is None:
            result = align(spoken, samples, rate)
            spoken_words: tuple[Word, ...] = result.words
        else:
            tokens = tokenize(spoken)
            phonemize = lambda part: [p for sentence in model.phonemize(part) for p in sentence]  # noqa: E731
            marks = _piperwords.token_marks(tokens, phones, phonemize, rate)
            spoken_words, _ = place_words(tokens, marks, voiced)
        words = pronounce.words_for(text, starts, spoken, spoken_words, voiced)
        keep_ms = max(voiced + TAIL_MS, words[-1].end_ms)
        samples = samples[: min(len(samples), -(-keep_ms * rate // 1000))]
        return Speech(samples, rate, words, estimated=phones is None)
