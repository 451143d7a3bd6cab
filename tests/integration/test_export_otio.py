"""The edit package end to end: render a short check with a music bed, export it, and read every
timeline back with OpenTimelineIO's own adapters (OTIO JSON, FCP 7 XML, FCPXML)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
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
from claimreel.pipeline.export import SourceMedia, export_edit
from claimreel.pipeline.render import RenderOptions
from claimreel.publish.vtt import read_vtt
from claimreel.timeline.model import ms_to_frame

otio = pytest.importorskip("opentimelineio", reason="the export needs opentimelineio (pip install 'claimreel[export]')")
if not {"fcp_xml", "fcpx_xml"} <= set(otio.adapters.available_adapter_names()):
    pytest.skip("the FCP XML adapters are not installed (pip install 'claimreel[export]')", allow_module_level=True)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
FPS = 30


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from ..conftest import SMALL_SCRIPT, make_workspace

    ws = tmp_path_factory.mktemp("ws")
    script = make_workspace(ws, SMALL_SCRIPT + "music: {file: assets/music/soft-pad.ogg}\n")
    (ws / "assets" / "music").mkdir(parents=True)
    shutil.copy(REPO / "assets" / "music" / "soft-pad.ogg", ws / "assets" / "music" / "soft-pad.ogg")
    options = RenderOptions(out=ws / "out", cache=ws / "cache", jobs=2)
    result = export_edit(script, options)
    return script, options, result


def _local(url: str, base: Path) -> Path:
    """The file a media reference names: a file:// URL, or a path relative to the timeline's folder."""
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else base / url


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
    assert entry["tracks"] == {"Scenes": 7, "Narration": 5, "Music": 1} and entry["markers"] == 7
    assert entry["burned_in_captions"] is True
    assert not [p for p in options.out.iterdir() if p.name.startswith(".small-check.") and p.is_dir()]


def test_otio_timeline_matches_the_render_to_the_frame(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    scenes = result.render.timeline.scenes
    assert [(t.name, t.kind) for t in timeline.tracks] == [
        ("Scenes", otio.schema.TrackKind.Video), ("Narration", otio.schema.TrackKind.Audio),
        ("Music", otio.schema.TrackKind.Audio)]
    assert timeline.duration() == otio.opentime.RationalTime(result.render.timeline.total_frames, FPS)
    video = timeline.tracks[0]
    clips = _clips(video)
    assert len(clips) == len(scenes) == 7
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
    narration, music = timeline.tracks[1], timeline.tracks[2]
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


def test_fcp_xml_reads_back_with_the_same_cut(exported):
    _, _, result = exported
    edit = result.folders["16x9"]
    reference = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    for name in ("timeline.xml", "timeline.fcpxml"):
        timeline = otio.adapters.read_from_file(str(edit / name))
        assert timeline.duration() == reference.duration(), name
        for kind, tracks in (("video", timeline.video_tracks()), ("audio", timeline.audio_tracks())):
            want = reference.video_tracks() if kind == "video" else reference.audio_tracks()
            got = sorted((c.range_in_parent().start_time.value, c.duration().value)
                         for t in tracks for c in t.find_clips())
            assert got == sorted((c.range_in_parent().start_time.value, c.duration().value)
                                 for t in want for c in t.find_clips()), (name, kind)
            for track in tracks:
                for clip in track.find_clips():
                    assert _local(clip.media_reference.target_url, edit).is_file(), (name, clip.name)
    fcpx = otio.adapters.read_from_file(str(edit / "timeline.fcpxml"))
    names = sorted(m.name for c in fcpx.video_tracks()[0].find_clips() for m in c.markers)
    assert names == sorted(m.name for m in reference.tracks.markers)
    assert 'width="1920"' in (edit / "timeline.fcpxml").read_text()
    xml = (edit / "timeline.xml").read_text()
    assert "<width>1920</width>" in xml and "<height>1080</height>" in xml and "<!DOCTYPE xmeml>" in xml


def _source_video(path: Path) -> Path:
    """A 3 s 640x360 test clip at 25 fps with a tone, made by ffmpeg."""
    Ffmpeg().run(["-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3", "-f", "lavfi", "-i",
                  "sine=frequency=440:duration=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                  "-shortest", str(path)])
    return path


def test_a_scene_with_source_media_points_at_it(exported, monkeypatch):
    script, options, result = exported
    source = _source_video(script.parent.parent / "assets" / "clip.mp4")
    photo = next(s for s in result.render.timeline.scenes if s.kind == "photo")

    def media(loaded, spec):
        return SourceMedia(source, 0.5, 1.5, sound=True) if spec.block == photo.block else None

    again = export_edit(script, options, source_media=media)
    assert again.render.segments_encoded == 0  # nothing changed: the render came from the cache
    edit = again.folders["16x9"]
    for name in ("timeline.otio", "timeline.xml"):
        timeline = otio.adapters.read_from_file(str(edit / name))
        video = list(timeline.video_tracks()[0].find_clips())
        assert len(video) == 8, name  # the photo scene: 30 frames of the source, then the rest of its segment
        clip = next(c for c in video if c.range_in_parent().start_time.value == photo.start_frame)
        assert (clip.source_range.start_time.value, clip.duration().value) == (15, 30)
        path = _local(clip.media_reference.target_url, edit)
        assert path.read_bytes() == source.read_bytes()
        rest = next(c for c in video if c.range_in_parent().start_time.value == photo.start_frame + 30)
        assert (rest.source_range.start_time.value, rest.duration().value) == (30, photo.frames - 30)
        assert count_frames(Ffmpeg(), _local(rest.media_reference.target_url, edit), decode=False) == photo.frames
        sound = [c for t in timeline.audio_tracks() for c in t.find_clips()
                 if _local(c.media_reference.target_url, edit) == path]
        assert [(c.range_in_parent().start_time.value, c.duration().value) for c in sound] == [(photo.start_frame, 30)]
    timeline = otio.adapters.read_from_file(str(edit / "timeline.otio"))
    names = [t.name for t in timeline.tracks]
    assert names == ["Scenes", "Narration", "Clip sound", "Music"]
    # the next export without the source puts the package back as it was
    export_edit(script, options)


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
    assert f"{frames} frames at 30 fps; clips: Scenes 7, Narration 5, Music 1; 7 chapter markers" in out
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
