"""Preparing a render: the script loaded and checked, laid out in its formats, narrated, and timed.

Everything that can fail on bad input runs here, before any encoding, so bad
input costs seconds and writes nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..captions.rules import rules_for_format, sidecar_rules
from ..encode.ffmpeg import Ffmpeg
from ..encode.profiles import load_profile, profile_roots
from ..executor import WorkPool
from ..layout.formats import get_format
from ..narration import SpeechCache
from ..narration.base import Engine, Speech
from ..narration.plan import speak_all
from ..script.load import LoadedScript
from ..timeline.build import NarrationTiming, build_timeline, caption_names, plan_scenes
from ..timeline.model import Timeline
from .checks import ends_on_card
from .cuts import cut_openers, end_spec
from .killpoint import kill_point
from .layouts import layout_all, layout_end_cards
from .limits import check_duration
from .prepared import Prepared, Video
from .progress import NullProgress, Progress
from .request import RenderOptions
from .problems import check_all

__all__ = ["narration_timings", "prepare", "sidecar_timeline"]


def prepare(
    script_path: Path | LoadedScript,
    options: RenderOptions,
    *,
    engine: Engine | None = None,
    progress: Progress = NullProgress(),
    pool: WorkPool | None = None,
    sign: bool = False,
) -> Prepared:
    """The script checked, laid out and narrated; with a remote ``pool`` (a cluster) the narration
    blocks missing from the speech cache are synthesised there. ``sign``: check the signing identity
    (``options.signing``, else the theme's) for a render that publishes; others never read a key.
    ``script_path`` may be a script already loaded (a queued task's, as it was submitted)."""
    formats = tuple(get_format(name) for name in options.formats)
    # Every problem of the script at once, found before any sound or picture work (layout included:
    # layout errors are input errors). A draft must not accept text that the final render refuses
    # (half-size layout rounds differently), so it is checked at full size too.
    checked = check_all(script_path, formats=formats, voice=options.voice, limits=options.limits,
                        ffmpeg=Ffmpeg(options.ffmpeg), signing=options.signing, sign=sign)
    loaded, theme, book = checked.ready()
    specs = plan_scenes(loaded.script)
    prepared = Prepared(loaded, theme, book, specs, {}, formats, signing=checked.signing)
    prepared.layouts, prepared.end_cards = checked.layouts, checked.end_cards
    if options.preview:
        prepared.formats = tuple(f.preview() for f in formats)
        prepared.layouts = layout_all(loaded, theme, book, prepared.formats)
        if ends_on_card(loaded.script):
            prepared.end_cards = layout_end_cards(loaded, theme, book, prepared.formats)
    formats = prepared.formats
    if loaded.script.url is not None:
        _end_on_card(prepared)
        specs = prepared.specs
    prepared.openers = cut_openers(prepared)
    prepared.profile = load_profile(options.loudness or loaded.script.loudness, profile_roots(loaded.root))
    ffmpeg = Ffmpeg(options.ffmpeg)
    prepared.music = _load_music(loaded, ffmpeg)
    cache = SpeechCache(options.cache / "speech")
    progress.start("narration", sum(1 for s in specs if s.narration))
    prepared.speeches = speak_all(loaded, specs, cache, engine_override=options.voice, engine=engine,
                                  ffmpeg=ffmpeg, advance=lambda: progress.advance("narration"), pool=pool,
                                  saying=lambda: _import_audio_stack(options))
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


def _end_on_card(prepared: Prepared) -> None:
    """The full video ends as its cuts do, on the end card (the verdict, the outlet's mark and the
    fact-check's address): a last scene after the credits, in every format."""
    first = prepared.formats[0].name
    prepared.specs = (*prepared.specs, end_spec(prepared, prepared.end_cards[first]))
    prepared.layouts = {name: (*scenes, prepared.end_cards[name]) for name, scenes in prepared.layouts.items()}


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


def _import_audio_stack(options: RenderOptions) -> None:
    """Start importing what a final mix needs (SciPy's signal module alone takes about 0.85 CPU-s) in
    the background while the voice says an edit's blocks here: its inference leaves the GIL and the
    other core free, and a changed block means the soundtrack is mixed again. A draft mixes without it."""
    if options.preview:
        return
    import threading

    from .mixdown import warm_up

    threading.Thread(target=warm_up, name="claimreel-audio-import", daemon=True).start()
