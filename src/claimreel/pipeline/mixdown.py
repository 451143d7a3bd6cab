"""The soundtrack of a render: narration (clips' own sound, music bed) mixed once, normalised, encoded to AAC.

A mix depends only on the timeline's audio placements, the speech it places,
the music bed and the loudness profile, so formats sharing a timeline share one
mix, and the encoded AAC is cached by a digest of those inputs: a re-render
whose sound did not change (an edited on-screen text, another format) takes it
from the cache instead of mixing, normalising and encoding it again.

A final soundtrack is made in three steps: :meth:`Soundtrack.mix` (placed, levelled, normalised
and limited as one), its AAC encoded in time pieces of about 13 s (:mod:`..encode.aac_pieces`; each
piece measures its own decoded loudness and true peak), and the pieces' frames joined into one MP4
by stream copy. A render runs the pieces one after another; on a cluster the mix and each piece are
units of their own, and the client joins: the same steps, so the same bytes.

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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from ..encode.ffmpeg import Ffmpeg
from ..encode.profiles import LoudnessProfile
from ..files import file_sha256, files_digest
from ..narration.base import Speech
from ..script.sound import Music
from ..timeline.model import Timeline
from .audio_grid import AudioGrid
from .piece_store import PieceJob, soundtrack_piece

if TYPE_CHECKING:
    from ..encode.aac_pieces import EncodedPiece
    from ..encode.audio import LoudnessReport

__all__ = ["AAC_HEADROOM_DB", "DELIVERY_RATE", "Mix", "Soundtrack", "samples_digest", "soundtrack_mix", "warm_up"]

MIXDOWN_VERSION = "7"  # 2: clips' own sound; 3: clips levelled against the mono narration; 4: AAC in pieces;
# 5: sounds and pieces on the scenes' AAC frame grid; 6: limited piece by piece; 7: one gain, limited once,
# each narration block levelled on its own
CLIP_UNDER_DB = -24.0  # a clip's sound under the narration (at least 20 dB under, with margin)
AAC_HEADROOM_DB = 0.5  # AAC-LC at 160k overshoots a limited true peak by up to about this much
DELIVERY_BITRATE, DRAFT_BITRATE = "160k", "48k"
LEVEL_STEP_DB = 0.1  # a final mix's gains move in whole steps of this (see Soundtrack.level_gain)
DELIVERY_RATE, DRAFT_RATE = 48000, 24000  # Hz: a draft carries speech to 12 kHz at half the work


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code that turns speech into the encoded soundtrack."""
    root = Path(__file__).resolve().parents[1]
    names = ("encode/aac_pieces.py", "encode/audio.py", "encode/limiter.py", "encode/draft.py", "encode/mix.py",
             "encode/segments.py", "pipeline/audio_grid.py", "pipeline/mixdown.py", "pipeline/piece_limits.py",
             "pipeline/piece_store.py", "pipeline/piece_measures.py", "pipeline/resampled.py", "encode/levelling.py")
    return files_digest((root / name for name in names), MIXDOWN_VERSION)


def samples_digest(samples: np.ndarray) -> str:
    """SHA-256 of decoded audio samples."""
    return hashlib.sha256(np.ascontiguousarray(samples).tobytes()).hexdigest()


@dataclass(frozen=True)
class Mix:
    """A final soundtrack's mix, normalised and limited, ready to encode: float32 samples ``[n]`` (both
    channels the same: a narration with no stereo bed) or ``[n, 2]``; the gain the normalising
    applied, and the levels measured while mixing (for the report)."""

    samples: np.ndarray
    rate: int
    gain_db: float
    extra: dict[str, Any]


def warm_up() -> None:
    """A cluster worker's early task: import the audio stack (SciPy, pyloudnorm: about a second on a
    fresh worker) and design its filters, so that a soundtrack's mix unit, on the render's critical
    path, does not pay for them."""
    import pyloudnorm  # noqa: F401
    import scipy.io.wavfile  # noqa: F401
    import scipy.ndimage  # noqa: F401
    import scipy.signal  # noqa: F401

    from ..encode.audio import _interpolator, _k_weighting

    _interpolator()
    _k_weighting(DELIVERY_RATE)


def soundtrack_mix(track: Soundtrack, ffmpeg: Ffmpeg) -> Mix:
    """The work unit that mixes a final soundtrack (:meth:`Soundtrack.mix`)."""
    return track.mix(ffmpeg)


