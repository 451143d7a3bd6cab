"""The described soundtrack: the programme mix with the spoken descriptions over it, programme ducked.

It is a :class:`~.mixdown.Soundtrack` whose mix adds, after the programme (narration, clips' sound,
music bed), the descriptions placed in the narration's gaps at the narration's loudness, and lowers
the programme by :data:`DUCK_DB` under them on raised-cosine ramps of :data:`RAMP_MS` that lie inside
the gaps' guard (:data:`~..timeline.gaps.GUARD_MS`), so no narration is ever ducked.

It plays at its main soundtrack's level: given the gain that normalises the programme (followed by
the limiter, as there), so the programme is as loud on either track, and an edit of one description
(which moves the described mix's loudness a little) re-encodes only the pieces it touched. Each
description is levelled to where that gain takes the narration (the target less the gain: a whole
number of gain steps, so an edit of the narration that leaves the gain leaves every description's
level too). That leaves it near the loudness target (descriptions are said as loud as the narration):
within :data:`LEVEL_MATCH` of the profile's tolerance, else it is normalised on its own. Everything
else is the main track's: limited under the same true-peak ceiling, encoded in the same AAC pieces,
and cached by a digest of its inputs beside it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..encode.ffmpeg import Ffmpeg
from ..files import files_digest
from ..timeline.gaps import GUARD_MS
from .described import Said
from .mixdown import DELIVERY_RATE, Mix, Soundtrack

__all__ = ["DUCK_DB", "LEVEL_MATCH", "RAMP_MS", "DescribedSoundtrack"]

DUCK_DB = -15.0  # the programme under a description (at least 10 dB down, WCAG's ducking practice)
RAMP_MS = 250
assert RAMP_MS < GUARD_MS  # the ramps stay clear of speech
# How far from the target a described soundtrack at its main one's level may be, as a share of the
# profile's tolerance (0.5 LU for the web profile, 0.25 for EBU R 128's): measured 0.00 to 0.08 LU
# away for the flagship's video and cuts, 0.4 to 0.5 for a short script of many one-word descriptions.
LEVEL_MATCH = 0.5


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    return files_digest([Path(__file__).resolve()], "4")  # 2: each description levelled on its own;
    # 3: at the main soundtrack's level; 4: descriptions levelled from the main soundtrack's gain


class DescribedSoundtrack(Soundtrack):
    """A soundtrack's inputs plus the descriptions said over it."""

    def __init__(self, main: Soundtrack, said: Sequence[Said]) -> None:
        super().__init__(main.timeline, main.speeches, main.music, main.music_samples, main.profile,
                         draft=main.draft, music_digest=main.music_digest, clip_files=main.clip_files,
                         measures=main.measures)
        self.said = tuple(said)
        self.main = main  # whose programme this mixes (made once for both)

    def key(self, ffmpeg_version: str) -> str:
        payload = {"programme": super().key(ffmpeg_version), "code": _code_digest(),
                   "said": [[s.start_ms, s.key] for s in self.said], "duck": [DUCK_DB, RAMP_MS]}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def _levelled(self, samples: np.ndarray, rate: int, programme: float) -> np.ndarray:
        from ..encode.audio import loudness_of

        own = loudness_of(samples, rate)
        if not (math.isfinite(programme) and math.isfinite(own)):
            return samples
        return (np.asarray(samples, np.float32) * np.float32(self.level_gain(programme, own))).astype(np.float32)

    def mix(self, ffmpeg: Ffmpeg) -> Mix:
        """The described mix at 48 kHz at its main soundtrack's level (see the module's notes)."""
        programme, extra = self._programme(ffmpeg, DELIVERY_RATE)
        gain = self.main.applied_gain(programme)
        described, extra = self._over(programme, extra, DELIVERY_RATE, gain)
        del programme
        if gain is not None:
            mix, report = self._normalized(described, extra, gain)
            if abs(report.integrated_lufs - self.profile.integrated_lufs) <= LEVEL_MATCH * self.profile.tolerance_lu:
                return mix
        return self._normalized(described, extra)[0]

    def _mixed(self, ffmpeg: Ffmpeg, rate: int) -> tuple[np.ndarray, dict[str, Any]]:
        return self._over(*self._programme(ffmpeg, rate), rate)

    def _programme(self, ffmpeg: Ffmpeg, rate: int) -> tuple[np.ndarray, dict[str, Any]]:
        mixed, extra = self.main.programme(ffmpeg, rate, keep=False)
        self.main.forget()  # made after its main soundtrack: nothing else needs that programme
        return mixed, extra

    def _over(self, mixed: np.ndarray, extra: dict[str, Any], rate: int, gain: float | None = None
              ) -> tuple[np.ndarray, dict[str, Any]]:
        """The descriptions placed over ``mixed`` (the programme at ``rate``), the programme ducked under
        them. ``gain``: the main soundtrack's (see the module's notes), else the programme is measured."""
        from ..encode.mix import duck_curve, duck_curve_at

        if not self.said:
            return mixed, extra
        # Each description is said as loud as the narration (one channel of it), levelled on its own:
        # an edit of one leaves the others' samples (and their pieces) as they were.
        if gain is not None:
            programme = self.narration_level() - gain
        else:
            programme = self.loudness(mixed[:, 0], rate)
        voice = self._place([(self._levelled(s.speech.samples, s.speech.sample_rate, programme),
                              s.speech.sample_rate, s.start_ms) for s in self.said], rate)
        if self.draft:
            duck = duck_curve(len(voice), rate, [(s.start_ms, s.end_ms) for s in self.said],
                              attack_ms=RAMP_MS, release_ms=RAMP_MS)
        else:
            grid, ramp = self.grid(rate), RAMP_MS * rate // 1000
            duck = duck_curve_at(len(voice), [grid.between(s.start_ms, s.end_ms) for s in self.said], ramp, ramp)
        gain = (10 ** (DUCK_DB * duck / 20)).astype(np.float32)
        described = mixed * gain[:, None] + voice[:, None]
        return described.astype(np.float32, copy=False), {**extra, "description_duck_db": DUCK_DB}
