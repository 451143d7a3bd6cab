"""A render job: one script, one or more formats, everything written atomically.

Stages run in pipeline order: script → narration → timeline → layout →
compose/encode (segments in worker processes) → audio → publish. Every check that
can fail on bad input (script, assets, fonts, layout) runs before any encoding,
so bad input costs seconds and writes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..captions.rules import rules_for_format
from ..captions.translate import spoken_words, translated_tracks
from ..compose.frames import Motion
from ..encode.ffmpeg import Ffmpeg
from ..executor import WorkPool, open_pool
from ..encode.profiles import LoudnessProfile, load_profile, profile_roots
from ..encode.probe import MediaInfo, probe
from ..encode.segments import VideoSettings, concat_segments, mux
from ..errors import ClaimreelError, LayoutError
from ..layout.elements import SceneLayout
from ..layout.formats import FORMATS, Format, get_format
from ..layout.scenes import SceneContext, layout_scene
from ..layout.text import FontBook, check_coverage
from ..layout.theme import Theme, contrast_problems, load_theme, themes_root
from ..narration import SpeechCache
from ..narration.plan import check_sound_assets, speak_all
from ..narration.base import Engine, Speech
from ..publish.images import scene_still
from ..publish.manifest import build_manifest
from ..publish.package import format_files, package_files
from ..publish.srt import srt_text
from ..publish.transcript import transcript_text
from ..publish.vtt import vtt_text
from ..script.load import LoadedScript, load_script
from ..script.model import Script
from ..timeline.build import NarrationTiming, SceneSpec, build_timeline, caption_names, plan_scenes
from ..timeline.model import Cue, Timeline, ms_to_frame
from .cuts import CutResult, cut_view, select_cuts, write_cut
from .killpoint import kill_point
from .limits import Limits, check_duration, check_pixels, check_text_length, long_word_problem
from .output import atomic_write_bytes, atomic_write_text, output_lock, staged_output
from .progress import NullProgress, Progress
from .segments import (SegmentJob, cached_segment_ok, cue_spans, read_still, render_segment,
                       segment_key, sweep_partials, warm_up)

__all__ = ["Prepared", "RenderOptions", "RenderResult", "check_script", "layout_all", "prepare", "render"]


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = ("16x9",)
    out: Path = Path("render/out")
    cache: Path = Path("render/cache")
    preview: bool = False
    voice_engine: str | None = None
    jobs: int = 0  # 0: one worker per core
    ffmpeg: str | None = None
    profile: str | None = None  # loudness profile; default: the script's, else web
    cuts: tuple[str, ...] | None = None  # social cuts to render by name; None: all the script's
    limits: Limits = field(default_factory=Limits.from_env)
    wait_for_output: bool = False  # another render of this id is writing: wait for it (True) or fail


@dataclass(frozen=True)
class RenderResult:
    folder: Path
    timeline: Timeline
    files: tuple[Path, ...]
    synthesized: int
    segments_encoded: int
    segments_cached: int
    cuts: tuple[CutResult, ...] = ()


@dataclass
class Prepared:
    """A script checked and laid out for its formats, ready to encode."""

    loaded: LoadedScript
    theme: Theme
    book: FontBook
    specs: tuple[SceneSpec, ...]
    speeches: dict[int, tuple[Speech, str]]
    formats: tuple[Format, ...]
    timelines: dict[str, Timeline] = field(default_factory=dict)
    synthesized: int = 0
    layouts: dict[str, tuple[SceneLayout, ...]] = field(default_factory=dict)
    profile: LoudnessProfile | None = None
    music: Any = None  # the decoded music bed, [n, 2] float32 at 48 kHz, or None

    @property
    def script(self) -> Script:
        return self.loaded.script


def _theme_for(loaded: LoadedScript) -> Theme:
    local = loaded.root / "assets" / "themes"
    root = local if (local / loaded.script.theme / "theme.yaml").is_file() else themes_root()
    return load_theme(loaded.script.theme, root)


def script_texts(script: Script) -> dict[str, str]:
    """Every text that appears on screen, keyed by where it comes from."""
    texts = {
        "title": script.title,
        "outlet.name": script.outlet.name,
        "claim.quote": script.claim.quote,
        "claim.speaker.name": script.claim.speaker.name,
        "claim.speaker.title": script.claim.speaker.title or "",
        "claim.appeared.name": script.claim.appeared.name if script.claim.appeared else "",
        "verdict.summary": script.verdict.summary,
    }
    for i, block in enumerate(script.body):
        for name in ("on_screen", "text", "attribution", "caption", "credit", "headline", "number", "unit",
                     "source", "narration"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                texts[f"body.{i}.{name}"] = value
        for j, item in enumerate(getattr(block, "compare", None) or ()):
            texts[f"body.{i}.compare.{j}.label"] = item.label
    for i, credit in enumerate(script.credits):
        texts[f"credits.{i}"] = f"{credit.role} {credit.name}"
    for i, source in enumerate(script.sources):
        texts[f"sources.{i}"] = f"{source.title} {source.publisher or ''}"
    return texts


def check_script(loaded: LoadedScript) -> tuple[Theme, FontBook]:
    """Theme, contrast and font coverage checks shared by ``validate`` and ``render``."""
    theme = _theme_for(loaded)
    backgrounds = {
        f"body.{i}": block.background.color
        for i, block in enumerate(loaded.script.body)
        if getattr(block, "background", None) is not None and block.background.color
    }
    problems = [f"{loaded.path}: {p}" for p in contrast_problems(theme, backgrounds)]
    if problems:
        raise ClaimreelError("\n".join(problems))
    book = FontBook(theme.fonts, theme.fallbacks)
    check_sound_assets(loaded)
    check_coverage(book, {f"{loaded.path}: {k}": v for k, v in script_texts(loaded.script).items()})
    return theme, book


def prepare(
    script_path: Path,
    options: RenderOptions,
    *,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
) -> Prepared:
    loaded = load_script(script_path)
    theme, book = check_script(loaded)
    check_text_length(loaded, script_texts(loaded.script), options.limits)
    check_pixels(loaded, options.limits)
    formats = tuple(get_format(name) for name in options.formats)
    if options.preview:
        # A draft must not accept text that the final render refuses (half-size layout rounds differently).
        layout_all(loaded, theme, book, formats)
        formats = tuple(f.preview() for f in formats)
    specs = plan_scenes(loaded.script)
    prepared = Prepared(loaded, theme, book, specs, {}, formats)
    # Lay out everything before any sound or picture work: layout errors are input errors.
    prepared.layouts = layout_all(loaded, theme, book, formats)
    prepared.profile = load_profile(options.profile or loaded.script.loudness, profile_roots(loaded.root))
    ffmpeg = Ffmpeg(options.ffmpeg)
    prepared.music = _load_music(loaded, ffmpeg)
    cache = SpeechCache(options.cache / "speech")
    progress.start("narration", sum(1 for s in specs if s.narration))
    prepared.speeches = speak_all(loaded, specs, cache, engine_override=options.voice_engine, engine=engine,
                                  ffmpeg=ffmpeg, advance=lambda: progress.advance("narration"))
    kill_point("synthesis")
    prepared.synthesized = cache.misses
    timings = {
        i: NarrationTiming(speech.duration_ms, speech.words, key)
        for i, (speech, key) in prepared.speeches.items()
    }
    names = caption_names(loaded.script)
    # Formats with the same caption rules and frame rate share one timeline (the same cues).
    built: dict[object, Timeline] = {}
    for fmt in formats:
        key = (rules_for_format(fmt.name), fmt.fps)
        if key not in built:
            built[key] = build_timeline(specs, timings, fmt.fps, rules_for_format(fmt.name), names=names)
        prepared.timelines[fmt.name] = built[key]
        check_duration(loaded, prepared.timelines[fmt.name], options.limits)
    return prepared


def _load_music(loaded: LoadedScript, ffmpeg: Ffmpeg) -> Any:
    """The script's music bed decoded (exit 2 naming the file if it cannot be), or None."""
    music = loaded.script.music
    if music is None:
        return None
    from ..encode.decode import decode_audio
    from ..narration.plan import _resolve
    from .mixdown import DELIVERY_RATE

    path = _resolve(loaded, music.file, "music.file")
    return decode_audio(ffmpeg, path, rate=DELIVERY_RATE, channels=2, where=f"{loaded.path}: music.file")


