"""What a render is asked for (:class:`RenderOptions`) and what it gives back (:class:`RenderResult`).

Plain data, apart from the job, so that the modules each render stage lives in
import this one, never the job module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..publish.credentials import SigningRequest
from ..timeline.model import Timeline
from .cuts import CutResult
from .limits import Limits

__all__ = ["RenderOptions", "RenderResult"]


@dataclass(frozen=True)
class RenderOptions:
    """What one render is asked to make. Made from a user's choices by
    :func:`claimreel.pipeline.options.render_options`, which checks them and fills the defaults."""

    formats: tuple[str, ...] = ("16x9",)
    out: Path = Path("render/out")
    cache: Path = Path("render/cache")
    preview: bool = False
    described: str = "track"  # audio description: the track in every video; "extended": also video-described.mp4
    voice: str | None = None  # a speech engine for every block; default: the script's
    jobs: int = 0  # 0: one worker per core
    ffmpeg: str | None = None
    loudness: str | None = None  # loudness profile; default: the script's, else web
    cuts: tuple[str, ...] | None = None  # social cuts to render by name; None: all the script's
    media_base_url: str | None = None  # where the package is served; default: the script's publish.media_base_url
    limits: Limits = field(default_factory=Limits.from_env)
    wait_for_output: bool = False  # another render of this id is writing: wait for it (True) or fail
    # Content Credentials: the signing identity's files (None: the theme's publish.credentials, if any)
    signing: SigningRequest | None = None


@dataclass(frozen=True)
class RenderResult:
    folder: Path
    timeline: Timeline
    files: tuple[Path, ...]
    synthesized: int
    segments_encoded: int
    segments_cached: int
    cuts: tuple[CutResult, ...] = ()
    cuts_skipped: tuple[str, ...] = ()  # the script's cuts this render did not make (a preview's, by default)
    signed: tuple[Path, ...] = ()  # the files carrying Content Credentials (absolute)
    signing_seconds: float = 0.0

