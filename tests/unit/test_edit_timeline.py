"""The edit package's timeline files from a plan: OTIO, FCP 7 XML and FCPXML agree to the frame at
every common rate, read back by OpenTimelineIO's adapters; names, rates and sizes survive."""

from __future__ import annotations

import re
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.errors import ClaimreelError
from claimreel.pipeline.export import SourceMedia, scene_media
from claimreel.publish.edit import (EditClip, EditMarker, EditMedia, EditPlan, EditTrack, edit_files, otio_timeline,
                                    require_adapters)
from claimreel.publish.fcpxml import rational
from claimreel.script.blocks import Timing
from claimreel.timeline.build import SceneSpec

otio = pytest.importorskip("opentimelineio", reason="needs opentimelineio (pip install 'claimreel[export]')")
if "fcp_xml" not in otio.adapters.available_adapter_names():
    pytest.skip("the FCP 7 XML adapter is not installed (pip install 'claimreel[export]')", allow_module_level=True)

RATES = [Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30)]


def _media(folder: Path, name: str, fps: Fraction, frames: int, **kw) -> EditMedia:
    return EditMedia(folder / "media" / name, kw.pop("rate", fps), frames, **kw)


def _plan(folder: Path, fps: Fraction = Fraction(30)) -> EditPlan:
    """Scenes at awkward frames (123, 245: where a float round trip of n/fps falls short at 25 and 30 fps),
    a 25 fps source on a disabled track, narration on two lanes, its clip's sound, music."""
    scene = dict(width=1920, height=1080)
    title = _media(folder, "01-title.mp4", fps, 123, **scene)
    claim = _media(folder, "02-claim.mp4", fps, 122, **scene)
    clip = _media(folder, "03-clip.mp4", fps, 260, **scene)
    source = _media(folder, "03-source-river.mp4", fps, 250, rate=Fraction(25), width=1280, height=720, sound=True)
    speech = [_media(folder, f"narration-0{n}.wav", fps, f, sound=True) for n, f in enumerate((116, 31, 203))]
    music = _media(folder, "music.wav", fps, 505, sound=True)
    video = (EditClip("Beijing Calls Report 'Illegal'", title, 0, 123), EditClip("The claim", claim, 123, 122),
             EditClip("River, at 5 a.m. \u2014 \"dry\"?", clip, 245, 260))
    raw = EditClip("River (source)", source, 245, 229, 15)
    spoken = (EditClip("Narration: Title", speech[0], 7, 116), EditClip("Narration: Claim", speech[1], 123, 31),
              EditClip("Narration: Clip", speech[2], 290, 203))
    tracks = (EditTrack("Scenes", "video", video), EditTrack("Source video", "video", (raw,), enabled=False),
              EditTrack("Narration", "audio", spoken[::2]), EditTrack("Narration 2", "audio", spoken[1:2]),
              EditTrack("Clip sound", "audio", (raw,)), EditTrack("Music", "audio", (EditClip("Music: bed", music,
                                                                                               0, 505),)))
    markers = (EditMarker("Beijing Calls Report 'Illegal'", 0), EditMarker("The claim", 123), EditMarker("Clip", 245))
    return EditPlan("Calls Report 'Illegal' (16x9)", fps, 1920, 1080, 505, tracks, markers)


def _placed(timeline) -> dict[str, list[tuple[Fraction, Fraction]]]:
    """Each clip's start and end on the timeline in exact seconds, by clip name."""
    out: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for clip in timeline.find_clips():
        placed = clip.range_in_parent()
        rate = Fraction(placed.start_time.rate).limit_denominator(1001)
        start = Fraction(round(placed.start_time.value)) / rate
        out.setdefault(clip.name, []).append((start, start + Fraction(round(placed.duration.value)) / rate))
    return out


def _fcpxml_placed(text: str) -> dict[str, list[tuple[Fraction, Fraction]]]:
    """The same from the FCPXML, its rational times read exactly (the fcpx_xml adapter's reader turns them
    into floats and truncates, and reads 29.97 fps as 29)."""
    def t(value: str | None) -> Fraction:
        return Fraction((value or "0s").rstrip("s"))

    root = ET.fromstring(text.split("\n", 2)[2])
    out: dict[str, list[tuple[Fraction, Fraction]]] = {}
    for item in root.find(".//spine"):
        base = t(item.get("offset"))
        if item.tag == "asset-clip":
            out.setdefault(item.get("name"), []).append((base, base + t(item.get("duration"))))
        for child in item.iterfind("asset-clip"):
            start = base + t(child.get("offset")) - t(item.get("start"))
            out.setdefault(child.get("name"), []).append((start, start + t(child.get("duration"))))
    return out


