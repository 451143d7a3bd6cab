"""A render's soundtracks: each video's main and described (and extended) soundtrack mixed and
encoded, from the audio cache or made, locally or on a cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from ..encode.ffmpeg import Ffmpeg
from ..encode.profiles import load_profile
from ..executor import WorkPool
from ..timeline.model import Timeline
from .described import Description
from .describing import Sound
from .extended import Extended
from .prepared import Video
from .request import RenderOptions
from .segment_cache import sweep_partials

__all__ = ["soundtracks"]


def soundtracks(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg, pool: WorkPool,
                 describer: Callable[[Video], tuple[Description, Extended | None]]) -> dict[str, Sound]:
    """Each video's encoded soundtracks (main, described, and extended if made), by label; videos
    with the same sound share them.

    Runs in the audio thread beside the video workers (and imports the audio stack there). A remote
    pool (a cluster) makes the soundtracks missing from the cache: a final one's mix is a unit, each
    time piece of its AAC is a unit sent as soon as the mix is back, and the pieces are joined here.
    """
    from .described_mix import DescribedSoundtrack
    from .mixdown import Soundtrack, samples_digest

    tracks: list[tuple[str, Soundtrack]] = []
    descriptions: dict[str, tuple[Description, Extended | None]] = {}
    music_digests: dict[int, str] = {}  # a music bed's digest, by the bed (shared by a render's formats and cuts)
    for video in videos:
        p = video.prepared
        if p.music is not None and id(p.music) not in music_digests:
            music_digests[id(p.music)] = samples_digest(p.music)

        def track_of(timeline: Timeline) -> Soundtrack:
            return Soundtrack(timeline, p.speeches, p.script.music, p.music, p.profile or load_profile(None),
                              draft=options.preview, music_digest=music_digests.get(id(p.music)),
                              clip_files=p.loaded.assets, measures=options.cache / "audio" / "measures")

        track = track_of(video.timeline)
        description, extended = descriptions[video.label] = describer(video)
        tracks += [(video.label, track), (f"{video.label} described", DescribedSoundtrack(track, description.said))]
        if extended is not None:
            tracks.append((f"{video.label} extended", DescribedSoundtrack(track_of(extended.timeline), extended.said)))
    made = _made(tracks, options, ffmpeg, pool)
    out = {}
    for video in videos:
        description, extended = descriptions[video.label]
        out[video.label] = Sound(made[video.label], made[f"{video.label} described"], description,
                                 (extended, made[f"{video.label} extended"]) if extended is not None else None)
    return out


def _made(tracks: Sequence[tuple[str, Any]], options: RenderOptions, ffmpeg: Ffmpeg, pool: WorkPool
          ) -> dict[str, tuple[Path, dict]]:
    """Each soundtrack encoded (from the cache, or made), by label; equal ones are made once."""
    from .mixdown import Soundtrack, soundtrack_mix
    from .soundtrack_store import cached_soundtrack, soundtrack

    cache = options.cache / "audio"
    cache.mkdir(parents=True, exist_ok=True)
    sweep_partials(cache)  # what a killed render was writing
    made: dict[str, Any] = {}  # by key: (path, report), or a remote unit making them
    mixing: dict[Any, tuple[str, Soundtrack]] = {}  # a final soundtrack's mix unit: its key and track
    out: dict[str, str] = {}
    for label, track in tracks:
        key = track.key(ffmpeg.version())
        if key not in made:
            if not getattr(pool, "remote", False):
                made[key] = soundtrack(track, ffmpeg, cache)
            elif (found := cached_soundtrack(track, ffmpeg, cache)) is not None:
                made[key] = found
            elif track.draft:
                made[key] = pool.submit(soundtrack, track, ffmpeg, cache)
            else:
                mix = pool.submit(soundtrack_mix, track, ffmpeg)
                mixing[mix] = (key, track)
                made[key] = mix
        out[label] = key
    if mixing:
        made.update(_pieces_joined(mixing, ffmpeg, cache, pool))
    made = {key: value if isinstance(value, tuple) else value.result() for key, value in made.items()}
    return {label: made[key] for label, key in out.items()}


def _pieces_joined(mixing: dict[Any, tuple[str, Any]], ffmpeg: Ffmpeg, cache: Path, pool: WorkPool
                   ) -> dict[str, tuple[Path, dict]]:
    """(on a cluster) Each mix's pieces sent as it comes back; then each soundtrack joined from its pieces."""
    from .piece_store import cached_piece, soundtrack_piece, store_piece
    from .soundtrack_store import finish_soundtrack

    encoding: list[tuple[str, Any, Any, list[Any]]] = []
    for future in pool.as_completed(list(mixing)):
        key, track = mixing[future]
        mix = future.result()
        # A piece encoded before (this slice, anywhere in any soundtrack) is taken from the cache here.
        jobs = [(job, cached_piece(job, ffmpeg, cache)) for job in track.pieces(mix)]
        encoding.append((key, track, mix, [(job, found if found is not None else pool.submit(soundtrack_piece, job, ffmpeg))
                                           for job, found in jobs]))
    out = {}
    for key, track, mix, pieces in encoding:
        encoded = []
        for job, piece in pieces:
            if hasattr(piece, "result"):  # a unit sent to the cluster
                piece = piece.result()
                store_piece(job, ffmpeg, cache, piece)
            encoded.append(piece)
        out[key] = finish_soundtrack(track, ffmpeg, cache, mix, encoded)
    return out
