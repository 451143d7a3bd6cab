"""A script's scenes, graphics and captions as moviepy clips, to composite in your own moviepy projects.

claimreel draws and encodes its videos itself (moviepy's compositing is far too
slow for a whole explainer), but the pieces it draws are useful in an editor's
own moviepy work: a scene as it plays in the video (with its narration), a
scene's graphics alone with their transparency (the lower third of a photo, the
verdict stamp, a quote card's text), or the burned-in captions as a transparent
layer.

Every clip is made from the same layout and drawing code as the rendered video,
frame by frame on demand (nothing is encoded or held in memory), at the
format's frame rate. Transparent clips carry a moviepy mask and are cut to what
they draw, placed (``clip.pos``) where it sits in the format's frame: laid over a
background of the format's size (``Story.size``) they land where the video has
them, and moviepy composites a small clip much faster than a full frame.
:func:`story` speaks the narration (through the speech cache a render uses) to
time the scenes; pass its result to the clip functions to reuse that work.
moviepy is imported only when a clip is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, Union

import numpy as np

from .errors import ClaimreelError

if TYPE_CHECKING:
    from moviepy import AudioClip, VideoClip
    from PIL import Image

    from .compose.frames import SceneFrames
    from .layout.elements import Layer
    from .pipeline.prepared import Prepared
    from .timeline.model import Scene

__all__ = ["Story", "captions_clip", "narration_clip", "overlay_clip", "scene_clip", "story"]

#: A scene of the video: its position (0 for the title card), or ``"title"``, ``"claim"``,
#: ``"verdict"``, ``"credits"``, a body block's ``id`` or its number as text (``"1"`` for the first).
SceneChoice = Union[int, str]


class Story:
    """A script prepared for one format: narration timed, every scene laid out; nothing encoded."""

    def __init__(self, prepared: Prepared, *, preview: bool = False) -> None:
        self.prepared = prepared
        self.preview = preview
        self.fmt = prepared.formats[0]
        self.timeline = prepared.timelines[self.fmt.name]
        self.layouts = prepared.layouts[self.fmt.name]
        self.fps = float(self.timeline.fps)
        self.size = (self.fmt.width, self.fmt.height)

    @property
    def scenes(self) -> tuple[Scene, ...]:
        """The video's scenes in playing order (``kind``, ``title``, ``start_frame``, ``frames``)."""
        return self.timeline.scenes

    def scene(self, choice: SceneChoice) -> Scene:
        """The scene ``choice`` names (see :data:`SceneChoice`); exit 2 naming the choices if none."""
        from .script.checks import Failure
        from .script.cuts import resolve
        from .timeline.build import scene_positions

        scenes = self.timeline.scenes
        if isinstance(choice, int) and not isinstance(choice, bool):
            if 0 <= choice < len(scenes):
                return scenes[choice]
            raise ClaimreelError(f"{self.prepared.loaded.path}: scene {choice}: the video has scenes 0-"
                                 f"{len(scenes) - 1}; give a position in that range or a scene name")
        ref = resolve(str(choice), [block.id for block in self.prepared.script.body])
        if isinstance(ref, Failure):
            raise ClaimreelError(f"{self.prepared.loaded.path}: scene {choice!r}: {ref.message}; {ref.hint}")
        (position,) = scene_positions(self.prepared.specs, [ref])
        return scenes[position]

    def frames(self, scene: Scene) -> SceneFrames:
        """The scene's frame source, as the render's segment worker makes it."""
        from .compose.frames import Motion, SceneFrames
        from .pipeline.segment_plan import scene_cues

        p = self.prepared
        return SceneFrames(
            self.layouts[scene.index], self.fmt, p.theme, p.book, scene.frames,
            scene_cues(self.timeline, scene),
            motion=Motion(zoom_step=2) if self.preview else Motion(),
            fade_out_all=scene.index == len(self.timeline.scenes) - 1,
        )


def story(path: Path | str, format: str = "16x9", *, voice: str | None = None,
          cache: Path | str = Path("render/cache"), preview: bool = False) -> Story:
    """Load, check and time the script at ``path`` for one format (``preview``: at half size).

    Bad input fails as it would for ``claimreel render`` (a
    :class:`~claimreel.errors.ClaimreelError` with exit code 2).
    """
    from .pipeline.options import render_options
    from .pipeline.prepare import prepare

    options = render_options(path, formats=(format,), cuts="none", preview=preview, voice=voice, cache=cache)
    return Story(prepare(Path(path), options), preview=preview)


