"""Narration blocks resampled to a mix's rate, and levelled, once per process, not once per soundtrack.

A render mixes several soundtracks from the same narration (the video's, its described one, each
cut's), and a warm render after an edit mixes them all again; each block's resampling is the same
work every time. Kept by the block's speech key (a digest of what was said and how), up to a bound
on memory, so a long-lived studio process holds at most that much.

Each block is levelled on its own to one loudness (a voice-over leveller's work): the narration then
sounds alike from block to block, and an edit of one block moves only that block's level. The whole
programme's loudness, the mean of its blocks', stays where it was (within a few thousandths of a
decibel), so the gain that normalises it, and every other sample, stays too. The gain is the level
over the block's own integrated loudness, at most :data:`MAX_GAIN_DB` either way (a whispered or
shouted recording keeps some of its character; a silent block is left as it is).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np

__all__ = ["MAX_GAIN_DB", "resampled"]

MAX_GAIN_DB = 12.0  # covers the profiles (-14 to -24 LUFS) with any voice we ship, by a margin
_LIMIT_BYTES = 64 << 20
_kept: OrderedDict[tuple[str, int, int, float | None], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def resampled(key: str, samples: np.ndarray, rate: int, out_rate: int, level_lufs: float | None = None
              ) -> np.ndarray:
    """``samples`` (a narration block whose speech key is ``key``) at ``out_rate``, levelled to
    ``level_lufs`` (integrated, BS.1770; None: as said), read-only."""
    from ..encode.audio import loudness_of, resample

    entry = (key, int(rate), int(out_rate), level_lufs)
    with _lock:
        if entry in _kept:
            _kept.move_to_end(entry)
            return _kept[entry]
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        return samples  # not mono: placing it says so
    out = resample(x, int(rate), int(out_rate))
    out = np.array(out, dtype=np.float32)  # our own copy: the caller's array may change after
    if level_lufs is not None and math.isfinite(own := loudness_of(out, int(out_rate))):
        gain_db = min(max(level_lufs - own, -MAX_GAIN_DB), MAX_GAIN_DB)
        out *= np.float32(10 ** (gain_db / 20))
    out.setflags(write=False)
    with _lock:
        _kept[entry] = out
        while sum(a.nbytes for a in _kept.values()) > _LIMIT_BYTES and len(_kept) > 1:
            _kept.popitem(last=False)
    return out
