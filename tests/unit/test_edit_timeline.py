"""The edit package's timeline builder: gaps, overlaps, markers, FCP XML details, the source-media hook."""

from __future__ import annotations

import types
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.errors import ClaimreelError
from claimreel.pipeline.export import SourceMedia, scene_media
from claimreel.publish.edit import EditClip, EditMarker, EditPlan, EditTrack, edit_files, otio_timeline, require_adapters
from claimreel.timeline.build import SceneSpec
from claimreel.script.model import Timing

otio = pytest.importorskip("opentimelineio", reason="needs opentimelineio (pip install 'claimreel[export]')")


def _plan(tmp_path: Path, narration_at: int = 40) -> EditPlan:
    media = tmp_path / "edit" / "media"
    video = (EditClip("Title", media / "01-title.mp4", 0, 30, 30),
             EditClip("Claim", media / "02-claim.mp4", 30, 45, 45))
    sound = (EditClip("Narration: Claim", media / "02-narration.wav", narration_at, 20, 20),)
    return EditPlan("Check (16x9)", Fraction(30), 1920, 1080, 75,
                    (EditTrack("Scenes", "video", video), EditTrack("Narration", "audio", sound)),
                    (EditMarker("Title", 0), EditMarker("The claim", 30)))


def test_clips_are_placed_with_gaps_between(tmp_path):
    timeline = otio_timeline(_plan(tmp_path), lambda p: p.name)
    narration = timeline.tracks[1]
    assert [type(item).__name__ for item in narration] == ["Gap", "Clip"]
    assert narration[0].duration() == otio.opentime.RationalTime(40, 30)
    clip = narration[1]
    assert clip.range_in_parent() == otio.opentime.TimeRange(otio.opentime.RationalTime(40, 30),
                                                             otio.opentime.RationalTime(20, 30))
    assert timeline.duration().value == 75
    assert [m.name for m in timeline.tracks.markers] == ["Title", "The claim"]


def test_overlapping_clips_are_a_bug_not_a_timeline(tmp_path):
    plan = _plan(tmp_path)
    bad = EditTrack("Scenes", "video", (*plan.tracks[0].clips, EditClip("Late", Path("x.mp4"), 60, 10, 10)))
    with pytest.raises(ValueError, match="overlaps"):
        otio_timeline(EditPlan(**{**plan.__dict__, "tracks": (bad,)}), str)


def test_markers_on_clips_sit_in_each_clips_own_time(tmp_path):
    plan = _plan(tmp_path)
    plan = EditPlan(**{**plan.__dict__, "markers": (EditMarker("Mid-claim", 50),)})
    timeline = otio_timeline(plan, str, fcpx=True)
    claim = timeline.tracks[0][1]
    assert [(m.name, m.marked_range.start_time.value) for m in claim.markers] == [("Mid-claim", 20)]
    assert not list(timeline.tracks.markers)


def test_fcp7_xml_says_what_each_file_holds(tmp_path):
    pytest.importorskip("otio_fcp_adapter", reason="needs otio-fcp-adapter")
    pytest.importorskip("otio_fcpx_xml_adapter", reason="needs otio-fcpx-xml-adapter")
    files = edit_files(_plan(tmp_path), tmp_path / "edit")
    assert set(files) == {"timeline.otio", "timeline.xml", "timeline.fcpxml"}
    assert b'"target_url": "media/01-title.mp4"' in files["timeline.otio"]  # relative: the folder can move
    root = ET.fromstring(files["timeline.xml"].split(b"\n", 2)[2])
    sequence_format = root.find(".//sequence/media/video/format/samplecharacteristics")
    assert (sequence_format.findtext("width"), sequence_format.findtext("height")) == ("1920", "1080")
    for file in root.iter("file"):
        url = file.findtext("pathurl")
        if url:
            assert url.startswith("file:///")
            kinds = [child.tag for child in file.find("media")]
            assert kinds == (["video"] if url.endswith(".mp4") else ["audio"]), url
    audio_items = root.findall(".//media/audio/track/clipitem")
    assert audio_items and all(item.findtext("sourcetrack/mediatype") == "audio" for item in audio_items)


def test_missing_adapters_say_what_to_install(monkeypatch):
    monkeypatch.setattr(otio.adapters, "available_adapter_names", lambda: ["otio_json"])
    with pytest.raises(ClaimreelError, match=r"fcp_xml, fcpx_xml adapter .*pip install 'claimreel\[export\]'"):
        require_adapters()