def _as_story(source: Story | Path | str, format: str | None) -> Story:
    """``source`` as a Story: a script path is loaded in ``format`` (default 16x9); a Story is
    used as it is, and must be of ``format`` when one is given."""
    if not isinstance(source, Story):
        return story(source, format or "16x9")
    if format is not None and format != source.fmt.name:
        raise ClaimreelError(f"{source.prepared.loaded.path}: this story is laid out for {source.fmt.name}, "
                             f"not {format}; make one with clips.story(path, {format!r})")
    return source


def _index(t: float, fps: float, frames: int) -> int:
    """The frame shown at ``t`` seconds (a small margin absorbs float error at frame starts)."""
    return min(max(int(t * fps + 1e-6), 0), frames - 1)


def _held(make: Callable[[int], np.ndarray], fps: float, frames: int) -> Callable[[float], np.ndarray]:
    """A frame function over ``make(i)`` (frame ``i``) that keeps the last frame made: moviepy asks
    for the mask right after the picture, and for the frames in order."""
    last: list[object] = [None, None]  # index, array

    def at(t: float) -> np.ndarray:
        i = _index(t, fps, frames)
        if last[0] != i:
            last[:] = [i, make(i)]
        return last[1]  # type: ignore[return-value]

    return at


def _with_alpha(rgba_at: Callable[[float], np.ndarray], duration: float, fps: float,
                region: tuple[int, int, int, int]) -> VideoClip:
    """An RGB clip and its mask, both cut to ``region`` (left, top, right, bottom) of one RGBA frame
    function, placed where the region sits in the frame."""
    from moviepy import VideoClip

    x0, y0, x1, y1 = region

    def part(t: float) -> np.ndarray:
        return rgba_at(t)[y0:y1, x0:x1]

    picture = VideoClip(frame_function=lambda t: part(t)[:, :, :3], duration=duration)
    mask = VideoClip(frame_function=lambda t: part(t)[:, :, 3].astype(np.float32) / 255.0, is_mask=True,
                     duration=duration)
    return picture.with_mask(mask).with_fps(fps).with_position((x0, y0))


