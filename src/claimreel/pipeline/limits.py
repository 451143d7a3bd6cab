"""Caps on what one render may cost: video length, image pixels, amount of text, footage.

Defaults suit any real fact-check (minutes of video, photos of a few dozen
megapixels, a few thousand words) and stop runaway input before it costs hours
of encoding. Each cap can be lowered or raised with a ``claimreel render`` flag
or an environment variable (``CLAIMREEL_MAX_DURATION`` in seconds,
``CLAIMREEL_MAX_PIXELS``, ``CLAIMREEL_MAX_TEXT`` in characters; for clips
``CLAIMREEL_MAX_CLIP_PIXELS`` per frame, ``CLAIMREEL_MAX_CLIP_FPS`` and
``CLAIMREEL_MAX_CLIP_DURATION`` in seconds of the file). Every check
runs before any encoding and fails with :class:`LimitExceeded` (exit 2).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Iterable, Mapping

from PIL import Image

from ..errors import ClaimreelError
from ..script.checks import MAX_PIXELS
from ..script.load import LoadedScript
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline

__all__ = ["ENV", "LimitExceeded", "Limits", "check_duration", "check_pixels", "check_text_length",
           "long_word_problem"]

ENV = {"max_duration": "CLAIMREEL_MAX_DURATION", "max_pixels": "CLAIMREEL_MAX_PIXELS",
       "max_text": "CLAIMREEL_MAX_TEXT", "max_clip_pixels": "CLAIMREEL_MAX_CLIP_PIXELS",
       "max_clip_fps": "CLAIMREEL_MAX_CLIP_FPS", "max_clip_duration": "CLAIMREEL_MAX_CLIP_DURATION"}
_FLOATS = ("max_duration", "max_clip_fps", "max_clip_duration")


class LimitExceeded(ClaimreelError):
    """The script asks for more than a configured cap allows."""

    options = tuple(ENV)  # the caps its messages name, as the API and the fields below name them


@dataclass(frozen=True)
class Limits:
    max_duration: float = 1800.0  # seconds of video
    max_pixels: int = MAX_PIXELS
    max_text: int = 60_000  # characters
    # Footage: up to 4K DCI frames, 120 fps, and files of ten minutes (a clip plays a few seconds of
    # one; a longer file is usually the wrong one, and its decode costs seek time).
    max_clip_pixels: int = 4096 * 2160
    max_clip_fps: float = 120.0
    max_clip_duration: float = 3600.0  # seconds of a footage file

    def __post_init__(self) -> None:
        for name in ENV:
            if not getattr(self, name) > 0:
                raise LimitExceeded(f"{name}: must be a positive number, got {getattr(self, name)}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: float | int | None) -> "Limits":
        """Defaults, then the environment, then ``overrides`` that are not None."""
        values: dict[str, float | int] = {}
        for name, var in ENV.items():
            text = environ.get(var, "").strip()
            if text:
                try:
                    values[name] = float(text) if name in _FLOATS else int(text)
                except ValueError:
                    raise LimitExceeded(f"{var}={text!r}: not a number; unset it or give a positive number") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def check_text_length(loaded: LoadedScript, texts: Mapping[str, str], limits: Limits) -> None:
    total = sum(len(t) for t in texts.values())
    if total > limits.max_text:
        raise LimitExceeded(
            f"{loaded.path}: the script holds {total} characters of text, more than the cap of "
            f"{limits.max_text}; split it into several videos or raise the cap "
            f"(max_text or {ENV['max_text']})"
        )


def check_pixels(loaded: LoadedScript, limits: Limits) -> None:
    """Every image asset at most ``limits.max_pixels`` (read from the header only)."""
    for written, path in sorted(loaded.assets.items()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                with Image.open(path) as image:
                    width, height = image.size
            except (OSError, Image.DecompressionBombError):
                continue  # already refused by the loader
        if width * height > limits.max_pixels:
            raise LimitExceeded(
                f"{loaded.path}: {written}: image is {width}x{height} ({width * height} pixels), more than "
                f"the cap of {limits.max_pixels}; downscale it or raise the cap "
                f"(max_pixels or {ENV['max_pixels']})"
            )


def check_duration(loaded: LoadedScript, timeline: Timeline, limits: Limits) -> None:
    seconds = timeline.total_frames / float(timeline.fps)
    if seconds > limits.max_duration:
        raise LimitExceeded(
            f"{loaded.path}: the video would run {seconds:.1f} s, more than the cap of "
            f"{limits.max_duration:g} s; shorten the narration or raise the cap "
            f"(max_duration or {ENV['max_duration']})"
        )


def long_word_problem(specs: Iterable[SceneSpec], max_chars: int) -> str | None:
    """A narration word that cannot fit on one caption line, named with its scene, or None."""
    for spec in specs:
        for word in (spec.narration or "").split():
            if len(word) > max_chars:
                where = spec.kind if spec.block is None else f"body.{spec.block}.narration"
                shown = word if len(word) <= 30 else word[:27] + "..."
                return (f"{where}: the word '{shown}' ({len(word)} characters) is longer than a caption line "
                        f"({max_chars} characters); break it up with spaces or shorten it")
    return None
