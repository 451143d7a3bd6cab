"""The whole pipeline on a short script: real layout, real ffmpeg, checked by decoding the result."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import numpy as np
import pysrt
import pytest

from claimreel.cli import main
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import decode_frames, probe
from claimreel.pipeline.render import render
from claimreel.layout.theme import load_theme
from claimreel.timeline.model import frame_to_ms

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def rendered(small_final, tmp_path_factory):
    """The session's final render of the small script, made from an empty cache, copied with its
    cache: the tests here render it again, damage its cache and break its script."""
    from .conftest import copy_render

    return copy_render(small_final, tmp_path_factory.mktemp("render") / "ws")


def test_video_probes_as_delivery_h264_and_aac(rendered):
    ws, _, _, result = rendered
    info = probe(Ffmpeg(), result.folder / "16x9" / "video.mp4", with_frame_count=True)
    assert (info.video_codec, info.video_profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, info.fps) == (1920, 1080, Fraction(30))
    assert (info.audio_codec, info.sample_rate, info.channels) == ("aac", 48000, 2)
    assert info.frames == result.timeline.total_frames
    assert abs(info.duration_s - result.timeline.total_frames / 30) < 0.05


def test_decoded_frames_show_the_scenes(rendered):
    _, _, _, result = rendered
    timeline = result.timeline
    verdict = next(s for s in timeline.scenes if s.kind == "verdict")
    title = next(s for s in timeline.scenes if s.kind == "title")
    mid = (verdict.start_frame + verdict.end_frame) // 2
    frames = decode_frames(Ffmpeg(), result.folder / "16x9" / "video.mp4", [mid, title.start_frame + 20])
    red = np.array([0xC0, 0x26, 0x2D])
    close = np.abs(frames[0].astype(int) - red).sum(axis=2) < 40
    assert close.sum() > 20_000, "the verdict badge in the rating colour is on screen"
    navy = np.array(load_theme("default").rgb("background"))
    corner = frames[1][5:60, 5:60].reshape(-1, 3).astype(int)
    assert np.abs(corner - navy).max() < 12


def test_captions_follow_the_narration(rendered):
    _, _, _, result = rendered
    subs = pysrt.open(str(result.folder / "16x9" / "captions.srt"), error_handling=pysrt.ERROR_RAISE)
    # The claim card reads the claimant's own words: labelled in SRT, a voice span in WebVTT.
    assert [s.text for s in subs] == [
        ("Ana Ruiz: " if c.speaker else "") + "\n".join(c.lines) for c in result.timeline.cues
    ]
    assert [c.speaker for c in result.timeline.cues] == [None, "Ana Ruiz", None, None, None]
    text = " ".join(s.text.replace("\n", " ") for s in subs)
    assert "The river is dry." in text and "Flow fell later." in text
    vtt = (result.folder / "16x9" / "captions.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n") and "The river was running on that day." in vtt
    assert "\n<v Ana Ruiz>The river is dry.\n" in vtt
    claim = next(s for s in result.timeline.scenes if s.kind == "claim")
    first = next(c for c in result.timeline.cues if "river is dry" in c.text)
    lead_ms = 300  # the default lead-in before a scene's narration
    assert abs(first.start_ms - (frame_to_ms(claim.start_frame, Fraction(30)) + lead_ms)) <= 67


def test_manifest_hashes_match_files(rendered):
    _, _, _, result = rendered
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    assert listed == {
        "16x9/video.mp4", "16x9/captions.srt", "16x9/captions.vtt", "16x9/descriptions.vtt", "16x9/chapters.vtt",
        "16x9/index.html", "16x9/poster.jpg", "16x9/storyboard.png",
        "transcript.txt", "transcript.html", "claimreview.jsonld",
    }
    for entry in manifest["files"]:
        data = (result.folder / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    fmt = manifest["formats"]["16x9"]
    assert fmt["resolution"] == [1920, 1080] and fmt["fps"] == "30"
    assert -17.0 <= fmt["loudness"]["integrated_lufs"] <= -15.0
    assert fmt["loudness"]["true_peak_dbtp"] <= -1.0


def test_transcript_holds_claim_verdict_narration_and_credits(rendered):
    _, _, _, result = rendered
    text = (result.folder / "transcript.txt").read_text(encoding="utf-8")
    for needle in ("The river is dry.", "OUR VERDICT: FALSE.", "Photos show water.",
                   "A wide river under a cloudy sky.", "Video producer: Test Producer."):
        assert needle in text


def test_second_render_uses_the_caches(rendered, monkeypatch):
    from claimreel.pipeline.mixdown import Soundtrack

    _, script, options, first = rendered
    names = ("video.mp4", "poster.jpg", "storyboard.png")
    before = {name: (first.folder / "16x9" / name).read_bytes() for name in names}
    # the soundtrack comes from the cache too: mixing it again would fail here
    monkeypatch.setattr(Soundtrack, "render", lambda *a, **k: pytest.fail("soundtrack mixed again"))
    again = render(script, options)
    assert again.synthesized == 0
    assert again.segments_encoded == 0 and again.segments_cached == first.segments_encoded
    assert {name: (again.folder / "16x9" / name).read_bytes() for name in names} == before


def test_stills_and_soundtrack_are_made_again_when_their_cache_files_are_lost(rendered):
    _, script, options, first = rendered
    before = {name: (first.folder / "16x9" / name).read_bytes() for name in ("poster.jpg", "storyboard.png")}
    stills = sorted((options.cache / "segments").glob("*.still.jpg"))
    assert len(stills) >= len(first.timeline.scenes)
    for path in stills:
        path.write_bytes(path.read_bytes()[:100])  # truncated: not a whole JPEG
    tracks = sorted((options.cache / "audio").glob("*.m4a"))
    assert len(tracks) == 2  # the main soundtrack and the described one
    for track in tracks:
        track.write_bytes(b"damaged")
    again = render(script, options)
    assert again.segments_encoded == 0
    assert {name: (again.folder / "16x9" / name).read_bytes() for name in before} == before
    assert all(track.read_bytes() != b"damaged" for track in tracks)
    info = json.loads((again.folder / "manifest.json").read_text())
    assert -17.0 <= info["formats"]["16x9"]["loudness"]["integrated_lufs"] <= -15.0


def test_bad_input_leaves_previous_output_intact(rendered, capsys):
    ws, script, options, result = rendered
    before = {p: p.read_bytes() for p in result.folder.rglob("*") if p.is_file()}
    broken = ws / "scripts" / "broken.yaml"
    broken.write_text(script.read_text().replace("id: small-check", "id: small-check\nvoiceover: 1"))
    code = main(["render", str(broken), "--out", str(options.out), "--cache", str(options.cache)])
    err = capsys.readouterr().err
    assert code == 2
    assert "broken.yaml:" in err and "unknown field 'voiceover'" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in result.folder.rglob("*") if p.is_file()} == before
    assert not [p for p in options.out.iterdir() if "staging" in p.name]


def test_joins_are_seamless_at_delivery_settings(rendered):
    """B-frames and edit lists at every scene and still-GOP join: each frame lands where it belongs."""
    from .test_segment_joins import assert_joins_match

    _, script, options, result = rendered
    assert_joins_match(script, options, result.folder / "16x9" / "video.mp4")
