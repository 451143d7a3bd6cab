"""The edit package end to end: render a short check with a music bed and a 25 fps clip scene, export
it, and read every timeline back with OpenTimelineIO's own adapters (OTIO JSON, FCP 7 XML, FCPXML)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import pytest

from claimreel.cli import main
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import count_frames
from claimreel.files import file_sha256
from claimreel.pipeline import export as export_module
from claimreel.pipeline.export import export_edit
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.vtt import read_vtt
from claimreel.timeline.model import ms_to_frame

otio = pytest.importorskip("opentimelineio", reason="the export needs opentimelineio (pip install 'claimreel[export]')")
if not {"fcp_xml", "fcpx_xml"} <= set(otio.adapters.available_adapter_names()):
    pytest.skip("the FCP XML adapters are not installed (pip install 'claimreel[export]')", allow_module_level=True)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
FPS = 30


CLIP_BLOCK = """\
  - type: clip
    file: assets/clips/river.mp4
    start: 0.5
    end: 2.5
    audio: under
    caption: The river at dawn
    credit: Test footage
    description: Grey frames getting lighter.
"""


@pytest.fixture(scope="module")
def exported(small_final, tmp_path_factory):
    from ..conftest import SMALL_SCRIPT, make_workspace
    from ..media import make_clip

    ws = tmp_path_factory.mktemp("ws")
    script = make_workspace(ws, SMALL_SCRIPT.replace("credits:\n", CLIP_BLOCK + "credits:\n", 1)
                            + "music: {file: assets/music/soft-pad.ogg}\n")
    make_clip(ws / "assets" / "clips" / "river.mp4", frames=75, fps=25, size=(320, 180))
    (ws / "assets" / "music").mkdir(parents=True)
    shutil.copy(REPO / "assets" / "music" / "soft-pad.ogg", ws / "assets" / "music" / "soft-pad.ogg")
    # The scenes it shares with the small script are in the cache of the session's final render of it.
    shutil.copytree(small_final[2].cache, ws / "cache")
    options = RenderOptions(out=ws / "out", cache=ws / "cache", jobs=2)
    result = export_edit(script, options)
    return script, options, result


def _local(url: str, base: Path) -> Path:
    """The file a media reference names: a file:// URL, or a path relative to the timeline's folder."""
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else base / url


def _track(timeline, name: str):
    return next(t for t in timeline.tracks if t.name == name)


def _clips(track):
    return [item for item in track if isinstance(item, otio.schema.Clip)]


