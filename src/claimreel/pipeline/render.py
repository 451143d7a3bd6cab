"""A render job: one script, one or more formats, everything written atomically.

Stages run in pipeline order: script → narration → timeline → layout →
compose/encode (segments in worker processes) → audio → publish. Every check that
can fail on bad input (script, assets, fonts, layout) runs before any encoding,
so bad input costs seconds and writes nothing.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path

from ..encode.ffmpeg import Ffmpeg
from ..executor import WorkPool, open_pool
from ..layout.formats import FORMATS
from ..narration.base import Engine
from ..narration.disclosure import manifest_entries
from ..publish.manifest import build_manifest
from ..publish.package import package_files
from ..publish.transcript import transcript_text
from ..script.load import LoadedScript
from ..script.model import Script
from .cuts import CutResult, cut_view, select_cuts, write_cut
from .describing import Sound, video_describer
from .encoding import encode_videos
from .output import atomic_write_bytes, atomic_write_text, output_lock, output_root, staged_output
from .prepare import prepare
from .prepared import Video
from .progress import NullProgress, Progress
from .request import RenderOptions, RenderResult
from .segments import warm_up
from .signing import disclosure_for, sign_staged
from .soundtracks import soundtracks
from .writing import write_format, write_video

__all__ = ["media_base_url", "render"]


def media_base_url(script: Script, options: RenderOptions) -> str | None:
    """Where the package is served: ``--media-base-url``, else the script's ``publish.media_base_url``."""
    return options.media_base_url or (script.publish.media_base_url if script.publish else None)


def render(
    script_path: Path | LoadedScript,
    options: RenderOptions = RenderOptions(),
    *,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
    ffmpeg: Ffmpeg | None = None,
    pool: WorkPool | None = None,
) -> RenderResult:
    """Render ``script_path`` into ``options.out/<id>/`` (a preview into ``options.out/_previews/<id>/``);
    nothing is replaced unless all succeeds.

    ``pool``: where the segments are encoded; by default a pool of ``options.jobs`` local worker
    processes opened for this render alone. A pool passed in stays open for the caller. A remote
    pool (``executor.open_pool("tcp://...")``, a Dask cluster) also synthesises the speech and mixes
    the soundtracks missing from the caches; long moving scenes are encoded in pieces either way.
    """
    if pool is not None:
        return _render_on(script_path, options, engine, progress, ffmpeg, pool)
    own = open_pool(None, options.jobs, warm_up, start=False)  # started by its first unit, if any
    try:
        result = _render_on(script_path, options, engine, progress, ffmpeg, own)
    except Exception:
        # Let the segments under way finish or fail (a worker writing its still or its parts leaves
        # no temp file behind); the rest are cancelled.
        own.close(wait=True, cancel=True)
        raise
    except BaseException:  # Ctrl-C reaches the workers too; a kill takes them down with the render
        own.close(wait=False, cancel=True)
        raise
    own.close()
    return result


