"""The edit package: a render handed to editing software, in ``OUT/<id>/<format>/edit/``.

An export first renders the script exactly as ``claimreel render`` would with the
same options; whatever is unchanged comes from the caches, so for a script just
rendered that is seconds of muxing and publishing, and the package always
matches the ``video.mp4`` beside it. Then, for each format, it lays the render's
own pieces on a timeline, as :mod:`claimreel.publish.edit_plan` plans it (what
plays where, from durations alone); this module does the file work around it:

- each scene's encoded segment from the segment cache, captions burned in as in
  the video (or, with ``clean``, the same scene encoded without them, cached
  likewise); the source video a clip scene plays, probed for its own frame
  rate, size and sound;
- each narration block as a WAV (48 kHz, placed to the sample as the render's
  mix places it, padded to whole frames), and the music bed as the mix plays it
  (looped, faded and ducked under the speech);
- beside the timelines, the render's ``captions.srt`` (and translated
  ``captions.<lang>.srt``). Media is copied into ``media/``, never linked.

The package is written into a staging copy of ``OUT/<id>`` (the rest hard-linked)
and swapped in, with the manifest listing the new files, so a failed export never
leaves a half-written package: ``OUT/<id>`` holds the previous set, or the fresh
render without a package when the export failed after its render.

A scene that plays a source video (a ``type: clip`` block, the claim card's
footage) is found by :func:`scene_media`; ``export_edit(source_media=...)``
takes another finder.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

from ..encode.ffmpeg import Ffmpeg
from ..encode.probe import probe
from ..encode.segments import concat_segments
from ..errors import AssetError, ClaimreelError, RenderError
from ..executor import WorkPool, open_pool
from ..files import file_sha256
from ..layout.formats import Format
from ..narration.base import Engine
from ..publish.edit import edit_files, require_adapters
from ..publish.edit_model import EditMedia, EditPlan
from ..publish.edit_plan import (AUDIO_RATE, NarrationSpan, PlanMedia, SourcePlay, frames_to_samples,
                                 narration_spans, plan_edit)
from ..publish.manifest import build_manifest
from ..script.load import LoadedScript
from ..timeline.build import SceneSpec
from ..timeline.model import Timeline, frame_to_ms
from .encoding import segment_jobs
from .output import atomic_write_bytes, atomic_write_text, link_or_copy, output_lock, staged_output
from .progress import NullProgress, Progress
from .prepare import prepare
from .prepared import Prepared
from .render import render
from .request import RenderOptions, RenderResult
from .segment_cache import cached_segment_ok
from .segment_plan import SegmentJob
from .segments import render_segment, warm_up

__all__ = ["AUDIO_RATE", "ExportResult", "SourceMedia", "edit_plan", "export_edit", "scene_media"]


@dataclass(frozen=True)
class SourceMedia:
    """A video file a scene plays from ``start_s`` to ``end_s``; ``sound``: its own sound is heard."""

    path: Path
    start_s: float
    end_s: float
    sound: bool = False


def scene_media(loaded: LoadedScript, spec: SceneSpec) -> SourceMedia | None:
    """The source video a scene plays, if it plays one: a ``type: clip`` block's, or the claim card's
    footage (the scene's ``clip``), over ``start``..``end``, its sound heard unless ``audio: mute``."""
    clip = spec.clip
    if clip is None:
        return None
    path = loaded.assets.get(clip.file) or loaded.root / clip.file
    return SourceMedia(Path(path), float(clip.start), float(clip.end), sound=str(clip.audio) != "mute")


@dataclass(frozen=True)
class ExportResult:
    render: RenderResult
    folders: dict[str, Path]  # format name -> its edit folder
    plans: dict[str, EditPlan]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "scene"


def _media_name(index: int, kind: str, suffix: str) -> str:
    return f"media/{index + 1:02d}-{_slug(kind)}{suffix}"


Media = dict[str, "Path | np.ndarray"]  # a file of the package by name: a file to copy, or samples to write


def _source_play(source: SourceMedia, fps: Fraction, ffmpeg: Ffmpeg, where: Path, at: Path) -> SourcePlay:
    """A source video as the package declares it: probed for its own rate, size, length and sound;
    ``at``: where the package's copy will be."""
    info = probe(ffmpeg, source.path)
    if info.duration_s is None:
        raise AssetError(source.path, "no duration could be read", "use a video file ffmpeg can read",
                         where=str(where))
    rate = info.fps or fps
    width, height = info.display_size if info.width else (0, 0)
    frames = math.floor(Fraction(str(info.duration_s)) * rate)
    media = EditMedia(at, rate, frames, width, height, sound=info.audio_codec is not None)
    return SourcePlay(media, Fraction(str(source.start_s)), Fraction(str(source.end_s)),
                      sound=source.sound and media.sound)


def _narration(prepared: Prepared, timeline: Timeline, edit: Path, media: Media
               ) -> tuple[list[EditMedia], tuple[NarrationSpan, ...]]:
    """One WAV per narration block at 48 kHz, laid out as :func:`narration_spans` places it."""
    from ..encode.audio import resample

    placements = sorted(timeline.audio, key=lambda p: p.start_ms)
    speeches = [prepared.speeches[p.scene_index][0] for p in placements]
    samples = [resample(s.samples.astype(np.float32), s.sample_rate, AUDIO_RATE) for s in speeches]
    spans = narration_spans(timeline, [len(s) for s in samples])
    files = []
    for n, (placement, speech, span) in enumerate(zip(placements, samples, spans)):  # n names the block's file
        data = np.zeros(span.samples, np.float32)
        data[span.lead: span.lead + len(speech)] = speech[: span.samples - span.lead]
        kind = timeline.scenes[placement.scene_index].kind
        name = f"media/narration-{n + 1:02d}-{_slug(kind)}.wav"  # a scene may hold more than one
        media[name] = data
        files.append(EditMedia(edit / name, timeline.fps, span.frames, sound=True))
    return files, spans


def _music(prepared: Prepared, timeline: Timeline, edit: Path, media: Media) -> EditMedia | None:
    """The bed as the render's mix plays it (looped or trimmed, faded, ducked under speech), alone."""
    music = prepared.script.music
    if music is None or prepared.music is None:
        return None
    from ..encode.audio import place
    from ..encode.mix import BedSettings, mix_with_bed

    clips = [(prepared.speeches[p.scene_index][0].samples, prepared.speeches[p.scene_index][0].sample_rate,
              p.start_ms) for p in timeline.audio]
    narration = place(clips, frame_to_ms(timeline.total_frames, timeline.fps), AUDIO_RATE)
    spans = [(p.start_ms, p.start_ms + p.duration_ms) for p in timeline.audio]
    mixed, _ = mix_with_bed(narration, AUDIO_RATE, prepared.music, spans, BedSettings(music.level, music.under_speech))
    bed = mixed - narration
    frames = timeline.total_frames
    data = np.zeros((frames_to_samples(frames, timeline.fps), 2), np.float32)
    take = min(len(bed), len(data))
    data[:take] = bed[:take]
    media["media/music.wav"] = data
    return EditMedia(edit / "media/music.wav", timeline.fps, frames, sound=True)


def edit_plan(prepared: Prepared, fmt: Format, segments: list[Path], edit: Path, ffmpeg: Ffmpeg,
              source_media: Callable[[LoadedScript, SceneSpec], SourceMedia | None] = scene_media
              ) -> tuple[EditPlan, Media]:
    """The timeline of ``fmt`` with its media placed under ``edit`` (the edit folder's final place),
    and the package's media files by name: the file work around :func:`plan_edit`."""
    timeline = prepared.timelines[fmt.name]
    media: Media = {}
    scenes: list[EditMedia] = []
    sources: dict[int, SourcePlay] = {}
    for scene, spec, segment in zip(timeline.scenes, prepared.specs, segments):
        name = _media_name(scene.index, scene.kind, ".mp4")
        media[name] = segment
        scenes.append(EditMedia(edit / name, timeline.fps, scene.frames, fmt.width, fmt.height))
        source = source_media(prepared.loaded, spec)
        if source is not None:
            name = _media_name(scene.index, f"source-{source.path.stem}", source.path.suffix.lower())
            media[name] = source.path
            sources[scene.index] = _source_play(source, timeline.fps, ffmpeg, prepared.loaded.path, edit / name)
    narration, spans = _narration(prepared, timeline, edit, media)
    music = _music(prepared, timeline, edit, media)
    files = PlanMedia(scenes, sources, narration, music, Path(prepared.script.music.file).name if music else "")
    plan = plan_edit(f"{prepared.script.title} ({fmt.name})", timeline, (fmt.width, fmt.height), files, spans)
    return plan, media


def _write_package(plan: EditPlan, media: Media, captions: list[Path], staged: Path) -> None:
    """The edit folder at ``staged``; ``captions``: the render's SRT files (captions and translated
    subtitles), put beside the timelines. Media is copied: an editor's changes to the package's
    files never reach the user's own footage or the render's cache."""
    from ..encode.audio import write_wav

    if staged.exists():
        shutil.rmtree(staged)  # a package carried over from an earlier export, if any
    (staged / "media").mkdir(parents=True)
    for name, content in media.items():
        if isinstance(content, Path):
            shutil.copyfile(content, staged / name)
        else:
            write_wav(content, AUDIO_RATE, staged / name, dtype="int16")
    for name, data in edit_files(plan).items():
        atomic_write_bytes(staged / name, data)
    for path in captions:
        link_or_copy(path, staged / path.name)


def _edit_entry(plan: EditPlan, folder: str) -> dict[str, object]:
    """What the manifest says of a format's edit package."""
    from importlib import metadata

    return {
        "folder": folder,
        "frames": plan.total_frames,
        "tracks": {track.name: len(track.clips) for track in plan.tracks},
        "markers": len(plan.markers),
        "opentimelineio": metadata.version("opentimelineio"),
    }


def _clean_segments(prepared: Prepared, options: RenderOptions, ffmpeg: Ffmpeg, progress: Progress,
                    pool: WorkPool | None) -> dict[str, list[list[Path]]]:
    """Each format's scenes without burned-in captions, encoded where the segment cache lacks them."""
    jobs = {fmt.name: segment_jobs(prepared, fmt, options, ffmpeg, captions=False) for fmt in prepared.formats}
    todo = {job.out_path: job for fmt_jobs in jobs.values() for job in fmt_jobs
            if not (job.out_path.is_file() and cached_segment_ok(job.out_path))}
    progress.start("clean scenes", len(todo))
    if todo:
        own = None if pool is not None else open_pool(None, options.jobs, warm_up, start=False)
        workers = pool or own
        try:
            futures = [workers.submit(render_segment, job) for job in todo.values()]  # type: ignore[union-attr]
            for future in workers.as_completed(futures):  # type: ignore[union-attr]
                future.result()
                progress.advance("clean scenes")
        finally:
            if own is not None:
                own.close(wait=True, cancel=True)
    return {name: _by_scene(fmt_jobs) for name, fmt_jobs in jobs.items()}


def _by_scene(jobs: list[SegmentJob]) -> list[list[Path]]:
    """The segment files of each scene in order (a long photo scene is encoded in pieces)."""
    scenes: dict[int, list[Path]] = {}
    for job in jobs:
        scenes.setdefault(job.index, []).append(job.out_path)
    return [scenes[index] for index in sorted(scenes)]


def _scene_file(pieces: list[Path], ffmpeg: Ffmpeg) -> Path:
    """One file for a scene: its segment, or its pieces joined by stream copy beside them in the cache."""
    if len(pieces) == 1:
        return pieces[0]
    joined = pieces[0].with_name(f"{pieces[0].stem}-scene.mp4")
    if not joined.is_file():
        # concat_segments writes to a temp name beside it (swept from the cache like any partial if
        # this process dies) and renames it into place
        concat_segments(ffmpeg, pieces, joined)
    return joined


def export_edit(
    script_path: Path,
    options: RenderOptions = RenderOptions(),
    *,
    clean: bool = False,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
    ffmpeg: Ffmpeg | None = None,
    pool: WorkPool | None = None,
    source_media: Callable[[LoadedScript, SceneSpec], SourceMedia | None] = scene_media,
) -> ExportResult:
    """Render ``script_path`` (from the caches where nothing changed) and write each format's edit package.

    ``clean``: the scenes without burned-in captions (a clean picture, for captioning in the editing
    software), encoded once and cached like any segment; otherwise the render's own segments.
    """
    require_adapters()
    if options.preview:
        raise ClaimreelError("export: a preview cannot be exported; export the final render")
    result = render(script_path, options, engine=engine, progress=progress, ffmpeg=ffmpeg, pool=pool)
    manifest = result.folder / "manifest.json"
    rendered = file_sha256(manifest)
    prepared = prepare(script_path, options, engine=engine)  # speech from the cache the render just filled
    ffmpeg = ffmpeg or Ffmpeg(options.ffmpeg)
    script = prepared.script
    if clean:
        segments = _clean_segments(prepared, options, ffmpeg, progress, pool)
    else:
        segments = {fmt.name: _by_scene(segment_jobs(prepared, fmt, options, ffmpeg)) for fmt in prepared.formats}
    progress.start("edit package", len(prepared.formats))
    folders, plans = {}, {}
    with output_lock(options.out, script.id):
        if not manifest.is_file() or file_sha256(manifest) != rendered:
            raise RenderError(f"{result.folder}: another render of {script.id} replaced the output during the "
                              "export; run the export again")
        final_root = result.folder
        keep = tuple(p.name for p in final_root.iterdir() if p.is_dir())
        with staged_output(options.out, script.id, keep) as staging:
            for path in final_root.iterdir():
                if path.is_file():
                    link_or_copy(path, staging / path.name)
            formats = json.loads(manifest.read_text(encoding="utf-8"))["formats"]
            for fmt in prepared.formats:
                missing = [s for pieces in segments[fmt.name] for s in pieces
                           if not (s.is_file() and cached_segment_ok(s))]
                if missing:
                    raise RenderError(f"{missing[0]}: a segment made for this export is no longer in the cache; "
                                      "run the export again (is another process clearing the cache?)")
                final = (final_root / fmt.name / "edit").resolve()
                scene_files = [_scene_file(pieces, ffmpeg) for pieces in segments[fmt.name]]
                plan, media = edit_plan(prepared, fmt, scene_files, final, ffmpeg, source_media)
                captions = sorted((staging / fmt.name).glob("captions*.srt"))
                _write_package(plan, media, captions, staging / fmt.name / "edit")
                formats[fmt.name] = {**formats.get(fmt.name, {}),
                                     "edit": {**_edit_entry(plan, f"{fmt.name}/edit"), "burned_in_captions": not clean}}
                folders[fmt.name], plans[fmt.name] = final, plan
                progress.advance("edit package")
            atomic_write_text(staging / "manifest.json", build_manifest(staging, script, formats))
    return ExportResult(result, folders, plans)