def test_package_files_and_manifest(exported):
    _, options, result = exported
    edit = result.folders["16x9"]
    assert edit == (options.out / "small-check" / "16x9" / "edit").resolve()
    for name in ("timeline.otio", "timeline.xml", "timeline.fcpxml", "captions.srt"):
        assert (edit / name).stat().st_size > 0, name
    # the captions beside the timeline are the render's captions
    assert (edit / "captions.srt").read_bytes() == (edit.parent / "captions.srt").read_bytes()
    manifest = json.loads((options.out / "small-check" / "manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = sorted(p.relative_to(edit.parents[1]).as_posix() for p in edit.rglob("*") if p.is_file())
    assert on_disk and all(listed[path] == file_sha256(edit.parents[1] / path) for path in on_disk)
    entry = manifest["formats"]["16x9"]["edit"]
    assert entry["tracks"] == {"Scenes": 9, "Source video": 1, "Narration": 5, "Clip sound": 1, "Music": 1}
    assert entry["markers"] == 9  # a chapter marker per scene, the end card included
    assert entry["burned_in_captions"] is True
    assert not [p for p in options.out.iterdir() if p.name.startswith(".small-check.") and p.is_dir()]


def test_otio_timeline_matches_the_render_to_the_frame(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    scenes = result.render.timeline.scenes
    assert [(t.name, t.kind, t.enabled) for t in timeline.tracks] == [
        ("Scenes", otio.schema.TrackKind.Video, True), ("Source video", otio.schema.TrackKind.Video, False),
        ("Narration", otio.schema.TrackKind.Audio, True), ("Clip sound", otio.schema.TrackKind.Audio, True),
        ("Music", otio.schema.TrackKind.Audio, True)]
    assert timeline.duration() == otio.opentime.RationalTime(result.render.timeline.total_frames, FPS)
    video = timeline.tracks[0]
    clips = _clips(video)
    assert len(clips) == len(scenes) == 9  # the end card last: the script gives its url
    ffmpeg = Ffmpeg()
    for clip, scene in zip(clips, scenes):
        placed = clip.range_in_parent()
        assert clip.name == scene.title
        assert (placed.start_time.value, placed.duration.value) == (scene.start_frame, scene.frames)
        assert placed.duration.rate == FPS and float(placed.duration.value).is_integer()
        path = _local(clip.media_reference.target_url, edit)
        assert path.is_file() and path.parent == edit / "media"
        # the media is the rendered segment: exactly the scene's frames
        assert count_frames(ffmpeg, path, decode=False) == scene.frames
    # the whole video the render wrote has the timeline's frames
    assert count_frames(ffmpeg, edit.parent / "video.mp4", decode=False) == sum(c.duration().value for c in clips)


def test_audio_tracks_place_every_sample_where_the_render_does(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    narration, music = _track(timeline, "Narration"), _track(timeline, "Music")
    placements = sorted(result.render.timeline.audio, key=lambda p: p.start_ms)
    clips = _clips(narration)
    assert len(clips) == len(placements) == 5
    for clip, placement in zip(clips, placements):
        path = _local(clip.media_reference.target_url, edit)
        with wave.open(str(path)) as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (48000, 1, 2)
            samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
        frames = clip.duration().value
        assert float(frames).is_integer() and len(samples) == frames * 48000 // FPS  # whole frames of sound
        first_sound = int(np.flatnonzero(np.abs(samples) > 30)[0])
        onset_ms = (clip.range_in_parent().start_time.value / FPS + first_sound / 48000) * 1000
        assert abs(onset_ms - placement.start_ms) <= 1.5, (clip.name, onset_ms, placement.start_ms)
    (bed,) = _clips(music)
    assert bed.range_in_parent().duration.value == result.render.timeline.total_frames
    with wave.open(str(_local(bed.media_reference.target_url, edit))) as wav:
        assert wav.getnchannels() == 2 and wav.getnframes() == result.render.timeline.total_frames * 1600
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, 2).astype(np.float64)
    # faded in from silence, and ducked while the first narration block plays
    assert np.abs(pcm[:48]).max() < 200
    first = placements[0]
    during = pcm[first.start_ms * 48 + 4800: (first.start_ms + first.duration_ms) * 48]
    quiet = pcm[(first.start_ms + first.duration_ms) * 48 + 48000: (first.start_ms + first.duration_ms) * 48 + 60000]
    if len(quiet) and len(during):
        assert np.sqrt((during ** 2).mean()) < np.sqrt((quiet ** 2).mean())


def test_chapter_markers_are_named_like_chapters_vtt(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    chapters = read_vtt(edit.parent / "chapters.vtt")
    for name in ("timeline.otio", "timeline.xml"):
        timeline = otio.adapters.read_from_file(str(edit / name))
        markers = [(m.name, m.marked_range.start_time.value) for m in timeline.tracks.markers]
        assert markers == [(c.text, ms_to_frame(c.start_ms, Fraction(FPS))) for c in chapters], name


def _cut(timeline) -> list[tuple[str, int, int]]:
    return sorted((c.name, round(c.range_in_parent().start_time.value), round(c.duration().value))
                  for t in timeline.tracks for c in t.find_clips())


def test_fcp_xml_reads_back_with_the_same_cut(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    reference = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    fcp7 = otio.adapters.read_from_file(str(edit / "timeline.xml"))
    assert fcp7.duration() == reference.duration()
    assert [(t.name, t.kind) for t in fcp7.tracks] == [(t.name, t.kind) for t in reference.video_tracks()] + [
        (t.name, t.kind) for t in reference.audio_tracks()]
    assert _cut(fcp7) == _cut(reference)
    for clip in fcp7.find_clips():
        assert _local(clip.media_reference.target_url, edit).is_file(), clip.name
    xml = (edit / "timeline.xml").read_text()
    assert "<width>1920</width>" in xml and "<height>1080</height>" in xml and "<!DOCTYPE xmeml>" in xml


def test_fcpxml_holds_the_same_cut_in_exact_time(exported):
    """Every clip's offset and duration, read as the exact rationals FCP X reads, on the .otio's frames;
    OpenTimelineIO's fcpx_xml adapter reads the file (its float arithmetic aside) with the same clips."""
    _, _, result = exported
    edit = result.folders["16x9"]
    reference = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    root = ET.fromstring((edit / "timeline.fcpxml").read_text().split("\n", 2)[2])

    def t(value):
        return Fraction((value or "0s").rstrip("s"))

    cut = []
    for item in root.find(".//spine"):
        base = t(item.get("offset"))
        if item.tag == "asset-clip":
            cut.append((item.get("name"), base * FPS, t(item.get("duration")) * FPS))
        for child in item.iterfind("asset-clip"):
            start = base + t(child.get("offset")) - t(item.get("start"))
            cut.append((child.get("name"), start * FPS, t(child.get("duration")) * FPS))
    assert sorted(cut) == _cut(reference)
    for asset in root.iter("asset"):
        assert _local(asset.get("src"), edit).is_file(), asset.get("name")
    assert 'width="1920"' in (edit / "timeline.fcpxml").read_text()
    fcpx = otio.adapters.read_from_file(str(edit / "timeline.fcpxml"))
    assert sorted(c.name for c in fcpx.find_clips()) == sorted(c.name for c in reference.find_clips())
    names = sorted(m.name for c in fcpx.find_clips() for m in c.markers)
    assert names == sorted(m.name for m in reference.tracks.markers)


def _frame_at(timeline, frame: int, edit: Path):
    """The file and its frame that the timeline shows at ``frame``: the topmost enabled video clip there
    (OpenTimelineIO's FCP 7 XML reader leaves a track's ``<enabled>`` in its metadata)."""
    for track in reversed(timeline.video_tracks()):
        if not track.enabled or track.metadata.get("fcp_xml", {}).get("enabled") == "FALSE":
            continue
        for clip in _clips(track):
            placed = clip.range_in_parent()
            if placed.start_time.value <= frame < placed.end_time_exclusive().value:
                offset = frame - placed.start_time.value
                return _local(clip.media_reference.target_url, edit), int(clip.source_range.start_time.value + offset)
    raise AssertionError(f"nothing plays at frame {frame}")


def test_the_timeline_plays_as_the_render_does(exported):
    """Decode what the timeline shows at the first, middle and last frame of every scene and compare it
    with ``video.mp4`` at that frame: the clip scene too, with its crop, graphics and captions. The FCP 7
    XML shows the same file and frame at each of those times."""
    from claimreel.encode.probe import decode_frames

    _, _, result = exported
    edit = result.folders["16x9"]
    frames = sorted({f for s in result.render.timeline.scenes for f in (s.start_frame, (s.start_frame + s.end_frame)
                                                                         // 2, s.end_frame - 1)})
    shown = [_frame_at(otio.adapters.read_from_file(str(edit / "timeline.otio")), f, edit) for f in frames]
    fcp7 = otio.adapters.read_from_file(str(edit / "timeline.xml"))
    assert [_frame_at(fcp7, f, edit) for f in frames] == shown
    ffmpeg = Ffmpeg()
    rendered = decode_frames(ffmpeg, edit.parent / "video.mp4", frames)
    wanted: dict[Path, list[int]] = {}
    for path, index in shown:
        wanted.setdefault(path, []).append(index)
    decoded = {path: dict(zip(indexes, decode_frames(ffmpeg, path, indexes))) for path, indexes in wanted.items()}
    for frame, (path, index), want in zip(frames, shown, rendered):
        got = decoded[path][index]
        assert got.shape == want.shape, (frame, path.name)
        assert np.abs(got.astype(int) - want.astype(int)).mean() < 1.0, (frame, path.name)


def test_a_clip_scene_offers_its_footage_raw_at_its_own_rate_and_size(exported):
    script, _, result = exported
    edit = result.folders["16x9"]
    source = script.parent.parent / "assets" / "clips" / "river.mp4"
    clip_scene = next(s for s in result.render.timeline.scenes if s.kind == "clip")
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    (raw,) = _clips(_track(timeline, "Source video"))
    assert not _track(timeline, "Source video").enabled
    placed = raw.range_in_parent()
    assert (placed.start_time.value, raw.source_range.start_time.value) == (clip_scene.start_frame, 15)
    assert placed.duration.value == min(clip_scene.frames, 60)
    reference = raw.media_reference
    assert reference.available_range.duration.rate == 25 and reference.available_range.duration.value == 75
    copy = _local(reference.target_url, edit)
    assert copy.read_bytes() == source.read_bytes()
    assert copy.stat().st_ino != source.stat().st_ino  # copied: an edit in place never reaches the user's file
    assert all(p.stat().st_nlink == 1 for p in (edit / "media").iterdir())
    (sound,) = _clips(_track(timeline, "Clip sound"))
    assert (sound.range_in_parent(), _local(sound.media_reference.target_url, edit)) == (placed, copy)
    xml = ET.fromstring((edit / "timeline.xml").read_text().split("\n", 2)[2])
    file = next(f for f in xml.iter("file") if (f.findtext("pathurl") or "").endswith(copy.name))
    chars = file.find("media/video/samplecharacteristics")
    assert (file.findtext("rate/timebase"), chars.findtext("width"), chars.findtext("height")) == ("25", "320", "180")


def test_otiotool_finds_the_media_from_any_folder(exported, tmp_path):
    _, _, result = exported
    edit = result.folders["16x9"]
    proc = subprocess.run([sys.executable, "-m", "opentimelineio.console.otiotool", "-i", str(edit / "timeline.otio"),
                           "--verify-media"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    # 9 scenes (the end card last), the source, 5 narration clips, the clip's sound and the music
    assert "NOT FOUND" not in proc.stdout and proc.stdout.count("MEDIA EXISTS") == 17


def test_a_failed_export_leaves_a_whole_output(exported, monkeypatch):
    """The export's render completes and is kept; the package being written is never swapped in."""
    script, options, _ = exported
    folder = options.out / "small-check"
    rendered = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "edit" not in p.parts}

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export_module, "edit_files", broken)
    with pytest.raises(RuntimeError):
        export_edit(script, options)
    files = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    assert files == rendered  # the render's files, and no edit folder, whole or half
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {Path(f["path"]): f["sha256"] for f in manifest["files"]} == {
        path: file_sha256(folder / path) for path in files if path.name != "manifest.json"}
    assert not [p for p in options.out.iterdir() if p.name.startswith(".small-check.") and p.is_dir()]


def test_the_command_exports_and_says_what_it_wrote(exported, capsys):
    script, options, result = exported
    code = main(["export", str(script), "--otio", "--out", str(options.out), "--cache", str(options.cache),
                 "--jobs", "2", "--format", "16x9"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{result.folders['16x9']}: timeline.otio, timeline.xml, timeline.fcpxml" in out
    frames = result.render.timeline.total_frames
    assert (f"{frames} frames at 30 fps; clips: Scenes 9, Source video 1, Narration 5, Clip sound 1, Music 1; "
            "9 chapter markers") in out
    assert otio.adapters.read_from_file(str(result.folders["16x9"] / "timeline.xml")).duration().value == frames


def test_bad_input_is_refused_before_anything_is_written(tmp_path, capsys):
    from ..conftest import SMALL_SCRIPT, make_workspace

    script = make_workspace(tmp_path, SMALL_SCRIPT.replace("rating: \"False\"", "rating: \"Flase\""))
    out = tmp_path / "out"
    assert main(["export", str(script), "--otio", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{script}:" in err and "verdict.rating" in err
    assert main(["export", str(script), "--out", str(out)]) == 2
    assert "--otio" in capsys.readouterr().err
    assert not out.exists()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run([sys.executable, "-m", "claimreel", "export", str(script), "--otio", "--format", "8x3",
                           "--out", str(out)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert "--format: unknown format '8x3'" in proc.stderr and "16x9" in proc.stderr
    assert not out.exists()


def test_clean_scenes_carry_no_burned_in_captions(exported):
    """Last in the module: it changes the package the other tests read."""
    from claimreel.encode.probe import decode_frames

    script, options, result = exported
    rendered_edit = result.folders["16x9"]
    photo = next(s for s in result.render.timeline.scenes if s.kind == "photo")
    cue = result.render.timeline.cues_in(photo)[0]
    at = max(ms_to_frame(cue.start_ms, Fraction(FPS)), photo.start_frame) + 5 - photo.start_frame
    name = "media/04-photo.mp4"
    with_captions = decode_frames(Ffmpeg(), rendered_edit / name, [at])[0].astype(int)

    clean = export_edit(script, options, clean=True)
    edit = clean.folders["16x9"]
    manifest = json.loads((options.out / "small-check" / "manifest.json").read_text())
    assert manifest["formats"]["16x9"]["edit"]["burned_in_captions"] is False
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    clips = list(timeline.video_tracks()[0].find_clips())
    assert [c.duration().value for c in clips] == [s.frames for s in result.render.timeline.scenes]
    assert count_frames(Ffmpeg(), edit / name, decode=False) == photo.frames
    without = decode_frames(Ffmpeg(), edit / name, [at])[0].astype(int)
    changed = np.abs(with_captions - without).max(axis=2) > 40
    # only the caption differs: a band of text across the frame, nothing in the top third
    assert 0.005 < changed.mean() < 0.15
    assert not changed[: changed.shape[0] // 3].any()
