"""Frames of one scene, produced as yuv420p bytes for the encoder.

Static layers are drawn once per scene; a frame is recomputed only while
something moves (the entrance and exit fades, the verdict's scale-in, the slow
zoom of a photo). Frames whose state repeats (a card holding with the same
caption) are converted once and the same bytes object is handed out again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Sequence

import cv2
import numpy as np

from ..layout.captions import caption_bottom, caption_elements
from ..layout.elements import Photo, SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme, hex_to_rgb
from .layers import Layer, blend, draw_elements, draw_layer, load_photo

__all__ = ["CueSpan", "Motion", "SceneFrames", "ease"]


@dataclass(frozen=True)
class CueSpan:
    """A caption shown on frames ``start <= f < end`` of the scene."""

    start: int
    end: int
    lines: tuple[str, ...]
    speaker: str | None = None
    words: tuple[tuple[int, int], ...] = ()  # frames each token is spoken, ``start <= f < end``

    def word_at(self, i: int) -> int | None:
        """The token being spoken on frame ``i`` (the last one started, held through pauses)."""
        current = None
        for k, (start, _end) in enumerate(self.words):
            if start <= i:
                current = k
            else:
                break
        return current


@dataclass(frozen=True)
class Motion:
    """Frame counts of the scene's transitions (one easing for all of them)."""

    enter: int = 14
    exit: int = 8
    hero_delay: int = 6
    hero: int = 9  # 300 ms at 30 fps: the verdict scales in, never flashes
    photo_fade: int = 12
    slide: int = 24  # pixels at 1080p the main layer rises while it fades in


