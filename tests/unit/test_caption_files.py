"""SRT and WebVTT files: exact text out, strict reading back, and the rule checks a lint runs."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from textwrap import dedent

import pytest

from claimreel.captions import CaptionRules, check_cues
from claimreel.errors import ClaimreelError
from claimreel.publish.srt import CaptionFileError, read_srt, srt_text
from claimreel.publish.vtt import read_vtt, vtt_text
from claimreel.timeline.model import Cue

CUES = (
    Cue(1, 1000, 4200, ("Foreign ministry spokesperson Wang Wenbin", "said the report was full of lies.")),
    Cue(2, 4267, 6000, ("The report is “a pack of lies”",), "Wang Wenbin"),
    Cue(3, 6067, 8000, ("and it was written by liars.",), "Wang Wenbin"),
    Cue(4, 3_725_042, 3_727_000, ("But the figures tell", "a different story.")),
)


def test_srt_text_exact() -> None:
    assert srt_text(CUES) == dedent(
        """\
        1
        00:00:01,000 --> 00:00:04,200
        Foreign ministry spokesperson Wang Wenbin
        said the report was full of lies.

        2
        00:00:04,267 --> 00:00:06,000
        Wang Wenbin: The report is “a pack of lies”

        3
        00:00:06,067 --> 00:00:08,000
        and it was written by liars.

        4
        01:02:05,042 --> 01:02:07,000
        But the figures tell
        a different story.

        """
    )


def test_srt_never_breaks_an_entry() -> None:
    cues = (Cue(7, 0, 1000, ("A --> B", "", "  ")), Cue(8, 1100, 2000, ("",)), Cue(9, 2100, 3000, ("end",)))
    assert srt_text(cues) == dedent(
        """\
        1
        00:00:00,000 --> 00:00:01,000
        A → B

        2
        00:00:02,100 --> 00:00:03,000
        end

        """
    )


def test_vtt_text_exact_with_voices_and_escaping() -> None:
    cues = (
        Cue(1, 0, 2500, ("<script>alert(1)</script>", "Smith & Jones --> court")),
        Cue(2, 2567, 5000, ("It is not true.",), "Wang Wenbin"),
        Cue(3, 5067, 7000, ("A > B",), "R&D <team>"),
    )
    assert vtt_text(cues) == dedent(
        """\
        WEBVTT

        1
        00:00:00.000 --> 00:00:02.500
        &lt;script&gt;alert(1)&lt;/script&gt;
        Smith &amp; Jones --&gt; court

        2
        00:00:02.567 --> 00:00:05.000
        <v Wang Wenbin>It is not true.

        3
        00:00:05.067 --> 00:00:07.000
        <v R&amp;D &lt;team&gt;>A &gt; B
        """
    )


def test_vtt_descriptions_have_no_voices_and_no_blank_lines() -> None:
    cues = (Cue(1, 3_600_000, 3_605_500, ("A photo of a walled compound.", "", "Watchtowers at each corner.")),
            Cue(2, 3_606_000, 3_607_000, ("  ",)))
    text = vtt_text(cues, kind="descriptions")
    assert text == dedent(
        """\
        WEBVTT

        1
        01:00:00.000 --> 01:00:05.500
        A photo of a walled compound.
        Watchtowers at each corner.
        """
    )


def test_vtt_unknown_kind() -> None:
    with pytest.raises(ClaimreelError, match="unknown WebVTT track kind 'metadata'"):
        vtt_text(CUES, kind="metadata")


def test_srt_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "captions.srt"
    path.write_text(srt_text(CUES), encoding="utf-8")
    cues = read_srt(path)
    assert [(c.index, c.start_ms, c.end_ms) for c in cues] == [(c.index, c.start_ms, c.end_ms) for c in CUES]
    assert cues[1].lines == ("Wang Wenbin: The report is “a pack of lies”",)  # the label is text
    assert cues[3].lines == CUES[3].lines


def test_srt_read_with_bom_crlf_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "in.srt"
    path.write_bytes(b"\xef\xbb\xbf1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> world\r\n\r\n")
    assert read_srt(path) == (Cue(1, 1000, 2500, ("Hello world",)),)


def test_srt_malformed_entry_names_file_line_and_entry(tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:02,500 -> 00:00:03,000\nbroken\n\n",
        encoding="utf-8",
    )
    with pytest.raises(CaptionFileError) as caught:
        read_srt(path)
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        f"{path}:5: malformed entry '2 | 00:00:02,500 -> 00:00:03,000 | broken'; each entry needs a "
        "number, a 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line and text, with a blank line between entries"
    )


def test_srt_other_read_errors(tmp_path: Path) -> None:
    with pytest.raises(CaptionFileError, match=r"missing\.srt: file not found; check the path"):
        read_srt(tmp_path / "missing.srt")
    latin = tmp_path / "latin.srt"
    latin.write_bytes("1\n00:00:01,000 --> 00:00:02,000\ncafé\n".encode("latin-1"))
    with pytest.raises(CaptionFileError, match=r"not UTF-8 text \(bad byte at offset 35\); save the file as UTF-8"):
        read_srt(latin)
    numbered = tmp_path / "numbered.srt"
    numbered.write_text("one\n00:00:01,000 --> 00:00:02,000\ntext\n", encoding="utf-8")
    with pytest.raises(CaptionFileError, match=r"entry at 00:00:01,000 has the number 'one'"):
        read_srt(numbered)


def test_vtt_round_trip(tmp_path: Path) -> None:
    cues = (
        Cue(1, 0, 2500, ("<script>alert(1)</script>", "Smith & Jones --> court")),
        Cue(2, 2567, 5000, ("It is not true.",), "Wang Wenbin"),
    )
    path = tmp_path / "captions.vtt"
    path.write_text(vtt_text(cues), encoding="utf-8")
    assert read_vtt(path) == (
        Cue(1, 0, 2500, ("<script>alert(1)</script>", "Smith & Jones --> court")),
        Cue(2, 2567, 5000, ("It is not true.",), "Wang Wenbin"),
    )


def test_vtt_read_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.vtt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nan SRT file\n", encoding="utf-8")
    with pytest.raises(CaptionFileError, match=r"bad\.vtt:1: not a WebVTT file \(the first line must start with "
                       r"'WEBVTT'\); fix the header"):
        read_vtt(path)
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n00:00:03.000 --> 00:00:04.000\ntwo\n")
    with pytest.raises(CaptionFileError, match=r"malformed cue: .*00:00:03\.000 --> 00:00:04\.000"):
        read_vtt(path)


# check_cues: each rule has a cue that breaks it.

RULES = CaptionRules()
FPS = Fraction(25)  # 40 ms frames


def rules_of(cues: tuple[Cue, ...]) -> list[tuple[str, int]]:
    return [(f.rule, f.cue_index) for f in check_cues(cues, RULES, FPS)]


def test_clean_cues_have_no_findings() -> None:
    cues = (Cue(1, 1000, 3000, ("The claim is false.",)), Cue(2, 3080, 6000, ("The data", "shows otherwise.")))
    assert check_cues(cues, RULES, FPS) == []


def test_text_rules() -> None:
    cues = (
        Cue(1, 0, 5000, ()),
        Cue(2, 6000, 11000, ("one", "")),
        Cue(3, 12000, 17000, ("a --> b",)),
        Cue(4, 18000, 23000, ("one", "two", "three")),
        Cue(5, 24000, 29000, ("x" * 43,)),
        Cue(6, 30000, 35000, ("a line with many words that runs far too long",)),
    )
    assert rules_of(cues) == [
        ("empty", 1), ("blank_line", 2), ("arrow", 3), ("lines", 4), ("long_word", 5), ("line_length", 6)
    ]


def test_timing_rules() -> None:
    cues = (
        Cue(1, 0, 800, ("Hi.",)),  # too short
        Cue(2, 2000, 9200, ("A long wait.",)),  # too long
        Cue(3, 10000, 11000, ("x" * 18,)),  # 18 cps
        Cue(4, 12000, 13000, ("y" * 21,)),  # 21 cps
        Cue(5, 12500, 14000, ("Overlapping text.",)),  # starts before 4 ends
        Cue(6, 14040, 16000, ("One frame later.",)),  # 1-frame gap
        Cue(7, 16200, 18000, ("Gap of five frames.",)),  # should have been closed
        Cue(8, 19000, 19000, ("No time at all.",)),  # ends as it starts
        Cue(10, 20000, 22000, ("Misnumbered.",)),
    )
    found = check_cues(cues, RULES, FPS)
    assert [(f.rule, f.cue_index) for f in found] == [
        ("min_duration", 1),
        ("max_duration", 2),
        ("cps", 3),
        ("cps_hard", 4),
        ("overlap", 5),
        ("gap", 6),
        ("gap_not_closed", 7),
        ("timing", 8),
        ("index", 10),
    ]
    by_rule = {f.rule: f for f in found}
    assert (by_rule["cps"].value, by_rule["cps"].limit) == (18.0, 17.0)
    assert by_rule["min_duration"].message == (
        "shown 800 ms, at least 833 ms needed; extend it or merge it with a neighbour"
    )
    assert by_rule["gap"].message == "1 frame(s) after cue 5, at least 2 needed; end cue 5 earlier"
    assert by_rule["overlap"].start_ms == 12500
    assert by_rule["gap_not_closed"].value == 5


def test_lint_a_read_file(tmp_path: Path) -> None:
    path = tmp_path / "user.srt"
    path.write_text(
        dedent(
            """\
            1
            00:00:01,000 --> 00:00:01,500
            Too quick.

            2
            00:00:01,540 --> 00:00:04,000
            This line is far too long to fit the forty-two limit
            """
        ),
        encoding="utf-8",
    )
    assert rules_of(read_srt(path)) == [
        ("min_duration", 1), ("cps", 1), ("line_length", 2), ("cps_hard", 2), ("gap", 2)
    ]
