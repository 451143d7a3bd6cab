"""A final mix's true-peak limiter worked out piece by piece, each piece's gain kept on disk.

The limiter (:func:`~..encode.limiter.limit_gain`) is local: its gain at a sample depends only on the
samples within :func:`~..encode.limiter.limiter_reach` of it. So each AAC piece's own samples are
limited from a window reaching that far beyond them, and keep only their own part of its gain: a
piece's limited samples are a function of its window alone, the same wherever the scene sits, in a
cold render and a warm one. After an edit most windows are the same samples as before (a scene
that only moved), so each window's gain is kept under a digest of its samples, where the piece lies
in it and the ceiling, and taken from there instead of oversampled and filtered again (three times
over: a mix is limited again after each make-up gain). A damaged or missing entry is worked out again.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..files import files_digest, keep_if_possible
from .piece_store import samples_key

if TYPE_CHECKING:
    from ..encode.aac_pieces import Span

__all__ = ["limited"]


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the limiter's code (and its interpolator)."""
    root = Path(__file__).resolve().parents[1]
    return files_digest([root / "encode" / "audio.py", root / "encode" / "limiter.py", Path(__file__).resolve()], "2")


def _load(path: Path, length: int) -> np.ndarray | None:
    """The kept gain of a piece of ``length`` samples (an empty array: nothing over the ceiling), or
    None if it is missing or damaged."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            at, values = saved["at"], saved["gain"]
            if not len(at):
                return np.empty(0, np.float32)
            gain = np.ones(length, np.float32)
            gain[at] = values  # raises on an index past the piece: damaged
            return gain
    except (OSError, ValueError, KeyError, EOFError, IndexError):
        return None


def _store(path: Path, gain: np.ndarray) -> None:
    # Kept sparse: a few percent of a piece's samples are limited, the rest have a gain of exactly 1.
    at = np.flatnonzero(gain != 1).astype(np.int32)
    buffer = io.BytesIO()
    np.savez(buffer, at=at, gain=gain[at])
    keep_if_possible(path, buffer.getvalue())


def _piece_gain(samples: np.ndarray, span: Span, rate: int, ceiling: float, store: Path | None) -> np.ndarray:
    """The limiter's gain over ``span``'s own samples (empty: none limited), from its window."""
    from ..encode.limiter import limit_gain, limiter_reach

    reach = limiter_reach(rate)
    a, b = max(0, span.start - reach), min(len(samples), span.stop + reach)
    window = samples[a:b]
    lo, hi = span.start - a, span.stop - a
    key = samples_key(window, code=_code_digest(), rate=rate, ceiling=ceiling.hex(), piece=[lo, hi])
    path = store / f"{key}.npz" if store is not None else None
    gain = _load(path, hi - lo) if path is not None else None
    if gain is not None:
        return gain
    whole = limit_gain(window, rate, ceiling)
    gain = np.empty(0, np.float32) if whole is None or (whole[lo:hi] == 1).all() else whole[lo:hi].copy()
    if path is not None:
        _store(path, gain)
    return gain


def limited(samples: np.ndarray, spans: Sequence[Span], rate: int, ceiling: float, store: Path | None
            ) -> np.ndarray:
    """``[n, channels]`` samples limited under ``ceiling`` piece by piece (``spans`` tile the mix; see
    the module's docstring), each piece's gain taken from ``store`` when its window was limited before;
    ``samples`` itself when nothing is over the ceiling."""
    starts = [span.start for span in spans]
    if starts[:1] != [0] or starts[1:] != [span.stop for span in spans[:-1]] or spans[-1].stop != len(samples):
        raise ValueError("the pieces must tile the mix, from its first sample to its last")
    out = None
    for span in spans:
        gain = _piece_gain(samples, span, rate, ceiling, store)
        if len(gain):
            if out is None:
                out = samples.copy()
            out[span.start:span.stop] *= gain[:, None]
    return samples if out is None else out