class Soundtrack:
    """The inputs of one mix; :meth:`render` writes its AAC and returns the loudness report."""

    def __init__(self, timeline: Timeline, speeches: Mapping[int, tuple[Speech, str]], music: Music | None,
                 music_samples: np.ndarray | None, profile: LoudnessProfile, *, draft: bool = False,
                 music_digest: str | None = None, clip_files: Mapping[str, Path] | None = None,
                 measures: Path | None = None) -> None:
        self.timeline, self.speeches, self.profile = timeline, speeches, profile
        # Where the pieces' loudness figures (:mod:`.piece_measures`) and limiter gains
        # (:mod:`.piece_limits`) are kept, beside each other; they change no output.
        self.measures = measures
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
        self._kept: dict[int, tuple[np.ndarray, dict[str, Any]]] = {}  # see programme()
        self._level_report: LoudnessReport | None = None  # see applied_gain()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_kept": {}}  # a unit sent to a worker carries its inputs, not a mix

    def key(self, ffmpeg_version: str) -> str:
        """A digest of everything the encoded soundtrack depends on."""
        payload = {
            "code": _code_digest(),
            "ffmpeg": ffmpeg_version,
            "total_ms": self.timeline.duration_ms,
            "scenes": [str(self.timeline.fps), [s.start_frame for s in self.timeline.scenes]],  # the grid
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

    def render(self, ffmpeg: Ffmpeg, path: Path, pieces: Path | None = None) -> dict[str, Any]:
        """Mix, level and encode to AAC at ``path``; the loudness report. A final soundtrack is
        :meth:`mix`, its :meth:`pieces` encoded one after another here (on a cluster, each a unit of
        its own), and :meth:`join`: the same steps either way, so the same bytes. ``pieces``: the cache
        of encoded pieces (see :func:`soundtrack_piece`)."""
        if self.draft:
            return self._draft(ffmpeg, path)
        mix = self.mix(ffmpeg)
        encoded = [soundtrack_piece(job, ffmpeg, pieces) for job in self.pieces(mix)]
        return self.join(ffmpeg, path, mix, encoded)

    def _mixed(self, ffmpeg: Ffmpeg, rate: int) -> tuple[np.ndarray, dict[str, Any]]:
        """What this soundtrack normalises: the programme (a described soundtrack adds its descriptions)."""
        return self.programme(ffmpeg, rate)

    def programme(self, ffmpeg: Ffmpeg, rate: int, *, keep: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
        """The programme at ``rate`` (read-only) and the levels measured making it, mixed once per
        object and kept (unless ``keep`` is false): the described soundtrack made from this one places
        its descriptions over the same programme, and takes it from here (see :meth:`forget`)."""
        if rate not in self._kept:
            mixed, extra = self._mix_programme(ffmpeg, rate)
            mixed.setflags(write=False)
            if not keep:
                return mixed, extra
            self._kept[rate] = (mixed, extra)
        mixed, extra = self._kept[rate]
        return mixed, dict(extra)

    def forget(self) -> None:
        """Let go of the programme kept by :meth:`programme` (tens of MB for a video's length)."""
        self._kept.clear()

    def _mix_programme(self, ffmpeg: Ffmpeg, rate: int) -> tuple[np.ndarray, dict[str, Any]]:
        """Speech placed, the clips' sound and the music bed added: float32 ``[n, 2]`` at ``rate``, and
        the levels measured on the way."""
        from .resampled import resampled

        # Each block resampled and levelled once for all the soundtracks that place it (the same samples
        # placed).
        level = self.narration_level()
        clips = [(resampled(key, speech.samples, speech.sample_rate, rate, level), rate, p.start_ms)
                 for p in self.timeline.audio for speech, key in [self.speeches[p.scene_index]]]
        mono = self._place(clips, rate)  # mono until a stereo bed joins it
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
        return mixed, extra

    def narration_level(self) -> float:
        """The loudness (LUFS) of one channel of the dual-mono narration at the profile's target: where
        each narration block is levelled to, before the programme's own gain."""
        from ..encode.audio import DUAL_MONO_DB

        return self.profile.integrated_lufs - DUAL_MONO_DB

    def grid(self, rate: int) -> AudioGrid:
        """Where a final mix's sounds and pieces sit (see :mod:`.audio_grid`)."""
        return AudioGrid.of(self.timeline, rate)

    def _place(self, clips: Sequence[tuple[np.ndarray, int, int]], rate: int) -> np.ndarray:
        """Mono sounds ``(samples, rate, start_ms)`` placed in a mono track of the mix's length: a draft's
        at their times to the sample, a final mix's on its :class:`AudioGrid`."""
        from ..encode.audio import place_mono, place_mono_at

        if self.draft:
            return place_mono(clips, self.timeline.duration_ms, rate)
        grid = self.grid(rate)
        return place_mono_at([(x, r, grid.at(ms)) for x, r, ms in clips], grid.total, rate)

    def loudness(self, samples: np.ndarray, rate: int) -> float:
        """Integrated loudness of samples of the mix: a final mix's measured piece by piece on its grid
        (:func:`~..encode.aac_pieces.pieces_loudness`: the same figures wherever a scene sits)."""
        if self.draft:
            from ..encode.audio import loudness_of

            return loudness_of(samples, rate)
        from ..encode.aac_pieces import pieces_loudness
        from .piece_measures import measured_energies

        return pieces_loudness(measured_energies(samples, self.grid(rate).spans(), rate, self.measures), rate)

    def _limit_pieces(self, samples: np.ndarray, ceiling: float) -> np.ndarray:
        """A final mix limited piece by piece on its grid (:mod:`.piece_limits`: the same samples
        wherever a scene sits, and a piece limited before is not limited again)."""
        from .piece_limits import limited

        store = self.measures.with_name("limits") if self.measures is not None else None
        return limited(samples, self.grid(DELIVERY_RATE).spans(), DELIVERY_RATE, ceiling, store)

    def level_gain(self, target_lufs: float, own_lufs: float) -> float:
        """The gain (linear) that sets a sound at ``own_lufs`` to ``target_lufs``, in whole steps of
        :data:`LEVEL_STEP_DB` for a final mix (so an edit elsewhere leaves it, and its pieces, as they were)."""
        db = target_lufs - own_lufs
        if not self.draft:
            db = round(db / LEVEL_STEP_DB) * LEVEL_STEP_DB
        return float(10 ** (db / 20))

    def _draft(self, ffmpeg: Ffmpeg, path: Path) -> dict[str, Any]:
        from ..encode.draft import level_and_encode

        rates = {int(self.speeches[p.scene_index][0].sample_rate) for p in self.timeline.audio}
        if len(rates) == 1 and self.music is None and min(rates) <= DRAFT_RATE:
            rate = rates.pop()  # a draft keeps its speech's own rate (espeak's 22.05 kHz): nothing to resample
        else:
            rate = DRAFT_RATE
        mixed, extra = self._mixed(ffmpeg, rate)
        profile = self.profile
        levels = level_and_encode(ffmpeg, mixed, rate, path, target_lufs=profile.integrated_lufs,
                                  ceiling_dbtp=profile.true_peak_dbtp, bitrate=DRAFT_BITRATE)
        return {"measured": "by ffmpeg's ebur128, before AAC encoding (preview)",
                **self._report(levels.integrated_lufs, levels.true_peak_dbtp, levels.gain_db), **extra}

    def _report(self, lufs: float, peak: float, gain: float) -> dict[str, Any]:
        return {"profile": self.profile.name, "target_lufs": self.profile.integrated_lufs,
                "integrated_lufs": round(lufs, 2), "true_peak_dbtp": round(peak, 2), "gain_db": round(gain, 2)}

    def mix(self, ffmpeg: Ffmpeg) -> Mix:
        """The final mix at 48 kHz, normalised to the profile's loudness and true-peak limited
        :data:`AAC_HEADROOM_DB` under its ceiling (AAC overshoots a limited peak a little)."""
        mixed, extra = self._mixed(ffmpeg, DELIVERY_RATE)
        mix, self._level_report = self._normalized(mixed, extra)
        return mix

    def applied_gain(self, programme: np.ndarray) -> float | None:
        """The gain (dB) this soundtrack's normalising applies to ``programme`` (its programme at 48 kHz)
        before the limiter (see :func:`~..encode.levelling.normalize`; None: silence): as its :meth:`mix`
        applied it, or worked out again (a mix made elsewhere, or taken from the cache)."""
        if self._level_report is None:
            self._level_report = self._normalized(programme, {})[1]
        return self._level_report.applied_db

    def _normalized(self, mixed: np.ndarray, extra: dict[str, Any], gain_db: float | None = None
                    ) -> tuple[Mix, LoudnessReport]:
        """``mixed`` (at 48 kHz) normalised and limited (by ``gain_db``, given: see
        :func:`~..encode.levelling.normalize`); the mix, and what was measured."""
        from ..encode.levelling import normalize

        dual = self.music is None  # no stereo bed: both channels are the mono mix (sent once)
        # The limited mix's true peak is not measured here: each AAC piece measures its decoded peak
        # (what is delivered) and limits its slice again if that is over.
        normalized, report = normalize(mixed, DELIVERY_RATE, self.profile.integrated_lufs,
                                       self.profile.true_peak_dbtp - AAC_HEADROOM_DB, check_peak=False,
                                       measure=lambda x: self.loudness(x, DELIVERY_RATE), step_db=LEVEL_STEP_DB,
                                       limit=self._limit_pieces, gain_db=gain_db)
        samples = np.ascontiguousarray(normalized[:, 0]) if dual else normalized
        return Mix(samples, DELIVERY_RATE, report.gain_db, extra), report

    def pieces(self, mix: Mix) -> list[PieceJob]:
        """The mix cut into the time pieces its AAC is encoded in, each with its pre- and post-roll."""
        from ..encode.aac_pieces import span_slice

        ceiling = self.profile.true_peak_dbtp
        return [PieceJob(span_slice(mix.samples, span), span, mix.rate, DELIVERY_BITRATE,
                         ceiling, ceiling - AAC_HEADROOM_DB) for span in self.grid(mix.rate).spans()]

    def join(self, ffmpeg: Ffmpeg, path: Path, mix: Mix, encoded: Sequence[EncodedPiece]) -> dict[str, Any]:
        """The pieces' AAC frames in one MP4 at ``path``; the report, measured on the decoded pieces
        (loudness gated across them, the largest true peak)."""
        from ..encode.aac_pieces import join, pieces_loudness

        total = len(mix.samples)
        join(ffmpeg, [piece.adts for piece in encoded], sum(piece.frames for piece in encoded), total, mix.rate,
             path)
        lufs = pieces_loudness([piece.energies for piece in encoded], mix.rate)
        peak = max(piece.peak_dbtp for piece in encoded)
        return {**self._report(lufs, peak, mix.gain_db), **mix.extra}

    def _with_clips(self, ffmpeg: Ffmpeg, narration: np.ndarray, rate: int, spans: list[tuple[int, int]]
                    ) -> tuple[np.ndarray, float | None]:
        """The mono narration with the clips' own (mono) sound added at their levels; and how far the
        ``under`` clips sit under the narration where both play (dB, measured there), or None if they
        never meet. Both are measured as mono, so the levels set are the levels heard in the dual-mono
        mix."""
        import math

        speech_lufs = self.loudness(narration, rate) if spans else -math.inf
        under = np.zeros_like(narration)
        out = narration.copy()
        for sound in self.timeline.sounds:
            path = self.clip_files[sound.file]
            stat = path.stat()  # a file changed at the same path (a long-lived studio) is decoded again
            samples, own = _clip_sound(ffmpeg, path, (stat.st_mtime_ns, stat.st_size), rate, sound.source_start,
                                       sound.duration_ms, sound.file)
            track = self._place([(samples, rate, sound.start_ms)], rate)
            if math.isfinite(own) and math.isfinite(speech_lufs):
                target = speech_lufs + (CLIP_UNDER_DB if sound.mode == "under" else 0.0)
                track *= np.float32(self.level_gain(target, own))
            (under if sound.mode == "under" else out)[:] += track
        if not under.any():
            return out, None
        from ..encode.mix import under_speech

        level = under_speech(narration, under, rate, spans)
        return out + under, (level if math.isfinite(level) else None)


@functools.lru_cache(maxsize=8)
def _clip_sound(ffmpeg: Ffmpeg, path: Path, stamp: tuple[int, int], rate: int, start: float, duration_ms: int,
                name: str) -> tuple[np.ndarray, float]:
    """A clip's own sound, decoded mono at ``rate``, and its loudness: decoded once for all the
    soundtracks of a render that play it (the video's, its described one, a cut's)."""
    from ..encode.decode import decode_audio
    from ..encode.mix import loudness_of

    samples = decode_audio(ffmpeg, path, rate=rate, channels=1, start=start, duration=duration_ms / 1000,
                           where=f"clip {name}")
    samples.setflags(write=False)  # shared: placed by copying
    return samples, loudness_of(samples, rate)
