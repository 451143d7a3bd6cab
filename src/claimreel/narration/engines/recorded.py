"""The producer's own voice-over: audio files aligned to the script's text.

:class:`RecordedEngine` serves one file per block; :class:`WholeRecording`
splits one file for the whole piece into its blocks (the text of every block,
in order, is aligned to the whole recording at once; block boundaries must
fall on pauses) and :meth:`WholeRecording.part` gives an engine per block.
The version of both is the file's SHA-256 plus the aligner's, so a re-recorded
file is aligned again and an unchanged one comes from the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ...encode.decode import decode_audio
from ...encode.ffmpeg import Ffmpeg
from ...errors import AssetError
from ...files import file_sha256
from ..align import ALIGNER_VERSION, Alignment, align
from ..base import Speech, VoiceSettings, Word

__all__ = ["RecordedEngine", "WholeRecording"]

SAMPLE_RATE = 48000
HEAD_MS = 80
TAIL_MS = 150


def _cut(samples: np.ndarray, words: Sequence[Word], start_ms: int, end_ms: int) -> Speech:
    lo = max(0, start_ms) * SAMPLE_RATE // 1000
    hi = min(len(samples), end_ms * SAMPLE_RATE // 1000)
    shift = lo * 1000 // SAMPLE_RATE
    moved = tuple(Word(w.text, w.start_ms - shift, w.end_ms - shift) for w in words)
    last = moved[-1] if moved else None
    if last is not None and last.end_ms > (hi - lo) * 1000 // SAMPLE_RATE:
        moved = (*moved[:-1], Word(last.text, last.start_ms, max(last.start_ms + 1, (hi - lo) * 1000 // SAMPLE_RATE)))
    return Speech(samples[lo:hi].astype(np.float32), SAMPLE_RATE, moved, estimated=True)


class RecordedEngine:
    """One voice-over file for one block."""

    name = "recorded"

    def __init__(self, path: Path, ffmpeg: Ffmpeg | None = None, *, where: str = "") -> None:
        self.path = Path(path)
        self._ffmpeg = ffmpeg or Ffmpeg()
        self._where = where
        self._version: str | None = None

    def version(self) -> str:
        if self._version is None:
            try:
                self._version = f"recorded sha256:{file_sha256(self.path)}; aligner {ALIGNER_VERSION}"
            except OSError:  # decode_audio names the problem precisely
                decode_audio(self._ffmpeg, self.path, where=self._where)
                raise
        return self._version

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        samples = decode_audio(self._ffmpeg, self.path, rate=SAMPLE_RATE, where=self._where)
        result = align(text, samples, SAMPLE_RATE)
        return _cut(samples, result.words, result.onset_ms - HEAD_MS, result.offset_ms + TAIL_MS)


class WholeRecording:
    """One voice-over file for several blocks, split where each block's text begins."""

    def __init__(self, path: Path, texts: Sequence[str], ffmpeg: Ffmpeg | None = None, *, where: str = "") -> None:
        self.path = Path(path)
        self.texts = tuple(texts)
        self._ffmpeg = ffmpeg or Ffmpeg()
        self._where = where
        self._parts: dict[str, Speech] | None = None
        self._version: str | None = None
        self.alignment: Alignment | None = None  # of the whole recording, once split

    def version(self) -> str:
        if self._version is None:
            texts = hashlib.sha256("\x1e".join(self.texts).encode("utf-8")).hexdigest()[:16]
            try:
                digest = file_sha256(self.path)
            except OSError:
                decode_audio(self._ffmpeg, self.path, where=self._where)
                raise
            self._version = f"recorded-whole sha256:{digest}; texts {texts}; aligner {ALIGNER_VERSION}"
        return self._version

    def _split(self) -> dict[str, Speech]:
        samples = decode_audio(self._ffmpeg, self.path, rate=SAMPLE_RATE, where=self._where)
        counts = [len(t.split()) for t in self.texts]
        result = align(" ".join(self.texts), samples, SAMPLE_RATE, forced=_firsts(counts))
        self.alignment = result
        parts: dict[str, Speech] = {}
        first = 0
        for text, count in zip(self.texts, counts):
            words = result.words[first : first + count]
            if not words:
                continue
            nxt = result.words[first + count].start_ms if first + count < len(result.words) else None
            start = words[0].start_ms - HEAD_MS
            end = min(nxt - HEAD_MS, _speech_end(result, words)) if nxt is not None else result.offset_ms
            parts[text] = _cut(samples, words, start, end + TAIL_MS)
            first += count
        return parts

    def part(self) -> "_Part":
        return _Part(self)

    def speech_for(self, text: str) -> Speech:
        if self._parts is None:
            self._parts = self._split()
        if text not in self._parts:
            raise AssetError(self.path, f"the recording has no part for {text[:60]!r}",
                             "record every narrated block in order, pausing between blocks", where=self._where)
        return self._parts[text]


def _firsts(counts: Sequence[int]) -> tuple[int, ...]:
    """Token indices where each block after the first begins."""
    out, total = [], 0
    for count in counts[:-1]:
        total += count
        out.append(total)
    return tuple(out)


def _speech_end(result: Alignment, words: Sequence[Word]) -> int:
    """Where speech stops before the next block: the start of the pause that ends ``words``."""
    last = words[-1]
    for pause in result.pauses:
        if pause.start_ms >= last.start_ms and pause.end_ms <= last.end_ms + 1:
            return int(pause.start_ms)
    return last.end_ms


class _Part:
    name = "recorded"

    def __init__(self, whole: WholeRecording) -> None:
        self._whole = whole

    def version(self) -> str:
        return self._whole.version()

    def synthesize(self, text: str, voice: VoiceSettings) -> Speech:
        return self._whole.speech_for(text)