def _render_on(script_path: Path | LoadedScript, options: RenderOptions, engine: Engine | None, progress: Progress,
               ffmpeg: Ffmpeg | None, pool: WorkPool) -> RenderResult:
    prepared = prepare(script_path, options, engine=engine, progress=progress, pool=pool, sign=True)
    ffmpeg = ffmpeg or Ffmpeg(options.ffmpeg)
    script = prepared.script
    counts: dict[str, dict[str, int]] = {}
    cuts = select_cuts(script, options.cuts)
    keep = tuple(name for name in FORMATS if name not in options.formats)
    format_info: dict[str, dict[str, object]] = {}
    out = output_root(options.out, options.preview)

    def waiting() -> None:  # said once; then the render waits for the other one, however long
        progress.note(f"{out / script.id}: another render of {script.id} is writing here; "
                      "waiting for it to finish")

    disclosed = disclosure_for(prepared, options.voice, engine.name if engine is not None else None)
    credentials = disclosed[1].html() if disclosed else ""
    lock = output_lock(out, script.id, waiting if options.wait_for_output else None)
    with lock, staged_output(out, script.id, keep) as staging:
        with tempfile.TemporaryDirectory(prefix=f".{script.id}.tmp-", dir=out) as tmp_name:
            tmp = Path(tmp_name)
            videos = [Video(f"video {fmt.name}", prepared, fmt, tmp / f"{fmt.name}-video.mp4")
                      for fmt in prepared.formats]
            cut_views = [(cut, fmt, *cut_view(prepared, cut, fmt)) for cut in cuts for fmt in prepared.formats]
            cut_videos = [Video(f"cut {cut.name} {fmt.name}", view, fmt, tmp / f"{fmt.name}-cut-{cut.name}.mp4")
                          for cut, fmt, view, _ in cut_views]
            cut_at = {video.label: (cut, positions) for (cut, _, _, positions), video in zip(cut_views, cut_videos)}
            # The audio needs no pictures: mix and encode it while the segments encode. Each video's
            # files are written as soon as its segments are done, while the pool encodes the rest.
            formats_done: dict[str, dict[str, object]] = {}
            cuts_done: dict[str, CutResult] = {}

            def write(video: Video, stills: list[bytes], sound: Sound) -> None:
                if video.label in cut_at:
                    cut, positions = cut_at[video.label]
                    relative = Path(video.fmt.name) / "cuts" / cut.name
                    translations, facts, _ = write_video(staging / relative, video, sound, ffmpeg, options.cache)
                    cuts_done[video.label] = write_cut(cut, video, positions, staging, relative, translations,
                                                       facts, stills, counts[video.label])
                else:
                    formats_done[video.label] = write_format(staging, video, sound, stills, ffmpeg, options,
                                                              credentials)

            # Each video's files are written once its segments and its sound are both done, in whichever
            # order they come: the full video's while the cuts' sound is mixed.
            sounds: dict[str, Future] = {video.label: Future() for video in videos + cut_videos}
            with ThreadPoolExecutor(max_workers=1) as audio_worker:
                mixing = audio_worker.submit(soundtracks, videos + cut_videos, options, ffmpeg, pool,
                                             video_describer(options.cache / "speech", options.voice,
                                                             options.described == "extended", engine),
                                             lambda label, sound: sounds[label].set_result(sound))
                mixing.add_done_callback(lambda done: _settle(sounds, done))
                pending: dict[str, tuple[Video, list[bytes]]] = {}
                for video, stills in encode_videos(videos + cut_videos, options, ffmpeg, progress, counts, pool):
                    pending[video.label] = video, stills
                    for label in [label for label in pending if sounds[label].done()]:
                        write(*pending.pop(label), sounds[label].result())
                for done in as_completed([sounds[label] for label in pending]):
                    label = next(label for label in pending if sounds[label] is done)
                    write(*pending.pop(label), done.result())
            for video in videos:
                format_info[video.fmt.name] = formats_done[video.label]
            cut_results = [cuts_done[video.label] for video in cut_videos]  # in the script's order
            for cut in cut_results:
                format_info[cut.format].setdefault("cuts", {})[cut.name] = cut.manifest  # type: ignore[union-attr]
            first = prepared.timelines[prepared.formats[0].name]
            atomic_write_text(staging / "transcript.txt", transcript_text(script, prepared.specs, first, prepared.theme))
            timelines = {f.name: prepared.timelines[f.name] for f in prepared.formats}
            # A draft is never published: its structured data points at no media.
            media_base = None if options.preview else media_base_url(script, options)
            for name, data in package_files(script, prepared.specs, timelines, prepared.theme, media_base).items():
                atomic_write_bytes(staging / name, data)
            signed = None
            if disclosed is not None:  # on the final files only: nothing cached is changed
                signed = sign_staged(staging, disclosed[0], prepared.signing, [f.name for f in prepared.formats],
                                     [(c.format, c.name) for c in cut_results])
                for info in format_info.values():
                    info["content_credentials"] = {"signer": prepared.signing.signer,
                                                   "algorithm": prepared.signing.alg}
            manifest = build_manifest(staging, script, format_info, previous=out / script.id,
                                      extra_versions=signed.versions if signed else None,
                                      narration=manifest_entries(script, prepared.loaded.root))
            atomic_write_text(staging / "manifest.json", manifest)
        files = tuple(sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file()))
    folder = out / script.id
    return RenderResult(
        folder, prepared.timelines[prepared.formats[0].name], tuple(folder / f for f in files),
        prepared.synthesized, sum(c["encoded"] for c in counts.values()),
        sum(c["cached"] for c in counts.values()), tuple(cut_results),
        tuple(c.name for c in script.cuts if c not in cuts),
        tuple(folder / f for f in signed.files) if signed else (), signed.seconds if signed else 0.0,
    )


def _settle(sounds: dict[str, Future], mixing: Future) -> None:
    """Once the audio thread is over: its error to every video still waiting for its sound (each
    made one was handed over as it was made)."""
    error = mixing.exception()
    for label, sound in sounds.items():
        if not sound.done():
            sound.set_exception(error or RuntimeError(f"{label}: the audio thread made no sound for it"))
