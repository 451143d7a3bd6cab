"""The loudness figures of a final mix's pieces, kept on disk so a warm render need not measure them again.

A final mix is levelled from each piece's K-weighted sub-block energies
(:func:`~..encode.aac_pieces.span_energies`), measured on the piece's own slice of the
samples. After an edit most slices are the same samples as before (a scene that only
moved), and the weighting filter is most of a mix's measuring work, so a slice's
energies are kept under a digest of its samples and where its span lies in it: the same
figures, taken from the cache instead of filtered again. A damaged or missing entry
is measured again.
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

__all__ = ["measured_energies"]


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code the figures come from (the weighting filter and the sub-blocks)."""
    root = Path(__file__).resolve().parents[1]
    return files_digest((root / name for name in ("encode/aac_pieces.py", "encode/audio.py")), "1")


def _load(path: Path) -> np.ndarray | None:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None


def _store(path: Path, energies: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, energies, allow_pickle=False)
    keep_if_possible(path, buffer.getvalue())


def measured_energies(samples: np.ndarray, spans: Sequence[Span], rate: int, store: Path | None
                      ) -> list[np.ndarray]:
    """:func:`~..encode.aac_pieces.span_energies` of ``samples``, each span's taken from ``store`` when
    its slice was measured before (by any soundtrack, at any place) and kept there when not."""
    from ..encode.aac_pieces import span_energies, span_slice

    if store is None:
        return span_energies(samples, list(spans), rate)
    out = []
    for span in spans:
        part = span_slice(samples, span)
        lo, hi = span.start - span.slice_start, span.stop - span.slice_start
        path = store / f"{samples_key(part, code=_code_digest(), rate=rate, span=[lo, hi])}.npy"
        energies = _load(path)
        if energies is None:
            energies = span_energies(samples, [span], rate)[0]
            _store(path, energies)
        out.append(energies)
    return out
