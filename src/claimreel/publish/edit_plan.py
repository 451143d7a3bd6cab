"""The edit package's plan, pure: durations in, an :class:`EditPlan` out, in exact rational time.

Nothing here reads or writes a file. The caller (:mod:`claimreel.pipeline.export`)
probes the media, counts the narration's samples and writes the package; this
module only decides what plays where:

- ``Scenes``: each scene's rendered file, so the timeline plays as the render
  does, frame for frame (a clip scene too: its footage with the crop, lower
  third, credit, corner mark and captions the video has);
- ``Source video`` (disabled): the footage a clip scene plays, raw and whole,
  at the scene's place, for an editor to re-cut from; it does not play;
- ``Narration`` (``Narration 2``, ... where a block's padding to a whole frame
  runs into the next block), ``Clip sound`` (the footage's own sound, where the
  render plays it), ``Music`` (the bed as the render mixes it);
- a chapter marker at each scene's first frame.

Times are frames of the timeline's rate (a :class:`~fractions.Fraction`); a time
in seconds becomes a frame through exact arithmetic, never a float.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from ..timeline.model import Timeline
from .edit_model import EditClip, EditMarker, EditMedia, EditPlan, EditTrack
from .tracks import chapter_cues

__all__ = ["AUDIO_RATE", "NarrationSpan", "PlanMedia", "SourcePlay", "narration_spans", "plan_edit"]

AUDIO_RATE = 48000  # Hz, what editing software expects of a video's sound


@dataclass(frozen=True)
class SourcePlay:
    """A scene playing ``start``..``end`` seconds of a source video; ``sound``: its own sound is heard."""

    media: EditMedia
    start: Fraction
    end: Fraction
    sound: bool = False


@dataclass(frozen=True)
class NarrationSpan:
    """Where a narration block's file goes: from frame ``start``, ``lead`` samples of silence before the
    speech (the speech starts inside that frame), ``frames`` whole frames long (``samples`` at 48 kHz)."""

    start: int
    lead: int
    frames: int
    samples: int


@dataclass(frozen=True)
class PlanMedia:
    """The package's files, by what they hold: one rendered file per scene, a source play per clip
    scene (by scene index), one narration file per block in playing order, the music bed if any."""

    scenes: Sequence[EditMedia]
    sources: Mapping[int, SourcePlay]
    narration: Sequence[EditMedia]
    music: EditMedia | None = None
    music_name: str = ""


def frames_to_samples(frames: int, fps: Fraction) -> int:
    return round(Fraction(frames) / fps * AUDIO_RATE)


def narration_spans(timeline: Timeline, samples: Sequence[int]) -> tuple[NarrationSpan, ...]:
    """Each block (in playing order; ``samples``: its speech's length at 48 kHz) starting on the frame
    its speech starts in: the lead silence and the padding to a whole frame keep every sample where
    the render's mix has it."""
    fps = timeline.fps
    spans = []
    for placement, count in zip(sorted(timeline.audio, key=lambda p: p.start_ms), samples):
        at = Fraction(placement.start_ms, 1000)
        start = math.floor(at * fps)
        lead = round((at - Fraction(start) / fps) * AUDIO_RATE)
        frames = math.ceil(Fraction(lead + count, AUDIO_RATE) * fps)
        spans.append(NarrationSpan(start, lead, frames, frames_to_samples(frames, fps)))
    return tuple(spans)


def lanes(name: str, clips: Sequence[EditClip]) -> list[EditTrack]:
    """``clips`` on as few tracks as keep them apart: one, unless a block's padding to a whole frame
    (or a timing override) runs into the next block, which then goes on ``<name> 2``."""
    placed: list[list[EditClip]] = []
    for clip in sorted(clips, key=lambda c: c.record_start):
        lane = next((lane for lane in placed if lane[-1].record_end <= clip.record_start), None)
        if lane is None:
            placed.append(lane := [])
        lane.append(clip)
    return [EditTrack(name if i == 0 else f"{name} {i + 1}", "audio", tuple(lane)) for i, lane in enumerate(placed)]


def _source_clip(title: str, play: SourcePlay, start_frame: int, scene_frames: int, fps: Fraction
                 ) -> EditClip | None:
    """What the scene shows of the source, raw: from the range's first frame, as long as the scene and
    the file allow."""
    first = round(play.start * fps)
    length = math.floor(play.media.duration * fps)
    shown = min(scene_frames, round((play.end - play.start) * fps), length - first)
    return EditClip(f"{title} (source)", play.media, start_frame, shown, first) if shown > 0 else None


def plan_edit(name: str, timeline: Timeline, size: tuple[int, int], media: PlanMedia,
              narration: Sequence[NarrationSpan]) -> EditPlan:
    """The timeline ``name`` of ``size`` from ``timeline``'s scenes and sound and the files that hold them."""
    fps = timeline.fps
    scenes = tuple(EditClip(scene.title, file, scene.start_frame, scene.frames)
                   for scene, file in zip(timeline.scenes, media.scenes))
    plays = [(clip, play) for scene in timeline.scenes if (play := media.sources.get(scene.index))
             if (clip := _source_clip(scene.title, play, scene.start_frame, scene.frames, fps))]
    sources = tuple(clip for clip, _ in plays)
    heard = tuple(clip for clip, play in plays if play.sound)
    titles = [timeline.scenes[p.scene_index].title for p in sorted(timeline.audio, key=lambda p: p.start_ms)]
    spoken = [EditClip(f"Narration: {title}", file, span.start, span.frames)
              for title, file, span in zip(titles, media.narration, narration)]
    tracks = [EditTrack("Scenes", "video", scenes)]
    if sources:
        tracks.append(EditTrack("Source video", "video", sources, enabled=False))
    tracks += lanes("Narration", spoken) or [EditTrack("Narration", "audio", ())]
    if heard:
        tracks.append(EditTrack("Clip sound", "audio", heard))
    if media.music is not None:
        total = timeline.total_frames
        tracks.append(EditTrack("Music", "audio", (EditClip(f"Music: {media.music_name}", media.music, 0, total),)))
    markers = tuple(EditMarker(cue.text, scene.start_frame) for cue, scene in zip(chapter_cues(timeline),
                                                                                   timeline.scenes))
    return EditPlan(name, fps, size[0], size[1], timeline.total_frames, tuple(tracks), markers)