def _loaded(block: object, tmp_path: Path) -> object:
    script = types.SimpleNamespace(body=[block])
    return types.SimpleNamespace(script=script, assets={"assets/clip.mp4": tmp_path / "assets" / "clip.mp4"},
                                 root=tmp_path)


def test_scene_media_hook_reads_a_clip_block(tmp_path):
    spec = SceneSpec("clip", 0, "Clip", None, Timing(), 4.0)
    clip = types.SimpleNamespace(type="clip", file="assets/clip.mp4", start="00:00:01.500", end=4, audio="under")
    assert scene_media(_loaded(clip, tmp_path), spec) == SourceMedia(tmp_path / "assets" / "clip.mp4", 1.5, 4.0,
                                                                     sound=True)
    muted = types.SimpleNamespace(**{**clip.__dict__, "audio": "mute", "start": "1:02.25"})
    assert scene_media(_loaded(muted, tmp_path), spec) == SourceMedia(tmp_path / "assets" / "clip.mp4", 62.25, 4.0)
    photo = types.SimpleNamespace(type="photo")
    assert scene_media(_loaded(photo, tmp_path), SceneSpec("photo", 0, "Photo", None, Timing(), 5.0)) is None
    assert scene_media(_loaded(photo, tmp_path), SceneSpec("title", None, "Title", None, Timing(), 3.5)) is None


def test_apostrophes_in_names_survive_the_fcpx_adapter(tmp_path):
    pytest.importorskip("otio_fcpx_xml_adapter", reason="needs otio-fcpx-xml-adapter")
    plan = _plan(tmp_path)
    title = EditClip("Beijing Calls Report 'Illegal'", plan.tracks[0].clips[0].media, 0, 30, 30)
    plan = EditPlan(**{**plan.__dict__, "name": "Calls Report 'Illegal' (16x9)",
                       "tracks": (EditTrack("Scenes", "video", (title, plan.tracks[0].clips[1])), plan.tracks[1]),
                       "markers": (EditMarker("Beijing Calls Report 'Illegal'", 0),)})
    files = edit_files(plan, tmp_path / "edit")
    assert "Beijing Calls Report ’Illegal’" in files["timeline.fcpxml"].decode()
    # the other timelines keep the name as written
    assert "Beijing Calls Report 'Illegal'" in files["timeline.otio"].decode()


def test_narration_wavs_keep_every_sample_and_overlaps_go_on_a_second_track(tmp_path):
    """Block B starts 10 ms after block A ends: A's padding to a whole frame reaches past B's first
    frame, so B goes on a second narration track instead of cutting A short."""
    import numpy as np

    from claimreel.narration.base import Speech
    from claimreel.pipeline.export import _lanes, _narration
    from claimreel.timeline.model import AudioPlacement, Scene, Timeline

    rate = 24000
    tone = (0.5 * np.sin(np.arange(rate * 1010 // 1000) / 5)).astype(np.float32)  # 1010 ms, 30.3 frames
    speeches = {0: (Speech(tone, rate, ()), "a"), 1: (Speech(tone[:rate // 2], rate, ()), "b")}
    scenes = (Scene(0, "title", None, 0, 40, "Title"), Scene(1, "claim", None, 40, 80, "Claim"))
    audio = (AudioPlacement(0, 5, 1010, "a"), AudioPlacement(1, 1025, 500, "b"))
    timeline = Timeline(Fraction(30), scenes, (), audio)
    media: dict = {}
    clips = _narration(types.SimpleNamespace(speeches=speeches), timeline, tmp_path, media)
    assert [(c.record_start, c.frames) for c in clips] == [(0, 31), (30, 16)]
    first = media["media/narration-01-title.wav"]
    assert len(first) == 31 * 1600
    onset = int(np.flatnonzero(first)[0])
    assert abs(onset - 5 * 48) <= 2  # 5 ms of lead silence at 48 kHz
    assert abs(len(np.trim_zeros(first)) - 1010 * 48) <= 48  # the whole block, not cut at the next one
    tracks = _lanes("Narration", clips)
    assert [(t.name, [c.record_start for c in t.clips]) for t in tracks] == [("Narration", [0]), ("Narration 2", [30])]
    assert [t.name for t in _lanes("Narration", clips[:1])] == ["Narration"]
