"""The full video ends as its cuts do, on the end card (the verdict, the outlet, the fact-check's
address), when the script gives its address; and its structured data dates the video, not the
article."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import decode_frames, probe
from claimreel.pipeline.render import render
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.vtt import read_vtt

from ..conftest import SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

SCRIPT = SMALL_SCRIPT + """\
formats: [16x9, 9x16]
publish: {date: 2024-05-09}
cuts:
  - name: claim-verdict
    scenes: [claim, verdict]
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ws")
    script = make_workspace(ws, SCRIPT)
    options = RenderOptions(formats=("16x9", "9x16"), out=ws / "out", cache=ws / "cache", jobs=2, preview=True)
    return render(script, options)


def _middle(path, scene):
    (frame,) = decode_frames(Ffmpeg(), path, [scene.start_frame + scene.frames // 2])
    return frame.astype(int)


def _red(rgb) -> int:
    return int(np.count_nonzero((rgb[..., 0] > 150) & (rgb[..., 1] < 80) & (rgb[..., 2] < 80)))


@pytest.mark.parametrize("fmt", ["16x9", "9x16"])
def test_the_full_video_ends_on_the_cuts_end_card(rendered, fmt):
    cut = next(c for c in rendered.cuts if c.format == fmt)
    full_video, cut_video = rendered.folder / fmt / "video.mp4", rendered.folder / cut.folder / "video.mp4"
    info = probe(Ffmpeg(), full_video, with_frame_count=True)
    assert info.frames == rendered.timeline.total_frames
    end, credits = rendered.timeline.scenes[-1], rendered.timeline.scenes[-2]
    assert (end.kind, credits.kind) == ("end", "credits")
    assert end.frames == cut.timeline.scenes[-1].frames  # the same card, held as long
    card, cut_card = _middle(full_video, end), _middle(cut_video, cut.timeline.scenes[-1])
    assert np.abs(card - cut_card).mean() < 1.0
    # the rating in its colour (the default theme's False is red) is on the end card, not on the credits
    assert _red(card) > max(0.005 * card.shape[0] * card.shape[1], 5 * _red(_middle(full_video, credits)))
    chapters = read_vtt(rendered.folder / fmt / "chapters.vtt")
    assert chapters[-1].text == "End card" and chapters[-1].end_ms == rendered.timeline.duration_ms
    captions = read_vtt(rendered.folder / fmt / "captions.vtt")
    assert max(c.end_ms for c in captions) <= rendered.timeline.duration_ms


def test_the_transcript_and_descriptions_say_the_end_card(rendered):
    transcript = (rendered.folder / "transcript.txt").read_text(encoding="utf-8")
    assert transcript.rstrip().endswith(
        "END CARD\n  Visual: OUR VERDICT: FALSE.\n  Visual: Test Desk.\n"
        "  Visual: Read the full fact check at example.org/checks/small.")
    described = (rendered.folder / "16x9" / "descriptions.vtt").read_text(encoding="utf-8")
    assert "End card." in described


def test_the_upload_date_is_the_videos_own(rendered):
    review, video = json.loads((rendered.folder / "claimreview.jsonld").read_text())["@graph"]
    assert video["uploadDate"] == "2024-05-09T00:00:00+00:00"
    assert review["datePublished"] == "2024-05-01"
