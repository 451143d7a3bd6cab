"""Extended audio description (WCAG 1.2.7): ``video-described.mp4``, where the picture holds its frame
while what does not fit in the narration's gaps is said.

Each scene's parts are said in its gaps where they fit in full (:func:`.described.fit_parts`, short
forms not offered); the rest is said over the scene's last frame, held for as long as that takes. The
held video is a timeline like any other (:func:`held_timeline`: the scene lengthened, everything after
it later), so its soundtrack is mixed, ducked, normalised and cached as the described track is, its
captions are its own cues, and its picture is the rendered video with those frames repeated
(:func:`hold_frames`: one re-encode, the only extra picture work).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..encode.ffmpeg import Ffmpeg, media_path
from ..encode.segments import VideoSettings, run_into
from ..narration.base import Speech
from ..timeline.gaps import GUARD_MS, scene_gaps
from ..timeline.model import Timeline, frame_to_ms
from ..publish.description_text import Part
from .described import PAUSE_MS, Said, fit_parts

__all__ = ["Extended", "held_timeline", "hold_frames", "plan_extended", "write_extended"]


@dataclass(frozen=True)
class Extended:
    """The extended version of a video: its held timeline, what is said, and each hold (scene position,
    frames added after its last frame)."""

    timeline: Timeline
    said: tuple[Said, ...]
    holds: tuple[tuple[int, int], ...]

    def report(self) -> dict[str, Any]:
        return {"file": "video-described.mp4", "duration_s": round(self.timeline.duration_ms / 1000, 3),
                "holds": [{"scene": self.timeline.scenes[p].title, "frames": f} for p, f in self.holds],
                "parts_said": len(self.said)}


def held_timeline(timeline: Timeline, holds: Sequence[tuple[int, int]]) -> Timeline:
    """``timeline`` with scene ``p`` lengthened by ``frames`` for each hold ``(p, frames)``, and every
    scene, narration, clip sound and cue after it moved later by as much."""
    added = dict(holds)
    scenes, shift_frames = [], 0
    boundaries: list[tuple[int, int]] = []  # (original end in ms, frames added by then)
    for position, scene in enumerate(timeline.scenes):
        start = scene.start_frame + shift_frames
        shift_frames += added.get(position, 0)
        scenes.append(dataclasses.replace(scene, start_frame=start, end_frame=scene.end_frame + shift_frames))
        boundaries.append((frame_to_ms(scene.end_frame, timeline.fps), shift_frames))

    def later(ms: int) -> int:
        frames = 0
        for end_ms, by in boundaries:
            if ms >= end_ms:
                frames = by
        return ms + frame_to_ms(frames, timeline.fps)

    audio = tuple(dataclasses.replace(a, start_ms=later(a.start_ms)) for a in timeline.audio)
    sounds = tuple(dataclasses.replace(s, start_ms=later(s.start_ms)) for s in timeline.sounds)
    cues = tuple(dataclasses.replace(c, start_ms=later(c.start_ms), end_ms=later(c.start_ms) + c.duration_ms)
                 for c in timeline.cues)
    return dataclasses.replace(timeline, scenes=tuple(scenes), audio=audio, sounds=sounds, cues=cues)


def plan_extended(timeline: Timeline, parts: Sequence[Sequence[Part]], say: Callable[[str], tuple[Speech, str]]
                  ) -> Extended:
    """Where each scene's parts are said: in its gaps when whole, else over its held last frame."""
    gaps = scene_gaps(timeline)
    in_gaps: list[tuple[int, str, int]] = []  # (scene, text, start ms on the original clock)
    over: dict[int, list[str]] = {}
    for position, scene_parts in enumerate(parts):
        whole = [Part(p.text, None, p.essential) for p in scene_parts]
        placed, _, rest = fit_parts(whole, gaps.get(position, []), lambda text: say(text)[0].duration_ms)
        in_gaps += [(position, text, start) for text, start in placed]
        if rest:
            over[position] = rest
    holds = []
    for position, texts in over.items():
        need = sum(say(t)[0].duration_ms for t in texts) + PAUSE_MS * (len(texts) - 1) + 2 * GUARD_MS
        holds.append((position, math.ceil(need * timeline.fps / 1000)))
    held = held_timeline(timeline, holds)
    said = [Said(p, _moved(timeline, held, p, start), text, *say(text)) for p, text, start in in_gaps]
    for position, texts in over.items():
        cursor = frame_to_ms(timeline.scenes[position].end_frame + _added_before(holds, position), timeline.fps)
        cursor += GUARD_MS
        for text in texts:
            speech, key = say(text)
            said.append(Said(position, cursor, text, speech, key))
            cursor += speech.duration_ms + PAUSE_MS
    return Extended(held, tuple(sorted(said, key=lambda s: s.start_ms)), tuple(holds))


