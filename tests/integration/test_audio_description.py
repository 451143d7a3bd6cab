"""The described audio track of a rendered video: marked where players look for it, spoken only in the
narration's gaps, as loud as the main track, carried by the social cuts, and cached.

One preview render with ``--described extended`` (the fake engine's tones stand in for speech) serves
every test here.
(imageio-ffmpeg ships no ffprobe: the tracks' tags are read from what ``ffmpeg -i`` prints, which is
what ffprobe reads too.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from claimreel.encode.audio import loudness_of, true_peak_dbtp
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import decode_frames, probe
from claimreel.encode.profiles import load_profile
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.vtt import read_vtt
from tests.conftest import SMALL_SCRIPT, make_workspace

CUT = "cuts:\n  - {name: verdict, title: The verdict, scenes: [verdict]}\n"
RATE = 24000
WINDOW = RATE // 50  # 20 ms


def _options(tmp: Path) -> RenderOptions:
    return RenderOptions(out=tmp / "out", cache=tmp / "cache", voice="fake", jobs=2, preview=True,
                         described="extended")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("described")
    script = make_workspace(tmp / "ws", SMALL_SCRIPT + CUT)
    result = render(script, _options(tmp))
    return tmp, script, result


def _decode(path: Path, track: int, rate: int = RATE, channels: int = 1) -> np.ndarray:
    proc = Ffmpeg().run(["-i", str(path), "-map", f"0:a:{track}", "-f", "f32le", "-ac", str(channels),
                         "-ar", str(rate), "pipe:1"])
    samples = np.frombuffer(proc.stdout, np.float32)
    return samples.reshape(-1, channels) if channels > 1 else samples


def _levels(samples: np.ndarray) -> np.ndarray:
    """dBFS of each 20 ms window."""
    n = len(samples) // WINDOW
    rms = np.sqrt((samples[: n * WINDOW].reshape(n, WINDOW) ** 2).mean(axis=1))
    return 20 * np.log10(rms + 1e-9)


def _streams(path: Path) -> list[str]:
    """What ``ffmpeg -i`` prints of each audio stream: its line and its metadata."""
    proc = Ffmpeg().run(["-i", str(path)], loglevel="info", check=False)
    text = proc.stderr.decode()
    blocks = re.split(r"(?m)^\s*(?=Stream #)", text)
    return [b for b in blocks if re.match(r"Stream #\d+:\d+\S*: Audio", b)]


def test_every_video_has_a_described_track_marked_for_players(rendered):
    _, _, result = rendered
    videos = [result.folder / "16x9" / "video.mp4", result.folder / "16x9" / "cuts" / "verdict" / "video.mp4"]
    for video in videos:
        main, described = _streams(video)
        assert "(eng)" in main and "(default)" in main and "descriptions" not in main, video
        assert "(eng)" in described and "(default)" not in described
        assert "(visual impaired)" in described and "(descriptions)" in described
        assert re.search(r"(?m)^\s*name\s*: Audio description$", described)


def test_descriptions_are_spoken_in_the_gaps_and_never_over_the_narration(rendered):
    _, _, result = rendered
    video = result.folder / "16x9" / "video.mp4"
    main, described = _levels(_decode(video, 0)), _levels(_decode(video, 1))
    n = min(len(main), len(described))
    main, described = main[:n], described[:n]
    speaking = np.zeros(n, bool)
    for placement in result.timeline.audio:
        speaking[placement.start_ms // 20: (placement.start_ms + placement.duration_ms) // 20] = True
    silent = (main < -60) & ~speaking
    assert (described[silent] > -40).sum() * 0.02 > 3.0  # seconds of description where the main track is silent
    # over the narration the described track is the main track under one gain (its own normalisation):
    # nothing added, nothing ducked
    loud = speaking & (main > -40)
    difference = described[loud] - main[loud]
    assert loud.sum() > 50
    assert np.percentile(difference, 95) - np.percentile(difference, 5) < 1.5


def test_both_tracks_meet_the_loudness_target_and_the_true_peak_ceiling(rendered):
    _, _, result = rendered
    profile = load_profile(None)
    video = result.folder / "16x9" / "video.mp4"
    for track in (0, 1):
        samples = _decode(video, track, 48000, 2)
        assert abs(loudness_of(samples, 48000) - profile.integrated_lufs) <= 1.0, track
        assert true_peak_dbtp(samples) <= profile.true_peak_dbtp + 0.5, track


def test_the_manifest_lists_the_track_and_what_the_description_left_out(rendered):
    _, _, result = rendered
    manifest = json.loads((result.folder / "manifest.json").read_text())
    described = manifest["formats"]["16x9"]["audio_description"]
    assert described["track"] == 2 and described["language"] == "eng" and described["title"] == "Audio description"
    assert described["loudness"]["integrated_lufs"] == pytest.approx(-16.0, abs=0.5)
    assert described["parts_said"] > 5
    said_or_left = {d["text"] for d in described["dropped"]} | {s["text"] for s in described["shortened"]}
    assert all(isinstance(t, str) and t for t in said_or_left)
    assert "audio_description" in manifest["formats"]["16x9"]["cuts"]["verdict"]


def test_a_warm_render_reuses_the_described_track_and_its_speech(rendered):
    tmp, script, _ = rendered

    def cached() -> dict[str, float]:
        return {str(p): p.stat().st_mtime for p in (tmp / "cache").rglob("*") if p.is_file()
                and p.parent.name != "segments"}

    before = cached()
    render(script, _options(tmp))
    assert cached() == before  # no speech said again, no soundtrack mixed again


def test_the_extended_version_holds_the_picture_while_the_rest_is_said(rendered):
    _, _, result = rendered
    folder = result.folder / "16x9"
    manifest = json.loads((result.folder / "manifest.json").read_text())
    extended = manifest["formats"]["16x9"]["audio_description"]["extended"]
    holds = extended["holds"]
    assert extended["file"] == "video-described.mp4" and holds
    added = sum(h["frames"] for h in holds)
    info = probe(Ffmpeg(), folder / "video-described.mp4", with_frame_count=True)
    assert info.frames == result.timeline.total_frames + added
    (_, only), = [(0, s) for s in _streams(folder / "video-described.mp4")]
    assert "(eng)" in only and "(descriptions)" in only
    # the first held scene: its last frame repeats through the hold, while the description speaks
    first = next(i for i, s in enumerate(result.timeline.scenes) if s.title == holds[0]["scene"])
    end = result.timeline.scenes[first].end_frame  # the first hold: nothing is held before it
    step = max(1, holds[0]["frames"] // 6)
    frames = decode_frames(Ffmpeg(), folder / "video-described.mp4", list(range(end - 1, end + holds[0]["frames"], step)))
    assert max(np.abs(f.astype(int) - frames[0].astype(int)).mean() for f in frames) < 2
    sound = _levels(_decode(folder / "video-described.mp4", 0))
    fps = float(result.timeline.fps)
    held = sound[round(end / fps * 50): round((end + holds[0]["frames"]) / fps * 50)]
    assert (held > -40).mean() > 0.4
    # its own captions: the same cues, later by the holds before them
    plain, described = read_vtt(folder / "captions.vtt"), read_vtt(folder / "captions-described.vtt")
    assert [c.text for c in plain] == [c.text for c in described]
    assert all(d.start_ms >= c.start_ms and d.duration_ms == c.duration_ms for c, d in zip(plain, described))
    ends = {s.title: s.end_frame for s in result.timeline.scenes}
    before = sum(h["frames"] for h in holds if ends[h["scene"]] * 1000 / fps <= plain[-1].start_ms)
    assert before > 0
    assert described[-1].start_ms - plain[-1].start_ms == pytest.approx(before * 1000 / fps, abs=40)
    assert 'data-extended="video-described.mp4"' in (folder / "index.html").read_text()


def test_the_extended_version_meets_the_loudness_target(rendered):
    _, _, result = rendered
    samples = _decode(result.folder / "16x9" / "video-described.mp4", 0, 48000, 2)
    assert abs(loudness_of(samples, 48000) - load_profile(None).integrated_lufs) <= 1.0
    assert true_peak_dbtp(samples) <= load_profile(None).true_peak_dbtp + 0.5


def test_without_audio_tracks_the_player_switches_to_the_extended_file(rendered):
    from tests.browser.test_player_page import _missing, check
    from tests.browser.serve import serve

    if _missing():
        pytest.skip(_missing())
    _, _, result = rendered
    with serve(result.folder) as base:
        report = check(f"{base}16x9/index.html", "--no-audio-tracks")
    describe = report["describe"]
    assert describe["before"]["tracks"] is None and describe["before"]["hidden"] is False
    assert describe["on"]["src"].endswith("/16x9/video-described.mp4") and describe["on"]["pressed"] == "true"
    assert describe["off"]["src"].endswith("/16x9/video.mp4")
    assert (describe["on"]["captions"], describe["off"]["captions"]) == ("captions-described.vtt", "captions.vtt")
    assert describe["on"]["status"].startswith("Audio description on")
