"""A content-addressed cache of synthesised speech, so no line is said twice.

An entry is ``<root>/<key[:2]>/<key>.wav`` (16-bit PCM mono) and
``<key>.json`` (words, sample rate, the wav's sha256), each written to a temp
file in the same folder and renamed, the json last: a json's presence means
its wav was complete. An entry that fails any check on read is deleted and
synthesised again, never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import wave
from pathlib import Path

import numpy as np

from ..errors import RenderError
from ..files import atomic_write_bytes
from .base import Engine, Speech, VoiceSettings, Word
from .pauses import speak

__all__ = ["CACHE_FORMAT", "SpeechCache"]

CACHE_FORMAT = 1
_TEMP_PREFIX = ".tmp-"


def _to_pcm(samples: np.ndarray) -> np.ndarray:
    scaled = np.rint(np.asarray(samples, dtype=np.float64) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype("<i2")


def _wav_bytes(pcm: np.ndarray, sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _read_wav(data: bytes, sample_rate: int) -> np.ndarray:
    with wave.open(io.BytesIO(data), "rb") as src:
        if (src.getnchannels(), src.getsampwidth(), src.getframerate()) != (1, 2, sample_rate):
            raise ValueError("not 16-bit mono at the recorded sample rate")
        frames = src.readframes(src.getnframes())
        if len(frames) != src.getnframes() * 2:
            raise ValueError("truncated audio")
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def _write_atomic(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data, prefix=_TEMP_PREFIX)


class SpeechCache:
    """Speech by content key under ``root``; counts ``hits`` and ``misses``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    @property
    def models(self) -> Path:
        """Where engines keep what they derive from their models for later processes (see
        :func:`~claimreel.narration.engines.get_engine`)."""
        return self.root / "models"

    def key(self, engine: Engine, text: str, voice: VoiceSettings) -> str:
        canonical = json.dumps(
            {
                "format": CACHE_FORMAT,
                "engine": engine.name,
                "version": engine.version(),
                "voice": voice.key(),
                "text": text,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def paths(self, key: str) -> tuple[Path, Path]:
        """The wav and json paths of ``key``'s entry."""
        folder = self.root / key[:2]
        return folder / f"{key}.wav", folder / f"{key}.json"

    def get_or_synthesize(
        self, engine: Engine, text: str, voice: VoiceSettings
    ) -> tuple[Speech, str]:
        """The cached speech for this line, synthesising and storing it on a miss."""
        key = self.key(engine, text, voice)
        speech = self._load(key)
        if speech is not None:
            self.hits += 1
            return speech, key
        self.misses += 1
        return self._store(key, engine.name, text, speak(engine, text, voice)), key

    def lookup(self, engine: Engine, text: str, voice: VoiceSettings) -> tuple[Speech | None, str]:
        """The cached speech for this line (None on a miss, counted) and its key; for a caller that
        synthesises the misses elsewhere and hands them to :meth:`keep`."""
        key = self.key(engine, text, voice)
        speech = self._load(key)
        if speech is None:
            self.misses += 1
        else:
            self.hits += 1
        return speech, key

    def keep(self, key: str, engine: str, text: str, speech: Speech) -> Speech:
        """Store speech synthesised elsewhere under ``key``; the speech as it reads back."""
        return self._store(key, engine, text, speech)

    def _load(self, key: str) -> Speech | None:
        wav_path, json_path = self.paths(key)
        if not json_path.exists():
            return None
        try:
            meta = json.loads(json_path.read_text(encoding="utf-8"))
            data = wav_path.read_bytes()
            if meta["format"] != CACHE_FORMAT or meta["key"] != key:
                raise ValueError("entry of another format or key")
            if hashlib.sha256(data).hexdigest() != meta["wav_sha256"]:
                raise ValueError("audio does not match its checksum")
            rate = int(meta["sample_rate"])
            samples = _read_wav(data, rate)
            words = tuple(Word(str(t), int(s), int(e)) for t, s, e in meta["words"])
            return Speech(samples, rate, words, bool(meta["estimated"]))
        except (OSError, ValueError, KeyError, TypeError, EOFError, wave.Error):
            self._discard(key)
            return None

    def _discard(self, key: str) -> None:
        for path in self.paths(key):
            with contextlib.suppress(OSError):
                path.unlink()

    def _store(self, key: str, engine: str, text: str, speech: Speech) -> Speech:
        """Write the entry and return the speech as it will read back (16-bit)."""
        pcm = _to_pcm(speech.samples)
        data = _wav_bytes(pcm, speech.sample_rate)
        meta = {
            "format": CACHE_FORMAT,
            "key": key,
            "engine": engine,
            "text": text,
            "sample_rate": speech.sample_rate,
            "estimated": speech.estimated,
            "words": [[w.text, w.start_ms, w.end_ms] for w in speech.words],
            "wav_sha256": hashlib.sha256(data).hexdigest(),
        }
        wav_path, json_path = self.paths(key)
        try:
            wav_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(wav_path, data)
            _write_atomic(json_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as exc:
            raise RenderError(
                f"{wav_path.parent}: cannot write the speech cache ({exc.strerror or exc}); "
                "check free space and permissions, or choose another cache folder"
            ) from exc
        samples = pcm.astype(np.float32) / 32768.0
        return Speech(samples, speech.sample_rate, speech.words, speech.estimated)
