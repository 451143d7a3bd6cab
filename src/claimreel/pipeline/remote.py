"""How each kind of work unit runs on a remote worker, and how its output comes back.

A unit kind has a *remote form* ``remote(scratch, *args)``, run on a worker with a
scratch folder of its own (a path it creates if it writes files there; removed when the
unit ends), which returns what the unit made as values (bytes,
samples), and a *landing* ``land(result, *args)``, run on the client, which
puts that where the local unit would have (the segment cache, the soundtrack
cache) and returns what the local unit returns. The kinds a render sends:

- ``render_segment(job)``: the scene's MP4 and still, written into the client's
  segment cache with their seal; with a shared cache (``cache_url``) the worker
  writes them there instead and the client copies them from it.
- ``say(engine, text, voice)``: one narration block's speech (samples and words).
- ``soundtrack_mix(track, ffmpeg)``: a final soundtrack's mix, normalised (tens of MB of samples,
  which come back to the client; the render then sends each of its time pieces to a worker).
- ``soundtrack_piece(job, ffmpeg)``: one time piece of that mix encoded to AAC (its frames) and
  measured; the client joins the pieces into the soundtrack.
- ``soundtrack(track, ffmpeg, cache)``: a preview's (draft) soundtrack, levelled and encoded in one
  unit: the encoded AAC and its loudness report.

How to add a kind: write its remote form and landing here and list them in
:func:`unit_forms`. :func:`open_render_pool` opens a pool with these forms, the code identity a
worker must share (:func:`code_identity`) and the workers' warm-up.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..encode.ffmpeg import Ffmpeg
from ..executor import Form, Tls, WorkPool, open_pool
from ..narration.plan import say
from .segment_cache import read_still, store_segment
from .segment_key import code_version
from .segment_plan import SegmentJob
from .segments import render_segment

__all__ = ["SegmentFiles", "code_identity", "open_render_pool", "unit_forms"]


@dataclass(frozen=True)
class SegmentFiles:
    """A segment made on a worker: its bytes, or None when they are in the shared cache."""

    video: bytes | None
    still: bytes | None


def segment_remote(cache_url: str | None, scratch: Path, job: SegmentJob) -> SegmentFiles:
    from .shared import SharedCache

    shared = SharedCache(cache_url) if cache_url else None
    name = job.out_path.name
    if shared is not None and shared.has_segment(name):
        return SegmentFiles(None, None)
    scratch.mkdir(parents=True)
    out = render_segment(dataclasses.replace(job, out_path=scratch / name, ffmpeg_binary=None))
    video, still = out.read_bytes(), read_still(out)
    if shared is None:
        return SegmentFiles(video, still)
    shared.put_segment(name, video, still)
    return SegmentFiles(None, None)


def segment_land(cache_url: str | None, result: SegmentFiles, job: SegmentJob) -> Path:
    from .shared import SharedCache

    if result.video is None:
        video, still = SharedCache(cache_url).get_segment(job.out_path.name)
    else:
        video, still = result.video, result.still
    return store_segment(job.out_path, video, still)


def say_remote(scratch: Path, engine: Any, text: str, voice: Any) -> Any:
    if getattr(engine, "_ffmpeg", None) is not None or getattr(engine, "ffmpeg", None) is not None:
        _local_ffmpeg(engine)
    return say(engine, text, voice)


def _local_ffmpeg(obj: Any) -> None:
    """Point an engine's ffmpeg at the worker's own (the client's binary path means nothing here)."""
    for name in ("ffmpeg", "_ffmpeg"):
        if isinstance(getattr(obj, name, None), Ffmpeg):
            object.__setattr__(obj, name, Ffmpeg())


def soundtrack_remote(scratch: Path, track: Any, ffmpeg: Ffmpeg, cache: Path) -> tuple[bytes, dict]:
    scratch.mkdir(parents=True)
    path = scratch / "soundtrack.m4a"
    loudness = track.render(Ffmpeg(), path)
    return path.read_bytes(), loudness


def soundtrack_land(result: tuple[bytes, dict], track: Any, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict]:
    from .soundtrack_store import store_soundtrack

    data, loudness = result
    return store_soundtrack(track, ffmpeg, cache, data, loudness)


def mix_remote(scratch: Path, track: Any, ffmpeg: Ffmpeg) -> Any:
    from .mixdown import soundtrack_mix

    return soundtrack_mix(track, Ffmpeg())


def piece_remote(scratch: Path, job: Any, ffmpeg: Ffmpeg) -> Any:
    from .piece_store import soundtrack_piece

    return soundtrack_piece(job, Ffmpeg())


def unit_forms(cache_url: str | None = None) -> dict[Callable[..., Any], Form]:
    """Every unit kind a render sends, by its local function (``cache_url``: a segment cache the
    client and the workers share)."""
    from .mixdown import soundtrack_mix
    from .piece_store import soundtrack_piece
    from .soundtrack_store import soundtrack

    return {
        render_segment: Form(functools.partial(segment_remote, cache_url), functools.partial(segment_land, cache_url)),
        say: Form(say_remote),
        soundtrack: Form(soundtrack_remote, soundtrack_land, bulky=True),
        soundtrack_mix: Form(mix_remote, bulky=True, priority=1),
        soundtrack_piece: Form(piece_remote, bulky=True, priority=1),
    }


@functools.lru_cache(maxsize=1)
def code_identity() -> tuple[str, str, str]:
    """What a unit's output depends on, as the worker and the client must agree on it: claimreel's
    version, a digest of the frame-drawing code, and ffmpeg's version."""
    try:
        version = importlib.metadata.version("claimreel")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"claimreel {version}", f"drawing code {code_version()[:12]}", Ffmpeg().version().split(" Copyright")[0]


def cluster_warm_up() -> None:
    """A cluster worker's warm-up: the audio stack a soundtrack's mix needs (on the render's critical
    path otherwise)."""
    from .mixdown import warm_up

    warm_up()


def open_render_pool(address: str | None, workers: int = 0, *, cache_url: str | None = None,
                     tls: Tls | None = None) -> WorkPool:
    """The pool a render's units run in: this machine's worker processes (``address`` None), or the
    Dask cluster at ``address`` with every unit kind of :func:`unit_forms` (see
    :func:`claimreel.executor.open_pool`)."""
    from .segments import warm_up

    if address is None:
        return open_pool(None, workers, warm_up)
    return open_pool(address, workers, cluster_warm_up, forms=unit_forms(cache_url), identity=code_identity, tls=tls)