def _region(boxes: Iterable[tuple[int, int, int, int] | None], size: tuple[int, int], *, grow: int = 0
            ) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom) holding ``boxes`` (Pillow bounding boxes) and ``grow``
    pixels more below, inside the frame and of even size (H.264 in yuv420p takes no odd sizes,
    should someone write the clip alone); the whole frame when there is nothing."""
    found = [b for b in boxes if b is not None]
    if not found:
        return (0, 0, *size)
    x0, x1 = _even(min(b[0] for b in found), max(b[2] for b in found), size[0])
    y0, y1 = _even(min(b[1] for b in found), min(max(b[3] for b in found) + grow, size[1]), size[1])
    return x0, y0, x1, y1


def _even(low: int, high: int, limit: int) -> tuple[int, int]:
    """``low..high`` widened by a pixel if its length is odd, staying inside ``0..limit`` (even)."""
    if (high - low) % 2:
        return (low, high + 1) if high < limit else (low - 1, high)
    return low, high


def scene_clip(source: Story | Path | str, scene: SceneChoice, format: str | None = None, *,
               captions: bool = True, sound: bool = True) -> VideoClip:
    """One scene as it plays in the rendered video (opaque, with its burned-in captions unless
    ``captions=False``), ``scene.frames`` long at the format's frame rate, with the scene's
    narration as its sound (see :func:`narration_clip`) unless ``sound=False``."""
    from moviepy import VideoClip

    s = _as_story(source, format)
    chosen = s.scene(scene)
    frames = s.frames(chosen)
    cache: dict[object, np.ndarray] = {}

    def make(i: int) -> np.ndarray:
        key = frames.state_key(i)
        if key is None:
            return frames.rgb(i, captions=captions)
        if key not in cache:  # a still state (a card holding with one caption) is drawn once
            cache.clear()
            cache[key] = frames.rgb(i, captions=captions)
        return cache[key]

    at = _held(make, s.fps, chosen.frames)
    clip = VideoClip(frame_function=at, duration=chosen.frames / s.fps).with_fps(s.fps)
    return clip.with_audio(narration_clip(s, scene=chosen.index)) if sound else clip


def narration_clip(source: Story | Path | str, format: str | None = None, *,
                   scene: SceneChoice | None = None) -> AudioClip:
    """The narration of the whole video, or of one ``scene``, as a stereo moviepy audio clip as
    long as the video (or scene): each block where the video speaks it, at the speech engine's
    level. The rendered soundtrack adds the music bed and is levelled to the loudness profile."""
    from moviepy import AudioArrayClip

    from .encode.audio import place
    from .timeline.model import frame_to_ms

    s = _as_story(source, format)
    span = s.timeline.scenes if scene is None else (s.scene(scene),)
    start = frame_to_ms(span[0].start_frame, s.timeline.fps)
    end = frame_to_ms(span[-1].end_frame, s.timeline.fps)
    spoken = [(s.prepared.speeches[p.scene_index][0], p.start_ms) for p in s.timeline.audio
              if p.start_ms < end and p.start_ms + p.duration_ms > start]
    rates = {speech.sample_rate for speech, _ in spoken}
    rate = rates.pop() if len(rates) == 1 else 48000  # one engine's own rate needs no resampling
    track = place([(speech.samples, speech.sample_rate, at - start) for speech, at in spoken], end - start, rate)
    # exactly as long as the frames (milliseconds round a scene's length by up to half of one)
    samples = round((span[-1].end_frame - span[0].start_frame) * rate / s.timeline.fps)
    if len(track) < samples:
        track = np.concatenate([track, np.zeros((samples - len(track), *track.shape[1:]), track.dtype)])
    return AudioArrayClip(track[:samples], fps=rate)


def overlay_clip(source: Story | Path | str, scene: SceneChoice, format: str | None = None, *,
                 layers: Sequence[Layer] = ("main", "hero")) -> VideoClip:
    """A scene's graphics without its background or photo, transparent around them (a masked clip).

    ``layers``: ``"main"`` (a photo's lower third, a card's text and shapes),
    ``"hero"`` (the verdict stamp), ``"chrome"`` (the outlet's corner mark). The
    layers move as in the video: the main layer rises and fades in, the verdict
    stamp scales in, everything fades out at the scene's end.
    """
    from PIL import Image

    from .compose.frames import scaled_drawing
    from .compose.layers import draw_elements

    s = _as_story(source, format)
    chosen = s.scene(scene)
    frames = s.frames(chosen)
    layout = s.layouts[chosen.index]
    drawn = {name: draw_elements([e for e in layout.elements if e.layer == name], s.size, s.prepared.book)
             for name in dict.fromkeys(layers)}
    drawn = {name: image for name, image in drawn.items() if image.getbbox() is not None}
    rise = frames.layer_state("main", 0).dy if "main" in drawn else 0  # the main layer rises into place
    region = _region((image.getbbox() for image in drawn.values()), s.size, grow=rise)

    def make(i: int) -> np.ndarray:
        canvas = Image.new("RGBA", s.size, (0, 0, 0, 0))
        for name, image in drawn.items():
            state = frames.layer_state(name, i)
            if state.opacity <= 0:
                continue
            place = (0, state.dy)
            if state.scale < 0.999:
                image, place = scaled_drawing(image, state.scale)
            _paste(canvas, _faded(image, state.opacity), place)
        return np.asarray(canvas)

    return _with_alpha(_held(make, s.fps, chosen.frames), chosen.frames / s.fps, s.fps, region)


def _faded(image: Image.Image, opacity: float) -> Image.Image:
    if opacity >= 0.999:
        return image
    faded = image.copy()
    faded.putalpha(image.getchannel("A").point(lambda a: round(a * opacity)))
    return faded


def _paste(canvas: Image.Image, image: Image.Image, place: tuple[int, int]) -> None:
    """``image`` composited at ``place``; what falls outside the canvas is cut off."""
    x, y = place
    canvas.alpha_composite(image, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))


def captions_clip(source: Story | Path | str, format: str | None = None, *,
                  scene: SceneChoice | None = None) -> VideoClip:
    """The burned-in captions alone, transparent elsewhere (a masked clip): over the whole video,
    or over one ``scene``. Each cue sits where the video shows it (above on-screen text)."""
    from .compose.layers import draw_elements

    s = _as_story(source, format)
    scenes = s.timeline.scenes if scene is None else (s.scene(scene),)
    first, total = scenes[0].start_frame, sum(sc.frames for sc in scenes)
    by_scene = {sc.index: s.frames(sc) for sc in scenes}
    book = s.prepared.book
    region = _region((draw_elements(f.caption_layout((k, None)), s.size, book).getbbox()
                      for f in by_scene.values() for k in range(len(f.cues))), s.size)
    blank = np.zeros((s.size[1], s.size[0], 4), np.uint8)
    drawn: dict[object, np.ndarray] = {}

    def make(i: int) -> np.ndarray:
        frame = first + i
        sc = next(x for x in scenes if x.start_frame <= frame < x.end_frame)
        frames = by_scene[sc.index]
        state = frames.caption_state(frame - sc.start_frame)
        if state is None:
            return blank
        key = (sc.index, state)
        if key not in drawn:  # one caption state at a time: the cue shown over several frames
            drawn.clear()
            drawn[key] = np.asarray(draw_elements(frames.caption_layout(state), s.size, book))
        return drawn[key]

    return _with_alpha(_held(make, s.fps, total), total / s.fps, s.fps, region)
