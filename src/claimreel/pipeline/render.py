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
from typing import Any, Callable, Iterator, Sequence

from ..captions.rules import rules_for_format, sidecar_rules
from ..captions.translate import translated_tracks
from ..compose.frames import Motion
from ..encode.ffmpeg import Ffmpeg
from ..executor import WorkPool, open_pool
from ..encode.profiles import load_profile, profile_roots
from ..encode.probe import MediaInfo, probe
from ..encode.language import iso639_2
from ..encode.segments import DescribedAudio, VideoSettings, concat_segments, mux
from ..errors import ClaimreelError, LayoutError, ScriptError
from ..layout.elements import SceneLayout
from ..layout.formats import FORMATS, Format, get_format
from ..layout.labels import primary_language
from ..layout.scenes import SceneContext, layout_scene
from ..layout.text import FontBook, check_coverage
from ..layout.typography import typeset_script
from ..layout.theme import Theme, contrast_problems, load_theme, themes_for, themes_root
from ..narration import SpeechCache
from ..narration.plan import check_sound_assets, speak_all
from ..narration.disclosure import manifest_entries, with_engine
from ..narration.voice_checks import check_voice
from ..narration.base import Engine, Speech
from ..publish.credentials import SigningRequest
from ..publish.images import scene_still
from ..publish.manifest import build_manifest
from ..publish.package import format_files, package_files
from ..publish.srt import srt_text
from ..publish.transcript import transcript_text
from ..publish.vtt import vtt_text
from ..script.load import LoadedScript, load_script
from ..script.model import Script
from ..timeline.build import NarrationTiming, build_timeline, caption_names, plan_scenes
from ..timeline.model import Cue, Timeline, spoken_words
from .describing import Sound, video_describer
from .described import Description
from .extended import Extended
from .cuts import CutResult, cut_view, select_cuts, write_cut
from .killpoint import kill_point
from .limits import Limits, check_duration, check_pixels, check_text_length, long_word_problem
from .media import check_media
from .output import atomic_write_bytes, atomic_write_text, output_lock, output_root, staged_output
from .prepared import Prepared, Video
from .progress import NullProgress, Progress
from .segments import (SegmentJob, cached_segment_ok, piece_frames, piece_spans, read_still, render_segment,
                       scene_cues, segment_key, sweep_partials, warm_up)
from .signing import disclosure_for, sign_staged, signing_identity

__all__ = ["Prepared", "RenderOptions", "RenderResult", "check_script", "layout_all", "layout_end_cards", "prepare",
           "render", "script_warnings", "segment_jobs", "sidecar_timeline", "with_verdict_word"]


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = ("16x9",)
    out: Path = Path("render/out")
    cache: Path = Path("render/cache")
    preview: bool = False
    described: str = "track"  # audio description: the track in every video; "extended": also video-described.mp4
    voice_engine: str | None = None
    jobs: int = 0  # 0: one worker per core
    ffmpeg: str | None = None
    profile: str | None = None  # loudness profile; default: the script's, else web
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


def script_warnings(script: Script) -> list[str]:
    """What a valid script leaves out that a publisher may want (``validate`` prints them; exit 0)."""
    if script.publish is None:
        return ["no publish.media_base_url: claimreview.jsonld will have no contentUrl, embedUrl or thumbnailUrl "
                "(set publish: {media_base_url: https://...} or render --media-base-url URL)"]
    return []


def media_base_url(script: Script, options: RenderOptions) -> str | None:
    """Where the package is served: ``--media-base-url``, else the script's ``publish.media_base_url``."""
    return options.media_base_url or (script.publish.media_base_url if script.publish else None)


