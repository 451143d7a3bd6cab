"""Social cuts end to end: re-timed captions and chapters, frame counts, segment cache reuse, manifest."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import numpy as np
import pytest

from claimreel.encode.decode import decode_audio
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.mix import loudness_of
from claimreel.encode.probe import decode_frames, probe
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.srt import read_srt, srt_text
from claimreel.publish.vtt import read_vtt
from claimreel.timeline.model import frame_to_ms

pytestmark = pytest.mark.integration

FPS = Fraction(30)
CUT_SCRIPT = """\
id: cut-check
title: Cuts of a short check
language: en
outlet: {name: Test Desk, url: "https://example.org"}
published: 2024-05-01
intro: A quick check.
claim:
  quote: The river is dry.
  speaker: {name: Ana Ruiz, title: Mayor of Testville}
  date: 2024-04-30
verdict:
  rating: "False"
  summary: The river was running on that day.
  narration: That is false. The river was running on that day, and the gauge shows it.
  subtitles: {es: Eso es falso. El río corría ese día.}
body:
  - type: quote
    id: witness
    text: It was flowing.
    attribution: A witness
    narration: A witness saw it flowing.
credits:
  - {role: Video producer, name: Test Producer}
voice: {engine: fake}
cuts:
  - name: claim-verdict
    title: Claim and verdict
    scenes: [claim, verdict]
  - name: key-finding
    scenes: [claim, verdict, witness]
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from ..conftest import make_workspace

    ws = tmp_path_factory.mktemp("ws")
    script = make_workspace(ws, CUT_SCRIPT)
    # Half-size drafts: the cut machinery is the same at every size, and the test stays quick.
    options = RenderOptions(out=ws / "out", cache=ws / "cache", jobs=2, preview=True)
    result = render(script, options)
    return script, options, result


def _cut(result, name):
    return next(c for c in result.cuts if c.name == name)


def test_cut_video_has_its_timelines_frames_and_the_captions_length(rendered):
    _, _, result = rendered
    for cut in result.cuts:
        folder = result.folder / cut.folder
        info = probe(Ffmpeg(), folder / "video.mp4", with_frame_count=True)
        assert (info.width, info.height, info.fps) == (960, 540, FPS)
        assert info.frames == cut.timeline.total_frames
        assert abs(info.duration_s - cut.timeline.total_frames / 30) < 0.05
        cues = read_srt(folder / "captions.srt")
        assert cues and cues[-1].end_ms <= cut.timeline.duration_ms
        assert [(c.start_ms, c.end_ms) for c in cues] == [(c.start_ms, c.end_ms) for c in cut.timeline.cues]
        assert (folder / "captions.srt").read_text(encoding="utf-8") == srt_text(cut.timeline.cues)
        audio = decode_audio(Ffmpeg(), folder / "video.mp4", rate=48000, channels=2)
        assert abs(len(audio) / 48000 - cut.timeline.total_frames / 30) < 1 / 30
        assert -17.0 <= loudness_of(audio, 48000) <= -15.0


def test_cut_scenes_are_the_named_ones_with_the_full_videos_lengths(rendered):
    _, _, result = rendered
    full = result.timeline
    cut = _cut(result, "key-finding")
    assert [(s.kind, s.block) for s in cut.timeline.scenes] == [
        ("claim", None), ("verdict", None), ("quote", 0), ("end", None)]
    end = cut.timeline.scenes[-1]
    assert [s.frames for s in cut.timeline.scenes] == [full.scenes[p].frames for p in cut.positions] + [end.frames]
    assert cut.timeline.scenes[0].start_frame == 0 and end.frames >= 4 * 30  # the theme's end card, 4 s at least
    assert cut.timeline.total_frames == sum(full.scenes[p].frames for p in cut.positions) + end.frames


