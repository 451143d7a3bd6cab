"""The flagship, narrated for real by espeak, times out to a 1:30-1:55 video with enough cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.jobs.render import RenderOptions, prepare

pytestmark = pytest.mark.integration

FLAGSHIP = Path(__file__).resolve().parents[2] / "scripts" / "xinjiang-un-report.yaml"


def test_flagship_runs_between_90_and_115_seconds(tmp_path):
    prepared = prepare(FLAGSHIP, RenderOptions(cache=tmp_path / "cache"))
    timeline = prepared.timelines["16x9"]
    seconds = timeline.total_frames / float(timeline.fps)
    assert 90 <= seconds <= 115, seconds
    assert len(timeline.cues) >= 25
    kinds = [s.kind for s in timeline.scenes]
    assert kinds[:3] == ["title", "claim", "verdict"] and kinds[-1] == "credits"
    assert {"photo", "quote", "fact", "narration"} <= set(kinds)