def _theme_for(loaded: LoadedScript) -> Theme:
    """The script's theme; one it names that does not exist is an error at its ``theme:`` line."""
    name = loaded.script.theme
    root = themes_for(loaded.root, name)
    if not (root / name / "theme.yaml").is_file():
        known = sorted({p.parent.name for r in (loaded.root / "assets" / "themes", themes_root())
                        for p in r.glob("*/theme.yaml")})
        raise ScriptError([loaded.problem(("theme",), f"no theme named {name!r}", f"known themes: {', '.join(known)}")])
    return load_theme(name, root)


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
                     "source", "narration", "where"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                texts[f"body.{i}.{name}"] = value
        for j, item in enumerate(getattr(block, "compare", None) or ()):
            texts[f"body.{i}.compare.{j}.label"] = item.label
        for name in ("transcript", "translation"):  # burned in as captions
            for j, line in enumerate(getattr(block, name, None) or ()):
                texts[f"body.{i}.{name}.{j}.text"] = line.text + (f" {line.speaker}" if line.speaker else "")
    if script.claim.clip is not None:
        for j, line in enumerate(script.claim.clip.spoken):
            texts[f"claim.clip.spoken.{j}.text"] = line.text + (f" {line.speaker}" if line.speaker else "")
    for i, credit in enumerate(script.credits):
        texts[f"credits.{i}"] = f"{credit.role} {credit.name}"
    for i, source in enumerate(script.sources):
        texts[f"sources.{i}"] = f"{source.title} {source.publisher or ''}"
    return texts


def check_rating(loaded: LoadedScript, theme: Theme) -> None:
    """``verdict.rating`` must be one of the ratings of the script's theme (exit 2 pointing at it)."""
    from ..script.checks import check_rating as failure_for

    failure = failure_for(loaded.script.verdict.rating, theme.rating_labels)
    if failure is not None:
        message = f"theme {theme.name!r} has no rating {loaded.script.verdict.rating!r}"
        raise ScriptError([loaded.problem(("verdict", "rating"), message, failure.hint)])


def with_verdict_word(loaded: LoadedScript, theme: Theme) -> LoadedScript:
    """``loaded`` with ``verdict.label`` filled from the theme (its name for the rating in the
    script's language) when the script gives none, so the card, transcripts, tracks, chapters,
    storyboard and structured data all say the same word (``Verdict.shown``)."""
    verdict = loaded.script.verdict
    if verdict.label:
        return loaded
    word = theme.labels_for(loaded.script).rating(theme.rating(verdict.rating).label)
    script = loaded.script.model_copy(update={"verdict": verdict.model_copy(update={"label": word})})
    return dataclasses.replace(loaded, script=script)


def check_script(loaded: LoadedScript, voice_engine: str | None = None) -> tuple[Theme, FontBook]:
    """Rating, theme, contrast, voice and font coverage checks shared by ``validate`` and ``render``
    (``voice_engine``: the engine ``--voice`` chose for every block)."""
    theme = _theme_for(loaded)
    check_rating(loaded, theme)
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
    check_voice(loaded, voice_engine)
    texts = {f"{loaded.path}: {k}": v for k, v in script_texts(loaded.script).items()}
    if loaded.script.cuts:  # the cuts end on the theme's end card, whose heading is in the script's language
        headings = theme.end_card.heading
        texts[f"{theme.folder / 'theme.yaml'}: end_card.heading"] = headings.get(
            primary_language(loaded.script.language)) or headings.get("en", "")
    check_coverage(book, texts)
    return theme, book


