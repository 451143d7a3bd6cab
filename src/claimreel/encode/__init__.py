"""Encode stage: yuv420p frames -> H.264 segments -> one MP4 with the AAC narration.

``ffmpeg`` is the one wrapper around the binary; ``segments`` encodes, joins
and muxes; ``audio`` places, measures and writes the narration, ``levelling`` normalises it; ``probe``
reads back what a file holds. The ``audio`` names load on first use
(scipy.signal, behind them, takes over a second to import), so a worker that
only encodes never pays for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .ffmpeg import Ffmpeg, FfmpegPipe, media_path
from .probe import MediaInfo, count_frames, decode_frames, probe
from .segments import VideoSettings, concat_segments, encode_segment, mux

if TYPE_CHECKING:
    from .audio import LoudnessReport, place, true_peak_dbtp, write_wav
    from .levelling import normalize

_AUDIO = ("LoudnessReport", "normalize", "place", "true_peak_dbtp", "write_wav")

__all__ = [
    "Ffmpeg",
    "FfmpegPipe",
    "LoudnessReport",
    "MediaInfo",
    "VideoSettings",
    "concat_segments",
    "count_frames",
    "decode_frames",
    "encode_segment",
    "media_path",
    "mux",
    "normalize",
    "place",
    "probe",
    "true_peak_dbtp",
    "write_wav",
]


def __getattr__(name: str) -> Any:
    if name not in _AUDIO:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".levelling" if name == "normalize" else ".audio", __name__), name)
    globals()[name] = value
    return value
