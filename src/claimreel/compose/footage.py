"""A clip scene's footage as yuv420p frames, read in order from one ffmpeg decode.

Frames are asked for in order while a segment encodes, so one decoder runs from
the clip's first frame to its last. Asking for an earlier frame (a still, a
test) starts a decoder at that frame; past the clip's end the last frame holds.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterator

import numpy as np

from ..encode.clip import END_SLACK, ClipRequest, clip_frame_count, read_frames
from ..encode.ffmpeg import Ffmpeg
from ..encode.probe import MediaInfo, probe
from ..layout.elements import Clip
from .yuv import Planes

__all__ = ["Footage"]


class Footage:
    def __init__(self, clip: Clip, width: int, height: int, fps: Fraction, ffmpeg: Ffmpeg,
                 info: MediaInfo | None = None) -> None:
        self.clip, self.w, self.h, self.fps, self.ffmpeg = clip, width, height, fps, ffmpeg
        self.info = info or probe(ffmpeg, clip.path)
        self.frames = clip_frame_count(clip.start, clip.end, fps)
        self._reader: Iterator[bytearray] | None = None
        self._next = 0  # the frame the reader gives next
        self._last: tuple[int, bytearray] | None = None
        self._given = -1  # the last frame handed out to draw on

    def _start(self, i: int) -> None:
        self.close()
        req = ClipRequest(self.clip.path, self.clip.start, self.frames - i, self.w, self.h, self.fps,
                          self.clip.focus, first=i)
        self._reader, self._next = read_frames(self.ffmpeg, req, self.info), i

    def frame_bytes(self, i: int) -> bytearray:
        """Frame ``i`` of the scene (the clip's last frame from its end on), as decoded."""
        i = min(max(i, 0), self.frames - 1)
        if self._last is not None and self._last[0] == i:
            return self._last[1]
        if self._reader is None or i < self._next:
            self._start(i)
        assert self._reader is not None
        while self._next <= i:
            self._last = (self._next, next(self._reader))
            self._next += 1
        assert self._last is not None
        if self._next >= self.frames:
            self.close()
        return self._last[1]

    def planes(self, i: int) -> Planes:
        """Frame ``i`` to draw on: the decoded buffer itself the first time it is asked for (no copy),
        a copy when it may be asked for again (held past the clip's end, asked twice)."""
        data = self.frame_bytes(i)
        i = min(max(i, 0), self.frames - 1)
        keep = i == self._given or i >= self.frames - 1 - END_SLACK
        self._given = i
        return Planes(self.w, self.h, np.frombuffer(bytearray(data) if keep else data, np.uint8))

    def close(self) -> None:
        """Stop the decoder (the generator's exit kills and reaps its ffmpeg)."""
        if self._reader is not None:
            self._reader.close()  # type: ignore[attr-defined]
            self._reader = None