@pytest.mark.parametrize("fps", RATES, ids=str)
def test_every_clip_starts_and_ends_on_the_same_frame_in_all_three_timelines(tmp_path, fps):
    plan = _plan(tmp_path, fps)
    files = edit_files(plan)
    want = {name: sorted(spans) for name, spans in _placed(otio_timeline(plan)).items()}
    assert want["The claim"] == [(Fraction(123) / fps, Fraction(245) / fps)]
    read = {name: otio.adapters.read_from_string(files[name].decode(), adapter)
            for name, adapter in (("timeline.otio", "otio_json"), ("timeline.xml", "fcp_xml"))}
    for name, timeline in read.items():
        assert {n: sorted(s) for n, s in _placed(timeline).items()} == want, name
        assert Fraction(timeline.duration().to_seconds()).limit_denominator(10**6) == Fraction(505) / fps, name
    assert {n: sorted(s) for n, s in _fcpxml_placed(files["timeline.fcpxml"].decode()).items()} == want
    frame = rational(1 / fps)
    assert f'frameDuration="{frame}"' in files["timeline.fcpxml"].decode()


def test_the_fcpx_adapter_reads_the_fcpxml_back_with_the_same_cut(tmp_path):
    """At 24 fps, where its float arithmetic is exact, the adapter's own reader agrees to the frame (but
    for the 25 fps source, whose times it counts in that file's own frames)."""
    pytest.importorskip("otio_fcpx_xml_adapter", reason="needs otio-fcpx-xml-adapter")
    plan = _plan(tmp_path, Fraction(24))
    timeline = otio.adapters.read_from_string(edit_files(plan)["timeline.fcpxml"].decode(), "fcpx_xml")
    got, want = _placed(timeline), _placed(otio_timeline(plan))
    assert got.pop("River (source)") and want.pop("River (source)")
    assert {n: sorted(s) for n, s in got.items()} == {n: sorted(s) for n, s in want.items()}
    names = sorted(m.name for c in timeline.find_clips() for m in c.markers)
    assert names == sorted(m.name for m in plan.markers)


def test_tracks_are_named_and_a_disabled_track_says_so_in_every_file(tmp_path):
    plan = _plan(tmp_path)
    files = edit_files(plan)
    names = [t.name for t in plan.tracks]
    ordered = [t.name for t in plan.tracks if t.kind == "video"] + [t.name for t in plan.tracks if t.kind == "audio"]
    back = otio.adapters.read_from_string(files["timeline.otio"].decode(), "otio_json")
    assert [(t.name, t.enabled) for t in back.tracks] == [(t.name, t.enabled) for t in plan.tracks]
    fcp7 = otio.adapters.read_from_string(files["timeline.xml"].decode(), "fcp_xml")
    assert [t.name for t in fcp7.tracks] == ordered
    root = ET.fromstring(files["timeline.xml"].split(b"\n", 2)[2])
    assert [t.findtext("enabled") for t in root.iterfind(".//sequence/media/video/track")] == ["TRUE", "FALSE"]
    fcpx = files["timeline.fcpxml"].decode()
    roles = set(re.findall(r'(?:video|audio)Role="([^"]+)"', fcpx))
    assert roles == {"video.Scenes", "video.Source video", "dialogue.Narration", "dialogue.Narration 2",
                     "effects.Clip sound", "music.Music"}
    assert re.search(r'<asset-clip[^>]*name="River \(source\)"[^>]*enabled="0"', fcpx)
    assert set(names) == set(ordered)


def test_titles_keep_their_punctuation_in_every_file(tmp_path):
    plan = _plan(tmp_path)
    files = edit_files(plan)
    for name, adapter in (("timeline.otio", "otio_json"), ("timeline.xml", "fcp_xml")):
        timeline = otio.adapters.read_from_string(files[name].decode(), adapter)
        clips = {c.name for c in timeline.find_clips()}
        assert {"Beijing Calls Report 'Illegal'", "River, at 5 a.m. \u2014 \"dry\"?"} <= clips, name
        assert timeline.name == "Calls Report 'Illegal' (16x9)", name
    root = ET.fromstring(files["timeline.fcpxml"].split(b"\n", 2)[2])
    assert root.find("project").get("name") == "Calls Report 'Illegal' (16x9)"
    assert {"Beijing Calls Report 'Illegal'", "River, at 5 a.m. \u2014 \"dry\"?"} <= {
        e.get("name") for e in root.iter("asset-clip")}
    assert "Beijing Calls Report 'Illegal'" in {m.get("value") for m in root.iter("marker")}


