"""Writing a render's files into its staging folder: each video muxed with its soundtracks, its
captions, player page, tracks, poster and storyboard, and the facts its manifest entry gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..captions.translate import translated_tracks
from ..encode.ffmpeg import Ffmpeg
from ..encode.language import iso639_2
from ..encode.probe import MediaInfo, probe
from ..encode.segments import DescribedAudio
from ..publish.package import format_files
from ..publish.srt import srt_text
from ..publish.vtt import vtt_text
from ..timeline.model import Cue, spoken_words
from .describing import Sound
from .encoding import video_settings
from .joined import muxed_video
from .output import atomic_write_bytes, atomic_write_text
from .prepare import sidecar_timeline
from .prepared import Video
from .request import RenderOptions

__all__ = ["write_format", "write_video"]


def write_video(folder: Path, video: Video, sound: Sound, ffmpeg: Ffmpeg, cache: Path
                 ) -> tuple[dict[str, tuple[Cue, ...]], dict[str, Any], MediaInfo]:
    """``folder/video.mp4`` (the video muxed with its soundtrack, then its described soundtrack) and
    its captions: SRT, WebVTT and translated SRT. Returns the translated cues, the facts every
    manifest entry gives (duration, frames, probed duration, loudness, the audio description) and
    what ffprobe saw. ``cache``: the render's cache (the muxed video is kept there)."""
    folder.mkdir(parents=True, exist_ok=True)
    (audio, loudness), (described_audio, described_loudness) = sound.main, sound.described
    p, fmt, timeline = video.prepared, video.fmt, video.timeline
    language = iso639_2(p.script.language)
    muxed_video(ffmpeg, video.target, audio, folder / "video.mp4", DescribedAudio(described_audio, language),
                cache / "videos")
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


def write_format(staging: Path, video: Video, sound: Sound, stills: list[bytes],
                  ffmpeg: Ffmpeg, options: RenderOptions, credentials: str = "") -> dict[str, object]:
    """One format's folder: video, captions, player page, tracks, poster, storyboard; its manifest entry."""
    p, fmt = video.prepared, video.fmt
    folder = staging / fmt.name
    translations, facts, info = write_video(folder, video, sound, ffmpeg, options.cache)
    if sound.extended is not None:
        from .extended import write_extended

        extended, (audio, loudness) = sound.extended
        facts["audio_description"]["extended"] = {
            **write_extended(folder, video.target, extended, audio, sidecar_timeline(video),
                             iso639_2(p.script.language), video_settings(fmt, options.preview), ffmpeg),
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