def test_cues_are_retimed_to_the_cut(rendered):
    _, _, result = rendered
    full = result.timeline
    cut = _cut(result, "claim-verdict")
    full_verdict = next(s for s in full.scenes if s.kind == "verdict")
    offset = full.cues_in(full_verdict)[0].start_ms - frame_to_ms(full_verdict.start_frame, FPS)
    claim_frames = next(s for s in full.scenes if s.kind == "claim").frames
    # The verdict's first cue, read back from the cut's files: claim-scene frames + the same offset.
    for cues in (read_srt(result.folder / cut.folder / "captions.srt"),
                 read_vtt(result.folder / cut.folder / "captions.vtt")):
        first = next(c for c in cues if c.text.startswith("That is false."))
        assert abs(first.start_ms - (frame_to_ms(claim_frames, FPS) + offset)) <= 1
        assert cues[0].start_ms == 300  # the claim card's narration starts after its lead-in
    spanish = read_srt(result.folder / cut.folder / "captions.es.srt")
    assert " ".join(c.text for c in spanish) == "Eso es falso. El río corría ese día."
    assert abs(spanish[0].start_ms - (frame_to_ms(claim_frames, FPS) + offset)) <= 34


def test_chapters_list_exactly_the_cuts_scenes(rendered):
    _, _, result = rendered
    cut = _cut(result, "key-finding")
    chapters = read_vtt(result.folder / cut.folder / "chapters.vtt")
    assert [c.text for c in chapters] == ["The claim: Ana Ruiz", "Verdict: False", "Quote: A witness", "End card"]
    assert [(c.start_ms, c.end_ms) for c in chapters] == [
        (frame_to_ms(s.start_frame, FPS), frame_to_ms(s.end_frame, FPS)) for s in cut.timeline.scenes
    ]


def test_scenes_equal_to_the_full_videos_come_from_the_segment_cache(rendered):
    script, options, result = rendered
    # A cut's opening card is two units: its first GOP (no entrance) is the cut's own, the rest is the
    # full video's (which encodes that card as its entrance and the rest). Its end card is its own;
    # claim-verdict's verdict is too (its last cue is not closed up to a next one). key-finding shares
    # the opening and the end card with claim-verdict, and its verdict and quote with the full video.
    assert (_cut(result, "claim-verdict").segments_encoded, _cut(result, "claim-verdict").segments_cached) == (3, 1)
    assert (_cut(result, "key-finding").segments_encoded, _cut(result, "key-finding").segments_cached) == (0, 5)
    assert result.segments_encoded == len(result.timeline.scenes) + 4
    segments = sorted((options.cache / "segments").glob("*.mp4"))
    assert len(segments) == len(result.timeline.scenes) + 4
    again = render(script, options)
    assert again.segments_encoded == 0 and [(c.segments_encoded, c.segments_cached) for c in again.cuts] == [
        (0, 4), (0, 5)
    ]
    for first, second in zip(result.cuts, again.cuts):
        assert (again.folder / second.folder / "video.mp4").read_bytes() == (
            result.folder / first.folder / "video.mp4").read_bytes()