def _added_before(holds: Sequence[tuple[int, int]], position: int) -> int:
    """Frames the holds of scenes before ``position`` add."""
    return sum(frames for p, frames in holds if p < position)


def _moved(original: Timeline, held: Timeline, position: int, ms: int) -> int:
    """A time inside scene ``position`` on the held clock."""
    before = frame_to_ms(original.scenes[position].start_frame, original.fps)
    return ms - before + frame_to_ms(held.scenes[position].start_frame, held.fps)


def hold_frames(ffmpeg: Ffmpeg, video: Path, timeline: Timeline, holds: Sequence[tuple[int, int]],
                settings: VideoSettings, out: Path) -> Path:
    """``video`` (video only, of ``timeline``) with each held scene's last frame repeated, re-encoded
    with ``settings``, at ``out``."""
    added = dict(holds)
    cuts, start = [], 0
    for position, scene in enumerate(timeline.scenes):
        if position in added or position == len(timeline.scenes) - 1:
            cuts.append((start, scene.end_frame, added.get(position, 0)))
            start = scene.end_frame
    chains = [f"[0:v]trim=start_frame={a}:end_frame={b},setpts=PTS-STARTPTS"
              + (f",tpad=stop_mode=clone:stop={hold}" if hold else "") + f"[v{i}]"
              for i, (a, b, hold) in enumerate(cuts)]
    graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(len(cuts))) + f"concat=n={len(cuts)}:v=1:a=0[out]"
    s = settings
    run_into(ffmpeg, out, lambda tmp: [
        "-i", media_path(video), "-filter_complex", graph, "-map", "[out]", "-an",
        "-c:v", "libx264", "-preset", s.preset, "-crf", str(s.crf), *(["-tune", s.tune] if s.tune else []),
        "-profile:v", s.profile, "-pix_fmt", s.pix_fmt, "-colorspace", s.matrix, "-color_primaries", "bt709",
        "-color_trc", "bt709", "-color_range", "tv", "-movflags", "+faststart", "-f", "mp4", media_path(tmp)])
    return out


def write_extended(folder: Path, picture: Path, extended: Extended, audio: Path, captions: Timeline, language: str,
                   settings: VideoSettings, ffmpeg: Ffmpeg) -> dict[str, Any]:
    """``folder/video-described.mp4`` (``picture``, the rendered video alone, held; ``audio`` its
    described soundtrack, the file's only sound) and its captions, ``captions-described.vtt`` and
    ``.srt`` (``captions``: the caption files' timeline, moved by the same holds). Its manifest entry."""
    from ..publish.srt import srt_text
    from ..publish.vtt import vtt_text
    from .output import atomic_write_text

    held_picture = picture.with_name(picture.stem + "-held.mp4")
    hold_frames(ffmpeg, picture, captions, extended.holds, settings, held_picture)
    run_into(ffmpeg, folder / "video-described.mp4", lambda tmp: [
        "-i", media_path(held_picture), "-i", media_path(audio), "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
        "-metadata:s:a:0", f"language={language}", "-metadata:s:a:0", "title=Audio description (extended)",
        "-metadata:s:a:0", "handler_name=Audio description (extended)", "-disposition:a:0", "default+descriptions",
        "-movflags", "+faststart", "-f", "mp4", media_path(tmp)])
    held_picture.unlink(missing_ok=True)
    cues = held_timeline(captions, extended.holds).cues
    atomic_write_text(folder / "captions-described.vtt", vtt_text(cues))
    atomic_write_text(folder / "captions-described.srt", srt_text(cues))
    return extended.report()
