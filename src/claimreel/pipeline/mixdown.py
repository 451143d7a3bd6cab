"""The soundtrack of a render: narration (clips' own sound, music bed) mixed once, normalised, encoded to AAC.

A mix depends only on the timeline's audio placements, the speech it places,
the music bed and the loudness profile, so formats sharing a timeline share one
mix, and the encoded AAC is cached by a digest of those inputs: a re-render
whose sound did not change (an edited on-screen text, another format) takes it
from the cache instead of mixing, normalising and encoding it again.

A clip's sound (``audio: under``) sits :data:`CLIP_UNDER_DB` under the
narration's loudness for the whole clip; with ``audio: full`` it is set to the
narration's loudness, and the music bed ducks under it as under speech.

The audio stack (SciPy, pyloudnorm) is imported only when a final mix is made, in
the render job's audio thread, so a cached soundtrack or a draft costs no import at all.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..encode.ffmpeg import Ffmpeg
from ..encode.profiles import LoudnessProfile
from ..files import atomic_write_text, file_sha256, files_digest
from ..narration.base import Speech
from ..script.model import Music
from ..timeline.model import Timeline

__all__ = ["AAC_HEADROOM_DB", "DELIVERY_RATE", "Soundtrack", "cached_soundtrack", "samples_digest", "soundtrack",
           "store_soundtrack"]

MIXDOWN_VERSION = "3"  # 2: clips' own sound; 3: clips levelled against the mono narration
CLIP_UNDER_DB = -24.0  # a clip's sound under the narration (at least 20 dB under, with margin)
AAC_HEADROOM_DB = 0.5  # AAC-LC at 160k overshoots a limited true peak by up to about this much
DELIVERY_BITRATE, DRAFT_BITRATE = "160k", "48k"
DELIVERY_RATE, DRAFT_RATE = 48000, 24000  # Hz: a draft carries speech to 12 kHz at half the work


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code that turns speech into the encoded soundtrack."""
    root = Path(__file__).resolve().parents[1]
    names = ("encode/audio.py", "encode/draft.py", "encode/mix.py", "encode/segments.py", "pipeline/mixdown.py")
    return files_digest((root / name for name in names), MIXDOWN_VERSION)


def samples_digest(samples: np.ndarray) -> str:
    """SHA-256 of decoded audio samples."""
    return hashlib.sha256(np.ascontiguousarray(samples).tobytes()).hexdigest()