def test_a_cut_opens_at_full_strength_and_ends_on_the_end_card(rendered):
    """Feeds show a clip's first frame as its thumbnail: it is the claim card as it settles, not a fade
    from the background; the last scene is the end card with the verdict badge and the address."""
    _, _, result = rendered
    cut = _cut(result, "claim-verdict")
    end = cut.timeline.scenes[-1]
    first, settled, card = decode_frames(Ffmpeg(), result.folder / cut.folder / "video.mp4",
                                         [0, 40, end.start_frame + end.frames // 2])
    assert np.abs(first.astype(int) - settled.astype(int)).mean() < 2.0
    background = np.array([0x0D, 0x1B, 0x2A])
    shown = (np.abs(first.astype(int) - background).sum(axis=2) > 120).sum()
    assert shown > 4_000, "the card's text shows"
    red = np.array([0xC0, 0x26, 0x2D])
    assert end.kind == "end" and (np.abs(card.astype(int) - red).sum(axis=2) < 40).sum() > 5_000
    accent = np.array([0xFF, 0xC8, 0x45])
    assert (np.abs(card.astype(int) - accent).sum(axis=2) < 60).sum() > 150, "the address in the accent colour"
    # The full video still opens with its entrance: little but the corner mark and the draft's mark shows.
    full_first = decode_frames(Ffmpeg(), result.folder / "16x9" / "video.mp4", [0])[0]
    assert (np.abs(full_first.astype(int) - background).sum(axis=2) > 120).sum() < shown / 2


def test_last_frame_of_a_cut_fades_out(rendered):
    _, _, result = rendered
    cut = _cut(result, "claim-verdict")
    last, middle = cut.timeline.total_frames - 1, cut.timeline.scenes[1].start_frame + 45
    frames = decode_frames(Ffmpeg(), result.folder / cut.folder / "video.mp4", [middle, last])
    red = np.array([0xC0, 0x26, 0x2D])
    assert (np.abs(frames[0].astype(int) - red).sum(axis=2) < 40).sum() > 5_000, "the verdict badge shows"
    assert (np.abs(frames[1].astype(int) - red).sum(axis=2) < 40).sum() < 100, "faded out at the end"


def test_manifest_lists_every_cut_file_with_matching_hashes(rendered):
    _, _, result = rendered
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    for name in ("claim-verdict", "key-finding"):
        files = ("video.mp4", "captions.srt", "captions.vtt", "chapters.vtt", "poster.jpg", "captions.es.srt",
                 "captions.es.vtt")
        assert {f"16x9/cuts/{name}/{f}" for f in files} <= listed
    for entry in manifest["files"]:
        data = (result.folder / entry["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
    cuts = manifest["formats"]["16x9"]["cuts"]
    assert set(cuts) == {"claim-verdict", "key-finding"}
    info = cuts["claim-verdict"]
    cut = _cut(result, "claim-verdict")
    assert info["title"] == "Claim and verdict"
    assert info["frames"] == cut.timeline.total_frames
    assert info["duration_s"] == round(cut.timeline.total_frames / 30, 3)
    assert abs(info["probed_duration_s"] - info["duration_s"]) < 0.05
    assert [s["ref"] for s in info["scenes"]] == ["claim", "verdict", "end"]
    assert [s["kind"] for s in cuts["key-finding"]["scenes"]] == ["claim", "verdict", "quote", "end"]
    assert -17.0 <= info["loudness"]["integrated_lufs"] <= -15.0 and info["loudness"]["true_peak_dbtp"] <= -1.0


def test_cuts_none_renders_no_cut(rendered, tmp_path):
    script, options, _ = rendered
    result = render(script, RenderOptions(out=tmp_path / "out", cache=options.cache, jobs=2, preview=True, cuts=()))
    assert result.cuts == () and not (result.folder / "16x9" / "cuts").exists()
    assert result.segments_encoded == 0


def test_a_preview_renders_cuts_only_when_asked(rendered, tmp_path, capsys):
    from claimreel.cli import main

    script, options, _ = rendered
    args = ["render", str(script), "--preview", "--cache", str(options.cache), "--voice", "fake"]
    assert main([*args, "--out", str(tmp_path / "draft")]) == 0
    draft = tmp_path / "draft" / "_previews" / "cut-check"
    assert (draft / "16x9" / "video.mp4").is_file() and not (draft / "16x9" / "cuts").exists()
    assert ("preview: 2 social cuts not drafted (claim-verdict, key-finding); add --cuts all (or --cuts NAME) "
            "to draft them") in capsys.readouterr().out  # said, not silent
    assert main([*args, "--out", str(tmp_path / "asked"), "--cuts", "all"]) == 0
    cuts = tmp_path / "asked" / "_previews" / "cut-check" / "16x9" / "cuts"
    assert sorted(p.name for p in cuts.iterdir()) == ["claim-verdict", "key-finding"]
    capsys.readouterr()