def ease(t: float) -> float:
    """Ease-out cubic on [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return 1 - (1 - t) ** 3


def to_i420(frame: np.ndarray) -> bytes:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420).tobytes()


class _KenBurns:
    """Slow zoom from the frame's centre toward the focus point, sub-pixel smooth."""

    def __init__(self, photo: Photo, width: int, height: int, *, darken: bool = False) -> None:
        self.w, self.h = width, height
        self.z0, self.z1 = photo.zoom_from, photo.zoom_to
        big = (math.ceil(width * self.z1), math.ceil(height * self.z1))
        self.src = load_photo(photo.path, big, photo.focus)
        if darken:  # a wash so on-screen text over the photo keeps its contrast
            ramp = np.linspace(0.62, 0.32, self.src.shape[0], dtype=np.float32)[:, None, None]
            self.src = (self.src.astype(np.float32) * ramp).astype(np.uint8)
        sh, sw = self.src.shape[:2]
        self.start = (sw / 2, sh / 2)
        self.end = (photo.focus[0] * sw, photo.focus[1] * sh)

    def frame(self, t: float) -> np.ndarray:
        z = self.z0 + (self.z1 - self.z0) * t
        s = z / self.z1
        sh, sw = self.src.shape[:2]
        ww, wh = self.w / s, self.h / s
        cx = self.start[0] + (self.end[0] - self.start[0]) * t
        cy = self.start[1] + (self.end[1] - self.start[1]) * t
        cx = min(max(cx, ww / 2), sw - ww / 2)
        cy = min(max(cy, wh / 2), sh - wh / 2)
        m = np.array([[s, 0, -s * (cx - ww / 2)], [0, s, -s * (cy - wh / 2)]], dtype=np.float64)
        return cv2.warpAffine(self.src, m, (self.w, self.h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


class SceneFrames:
    """Produces the ``frames`` frames of one laid-out scene."""

    def __init__(
        self,
        layout: SceneLayout,
        fmt: Format,
        theme: Theme,
        book: FontBook,
        frames: int,
        cues: Sequence[CueSpan] = (),
        *,
        motion: Motion = Motion(),
        fade_out_all: bool = False,
    ) -> None:
        self.layout, self.fmt, self.n = layout, fmt, frames
        self.motion = motion
        self.fade_out_all = fade_out_all
        size = (fmt.width, fmt.height)
        self.bg = np.empty((fmt.height, fmt.width, 3), np.uint8)
        self.bg[:] = hex_to_rgb(layout.background)
        self.burns = (
            _KenBurns(layout.photo, fmt.width, fmt.height, darken=layout.scrim) if layout.photo else None
        )
        by_layer = {name: [e for e in layout.elements if e.layer == name] for name in ("chrome", "main", "hero")}
        self.chrome = draw_layer(by_layer["chrome"], size, book)
        self.main = draw_layer(by_layer["main"], size, book)
        self.hero_img = draw_elements(by_layer["hero"], size, book) if by_layer["hero"] else None
        self.hero = Layer.from_image(self.hero_img) if self.hero_img else None
        self.theme, self.book = theme, book
        self.cues = tuple(cues)
        self.highlight = theme.caption_style == "highlight"
        self.cue_bottoms = [
            caption_bottom(layout, fmt, caption_elements(c.lines, fmt, theme, book, speaker=c.speaker))
            for c in self.cues
        ]
        # One layer per caption state (cue, highlighted word), drawn when first shown.
        self._cue_layers: dict[tuple[int, int | None], Layer] = {}
        self._cache: dict[object, bytes] = {}

    # -- timing -------------------------------------------------------------------
    def _cue_at(self, i: int) -> int | None:
        for k, cue in enumerate(self.cues):
            if cue.start <= i < cue.end:
                return k
        return None

    def caption_state(self, i: int) -> tuple[int, int | None] | None:
        """(cue, highlighted word) shown on frame ``i``, or None without a caption."""
        k = self._cue_at(i)
        if k is None:
            return None
        return (k, self.cues[k].word_at(i) if self.highlight else None)

    def caption_layout(self, state: tuple[int, int | None]) -> tuple:
        """The caption elements drawn for a caption state (what tests compare with the files)."""
        k, word = state
        cue = self.cues[k]
        return caption_elements(cue.lines, self.fmt, self.theme, self.book, bottom=self.cue_bottoms[k],
                                speaker=cue.speaker, highlight=word)

    def _cue_layer(self, state: tuple[int, int | None]) -> Layer:
        layer = self._cue_layers.get(state)
        if layer is None:
            size = (self.fmt.width, self.fmt.height)
            layer = self._cue_layers[state] = draw_layer(self.caption_layout(state), size, self.book)
        return layer

    def _exit(self, i: int) -> float:
        return ease((self.n - 1 - i) / self.motion.exit) if self.motion.exit else 1.0

    def is_static(self, i: int) -> bool:
        m = self.motion
        if self.burns is not None:
            return False
        hero_end = m.hero_delay + m.hero if self.hero is not None else 0
        return max(m.enter, hero_end) <= i < self.n - m.exit

    # -- frames -------------------------------------------------------------------
    def frame(self, i: int) -> np.ndarray:
        """The RGB frame ``i`` of the scene (0-based)."""
        m, unit = self.motion, self.fmt.unit
        out_fade = self._exit(i)
        if self.burns is not None:
            photo = self.burns.frame(i / max(self.n - 1, 1))
            fade = ease(i / m.photo_fade) if m.photo_fade else 1.0
            if self.fade_out_all:
                fade = min(fade, out_fade)
            frame = photo if fade >= 1 else cv2.addWeighted(photo, fade, self.bg, 1 - fade, 0)
        else:
            frame = self.bg.copy()
        blend(frame, self.chrome, out_fade if self.fade_out_all else 1.0)
        enter = ease(i / m.enter) if m.enter else 1.0
        blend(frame, self.main, enter * out_fade, round((1 - enter) * m.slide * unit))
        if self.hero is not None and self.hero_img is not None:
            t = ease((i - m.hero_delay) / m.hero) if m.hero else 1.0
            if t > 0:
                blend(frame, self._scaled_hero(0.92 + 0.08 * t), t * out_fade)
        state = self.caption_state(i)
        if state is not None:
            blend(frame, self._cue_layer(state))
        return frame

    def _scaled_hero(self, scale: float) -> Layer:
        assert self.hero is not None and self.hero_img is not None
        if scale >= 0.999:
            return self.hero
        box = self.hero_img.getbbox()
        assert box is not None
        crop = self.hero_img.crop(box)
        w, h = max(1, round(crop.width * scale)), max(1, round(crop.height * scale))
        small = crop.resize((w, h))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return Layer.from_image(small, (round(cx - w / 2), round(cy - h / 2)))

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.n):
            if self.is_static(i):
                key = self.caption_state(i)
                cached = self._cache.get(key)
                if cached is None:
                    cached = self._cache[key] = to_i420(self.frame(i))
                yield cached
            else:
                yield to_i420(self.frame(i))

