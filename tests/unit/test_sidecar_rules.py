"""Caption files follow the rules of the format they belong to (a player shows them over that
format's video): one function, ``sidecar_rules``, decides it for the render, ``lint``, the job report
and the studio."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from claimreel.captions.profiles import profile_rules
from claimreel.captions.rules import FORMAT_RULES, language_rules, rules_for_format, sidecar_rules
from claimreel.pipeline.prepare import prepare, sidecar_timeline
from claimreel.pipeline.prepared import Video
from claimreel.pipeline.request import RenderOptions
from claimreel.publish.caption_files import caption_file_format, caption_file_language, caption_file_rules
from tests.conftest import SMALL_SCRIPT, make_workspace

LONG = ("Gauges upstream of the town recorded a steady flow through the whole of April, and the "
        "water board's own inspectors walked the banks twice that week without finding a dry stretch.")


@pytest.fixture(scope="module")
def vertical(tmp_path_factory) -> Video:
    tmp_path = tmp_path_factory.mktemp("vertical")
    script = make_workspace(tmp_path / "ws", SMALL_SCRIPT.replace("narration: Photos show water.",
                                                                  f"narration: {LONG}"))
    prepared = prepare(script, RenderOptions(formats=("9x16",), cache=tmp_path / "cache", preview=True))
    return Video("video 9x16", prepared, prepared.formats[0], tmp_path / "v.mp4")


def test_vertical_caption_files_are_cut_for_the_vertical_video(vertical):
    files = sidecar_timeline(vertical)
    rules = sidecar_rules("9x16")
    assert (rules.max_chars_per_line, rules.max_lines) == (30, 3)
    assert files.cues and all(len(c.lines) <= 3 and max(map(len, c.lines)) <= 30 for c in files.cues)
    assert max(len(c.lines) for c in files.cues) == 3  # the long narration does use the third line
    assert files == vertical.timeline  # the files hold what is burned in


@pytest.mark.parametrize("fmt", list(FORMAT_RULES))
def test_every_format_files_follow_that_format(fmt):
    assert sidecar_rules(fmt) == rules_for_format(fmt) == profile_rules("netflix", fmt)
    assert sidecar_rules(fmt, "zh-Hans") == language_rules("zh-Hans", fmt)
    assert sidecar_rules(fmt, "fr") == rules_for_format(fmt)


def test_a_caption_file_is_judged_by_the_rules_of_its_place_and_language(tmp_path):
    out = tmp_path / "out" / "story"
    assert caption_file_rules(out / "9x16" / "captions.srt") == (sidecar_rules("9x16"), "9x16")
    cut = out / "9x16" / "cuts" / "claim-only" / "captions.zh-Hans.vtt"
    assert (caption_file_format(cut), caption_file_language(cut)) == ("9x16", "zh-Hans")
    assert caption_file_rules(cut)[0].max_chars_per_line == 12
    assert caption_file_rules(tmp_path / "interview.srt") == (sidecar_rules("16x9"), "16x9")
    assert caption_file_rules(out / "9x16" / "captions.srt", "16x9") == (sidecar_rules("16x9"), "16x9")
    assert caption_file_rules(out / "4x5" / "captions.srt", profile="dcmp")[0].max_chars_per_line == 32
    assert caption_file_language(tmp_path / "captions.final.srt") is None


def test_a_speaker_label_gets_its_reading_time():
    """SRT shows "Ana Ruiz: " before the claimant's first cue; the cue stays up long enough to read it too."""
    from claimreel.captions.segment import TimedWord, segment, speaker_label

    rules = sidecar_rules("16x9")
    words = [TimedWord(w, 3300 + 200 * i, 3480 + 200 * i, "Ana Ruiz", 1)
             for i, w in enumerate("The river is dry.".split())]
    (cue,) = segment(words, rules, Fraction(30), names=("Ana Ruiz",))
    shown = len(speaker_label("Ana Ruiz")) + len(cue.text)
    assert shown * 1000 / cue.duration_ms <= rules.max_cps


def test_the_format_folder_of_a_relative_path():
    assert caption_file_format(Path("9x16") / "captions.srt") == "9x16"
    assert caption_file_format(Path("/nowhere/captions.srt")) is None


def test_lint_takes_the_rules_from_the_folder_a_file_is_in(tmp_path, capsys):
    from claimreel.cli import main

    cue = "1\n00:00:01,000 --> 00:00:06,000\nGauges upstream of the town\nrecorded a steady flow\nthrough the whole of April.\n"
    vertical = tmp_path / "story" / "9x16" / "captions.srt"
    loose = tmp_path / "captions.srt"
    for path in (vertical, loose):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cue, encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", str(vertical)]) == 0
    assert capsys.readouterr().out == f"{vertical}: clean (1 cues, profile netflix, 9x16 rules)\n"
    assert main(["lint", str(loose)]) == 1  # outside a 9x16 folder: 16:9's 2 lines
    assert "lines value 3, limit 2" in capsys.readouterr().out
    assert main(["lint", "--format", "9x16", str(loose)]) == 0
