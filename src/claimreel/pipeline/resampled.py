"""Narration blocks resampled to a mix's rate once per process, not once per soundtrack.

A render mixes several soundtracks from the same narration (the video's, its described one, each
cut's), and a warm render after an edit mixes them all again; each block's resampling is the same
work every time. Kept by the block's speech key (a digest of what was said and how), up to a bound
on memory, so a long-lived studio process holds at most that much.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

__all__ = ["resampled"]

_LIMIT_BYTES = 64 << 20
_kept: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def resampled(key: str, samples: np.ndarray, rate: int, out_rate: int) -> np.ndarray:
    """``samples`` (a narration block whose speech key is ``key``) at ``out_rate``, read-only."""
    from ..encode.audio import resample

    entry = (key, int(rate), int(out_rate))
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
    out.setflags(write=False)
    with _lock:
        _kept[entry] = out
        while sum(a.nbytes for a in _kept.values()) > _LIMIT_BYTES and len(_kept) > 1:
            _kept.popitem(last=False)
    return out
