"""Caption files keep the file rules (2 lines of at most 42 characters) in every format, even where
the burned-in captions use three lines (9:16)."""

from __future__ import annotations

from pathlib import Path

from claimreel.captions.rules import FILE_RULES, rules_for_format
from claimreel.pipeline.prepare import prepare, sidecar_timeline
from claimreel.pipeline.prepared import Video
from claimreel.pipeline.request import RenderOptions
from tests.conftest import SMALL_SCRIPT, make_workspace

LONG = ("Gauges upstream of the town recorded a steady flow through the whole of April, and the "
        "water board's own inspectors walked the banks twice that week without finding a dry stretch.")


def _vertical(tmp_path: Path):
    script = make_workspace(tmp_path / "ws", SMALL_SCRIPT.replace("narration: Photos show water.",
                                                                  f"narration: {LONG}"))
    prepared = prepare(script, RenderOptions(formats=("9x16",), cache=tmp_path / "cache", preview=True))
    fmt = prepared.formats[0]
    return Video("video 9x16", prepared, fmt, tmp_path / "v.mp4")


def test_vertical_caption_files_have_two_lines_of_42_at_most(tmp_path):
    video = _vertical(tmp_path)
    burned = video.timeline.cues
    assert max(len(c.lines) for c in burned) == 3  # the burned-in layout does use three lines here
    files = sidecar_timeline(video)
    assert files.scenes == video.timeline.scenes
    assert files.cues and all(len(c.lines) <= 2 and max(map(len, c.lines)) <= 42 for c in files.cues)
    assert " ".join(c.text for c in files.cues).split() == " ".join(c.text for c in burned).split()
    assert all(c.end_ms <= video.timeline.duration_ms for c in files.cues)
    assert FILE_RULES == rules_for_format("16x9") and rules_for_format("9x16").max_lines == 3


def test_a_speaker_label_gets_its_reading_time():
    """SRT shows "Ana Ruiz: " before the claimant's first cue; the cue stays up long enough to read it too."""
    from fractions import Fraction

    from claimreel.captions.segment import TimedWord, segment, speaker_label
    from claimreel.captions.rules import FILE_RULES

    words = [TimedWord(w, 3300 + 200 * i, 3480 + 200 * i, "Ana Ruiz", 1)
             for i, w in enumerate("The river is dry.".split())]
    (cue,) = segment(words, FILE_RULES, Fraction(30), names=("Ana Ruiz",))
    shown = len(speaker_label("Ana Ruiz")) + len(cue.text)
    assert shown * 1000 / cue.duration_ms <= FILE_RULES.max_cps