def test_source_media_is_declared_at_its_own_rate_and_size(tmp_path):
    plan = _plan(tmp_path)
    files = edit_files(plan)
    root = ET.fromstring(files["timeline.xml"].split(b"\n", 2)[2])
    files_by_name = {f.findtext("name"): f for f in root.iter("file") if f.findtext("pathurl")}
    source = files_by_name["03-source-river.mp4"]
    assert (source.findtext("rate/timebase"), source.findtext("duration")) == ("25", "250")
    chars = source.find("media/video/samplecharacteristics")
    assert (chars.findtext("width"), chars.findtext("height"), chars.findtext("rate/timebase")) == ("1280", "720", "25")
    assert source.find("media/audio") is not None
    scene = files_by_name["01-title.mp4"]
    assert scene.find("media/video/samplecharacteristics/width").text == "1920"
    assert scene.find("media/audio") is None  # the rendered scenes are silent; their sound is on its tracks
    sequence = root.find(".//sequence/media/video/format/samplecharacteristics")
    assert (sequence.findtext("width"), sequence.findtext("height")) == ("1920", "1080")
    fcpx = ET.fromstring(files["timeline.fcpxml"].split(b"\n", 2)[2])
    formats = {f.get("id"): f for f in fcpx.iter("format")}
    asset = next(a for a in fcpx.iter("asset") if a.get("src", "").endswith("03-source-river.mp4"))
    fmt = formats[asset.get("format")]
    assert (fmt.get("frameDuration"), fmt.get("width"), fmt.get("height")) == ("1/25s", "1280", "720")
    assert (asset.get("duration"), asset.get("hasVideo"), asset.get("hasAudio")) == ("10s", "1", "1")
    raw = [c for c in fcpx.iter("asset-clip") if c.get("ref") == asset.get("id")]
    assert [c.get("start") for c in raw] == ["12/25s", "12/25s"]  # 15 frames at 30 fps: 25 fps frame 12
    wav = next(a for a in fcpx.iter("asset") if a.get("src", "").endswith("narration-00.wav"))
    assert (wav.get("hasVideo"), wav.get("hasAudio"), wav.get("audioRate"), wav.get("format")) == ("0", "1", "48k", None)
    meta = otio_timeline(plan).tracks[1][1].media_reference
    assert meta.available_range.duration.rate == 25 and meta.metadata["claimreel"]["width"] == 1280


def test_every_media_url_is_absolute_so_otiotool_finds_it_from_any_folder(tmp_path):
    plan = _plan(tmp_path)
    for clip in (c for t in plan.tracks for c in t.clips):
        clip.media.path.parent.mkdir(parents=True, exist_ok=True)
        clip.media.path.write_bytes(b"x")
    (tmp_path / "timeline.otio").write_bytes(edit_files(plan)["timeline.otio"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "opentimelineio.console.otiotool", "-i",
                           str(tmp_path / "timeline.otio"), "--verify-media"], cwd=elsewhere, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    clips = sum(len(t.clips) for t in plan.tracks)
    assert "NOT FOUND" not in proc.stdout and proc.stdout.count("MEDIA EXISTS") == clips


def test_overlapping_clips_are_a_bug_not_a_timeline(tmp_path):
    plan = _plan(tmp_path)
    late = EditClip("Late", plan.tracks[0].clips[0].media, 60, 10)
    bad = EditTrack("Scenes", "video", (*plan.tracks[0].clips, late))
    with pytest.raises(ValueError, match="overlaps"):
        otio_timeline(EditPlan(**{**plan.__dict__, "tracks": (bad,)}))


def test_markers_on_the_storyline_sit_in_each_clips_own_time(tmp_path):
    plan = _plan(tmp_path)
    plan = EditPlan(**{**plan.__dict__, "markers": (EditMarker("Mid-claim", 150),)})
    root = ET.fromstring(edit_files(plan)["timeline.fcpxml"].split(b"\n", 2)[2])
    claim = next(e for e in root.find(".//spine") if e.get("name") == "The claim")
    assert [(m.get("value"), m.get("start")) for m in claim.iterfind("marker")] == [("Mid-claim", "9/10s")]


def test_missing_adapters_say_what_to_install(monkeypatch):
    monkeypatch.setattr(otio.adapters, "available_adapter_names", lambda: ["otio_json"])
    with pytest.raises(ClaimreelError, match=r"fcp_xml adapter .*pip install 'claimreel\[export\]'"):
        require_adapters()


def test_scene_media_is_the_footage_a_scene_plays(tmp_path):
    """A clip block's or the claim card's footage (the scene's ``clip``), its sound heard unless muted."""
    from claimreel.script.footage import ClipSource

    loaded = types.SimpleNamespace(assets={"assets/clip.mp4": tmp_path / "assets" / "clip.mp4"}, root=tmp_path)
    footage = ClipSource(file="assets/clip.mp4", start="00:00:01.500", end=4, audio="under")
    spec = SceneSpec("claim", None, "The claim", None, Timing(), 4.0, clip=footage)
    assert scene_media(loaded, spec) == SourceMedia(tmp_path / "assets" / "clip.mp4", 1.5, 4.0, sound=True)
    muted = SceneSpec("clip", 0, "Clip", None, Timing(), 4.0, clip=ClipSource(file="other.mp4", start="1:02.25",
                                                                             end=63, audio="mute"))
    assert scene_media(loaded, muted) == SourceMedia(tmp_path / "other.mp4", 62.25, 63.0)
    assert scene_media(loaded, SceneSpec("photo", 0, "Photo", None, Timing(), 5.0)) is None
