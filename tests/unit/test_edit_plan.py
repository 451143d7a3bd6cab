"""The edit plan, pure: hand-made timelines in, exact placements out (no files, no OpenTimelineIO)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.publish.edit import EditMedia
from claimreel.publish.edit_plan import (AUDIO_RATE, NarrationSpan, PlanMedia, SourcePlay, lanes, narration_spans,
                                         plan_edit)
from claimreel.timeline.model import AudioPlacement, Scene, Timeline

FPS = Fraction(30)


def _timeline(fps: Fraction = FPS, audio: tuple[AudioPlacement, ...] = ()) -> Timeline:
    scenes = (Scene(0, "title", None, 0, 40, "Title"), Scene(1, "clip", 0, 40, 100, "River footage"),
              Scene(2, "verdict", None, 100, 130, "Verdict: False"))
    return Timeline(fps, scenes, (), audio)


def _scenes(timeline: Timeline) -> list[EditMedia]:
    return [EditMedia(Path(f"/e/media/{s.index:02d}.mp4"), timeline.fps, s.frames, 1080, 1920)
            for s in timeline.scenes]


def _footage(frames: int = 75, rate: Fraction = Fraction(25)) -> EditMedia:
    return EditMedia(Path("/e/media/02-source-river.mp4"), rate, frames, 1280, 720, sound=True)


def _plan(timeline: Timeline, sources=None, narration=(), spans=(), music=None):
    media = PlanMedia(_scenes(timeline), sources or {}, narration, music, "bed.ogg")
    return plan_edit("Check (9x16)", timeline, (1080, 1920), media, spans)


def test_every_scene_plays_its_rendered_file_end_to_end():
    timeline = _timeline()
    plan = _plan(timeline)
    scenes = plan.tracks[0]
    assert (scenes.name, scenes.kind, scenes.enabled) == ("Scenes", "video", True)
    assert [(c.name, c.record_start, c.frames, c.source_start) for c in scenes.clips] == [
        ("Title", 0, 40, 0), ("River footage", 40, 60, 0), ("Verdict: False", 100, 30, 0)]
    assert plan.total_frames == 130 and (plan.width, plan.height) == (1080, 1920)
    assert [(m.name, m.frame) for m in plan.markers] == [("Title", 0), ("River footage", 40), ("Verdict: False", 100)]


def test_a_clip_scene_offers_its_raw_footage_on_a_disabled_track():
    """The render's scene plays (crop, graphics, captions); the footage is there to re-cut, silent in the
    picture, heard on its own track where the render plays its sound."""
    timeline = _timeline()
    play = SourcePlay(_footage(), Fraction(1, 2), Fraction(5, 2), sound=True)
    plan = _plan(timeline, {1: play})
    names = [(t.name, t.kind, t.enabled) for t in plan.tracks]
    assert names == [("Scenes", "video", True), ("Source video", "video", False), ("Narration", "audio", True),
                     ("Clip sound", "audio", True)]
    assert plan.tracks[0].clips[1].media.path.name == "01.mp4"  # the rendered scene, not the footage
    (raw,) = plan.tracks[1].clips
    assert (raw.name, raw.record_start, raw.frames, raw.source_start) == ("River footage (source)", 40, 60, 15)
    assert raw.media.rate == 25 and (raw.media.width, raw.media.height) == (1280, 720)
    assert plan.tracks[3].clips == (raw,)


def test_footage_shorter_than_its_scene_is_cut_at_the_files_end():
    play = SourcePlay(_footage(frames=50), Fraction(1), Fraction(4))  # 2 s of file: 1 s from the start
    plan = _plan(_timeline(), {1: play})
    (raw,) = plan.tracks[1].clips
    assert (raw.source_start, raw.frames) == (30, 30)
    assert [t.name for t in plan.tracks] == ["Scenes", "Source video", "Narration"]  # muted: no clip sound


def test_a_range_starting_past_the_files_end_offers_nothing():
    plan = _plan(_timeline(), {1: SourcePlay(_footage(frames=25), Fraction(2), Fraction(3))})
    assert [t.name for t in plan.tracks] == ["Scenes", "Narration"]


@pytest.mark.parametrize("fps", [Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30)])
def test_narration_starts_on_the_frame_its_speech_starts_in_and_keeps_every_sample(fps):
    audio = (AudioPlacement(0, 5, 1010, "a"), AudioPlacement(1, 1025, 500, "b"), AudioPlacement(2, 3333, 900, "c"))
    samples = [1010 * 48, 500 * 48, 900 * 48]
    spans = narration_spans(_timeline(fps, audio), samples)
    for placement, count, span in zip(audio, samples, spans):
        start = Fraction(span.start) / fps
        assert start <= Fraction(placement.start_ms, 1000) < start + 1 / fps
        assert abs(Fraction(span.lead, AUDIO_RATE) - (Fraction(placement.start_ms, 1000) - start)) <= Fraction(1, AUDIO_RATE)
        assert span.lead + count <= span.samples  # nothing cut
        assert span.samples == round(Fraction(span.frames) / fps * AUDIO_RATE)  # whole frames
        assert span.samples - (span.lead + count) < AUDIO_RATE / fps + 1  # padded by less than a frame


def test_narration_blocks_that_touch_go_on_a_second_lane():
    """Block A's padding to a whole frame reaches past block B's first frame: B goes on ``Narration 2``."""
    audio = (AudioPlacement(0, 5, 1010, "a"), AudioPlacement(1, 1025, 500, "b"))
    timeline = _timeline(FPS, audio)
    spans = narration_spans(timeline, [1010 * 48, 500 * 48])
    assert spans == (NarrationSpan(0, 240, 31, 31 * 1600), NarrationSpan(30, 1200, 16, 16 * 1600))
    files = [EditMedia(Path(f"/e/media/narration-0{n}.wav"), FPS, s.frames, sound=True) for n, s in enumerate(spans)]
    plan = _plan(timeline, narration=files, spans=spans)
    assert [(t.name, [(c.name, c.record_start) for c in t.clips]) for t in plan.tracks[1:]] == [
        ("Narration", [("Narration: Title", 0)]), ("Narration 2", [("Narration: River footage", 30)])]
    assert [t.name for t in lanes("Narration", plan.tracks[1].clips)] == ["Narration"]


def test_music_spans_the_whole_timeline():
    bed = EditMedia(Path("/e/media/music.wav"), FPS, 130, sound=True)
    plan = _plan(_timeline(), music=bed)
    (clip,) = plan.tracks[-1].clips
    assert (plan.tracks[-1].name, clip.name, clip.record_start, clip.frames) == ("Music", "Music: bed.ogg", 0, 130)


def test_times_are_exact_at_ntsc_rates():
    fps = Fraction(30000, 1001)
    plan = _plan(_timeline(fps))
    assert plan.seconds(100) == Fraction(100 * 1001, 30000)
    assert _footage(75, fps).duration == Fraction(75 * 1001, 30000)
