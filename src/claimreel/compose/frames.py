"""Frames of one scene, produced as yuv420p bytes for the encoder.

Static layers are drawn once per scene; a frame is recomputed only while
something moves (the entrance and exit fades, the verdict's scale-in, the slow
zoom of a photo, a clip's footage, a document page's move and highlighter).
Frames whose state repeats (a card holding with the same caption, a document
page held whole or marked) are converted once and the same bytes object is
handed out again. A clip's footage is decoded by ffmpeg in order as the frames
are asked for (:mod:`claimreel.compose.footage`), and the overlays (corner mark,
lower third, captions) are blended onto each decoded frame.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import cv2
import numpy as np
from PIL import Image

from ..layout.captions import caption_bottom, caption_elements
from ..layout.elements import Layer, Photo, SceneLayout
from ..layout.formats import Format
from ..layout.text import FontBook
from ..layout.theme import Theme, hex_to_rgb
from ..layout.cover import focus_in_fit, upright_size
from ..encode.ffmpeg import Ffmpeg
from .footage import Footage
from .layers import draw_elements, load_photo
from .page import PageMotion
from .yuv import Planes, YuvLayer, blend_planes, planes_to_rgb, rgb_to_planes, solid_planes

__all__ = ["STILL_QUALITY", "CueSpan", "LayerState", "Motion", "SceneFrames", "ease_out", "scaled_drawing"]

STILL_QUALITY = 88  # JPEG quality of scene stills (the poster is the verdict scene's still)


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
    # The photo's slow zoom advances every this many frames. A draft sets 2: each zoom step is
    # drawn once and shown twice (under a pixel of movement at half size), which halves the
    # drawing of photo scenes.
    zoom_step: int = 1

    @property
    def entrance(self) -> int:
        """Frames until every entrance is over (a card's main layer and hero; a photo's fade)."""
        return max(self.enter, self.hero_delay + self.hero, self.photo_fade)

    def settled(self) -> Motion:
        """The same motion without entrances: what a cut's first scene shows (at full strength from its
        first frame), and what any scene shows once its entrances are over."""
        return dataclasses.replace(self, enter=0, hero_delay=0, hero=0, photo_fade=0)


@dataclass(frozen=True)
class LayerState:
    """How one drawn layer of a scene is shown on one frame."""

    opacity: float
    dy: int = 0  # pixels below its place (the main layer rises while it fades in)
    scale: float = 1.0  # about the centre of what the layer draws (the verdict scales in)


def scaled_drawing(image: Image.Image, scale: float) -> tuple[Image.Image, tuple[int, int]]:
    """What ``image`` (RGBA) draws, scaled by ``scale`` about its centre, and where it goes."""
    box = image.getbbox()
    assert box is not None
    crop = image.crop(box)
    w, h = max(1, round(crop.width * scale)), max(1, round(crop.height * scale))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return crop.resize((w, h)), (round(cx - w / 2), round(cy - h / 2))


def ease_out(t: float) -> float:
    """Ease-out cubic on [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return 1 - (1 - t) ** 3


@functools.lru_cache(maxsize=4)
def _photo_planes(path: Path, size: int, mtime_ns: int, big: tuple[int, int], focus: tuple[float, float], fit: str,
                  darken: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A photo decoded, fitted to ``big``, washed (``darken``) and converted to yuv420p planes, read-only.

    Kept for the worker's next units: a photo scene is encoded in pieces, and a worker often gets
    several of one scene; decoding and resampling the photo is most of what a piece costs before
    its first frame. The file's size and modification time are in the key, so a photo replaced in
    place (a long-lived worker) is read again."""
    src = load_photo(path, big, focus, fit)
    if darken:  # a wash so on-screen text over the photo keeps its contrast
        ramp = np.linspace(0.62, 0.32, src.shape[0], dtype=np.float32)[:, None, None]
        src = (src.astype(np.float32) * ramp).astype(np.uint8)
    planes = rgb_to_planes(src)
    for plane in planes:
        plane.flags.writeable = False
    return planes


class _KenBurns:
    """Slow zoom from the frame's centre toward the focus point, sub-pixel smooth.

    The photo is converted to yuv420p once; each frame warps the three planes
    (chroma with the same motion at half scale), which costs half of warping RGB.
    """

    def __init__(self, photo: Photo, width: int, height: int, *, darken: bool = False) -> None:
        self.w, self.h = width, height
        self.z0, self.z1 = photo.zoom_from, photo.zoom_to
        big = (math.ceil(width * self.z1 / 2) * 2, math.ceil(height * self.z1 / 2) * 2)
        st = os.stat(photo.path)
        self.ysrc, self.usrc, self.vsrc = _photo_planes(photo.path, st.st_size, st.st_mtime_ns, big, photo.focus,
                                                        photo.fit, darken)
        sh, sw = self.ysrc.shape
        self.size = (sw, sh)
        self.start = (sw / 2, sh / 2)
        # Toward where the focus point is in the cropped photo (not the same fraction of the crop).
        self.end = focus_in_fit(upright_size(photo.path), (sw, sh), photo.focus, photo.fit)

    def matrix(self, t: float) -> tuple[float, float, float]:
        """Scale and offset mapping photo pixels to frame pixels at time ``t`` in [0, 1]."""
        z = self.z0 + (self.z1 - self.z0) * t
        s = z / self.z1
        sw, sh = self.size
        ww, wh = self.w / s, self.h / s
        cx = self.start[0] + (self.end[0] - self.start[0]) * t
        cy = self.start[1] + (self.end[1] - self.start[1]) * t
        cx = min(max(cx, ww / 2), sw - ww / 2)
        cy = min(max(cy, wh / 2), sh - wh / 2)
        return s, -s * (cx - ww / 2), -s * (cy - wh / 2)

    def render(self, t: float, out: Planes) -> None:
        s, tx, ty = self.matrix(t)
        flags, border = cv2.INTER_LINEAR, cv2.BORDER_REFLECT
        m = np.array([[s, 0, tx], [0, s, ty]], np.float64)
        cv2.warpAffine(self.ysrc, m, (self.w, self.h), dst=out.y, flags=flags, borderMode=border)
        # Chroma sample k sits at luma position 2k + 0.5 in both the photo and the frame.
        c = (s * 0.5 - 0.5) / 2
        mc = np.array([[s, 0, tx / 2 + c], [0, s, ty / 2 + c]], np.float64)
        size = (self.w // 2, self.h // 2)
        cv2.warpAffine(self.usrc, mc, size, dst=out.u, flags=flags, borderMode=border)
        cv2.warpAffine(self.vsrc, mc, size, dst=out.v, flags=flags, borderMode=border)


class SceneFrames:
    """Produces the ``frames`` frames of one laid-out scene as yuv420p bytes.

    :meth:`state_key` tells which frames are held still: frames with the same
    key are identical, ``None`` marks a frame that moves.
    """

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
        ffmpeg: Ffmpeg | None = None,
    ) -> None:
        self.layout, self.fmt, self.n = layout, fmt, frames
        self.motion = motion
        self.fade_out_all = fade_out_all
        size = (fmt.width, fmt.height)
        self.bg_rgb = hex_to_rgb(layout.background)
        self.bg = solid_planes(fmt.width, fmt.height, self.bg_rgb)
        self.burns = (
            _KenBurns(layout.photo, fmt.width, fmt.height, darken=layout.scrim) if layout.photo else None
        )
        self.footage = (Footage(layout.clip, fmt.width, fmt.height, fmt.fps, ffmpeg or Ffmpeg())
                        if layout.clip else None)
        self.page = (PageMotion(layout.document, fmt.width, fmt.height, self.bg_rgb, frames, enter=motion.enter)
                     if layout.document else None)
        self._still: Planes | None = None  # a clip scene's middle frame, kept as it passes (see still_jpeg)
        by_layer = {name: [e for e in layout.elements if e.layer == name] for name in ("chrome", "main", "hero")}
        self.chrome = YuvLayer.from_image(draw_elements(by_layer["chrome"], size, book))
        self.main = YuvLayer.from_image(draw_elements(by_layer["main"], size, book))
        self.hero_img = draw_elements(by_layer["hero"], size, book) if by_layer["hero"] else None
        self.hero = YuvLayer.from_image(self.hero_img) if self.hero_img else None
        self.theme, self.book = theme, book
        self.cues = tuple(cues)
        self.highlight = theme.caption_style == "highlight"
        self.cue_bottoms = [
            caption_bottom(layout, fmt, caption_elements(c.lines, fmt, theme, book, speaker=c.speaker))
            for c in self.cues
        ]
        # One layer per caption state (cue, highlighted word), drawn when first shown.
        self._cue_layers: dict[tuple[int, int | None], YuvLayer] = {}
        self._cache: dict[object, bytes] = {}
        self._held: tuple[object, bytes] | None = None  # the last zoom step drawn (frames come in order)

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

    def _cue_layer(self, state: tuple[int, int | None]) -> YuvLayer:
        layer = self._cue_layers.get(state)
        if layer is None:
            size = (self.fmt.width, self.fmt.height)
            layer = self._cue_layers[state] = YuvLayer.from_image(
                draw_elements(self.caption_layout(state), size, self.book))
        return layer

    def _exit(self, i: int) -> float:
        return ease_out((self.n - 1 - i) / self.motion.exit) if self.motion.exit else 1.0

    def _settled(self, i: int, *starts: int) -> bool:
        """True if frame ``i`` is past every entrance (and ``starts``) and before the exit."""
        m = self.motion
        hero_end = m.hero_delay + m.hero if self.hero is not None else 0
        return max(m.enter, hero_end, *starts) <= i < self.n - m.exit

    def is_static(self, i: int) -> bool:
        if self.burns is not None or self.footage is not None:
            return False
        return self._settled(i) and (self.page is None or self.page.phase(i) is not None)

    def _zoom_held(self, i: int) -> bool:
        """True if frame ``i`` of a photo scene differs from its zoom-step neighbours only by the zoom
        (no fade, entrance or exit under way), so frames of one zoom step are identical."""
        return self.burns is not None and self.motion.zoom_step > 1 and self._settled(i, self.motion.photo_fade)

    def state_key(self, i: int) -> object:
        """``None`` for a frame unlike any other; otherwise a key shared by all frames identical to it
        (a still state, or a zoom step held over several frames)."""
        if self.is_static(i):
            return ("still", self.page.phase(i) if self.page else None, self.caption_state(i))
        if self._zoom_held(i):
            return ("zoom", i // self.motion.zoom_step, self.caption_state(i))
        return None

    # -- frames -------------------------------------------------------------------
    def layer_state(self, layer: Layer, i: int) -> LayerState:
        """How layer ``layer`` is shown on frame ``i``: the outlet mark stays (fading out only at the
        video's end), the main layer rises and fades in, the hero scales in; all fade out at the exit."""
        m = self.motion
        out_fade = self._exit(i)
        if layer == "chrome":
            return LayerState(out_fade if self.fade_out_all else 1.0)
        if layer == "main":
            enter = ease_out(i / m.enter) if m.enter else 1.0
            return LayerState(enter * out_fade, round((1 - enter) * m.slide * self.fmt.unit))
        t = ease_out((i - m.hero_delay) / m.hero) if m.hero else 1.0
        return LayerState(t * out_fade if t > 0 else 0.0, 0, 0.92 + 0.08 * t)

    def planes(self, i: int, *, captions: bool = True) -> Planes:
        """Frame ``i`` of the scene (0-based) as yuv420p planes (``captions=False``: without them)."""
        m = self.motion
        out_fade = self._exit(i)
        if self.burns is not None or self.footage is not None:
            if self.footage is not None:
                frame = self.footage.planes(i)
            else:
                frame = Planes(self.fmt.width, self.fmt.height)
                step = max(m.zoom_step, 1)
                self.burns.render((i - i % step) / max(self.n - 1, 1), frame)  # type: ignore[union-attr]
            fade = ease_out(i / m.photo_fade) if m.photo_fade else 1.0
            if self.fade_out_all:
                fade = min(fade, out_fade)
            if fade < 1:
                for plane, base in zip((frame.y, frame.u, frame.v), (self.bg.y, self.bg.u, self.bg.v)):
                    cv2.convertScaleAbs(plane, plane, fade, float(base[0, 0]) * (1 - fade))
        elif self.page is not None:
            frame = Planes(self.fmt.width, self.fmt.height)
            self.page.render(i, frame)
        else:
            frame = self.bg.copy()
        chrome, main = self.layer_state("chrome", i), self.layer_state("main", i)
        blend_planes(frame, self.chrome, chrome.opacity)
        blend_planes(frame, self.main, main.opacity, main.dy)
        if self.hero is not None and self.hero_img is not None:
            hero = self.layer_state("hero", i)
            if hero.opacity > 0:
                blend_planes(frame, self._scaled_hero(hero.scale), hero.opacity)
        if self.footage is not None and i == self.n // 2 and captions:
            self._still = frame.copy()  # the still, taken as the frame passes (no second decode)
        state = self.caption_state(i) if captions else None
        if state is not None:
            blend_planes(frame, self._cue_layer(state))
        return frame

    def frame_bytes(self, i: int) -> bytes:
        """Frame ``i`` as raw yuv420p bytes (the same object for every frame of a still state)."""
        key = self.state_key(i)
        if key is None and self.footage is not None:
            return self.planes(i).buf  # type: ignore[return-value]  # a fresh buffer per frame: no copy
        if key is None:
            return self.planes(i).tobytes()
        if key[0] == "zoom":  # type: ignore[index]
            if self._held is None or self._held[0] != key:
                self._held = (key, self.planes(i).tobytes())
            return self._held[1]
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self.planes(i).tobytes()
        return cached

    def rgb(self, i: int, *, captions: bool = True) -> np.ndarray:
        """Frame ``i`` as RGB, converted back the way a player shows the yuv420p frame."""
        return planes_to_rgb(self.planes(i, captions=captions).buf, self.fmt.width, self.fmt.height)

    def still_jpeg(self, *, quality: int = STILL_QUALITY, optimize: bool = True) -> bytes:
        """The scene's still as JPEG: its middle frame (motion settled), without captions.

        Poster and storyboard are made from these; segment workers write one beside
        each segment, so a cached scene's still costs nothing on the next render.
        ``optimize=False`` skips the Huffman tables' second pass: 2.5 times faster, 2% larger.
        """
        buf = io.BytesIO()
        middle = self.n // 2
        if self._still is not None:
            rgb = planes_to_rgb(self._still.buf, self.fmt.width, self.fmt.height)
        else:
            rgb = self.rgb(middle, captions=False)
        Image.fromarray(rgb).save(
            buf, "JPEG", quality=quality, optimize=optimize)  # baseline: decodes at 1/4 scale far faster than progressive
        return buf.getvalue()

    def _scaled_hero(self, scale: float) -> YuvLayer:
        assert self.hero is not None and self.hero_img is not None
        if scale >= 0.999:
            return self.hero
        return YuvLayer.from_image(*scaled_drawing(self.hero_img, scale))

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.n):
            yield self.frame_bytes(i)

    def close(self) -> None:
        """Stop a clip's decoder, if one is running."""
        if self.footage is not None:
            self.footage.close()
