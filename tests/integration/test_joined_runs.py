"""A long video is joined from kept runs of its segments: the same stream as one join, and an edit
joins again only the run that changed, and then the runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import claimreel.pipeline.joined as joined
from claimreel.encode.ffmpeg import Ffmpeg, media_path
from claimreel.encode.segments import concat_segments
from claimreel.pipeline.encoding import _keyed_segment_jobs

pytestmark = pytest.mark.integration


def _packets(path: Path) -> list[str]:
    """Each video packet's timestamps, duration, size and checksum (ffmpeg's framemd5 of a stream copy)."""
    out = Ffmpeg().run(["-i", media_path(path), "-map", "0:v:0", "-c", "copy", "-f", "framemd5", "pipe:1"]).stdout
    return re.findall(r"^\s*0,.*$", out.decode("ascii"), re.M)


def _segments(flagship_preview) -> list[Path]:
    _, options, _, prepared = flagship_preview
    return [job.out_path for job, _ in _keyed_segment_jobs(prepared, prepared.formats[0], options.cache / "segments",
                                                             options, Ffmpeg())]


def test_a_long_video_joined_from_runs_is_the_stream_joined_at_once(flagship_preview, tmp_path):
    segments = _segments(flagship_preview)
    runs = joined._runs(segments)
    assert len(runs) >= 3 and [s for run in runs for s in run] == segments
    assert all(len(run) <= joined.MAX_RUN for run in runs)
    once = concat_segments(Ffmpeg(), segments, tmp_path / "once.mp4")
    from_runs = joined.joined_video(Ffmpeg(), segments, tmp_path / "runs.mp4", tmp_path / "videos")
    assert _packets(from_runs) == _packets(once)


def test_an_edit_joins_again_only_its_run_and_the_runs(flagship_preview, tmp_path, monkeypatch):
    segments = _segments(flagship_preview)
    cache = tmp_path / "videos"
    joined.joined_video(Ffmpeg(), segments, tmp_path / "first.mp4", cache)
    edited = list(segments)
    edited[1] = segments[1].with_name("0" * 64 + ".mp4")  # one segment changed: another key, same frames
    edited[1].parent.mkdir(parents=True, exist_ok=True)
    try:
        edited[1].hardlink_to(segments[1])
        listed: list[int] = []

        def counted(ffmpeg, paths, out):
            listed.append(len(paths))
            return concat_segments(ffmpeg, paths, out)

        monkeypatch.setattr(joined, "concat_segments", counted)
        joined.joined_video(Ffmpeg(), edited, tmp_path / "second.mp4", cache)
    finally:
        edited[1].unlink(missing_ok=True)
    runs = joined._runs(edited)
    changed = next(run for run in runs if edited[1] in run)
    assert listed == [len(changed), len(runs)], "the changed run, then the runs"
    assert sum(listed) < len(segments) / 2
    assert _packets(tmp_path / "second.mp4") == _packets(tmp_path / "first.mp4")