def prepare(
    script_path: Path,
    options: RenderOptions,
    *,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
    pool: WorkPool | None = None,
    sign: bool = False,
) -> Prepared:
    """The script checked, laid out and narrated; with a remote ``pool`` (a cluster) the narration
    blocks missing from the speech cache are synthesised there. ``sign``: check the signing identity
    (``options.signing``, else the theme's) for a render that publishes; others never read a key."""
    loaded = load_script(script_path)
    theme, book = check_script(loaded, options.voice_engine)
    signing = signing_identity(options.signing, theme) if sign else None  # fails before anything renders
    loaded = with_verdict_word(loaded, theme)
    # --voice laid into the script, so the credits, transcript and manifest name who really speaks
    loaded = dataclasses.replace(loaded, script=with_engine(loaded.script, options.voice_engine))
    check_text_length(loaded, script_texts(loaded.script), options.limits)
    check_pixels(loaded, options.limits)
    check_media(loaded, options.limits, Ffmpeg(options.ffmpeg))
    formats = tuple(get_format(name) for name in options.formats)
    if options.preview:
        # A draft must not accept text that the final render refuses (half-size layout rounds differently).
        layout_all(loaded, theme, book, formats)
        formats = tuple(f.preview() for f in formats)
    specs = plan_scenes(loaded.script)
    prepared = Prepared(loaded, theme, book, specs, {}, formats, signing=signing)
    # Lay out everything before any sound or picture work: layout errors are input errors.
    prepared.layouts = layout_all(loaded, theme, book, formats)
    if loaded.script.cuts:
        prepared.end_cards = layout_end_cards(loaded, theme, book, formats)
    prepared.profile = load_profile(options.profile or loaded.script.loudness, profile_roots(loaded.root))
    ffmpeg = Ffmpeg(options.ffmpeg)
    prepared.music = _load_music(loaded, ffmpeg)
    cache = SpeechCache(options.cache / "speech")
    progress.start("narration", sum(1 for s in specs if s.narration))
    prepared.speeches = speak_all(loaded, specs, cache, engine_override=options.voice_engine, engine=engine,
                                  ffmpeg=ffmpeg, advance=lambda: progress.advance("narration"), pool=pool)
    kill_point("synthesis")
    prepared.synthesized = cache.misses
    timings = narration_timings(prepared.speeches)
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


def narration_timings(speeches: dict[int, tuple[Speech, str]]) -> dict[int, NarrationTiming]:
    """What the timeline needs of each scene's speech, by the scene's position."""
    return {i: NarrationTiming(speech.duration_ms, speech.words, key) for i, (speech, key) in speeches.items()}


def sidecar_timeline(video: Video) -> Timeline:
    """``video``'s timeline with the cues of its caption files, cut by the rules
    :func:`~claimreel.captions.rules.sidecar_rules` gives its format; the scenes are the video's own."""
    p, fmt, timeline = video.prepared, video.fmt, video.timeline
    rules = sidecar_rules(fmt.name)
    if rules_for_format(fmt.name) == rules:
        return timeline
    files = build_timeline(p.specs, narration_timings(p.speeches), fmt.fps, rules, names=caption_names(p.script))
    end = timeline.duration_ms
    cues = tuple(dataclasses.replace(c, end_ms=min(c.end_ms, end)) for c in files.cues if c.start_ms < end)
    return dataclasses.replace(timeline, cues=cues)


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
    shown = typeset_script(script)  # what cards draw: the language's quotation marks and apostrophes
    specs = plan_scenes(script)
    out = {}
    for fmt in formats:
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        problem = long_word_problem(specs, rules_for_format(fmt.name).max_chars_per_line)
        if problem:
            field, _, message = problem.partition(": ")
            raise LayoutError(str(loaded.problem(field, f"{fmt.name}: {message}")), field=field)
        scenes = []
        for spec in specs:
            block = shown.body[spec.block] if spec.block is not None else None
            ctx = SceneContext(shown, fmt, theme, book, loaded.assets, block, spec.block, spec.kind)
            try:
                scenes.append(layout_scene(spec.kind, ctx))
            except LayoutError as exc:
                if not exc.field:  # not the script's text (e.g. a theme's word no font covers): says where
                    raise LayoutError(f"{loaded.path}: {fmt.name}: {exc}") from None
                # pointed at the line of the field in the script, in the producer's words
                message = exc.message.removeprefix(f"{exc.field}: ")
                problem = loaded.problem(exc.field, f"{fmt.name}: {message}")
                raise LayoutError(str(problem), field=exc.field) from None
        out[fmt.name] = tuple(scenes)
    return out



def layout_end_cards(
    loaded: LoadedScript, theme: Theme, book: FontBook, formats: Sequence[Format | str]
) -> dict[str, SceneLayout]:
    """The end card of the script's social cuts in every format (raises LayoutError if it cannot fit)."""
    shown = typeset_script(loaded.script)
    out = {}
    for fmt in formats:
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        try:
            out[fmt.name] = layout_scene("end", SceneContext(shown, fmt, theme, book, loaded.assets, kind="end"))
        except LayoutError as exc:
            raise LayoutError(f"{loaded.path}: {fmt.name}: end card: {exc}") from None
    return out