def layout_all(
    loaded: LoadedScript, theme: Theme, book: FontBook, formats: Sequence[Format | str]
) -> dict[str, tuple[SceneLayout, ...]]:
    """Every scene of the script laid out in every format (raises LayoutError on text that cannot fit)."""
    script = loaded.script
    out = {}
    for fmt in formats:
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        problem = long_word_problem(plan_scenes(script), rules_for_format(fmt.name).max_chars_per_line)
        if problem:
            raise LayoutError(f"{loaded.path}: {fmt.name}: {problem}")
        scenes = []
        for spec in plan_scenes(script):
            block = script.body[spec.block] if spec.block is not None else None
            ctx = SceneContext(script, fmt, theme, book, loaded.assets, block, spec.block, spec.kind)
            try:
                scenes.append(layout_scene(spec.kind, ctx))
            except LayoutError as exc:
                raise LayoutError(f"{loaded.path}: {fmt.name}: {exc}") from None
        out[fmt.name] = tuple(scenes)
    return out


def _settings(fmt: Format, preview: bool) -> VideoSettings:
    return VideoSettings.preview(fmt.width, fmt.height, fmt.fps) if preview else VideoSettings.delivery(
        fmt.width, fmt.height, fmt.fps
    )


def _segment_jobs(prepared: Prepared, fmt: Format, seg_dir: Path, options: RenderOptions, ffmpeg: Ffmpeg
                  ) -> list[tuple[SegmentJob, str]]:
    timeline = prepared.timelines[fmt.name]
    cues = [
        (ms_to_frame(c.start_ms, timeline.fps), ms_to_frame(c.end_ms, timeline.fps), c.lines, c.speaker,
         tuple((ms_to_frame(w.start_ms, timeline.fps), ms_to_frame(w.end_ms, timeline.fps)) for w in c.words))
        for c in timeline.cues
    ]
    settings = _settings(fmt, options.preview)
    # Segments run one per core; x264 frame threads on top only add memory (~60 MB each at 1080p)
    # and contention, so each encoder gets the cores left per worker.
    cores = os.cpu_count() or 1
    settings = dataclasses.replace(settings, threads=max(1, cores // (options.jobs or cores)))
    jobs = []
    for scene, layout in zip(timeline.scenes, prepared.layouts[fmt.name]):
        job = SegmentJob(
            scene.index, layout, fmt, prepared.theme, prepared.book, scene.frames,
            cue_spans(cues, scene.start_frame, scene.frames), settings,
            fade_out_all=scene.index == len(timeline.scenes) - 1,
            out_path=Path(), ffmpeg_binary=options.ffmpeg,
            motion=Motion(zoom_step=2) if options.preview else Motion(),
        )
        key = segment_key(job, ffmpeg.version())
        jobs.append((SegmentJob(**{**job.__dict__, "out_path": seg_dir / f"{key}.mp4"}), key))
    return jobs


@dataclass(frozen=True)
class Video:
    """One video a render encodes: a format of the script, or of a social cut (``prepared`` narrowed)."""

    label: str  # names its progress stage, e.g. "video 16x9" or "cut claim-verdict 9x16"
    prepared: Prepared
    fmt: Format
    target: Path  # where its video-only MP4 goes

    @property
    def timeline(self) -> Timeline:
        return self.prepared.timelines[self.fmt.name]


def _encode_videos(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg, progress: Progress,
                   counts: dict[str, dict[str, int]], pool: WorkPool) -> Iterator[tuple[Video, list[bytes]]]:
    """Each video at its target with its scene stills (JPEG, in scene order), as soon as its
    segments are all done, so its files are written while the pool encodes the others.

    The segments of all videos (every format, every cut) share one pool of worker
    processes, heaviest first, so no core waits at the end of one video while the
    next has work; a segment several videos share is encoded once.
    """
    seg_dir = options.cache / "segments"
    seg_dir.mkdir(parents=True, exist_ok=True)
    sweep_partials(seg_dir)
    plans = {v.label: [job for job, _ in _segment_jobs(v.prepared, v.fmt, seg_dir, options, ffmpeg)] for v in videos}
    todo: dict[Path, SegmentJob] = {}
    waiting: dict[Path, list[str]] = {}  # a segment being encoded -> the videos to advance when it is done
    for label, jobs in plans.items():
        progress.start(label, len(jobs))
        counts[label] = {"encoded": 0, "cached": 0}
        for job in jobs:
            if job.out_path in todo:  # another video (or this one, earlier) encodes it in this render
                counts[label]["cached"] += 1
            elif job.out_path.is_file() and cached_segment_ok(job.out_path):
                counts[label]["cached"] += 1
                progress.advance(label)
                continue
            else:
                counts[label]["encoded"] += 1
                todo[job.out_path] = job
            waiting.setdefault(job.out_path, []).append(label)
    by_label = {video.label: video for video in videos}
    missing = {label: {job.out_path for job in jobs if job.out_path in todo} for label, jobs in plans.items()}

    def finished(video: Video) -> tuple[Video, list[bytes]]:
        jobs = plans[video.label]
        concat_segments(ffmpeg, [job.out_path for job in jobs], video.target)
        kill_point("concat")
        p, layouts = video.prepared, video.prepared.layouts[video.fmt.name]
        stills = [read_still(job.out_path) or scene_still(layout, scene, video.fmt, p.theme, p.book)
                  for job, layout, scene in zip(jobs, layouts, video.timeline.scenes)]
        return video, stills

    # Heaviest first so the pool stays busy to the end; submitted before any video is finished here.
    order = sorted(todo.values(), key=lambda j: (j.layout.photo is None, -j.frames * j.fmt.width * j.fmt.height))
    futures = {pool.submit(render_segment, job): job.out_path for job in order}
    for video in videos:
        if not missing[video.label]:  # every segment from the cache
            yield finished(video)
    for future in pool.as_completed(futures):
        future.result()
        kill_point("segments")
        path = futures[future]
        for label in waiting[path]:
            progress.advance(label)
            if path in missing[label]:
                missing[label].discard(path)
                if not missing[label]:
                    yield finished(by_label[label])


def _soundtracks(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg) -> dict[str, tuple[Path, dict]]:
    """Each video's encoded soundtrack and loudness report, by label; videos with the same sound share one.

    Runs in the audio thread beside the video workers (and imports the audio stack there).
    """
    from .mixdown import Soundtrack, samples_digest, soundtrack

    cache = options.cache / "audio"
    cache.mkdir(parents=True, exist_ok=True)
    sweep_partials(cache)  # what a killed render was writing
    made: dict[str, tuple[Path, dict]] = {}
    out = {}
    music_digests: dict[int, str] = {}  # a music bed's digest, by the bed (shared by a render's formats and cuts)
    for video in videos:
        p = video.prepared
        if p.music is not None and id(p.music) not in music_digests:
            music_digests[id(p.music)] = samples_digest(p.music)
        track = Soundtrack(video.timeline, p.speeches, p.script.music, p.music, p.profile or load_profile(None),
                           draft=options.preview, music_digest=music_digests.get(id(p.music)))
        key = track.key(ffmpeg.version())
        if key not in made:
            made[key] = soundtrack(track, ffmpeg, cache)
        out[video.label] = made[key]
    return out


def render(
    script_path: Path,
    options: RenderOptions = RenderOptions(),
    *,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
    ffmpeg: Ffmpeg | None = None,
    pool: WorkPool | None = None,
) -> RenderResult:
    """Render ``script_path`` into ``options.out/<id>/``; nothing is replaced unless all succeeds.

    ``pool``: where the segments are encoded; by default a pool of ``options.jobs`` local worker
    processes opened for this render alone. A pool passed in stays open for the caller.
    """
    if pool is not None:
        return _render(script_path, options, engine, progress, ffmpeg, pool)
    own = open_pool(None, options.jobs, warm_up)
    try:
        result = _render(script_path, options, engine, progress, ffmpeg, own)
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


def _write_video(folder: Path, video: Video, sound: tuple[Path, dict[str, Any]], ffmpeg: Ffmpeg
                 ) -> tuple[dict[str, tuple[Cue, ...]], dict[str, Any], MediaInfo]:
    """``folder/video.mp4`` (the video muxed with its soundtrack) and its captions: SRT, WebVTT and
    translated SRT. Returns the translated cues, the facts every manifest entry gives (duration,
    frames, probed duration, loudness) and what ffprobe saw."""
    folder.mkdir(parents=True, exist_ok=True)
    audio, loudness = sound
    mux(ffmpeg, video.target, audio, folder / "video.mp4", copy_audio=True)
    p, fmt, timeline = video.prepared, video.fmt, video.timeline
    atomic_write_text(folder / "captions.srt", srt_text(timeline.cues))
    atomic_write_text(folder / "captions.vtt", vtt_text(timeline.cues))
    translations = translated_tracks(p.specs, spoken_words(p.speeches, timeline), fmt.fps, fmt.name)
    for lang, cues in translations.items():
        atomic_write_text(folder / f"captions.{lang}.srt", srt_text(cues))
    info = probe(ffmpeg, folder / "video.mp4")
    facts = {
        "duration_s": round(timeline.total_frames / float(timeline.fps), 3),
        "frames": timeline.total_frames,
        "probed_duration_s": round(info.duration_s, 3),
        "loudness": loudness,
    }
    return translations, facts, info


def _write_format(staging: Path, video: Video, sound: tuple[Path, dict[str, Any]], stills: list[bytes],
                  ffmpeg: Ffmpeg, options: RenderOptions) -> dict[str, object]:
    """One format's folder: video, captions, player page, tracks, poster, storyboard; its manifest entry."""
    p, fmt, timeline = video.prepared, video.fmt, video.timeline
    folder = staging / fmt.name
    translations, facts, info = _write_video(folder, video, sound, ffmpeg)
    # the player page lists the translated tracks; format_files writes their WebVTT
    for name, data in format_files(p.script, p.specs, fmt, timeline, stills, p.book, translations).items():
        atomic_write_bytes(folder / name, data)
    return {
        **facts,
        "resolution": [fmt.width, fmt.height],
        "fps": str(fmt.fps),
        "video_codec": info.video_codec,
        "audio_codec": info.audio_codec,
        "word_timing": "estimated" if any(sp.estimated for sp, _ in p.speeches.values()) else "measured",
        "preview": options.preview,
    }


def _render(script_path: Path, options: RenderOptions, engine: Engine | None, progress: Progress,
            ffmpeg: Ffmpeg | None, pool: WorkPool) -> RenderResult:
    prepared = prepare(script_path, options, engine=engine, progress=progress)
    ffmpeg = ffmpeg or Ffmpeg(options.ffmpeg)
    script = prepared.script
    counts: dict[str, dict[str, int]] = {}
    cuts = select_cuts(script, options.cuts)
    keep = tuple(name for name in FORMATS if name not in options.formats)
    format_info: dict[str, dict[str, object]] = {}

    def waiting() -> None:  # said once; then the render waits for the other one, however long
        progress.note(f"{options.out / script.id}: another render of {script.id} is writing here; "
                      "waiting for it to finish")

    lock = output_lock(options.out, script.id, waiting if options.wait_for_output else None)
    with lock, staged_output(options.out, script.id, keep) as staging:
        with tempfile.TemporaryDirectory(prefix=f".{script.id}.tmp-", dir=options.out) as tmp_name:
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
            with ThreadPoolExecutor(max_workers=1) as audio_worker:
                mixing = audio_worker.submit(_soundtracks, videos + cut_videos, options, ffmpeg)
                for video, stills in _encode_videos(videos + cut_videos, options, ffmpeg, progress, counts, pool):
                    sound = mixing.result()[video.label]
                    if video.label in cut_at:
                        cut, positions = cut_at[video.label]
                        relative = Path(video.fmt.name) / "cuts" / cut.name
                        translations, facts, _ = _write_video(staging / relative, video, sound, ffmpeg)
                        cuts_done[video.label] = write_cut(cut, video, positions, staging, relative, translations,
                                                           facts, stills, counts[video.label])
                    else:
                        formats_done[video.label] = _write_format(staging, video, sound, stills, ffmpeg, options)
            for video in videos:
                format_info[video.fmt.name] = formats_done[video.label]
            cut_results = [cuts_done[video.label] for video in cut_videos]  # in the script's order
            for cut in cut_results:
                format_info[cut.format].setdefault("cuts", {})[cut.name] = cut.manifest  # type: ignore[union-attr]
            first = prepared.timelines[prepared.formats[0].name]
            atomic_write_text(staging / "transcript.txt", transcript_text(script, prepared.specs, first))
            timelines = {f.name: prepared.timelines[f.name] for f in prepared.formats}
            for name, data in package_files(script, prepared.specs, timelines, prepared.theme).items():
                atomic_write_bytes(staging / name, data)
            manifest = build_manifest(staging, script, format_info, previous=options.out / script.id)
            atomic_write_text(staging / "manifest.json", manifest)
        files = tuple(sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file()))
    folder = options.out / script.id
    return RenderResult(
        folder, prepared.timelines[prepared.formats[0].name], tuple(folder / f for f in files),
        prepared.synthesized, sum(c["encoded"] for c in counts.values()),
        sum(c["cached"] for c in counts.values()), tuple(cut_results),
    )
