"""A render's soundtracks: each video's main and described (and extended) soundtrack mixed and
encoded, from the audio cache or made, locally or on a cluster.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..encode.ffmpeg import Ffmpeg
from ..encode.profiles import load_profile
from ..executor import WorkPool
from ..narration.engines import release_voices
from ..timeline.model import Timeline
from .described import Description
from .describing import Sound
from .extended import Extended
from .prepared import Video
from .request import RenderOptions
from .segment_cache import sweep_partials

__all__ = ["soundtracks"]


def soundtracks(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg, pool: WorkPool,
                 describer: Callable[[Video], tuple[Description, Extended | None]],
                 ready: Callable[[str, Sound], None] = lambda label, sound: None) -> dict[str, Sound]:
    """Each video's encoded soundtracks (main, described, and extended if made), by label; videos
    with the same sound share them. ``ready(label, sound)`` is told each video's as soon as it is
    made, so its files can be written while the others are mixed.

    Runs in the audio thread beside the video workers (and imports the audio stack there). The
    descriptions are said in a thread of their own while the first main soundtrack is mixed (speech
    synthesis runs outside the GIL; only the described soundtracks need it). A remote pool (a
    cluster) makes the soundtracks missing from the cache: a final one's mix is a unit, each time
    piece of its AAC is a unit sent as soon as the mix is back, and the pieces are joined here.
    """
    from .described_mix import DescribedSoundtrack
    from .mixdown import samples_digest

    music_digests: dict[int, str] = {}  # a music bed's digest, by the bed (shared by a render's formats and cuts)
    for video in videos:
        music = video.prepared.music
        if music is not None and id(music) not in music_digests:
            music_digests[id(music)] = samples_digest(music)
    mains = [(video, _track(video, video.timeline, options, music_digests)) for video in videos]
    parts: dict[str, tuple[str, str]] = {}  # a soundtrack's label -> its video's label, and its part
    made: dict[str, dict[str, tuple[Path, dict]]] = {video.label: {} for video in videos}
    out: dict[str, Sound] = {}

    def told(label: str, value: tuple[Path, dict]) -> None:
        owner, part = parts[label]
        made[owner][part] = value
        if len(made[owner]) == sum(1 for o, _ in parts.values() if o == owner) and "described" in made[owner]:
            description, extended = said.result()[owner]
            have = made[owner]
            out[owner] = Sound(have["main"], have["described"], description,
                               (extended, have["extended"]) if extended is not None else None)
            ready(owner, out[owner])

    def say_all() -> dict[str, tuple[Description, Extended | None]]:
        try:
            return {video.label: describer(video) for video in videos}
        finally:
            release_voices()  # said: the voice's model would only hold memory while the audio is made

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="describe") as describing:
        said = describing.submit(say_all)

        def tracks() -> Iterator[tuple[str, Any]]:
            """Each video's main soundtrack, then its described ones (a described soundtrack mixes the
            programme its main one placed, kept until then)."""
            for video, track in mains:
                parts[video.label] = (video.label, "main")
                yield video.label, track
                description, extended = said.result()[video.label]
                if extended is not None:
                    parts[f"{video.label} extended"] = (video.label, "extended")
                parts[f"{video.label} described"] = (video.label, "described")
                yield f"{video.label} described", DescribedSoundtrack(track, description.said)
                if extended is not None:
                    main = _track(video, extended.timeline, options, music_digests)
                    yield f"{video.label} extended", DescribedSoundtrack(main, extended.said)

        _made(tracks(), options, ffmpeg, pool, told)
    return {video.label: out[video.label] for video in videos}


def _track(video: Video, timeline: Timeline, options: RenderOptions, music_digests: dict[int, str]) -> Any:
    """The soundtrack of ``video`` on ``timeline`` (its own, or its extended one)."""
    from .mixdown import Soundtrack

    p = video.prepared
    return Soundtrack(timeline, p.speeches, p.script.music, p.music, p.profile or load_profile(None),
                      draft=options.preview, music_digest=music_digests.get(id(p.music)),
                      clip_files=p.loaded.assets, measures=options.cache / "audio" / "measures")


def _made(tracks: Iterable[tuple[str, Any]], options: RenderOptions, ffmpeg: Ffmpeg, pool: WorkPool,
          told: Callable[[str, tuple[Path, dict]], None]) -> None:
    """Each soundtrack encoded (from the cache, or made), ``told(label, (path, report))`` as soon as
    it is; equal ones are made once.

    A final soundtrack is made in the steps a cluster takes: its mix, then its AAC pieces, then the
    join. Made here, each is mixed in this thread, in order (a described soundtrack takes its main
    one's programme), while the pieces of those before it are encoded in threads, an ffmpeg run per
    core, and each is joined in a thread of its own as soon as its last piece is done (so its video's
    files are written while the next soundtrack is mixed); on a cluster, each mix and each piece is a
    unit.
    """
    from .mixdown import soundtrack_mix
    from .soundtrack_store import cached_soundtrack, soundtrack

    cache = options.cache / "audio"
    cache.mkdir(parents=True, exist_ok=True)
    sweep_partials(cache)  # what a killed render was writing
    remote = getattr(pool, "remote", False)
    made: dict[str, Any] = {}  # by key: (path, report), or a unit making them
    mixing: dict[Any, tuple[str, Any]] = {}  # (on a cluster) a final soundtrack's mix unit: its key and track
    encoding: list[_Encoding] = []  # (on a cluster) the mixes back, their pieces sent
    joins: dict[str, Future] = {}  # (made here) each soundtrack's join, by key
    waiting: dict[str, str] = {}  # the labels not yet told, by label: their keys

    lock = threading.Lock()  # ``made`` and ``waiting`` are also updated by the joining thread

    def tell() -> None:
        with lock:
            for label, key in list(waiting.items()):
                if isinstance(made.get(key), tuple):
                    del waiting[label]
                    told(label, made[key])

    def join(each: _Encoding) -> tuple[Path, dict]:
        """``each`` joined once its pieces are done (made here, in the joining thread), and told; its
        mix let go."""
        value = each.joined(ffmpeg, cache)
        with lock:
            made[each.key] = value
        tell()
        return value

    threads = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="aac-piece")
    joining = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aac-join")
    try:
        for label, track in tracks:
            key = track.key(ffmpeg.version())
            with lock:
                waiting[label] = key
                known = key in made
            if known:
                tell()
                continue
            if (found := cached_soundtrack(track, ffmpeg, cache)) is not None:
                made[key] = found
            elif track.draft:
                made[key] = pool.submit(soundtrack, track, ffmpeg, cache) if remote else soundtrack(track, ffmpeg, cache)
            elif remote:
                mix = pool.submit(soundtrack_mix, track, ffmpeg)
                mixing[mix] = (key, track)
                made[key] = mix
            else:
                sent = _Encoding.sent(key, track, track.mix(ffmpeg), ffmpeg, cache, threads.submit)
                with lock:
                    made[key] = joins[key] = joining.submit(join, sent)
            tell()
        for mix in pool.as_completed(list(mixing)) if mixing else ():
            key, track = mixing[mix]
            encoding.append(_Encoding.sent(key, track, mix.result(), ffmpeg, cache, pool.submit))
        for each in encoding:
            join(each)
        for joined in joins.values():  # before the threads are shut down: their pieces are still wanted
            joined.result()
    finally:
        threads.shutdown(wait=True, cancel_futures=True)  # on an error, the pieces not yet begun
        joining.shutdown(wait=True)  # a join waiting for a cancelled piece fails at once
    made.update([(key, value.result()) for key, value in list(made.items()) if not isinstance(value, tuple)])
    tell()


@dataclass
class _Encoding:
    """A final soundtrack's mix and its pieces: each taken from the piece cache, or sent to be encoded."""

    key: str
    track: Any
    mix: Any
    pieces: list[tuple[Any, Any]]  # (piece job, encoded piece or a unit encoding it)

    @classmethod
    def sent(cls, key: str, track: Any, mix: Any, ffmpeg: Ffmpeg, cache: Path, submit: Callable[..., Any]
             ) -> _Encoding:
        from .piece_store import cached_piece, soundtrack_piece

        # A piece encoded before (this slice, anywhere in any soundtrack) is taken from the cache here.
        jobs = [(job, cached_piece(job, ffmpeg, cache)) for job in track.pieces(mix)]
        return cls(key, track, mix, [(job, found if found is not None else submit(soundtrack_piece, job, ffmpeg))
                                     for job, found in jobs])

    def joined(self, ffmpeg: Ffmpeg, cache: Path) -> tuple[Path, dict]:
        """The soundtrack joined from its pieces in ``cache``, each piece encoded here kept there."""
        from .piece_store import store_piece
        from .soundtrack_store import finish_soundtrack

        encoded = []
        for job, piece in self.pieces:
            if hasattr(piece, "result"):  # a unit: a thread's, or the cluster's
                piece = piece.result()
                store_piece(job, ffmpeg, cache, piece)
            encoded.append(piece)
        return finish_soundtrack(self.track, ffmpeg, cache, self.mix, encoded)