def _settings(fmt: Format, preview: bool) -> VideoSettings:
    return VideoSettings.preview(fmt.width, fmt.height, fmt.fps) if preview else VideoSettings.delivery(
        fmt.width, fmt.height, fmt.fps
    )


def _segment_jobs(prepared: Prepared, fmt: Format, seg_dir: Path, options: RenderOptions, ffmpeg: Ffmpeg
                  ) -> list[tuple[SegmentJob, str]]:
    timeline = prepared.timelines[fmt.name]
    settings = _settings(fmt, options.preview)
    # Segments run one per core; x264 frame threads on top only add memory (~60 MB each at 1080p)
    # and contention, so each encoder gets the cores left per worker.
    cores = os.cpu_count() or 1
    settings = dataclasses.replace(settings, threads=max(1, cores // (options.jobs or cores)))
    jobs = []
    for scene, layout in zip(timeline.scenes, prepared.layouts[fmt.name]):
        motion = Motion(zoom_step=2) if options.preview else Motion()
        if prepared.social and scene.index == 0:
            motion = dataclasses.replace(motion, enter=0, hero_delay=0, hero=0, photo_fade=0)
        for span in piece_spans(scene.frames, settings.keyint, piece_frames(layout, fmt, settings.keyint)):
            job = SegmentJob(
                scene.index, layout, fmt, prepared.theme, prepared.book, scene.frames,
                scene_cues(timeline, scene, span), settings,
                fade_out_all=scene.index == len(timeline.scenes) - 1,
                out_path=Path(), ffmpeg_binary=options.ffmpeg, motion=motion, span=span,
            )
            key = segment_key(job, ffmpeg.version())
            jobs.append((dataclasses.replace(job, out_path=seg_dir / f"{key}.mp4"), key))
    return jobs


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
        progress.start(label, len(jobs), kind="encode")
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
        holders = [job for job in jobs if job.holds_still]  # a scene's still is beside its middle piece
        stills = [read_still(job.out_path) or scene_still(layout, scene, video.fmt, p.theme, p.book)
                  for job, layout, scene in zip(holders, layouts, video.timeline.scenes)]
        return video, stills

    # Heaviest first (by estimated CPU: a moving scene's frames cost more than a still card's) so the
    # pool stays busy to the end; submitted before any video is finished here.
    order = sorted(todo.values(), key=lambda j: -j.cpu)
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


def _soundtracks(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg, pool: WorkPool,
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
                              clip_files=p.loaded.assets)

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
    from .mixdown import Soundtrack, cached_soundtrack, soundtrack, soundtrack_mix

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
    from .mixdown import finish_soundtrack, soundtrack_piece

    encoding: list[tuple[str, Any, Any, list[Any]]] = []
    for future in pool.as_completed(list(mixing)):
        key, track = mixing[future]
        mix = future.result()
        encoding.append((key, track, mix, [pool.submit(soundtrack_piece, job, ffmpeg) for job in track.pieces(mix)]))
    return {key: finish_soundtrack(track, ffmpeg, cache, mix, [piece.result() for piece in pieces])
            for key, track, mix, pieces in encoding}


def render(
    script_path: Path,
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


def _write_video(folder: Path, video: Video, sound: Sound, ffmpeg: Ffmpeg
                 ) -> tuple[dict[str, tuple[Cue, ...]], dict[str, Any], MediaInfo]:
    """``folder/video.mp4`` (the video muxed with its soundtrack, then its described soundtrack) and
    its captions: SRT, WebVTT and translated SRT. Returns the translated cues, the facts every
    manifest entry gives (duration, frames, probed duration, loudness, the audio description) and
    what ffprobe saw."""
    folder.mkdir(parents=True, exist_ok=True)
    (audio, loudness), (described_audio, described_loudness) = sound.main, sound.described
    p, fmt, timeline = video.prepared, video.fmt, video.timeline
    language = iso639_2(p.script.language)
    mux(ffmpeg, video.target, audio, folder / "video.mp4", copy_audio=True,
        described=DescribedAudio(described_audio, language))
    files = sidecar_timeline(video)
    atomic_write_text(folder / "captions.srt", srt_text(files.cues))
    atomic_write_text(folder / "captions.vtt", vtt_text(files.cues))
    translations = translated_tracks(p.specs, spoken_words(p.speeches, timeline), fmt.fps, fmt.name)
    for lang, cues in translations.items():
        atomic_write_text(folder / f"captions.{lang}.srt", srt_text(cues))
    info = probe(ffmpeg, folder / "video.mp4")
    facts = {
        "duration_s": round(timeline.total_frames / float(timeline.fps), 3),
        "frames": timeline.total_frames,
        "probed_duration_s": round(info.duration_s, 3),
        "loudness": loudness,
        "audio_description": {"track": 2, "language": language, "title": "Audio description",
                              "loudness": described_loudness, **sound.description.report(timeline)},
    }
    return translations, facts, info


def _write_format(staging: Path, video: Video, sound: Sound, stills: list[bytes],
                  ffmpeg: Ffmpeg, options: RenderOptions, credentials: str = "") -> dict[str, object]:
    """One format's folder: video, captions, player page, tracks, poster, storyboard; its manifest entry."""
    p, fmt = video.prepared, video.fmt
    folder = staging / fmt.name
    translations, facts, info = _write_video(folder, video, sound, ffmpeg)
    if sound.extended is not None:
        from .extended import write_extended

        extended, (audio, loudness) = sound.extended
        facts["audio_description"]["extended"] = {
            **write_extended(folder, video.target, extended, audio, sidecar_timeline(video),
                             iso639_2(p.script.language), _settings(fmt, options.preview), ffmpeg),
            "loudness": loudness}
    # the player page lists the translated tracks (format_files writes their WebVTT) and carries the
    # caption files' cues
    for name, data in format_files(p.script, p.specs, fmt, sidecar_timeline(video), stills, p.book,
                                   translations, p.theme, credentials,
                                   extended="video-described.mp4" if sound.extended else None).items():
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

    disclosed = disclosure_for(prepared, options.voice_engine, engine.name if engine is not None else None)
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
            with ThreadPoolExecutor(max_workers=1) as audio_worker:
                mixing = audio_worker.submit(_soundtracks, videos + cut_videos, options, ffmpeg, pool,
                                             video_describer(options.cache / "speech", options.voice_engine,
                                                             options.described == "extended", engine))
                for video, stills in _encode_videos(videos + cut_videos, options, ffmpeg, progress, counts, pool):
                    sound = mixing.result()[video.label]
                    if video.label in cut_at:
                        cut, positions = cut_at[video.label]
                        relative = Path(video.fmt.name) / "cuts" / cut.name
                        translations, facts, _ = _write_video(staging / relative, video, sound, ffmpeg)
                        cuts_done[video.label] = write_cut(cut, video, positions, staging, relative, translations,
                                                           facts, stills, counts[video.label])
                    else:
                        formats_done[video.label] = _write_format(staging, video, sound, stills, ffmpeg, options,
                                                                  credentials)
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


def segment_jobs(prepared: Prepared, fmt: Format, options: RenderOptions, ffmpeg: Ffmpeg, *, captions: bool = True
                 ) -> list[SegmentJob]:
    """The segments of ``fmt`` as the render plans them, in scene order, each with its place in the
    segment cache (there once the format has been rendered with these options). ``captions=False``:
    the same scenes without burned-in captions, cached under their own keys."""
    seg_dir = options.cache / "segments"
    jobs = [job for job, _ in _segment_jobs(prepared, fmt, seg_dir, options, ffmpeg)]
    if captions:
        return jobs
    bare = [dataclasses.replace(job, cues=(), out_path=Path()) for job in jobs]
    return [dataclasses.replace(job, out_path=seg_dir / f"{segment_key(job, ffmpeg.version())}.mp4") for job in bare]