class Soundtrack:
    """The inputs of one mix; :meth:`render` writes its AAC and returns the loudness report."""

    def __init__(self, timeline: Timeline, speeches: Mapping[int, tuple[Speech, str]], music: Music | None,
                 music_samples: np.ndarray | None, profile: LoudnessProfile, *, draft: bool = False,
                 music_digest: str | None = None, clip_files: Mapping[str, Path] | None = None) -> None:
        self.timeline, self.speeches, self.profile = timeline, speeches, profile
        # The files of the clips whose sound plays, by the name the script gives them.
        self.clip_files = dict(clip_files or {})
        self.music = music if music_samples is not None else None
        self.music_samples = music_samples
        # The render hashes its music bed once for all its soundtracks (tens of MB of samples).
        self.music_digest = music_digest or (samples_digest(music_samples) if music_samples is not None else None)
        # A preview's soundtrack: the same mix at the speech's own rate (or 24 kHz), levelled by
        # ffmpeg (encode.draft: no SciPy), encoded once at 48 kbps, and reported as measured
        # going into the encoder (no decode and re-measure).
        self.draft = draft

    def key(self, ffmpeg_version: str) -> str:
        """A digest of everything the encoded soundtrack depends on."""
        payload = {
            "code": _code_digest(),
            "ffmpeg": ffmpeg_version,
            "total_ms": self.timeline.duration_ms,
            "placements": [[p.start_ms, self.speeches[p.scene_index][1]] for p in self.timeline.audio],
            "music": None if self.music is None else [self.music_digest, self.music.level, self.music.under_speech],
            "profile": [self.profile.name, self.profile.integrated_lufs, self.profile.true_peak_dbtp],
            "clips": [[c.start_ms, c.duration_ms, file_sha256(self.clip_files[c.file]), c.source_start, c.mode]
                      for c in self.timeline.sounds],
            "clip_under_db": CLIP_UNDER_DB,
            "headroom": AAC_HEADROOM_DB,
            "draft": self.draft,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def render(self, ffmpeg: Ffmpeg, path: Path) -> dict[str, Any]:
        """Mix, level and encode to AAC at ``path``; the loudness report."""
        from ..encode.audio import place_mono

        clips = [(self.speeches[p.scene_index][0].samples, self.speeches[p.scene_index][0].sample_rate, p.start_ms)
                 for p in self.timeline.audio]
        rates = {int(rate) for _, rate, _ in clips}
        if not self.draft:
            rate = DELIVERY_RATE
        elif len(rates) == 1 and self.music is None and min(rates) <= DRAFT_RATE:
            rate = rates.pop()  # a draft keeps its speech's own rate (espeak's 22.05 kHz): nothing to resample
        else:
            rate = DRAFT_RATE
        mono = place_mono(clips, self.timeline.duration_ms, rate)  # mono until a stereo bed joins it
        extra: dict[str, Any] = {}
        spans = [(p.start_ms, p.start_ms + p.duration_ms) for p in self.timeline.audio]
        if self.timeline.sounds:
            mono, under = self._with_clips(ffmpeg, mono, rate, spans)
            if under is not None:
                extra["clip_under_speech_db"] = round(under, 2)
            spans = sorted(spans + [(c.start_ms, c.start_ms + c.duration_ms) for c in self.timeline.sounds
                                    if c.mode == "full"])
        mixed = np.repeat(mono[:, None], 2, axis=1)
        del mono
        if self.music is not None and self.music_samples is not None:
            from ..encode.audio import resample
            from ..encode.mix import BedSettings, mix_with_bed

            music = resample(self.music_samples, DELIVERY_RATE, rate)  # the bed is decoded at 48 kHz
            mixed, bed = mix_with_bed(mixed, rate, music, spans,
                                      BedSettings(self.music.level, self.music.under_speech))
            extra["music_under_speech_db"] = round(bed.music_under_speech_db, 2)
        profile = self.profile
        if self.draft:
            from ..encode.draft import level_and_encode

            levels = level_and_encode(ffmpeg, mixed, rate, path, target_lufs=profile.integrated_lufs,
                                      ceiling_dbtp=profile.true_peak_dbtp, bitrate=DRAFT_BITRATE)
            lufs, peak, gain = levels.integrated_lufs, levels.true_peak_dbtp, levels.gain_db
        else:
            lufs, peak, gain = self._final(ffmpeg, path, mixed)
        return {
            **({"measured": "by ffmpeg's ebur128, before AAC encoding (preview)"} if self.draft else {}),
            "profile": profile.name,
            "target_lufs": profile.integrated_lufs,
            "integrated_lufs": round(lufs, 2),
            "true_peak_dbtp": round(peak, 2),
            "gain_db": round(gain, 2),
            **extra,
        }

    def _with_clips(self, ffmpeg: Ffmpeg, narration: np.ndarray, rate: int, spans: list[tuple[int, int]]
                    ) -> tuple[np.ndarray, float | None]:
        """The mono narration with the clips' own (mono) sound added at their levels; and how far the
        ``under`` clips sit under the narration where both play (dB, measured), or None if they never
        meet. Both are measured as mono, so the levels set are the levels heard in the dual-mono mix."""
        import math

        from ..encode.audio import place_mono
        from ..encode.decode import decode_audio
        from ..encode.mix import loudness_of

        speech_lufs = loudness_of(narration, rate) if spans else -math.inf
        total = self.timeline.duration_ms
        under = np.zeros_like(narration)
        out = narration.copy()
        for sound in self.timeline.sounds:
            samples = decode_audio(ffmpeg, self.clip_files[sound.file], rate=rate, channels=1,
                                   start=sound.source_start, duration=sound.duration_ms / 1000,
                                   where=f"clip {sound.file}")
            track = place_mono([(samples, rate, sound.start_ms)], total, rate)
            own = loudness_of(samples, rate)
            if math.isfinite(own) and math.isfinite(speech_lufs):
                target = speech_lufs + (CLIP_UNDER_DB if sound.mode == "under" else 0.0)
                track *= np.float32(10 ** ((target - own) / 20))
            (under if sound.mode == "under" else out)[:] += track
        if not under.any():
            return out, None
        from ..encode.mix import under_speech

        level = under_speech(narration, under, rate, spans)
        return out + under, (level if math.isfinite(level) else None)

    def _final(self, ffmpeg: Ffmpeg, path: Path, mixed: np.ndarray) -> tuple[float, float, float]:
        """Normalise (true-peak limited), encode at 160 kbps; loudness and true peak measured on the AAC."""
        from ..encode.audio import normalize, true_peak_dbtp, write_wav
        from ..encode.decode import decode_audio
        from ..encode.mix import loudness_of
        from ..encode.segments import encode_aac

        profile, rate = self.profile, DELIVERY_RATE
        ceiling = profile.true_peak_dbtp - AAC_HEADROOM_DB
        wav = path.with_suffix(".wav")
        for _ in range(3):
            normalized, report = normalize(mixed, rate, profile.integrated_lufs, ceiling)
            write_wav(normalized, rate, wav)
            encode_aac(ffmpeg, wav, path, bitrate=DELIVERY_BITRATE, rate=rate)
            wav.unlink()
            # AAC can overshoot the ceiling by a fraction of a dB: measure what was encoded, and
            # if it is over, normalise again under a ceiling lowered by the overshoot.
            encoded = decode_audio(ffmpeg, path, rate=rate, channels=2)
            lufs, peak = loudness_of(encoded, rate), true_peak_dbtp(encoded)
            if peak <= profile.true_peak_dbtp:
                break
            ceiling -= peak - profile.true_peak_dbtp + 0.2
        return lufs, peak, report.gain_db


def _entry(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, Path]:
    key = track.key(ffmpeg.version())
    return cache / f"{key}.m4a", cache / f"{key}.json"


def cached_soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict[str, Any]] | None:
    """The soundtrack from ``cache`` and its report, or None if it is missing or damaged."""
    aac, meta = _entry(track, ffmpeg, cache)
    try:
        saved = json.loads(meta.read_text(encoding="utf-8"))
        if file_sha256(aac) == saved["sha256"]:
            return aac, saved["loudness"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def store_soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path, data: bytes, loudness: dict[str, Any]
                     ) -> tuple[Path, dict[str, Any]]:
    """Put a soundtrack made elsewhere (a cluster worker) into ``cache``: the AAC, then its report."""
    from ..files import atomic_write_bytes

    cache.mkdir(parents=True, exist_ok=True)
    aac, meta = _entry(track, ffmpeg, cache)
    atomic_write_bytes(aac, data)
    atomic_write_text(meta, json.dumps({"sha256": file_sha256(aac), "loudness": loudness}, sort_keys=True))
    return aac, loudness


def soundtrack(track: Soundtrack, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict[str, Any]]:
    """The encoded soundtrack in ``cache`` (made if missing) and its loudness report.

    ``<key>.m4a`` is served only beside ``<key>.json``, which holds the report and
    the AAC's SHA-256 and is written after it: a missing or damaged pair is made again.
    """
    cache.mkdir(parents=True, exist_ok=True)
    found = cached_soundtrack(track, ffmpeg, cache)
    if found is not None:
        return found
    aac, meta = _entry(track, ffmpeg, cache)
    loudness = track.render(ffmpeg, aac)
    atomic_write_text(meta, json.dumps({"sha256": file_sha256(aac), "loudness": loudness}, sort_keys=True))
    return aac, loudness
