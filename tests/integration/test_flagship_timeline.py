"""The flagship, narrated for real by its neural voice (Piper), times out to a 1:45-2:05 video with enough cues, and
plays its stand-in footage and document page."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.pipeline.prepare import prepare
from claimreel.pipeline.request import RenderOptions

pytestmark = pytest.mark.integration

FLAGSHIP = Path(__file__).resolve().parents[2] / "scripts" / "xinjiang-un-report.yaml"


@pytest.fixture(scope="module")
def prepared(flagship_cache):
    """The flagship prepared for a final render, its Piper narration read from the session's cache."""
    return prepare(FLAGSHIP, RenderOptions(cache=flagship_cache))


def test_flagship_runs_under_two_minutes(prepared):
    timeline = prepared.timelines["16x9"]
    seconds = timeline.total_frames / float(timeline.fps)
    # About 115 s of narrated scenes, plus the holds that give its claim, verdict and quote cards time
    # to be read: a two-minute social segment. (The neural voice pauses longer at sentence ends than
    # espeak does, at the same talking pace: 121 s, against 120 s with --voice espeak.)
    assert 105 <= seconds <= 125, seconds
    assert sum(s.held_frames for s in timeline.scenes) / float(timeline.fps) > 3
    assert len(timeline.cues) >= 25
    kinds = [s.kind for s in timeline.scenes]
    assert kinds[:3] == ["title", "claim", "verdict"] and kinds[-1] == "credits"
    assert {"photo", "quote", "fact", "narration", "clip", "document"} <= set(kinds)
    # The clip scene lasts its 6.5 s of footage (the narration over it is shorter) and its room tone
    # plays from the scene's first frame; the document scene holds long enough to read the page.
    clip = next(s for s in timeline.scenes if s.kind == "clip")
    assert clip.frames == 195, clip.frames
    (sound,) = timeline.sounds
    assert sound.mode == "under" and sound.source_start == 0.5 and sound.duration_ms == 6500
    assert sound.start_ms == round(clip.start_frame / 30 * 1000)
    document = next(s for s in timeline.scenes if s.kind == "document")
    assert document.frames >= 90
    # Its social cuts re-time the same narration: short clips, well under a minute.
    from claimreel.pipeline.cuts import cut_view

    fmt = prepared.formats[0]
    for cut in prepared.script.cuts:
        view, positions = cut_view(prepared, cut, fmt)
        cut_timeline = view.timelines["16x9"]
        assert [s.kind for s in cut_timeline.scenes][:2] == ["claim", "verdict"]
        end = cut_timeline.scenes[-1]
        assert end.kind == "end" and end.frames >= 4 * 30  # every cut ends on the theme's end card
        assert cut_timeline.total_frames == sum(timeline.scenes[p].frames for p in positions) + end.frames
        assert cut_timeline.total_frames / float(cut_timeline.fps) < 45, cut.name


def test_flagship_final_audio_meets_the_web_loudness_profile(prepared, tmp_path):
    import numpy as np
    import pyloudnorm
    from scipy.signal import resample_poly

    from claimreel.encode.decode import decode_audio
    from claimreel.encode.ffmpeg import Ffmpeg
    from claimreel.pipeline.mixdown import Soundtrack

    timeline = prepared.timelines["16x9"]
    ffmpeg = Ffmpeg()
    aac = tmp_path / "mix.m4a"
    track = Soundtrack(timeline, prepared.speeches, prepared.script.music, prepared.music, prepared.profile,
                       clip_files=prepared.loaded.assets)
    report = track.render(ffmpeg, aac)
    # The stand-in footage's room tone plays under the narration, at least 20 dB down.
    assert report["clip_under_speech_db"] <= -20, report
    decoded = decode_audio(ffmpeg, aac, rate=48000, channels=2)
    assert abs(len(decoded) / 48000 - timeline.total_frames / 30) < 1 / 30  # same length as the video
    lufs = pyloudnorm.Meter(48000).integrated_loudness(decoded)
    assert -17.0 <= lufs <= -15.0, lufs
    oversampled = resample_poly(decoded, 4, 1, axis=0)
    true_peak = 20 * np.log10(np.max(np.abs(oversampled)))
    assert true_peak <= -1.0, true_peak
