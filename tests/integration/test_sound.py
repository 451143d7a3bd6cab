"""The sound of a render, decoded and measured: loudness, true peak, music under speech, sync of
captions and audio to the picture, per-block voices, and the speech cache.

The render is the small script with real espeak speech, the claim read by another voice, and
the shipped music bed. It is a --preview, to keep the picture cheap; a preview's soundtrack is a
draft (levelled by ffmpeg, 24 kHz, 48 kbps), so the final soundtrack of the same timeline is made
too, by the render job's own Soundtrack, and the loudness and music tests measure that.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction

import numpy as np
import pytest

from claimreel.cli import main
from claimreel.encode.audio import place_mono_at, true_peak_dbtp
from claimreel.encode.decode import decode_audio
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.mix import BedSettings, loudness_of, mix_with_bed
from claimreel.encode.probe import probe
from claimreel.encode.profiles import load_profile
from claimreel.pipeline.audio_grid import AudioGrid
from claimreel.pipeline.mixdown import Soundtrack
from claimreel.pipeline.soundtrack_store import soundtrack
from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.timeline.model import frame_to_ms

from ..conftest import REPO, SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

RATE = 48000
SCRIPT = (
    SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: espeak}\nmusic: {file: assets/music/soft-pad.ogg}")
    .replace("  date: 2024-04-30\n", "  date: 2024-04-30\n  voice: {voice: en-gb, pitch: 30}\n")
    .replace("    attribution: A witness\n",
             "    attribution: A witness\n    narration: It was flowing, a witness said.\n"
             "    voice: {voice: en-us+f3, rate: 150}\n")
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    ws = tmp_path_factory.mktemp("sound")
    script = make_workspace(ws, SCRIPT)
    (ws / "assets" / "music").mkdir()
    shutil.copy(REPO / "assets" / "music" / "soft-pad.ogg", ws / "assets" / "music")
    options = RenderOptions(out=ws / "out", cache=ws / "cache", jobs=2, preview=True)
    result = render(script, options)
    video = result.folder / "16x9" / "video.mp4"
    audio = decode_audio(Ffmpeg(), video, rate=RATE, channels=2)
    return ws, script, options, result, audio


@pytest.fixture(scope="module")
def final_sound(rendered):
    """The final (not draft) soundtrack of the rendered timeline, decoded, and its loudness report."""
    ws, script, options, result, _ = rendered
    prepared = prepare(script, options)
    track = Soundtrack(result.timeline, prepared.speeches, prepared.script.music, prepared.music,
                       prepared.profile or load_profile(None), clip_files=prepared.loaded.assets)
    path, report = soundtrack(track, Ffmpeg(), ws / "final-audio")
    return decode_audio(Ffmpeg(), path, rate=RATE, channels=2), report


def test_final_audio_meets_the_web_profile(final_sound):
    audio, report = final_sound
    lufs = loudness_of(audio, RATE)
    peak = true_peak_dbtp(audio)
    assert -17.0 <= lufs <= -15.0, lufs
    assert peak <= -1.0, peak
    assert report["profile"] == "web" and abs(report["integrated_lufs"] - lufs) < 0.5


def test_preview_audio_is_a_levelled_draft(rendered):
    *_, result, audio = rendered
    lufs = loudness_of(audio, RATE)
    assert -17.0 <= lufs <= -15.0, lufs
    assert true_peak_dbtp(audio) <= -1.0
    loud = json.loads((result.folder / "manifest.json").read_text())["formats"]["16x9"]["loudness"]
    assert loud["profile"] == "web" and abs(loud["integrated_lufs"] - lufs) < 1.0
    assert "preview" in loud["measured"]


def test_music_sits_at_least_20_db_under_speech_in_the_decoded_output(rendered, final_sound):
    ws, script, options, result, _ = rendered
    audio, _ = final_sound
    prepared = prepare(script, options)
    timeline = result.timeline
    clips = [(prepared.speeches[p.scene_index][0].samples, prepared.speeches[p.scene_index][0].sample_rate,
              p.start_ms) for p in timeline.audio]
    grid = AudioGrid.of(timeline, RATE)  # a final mix places each scene's sounds on its AAC frame grid
    narration = np.repeat(place_mono_at([(x, r, grid.at(ms)) for x, r, ms in clips], grid.total, RATE)[:, None], 2, axis=1)
    spans = [(p.start_ms, p.start_ms + p.duration_ms) for p in timeline.audio]
    music = prepared.script.music
    full, report = mix_with_bed(narration, RATE, prepared.music, spans, BedSettings(music.level, music.under_speech))
    bed = full - narration
    assert report.music_under_speech_db <= -20.0
    # What the file holds: fit the decoded mix as a*narration + b*music over the speech spans.
    idx = np.concatenate([np.arange(a * RATE // 1000, b * RATE // 1000) for a, b in spans])
    n = min(len(audio), len(narration))
    idx = idx[idx < n]
    basis = np.stack([narration[idx, 0], bed[idx, 0]], axis=1).astype(np.float64)
    (a, b), *_ = np.linalg.lstsq(basis, audio[idx, 0].astype(np.float64), rcond=None)
    assert a > 0 and b > 0 and abs(b / a - 1) < 0.3  # the bed is really in the file, at the mixed level
    measured = loudness_of(b * bed[idx], RATE) - loudness_of(a * narration[idx], RATE)
    assert measured <= -20.0, measured
    gaps = (audio[int(0.5 * RATE) : int(0.8 * RATE)])  # before the intro: the bed alone, rising
    assert np.abs(gaps).max() > 1e-4


def test_audio_and_video_durations_agree_within_one_frame(rendered):
    *_, result, audio = rendered
    info = probe(Ffmpeg(), result.folder / "16x9" / "video.mp4", with_frame_count=True)
    frame_s = 1 / 30
    video_s = info.frames * frame_s
    assert info.frames == result.timeline.total_frames
    assert abs(len(audio) / RATE - video_s) <= frame_s, (len(audio) / RATE, video_s)


def _onset_ms(audio: np.ndarray, lo_ms: int, hi_ms: int, threshold: float) -> int | None:
    window = RATE // 200  # 5 ms
    seg = np.abs(audio[lo_ms * RATE // 1000 : hi_ms * RATE // 1000, 0])
    count = len(seg) // window
    loud = np.flatnonzero(seg[: count * window].reshape(count, window).max(axis=1) > threshold)
    return lo_ms + int(loud[0]) * 5 if loud.size else None


def test_every_cue_starts_within_two_frames_of_its_first_word_in_the_mix(rendered):
    *_, result, audio = rendered
    from scipy import signal

    timeline = result.timeline
    two_frames = 2 * 1000 / 30
    # Above 2 kHz the pad bed (fundamentals under 330 Hz, five partials) is silent; speech is not.
    audio = signal.sosfiltfilt(signal.butter(6, 2000, "highpass", fs=RATE, output="sos"), audio, axis=0)
    peak = float(np.abs(audio).max())
    checked = 0
    for cue in timeline.cues:
        # the cue's first word, placed on the timeline, begins within two frames of the cue
        scene = next(s for s in timeline.scenes
                     if frame_to_ms(s.start_frame, Fraction(30)) <= cue.start_ms < frame_to_ms(s.end_frame, Fraction(30)))
        assert scene is not None
        # after a pause, the sound of that word really starts there in the decoded mix
        before = audio[max(0, (cue.start_ms - 250)) * RATE // 1000 : (cue.start_ms - 40) * RATE // 1000]
        if before.size and np.abs(before).max() < 0.05 * peak:
            quiet = float(np.abs(before).max())
            onset = _onset_ms(audio, cue.start_ms - 100, cue.start_ms + 400, max(4 * quiet, 0.02 * peak))
            assert onset is not None and abs(onset - cue.start_ms) <= two_frames, (cue, onset)
            checked += 1
    assert checked >= 4


def test_each_block_speaks_with_its_own_voice(rendered):
    ws, script, options, result, _ = rendered
    prepared = prepare(script, options)
    keys = {spec.kind: prepared.speeches[i][1] for i, spec in enumerate(prepared.specs) if i in prepared.speeches}
    assert len(set(keys.values())) == len(keys)
    from claimreel.narration.plan import scene_voices

    voices = {prepared.specs[i].kind: v.settings for i, v in scene_voices(prepared.loaded, prepared.specs).items()}
    assert voices["claim"].voice == "en-gb" and voices["claim"].pitch == 30
    assert voices["quote"].voice == "en-us+f3" and voices["quote"].rate == 150
    assert voices["verdict"].voice == "en-us"


def test_second_espeak_render_synthesises_nothing(rendered):
    _, script, options, first, _ = rendered
    again = render(script, options)
    assert first.synthesized == 6
    assert again.synthesized == 0 and again.segments_encoded == 0


def test_broadcast_profile_from_the_command_line(rendered, capsys):
    ws, script, options, *_ = rendered
    out = ws / "out-ebu"
    code = main(["render", str(script), "--preview", "--out", str(out), "--cache", str(options.cache),
                 "--loudness", "atsc-a85"])
    assert code == 0, capsys.readouterr().err
    audio = decode_audio(Ffmpeg(), out / "_previews" / "small-check" / "16x9" / "video.mp4", rate=RATE, channels=2)
    assert abs(loudness_of(audio, RATE) + 24.0) <= 1.0
    assert true_peak_dbtp(audio) <= -2.0
    manifest = json.loads((out / "_previews" / "small-check" / "manifest.json").read_text())
    assert manifest["formats"]["16x9"]["loudness"]["profile"] == "atsc-a85"


def test_missing_music_file_is_an_input_error(rendered, capsys):
    ws, script, options, *_ = rendered
    broken = ws / "scripts" / "no-music.yaml"
    broken.write_text(SCRIPT.replace("soft-pad.ogg", "nothing.ogg").replace("id: small-check", "id: no-music"))
    code = main(["render", str(broken), "--preview", "--out", str(ws / "out2"), "--cache", str(options.cache)])
    err = capsys.readouterr().err
    assert code == 2 and "nothing.ogg" in err and "music.file" in err
