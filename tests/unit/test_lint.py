"""``claimreel lint``: hand-made bad caption files, malformed files, profiles, scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.captions.profiles import profile_rules
from claimreel.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path("tests/fixtures/captions")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def lint(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.mark.parametrize("name", ["rules.srt", "rules.vtt"])
def test_each_rule_is_one_exact_line(capsys, name):
    code, out, err = lint(capsys, str(FIXTURES / name))
    expected = (REPO / FIXTURES / f"{name}.lint").read_text(encoding="utf-8").splitlines()
    assert (code, out, err) == (1, expected, [])


def test_rules_srt_names_every_rule_a_file_can_break(capsys):
    _, out, _ = lint(capsys, str(FIXTURES / "rules.srt"))
    rules = [line.split(": ")[2].split()[0] for line in out]
    assert rules == ["empty", "arrow", "lines", "long_word", "line_length", "min_duration", "max_duration",
                     "cps", "cps_hard", "overlap", "gap", "gap_not_closed", "timing", "index"]
    assert out[7] == (
        "tests/fixtures/captions/rules.srt: cue 8 at 00:00:30.000: cps value 18, limit 17: 18 characters per "
        "second (240 words per minute), preferred at most 17; show it at least 1059 ms (until 00:00:31.059) "
        'or shorten it to 17 characters | "Far too fast here."'
    )


SRT_FIX = ("each entry needs a number, a 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line and text, "
           "with a blank line between entries")
VTT_FIX = "each cue needs a 'HH:MM:SS.mmm --> HH:MM:SS.mmm' line and text, with a blank line between cues"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-arrow.srt", f":5: malformed entry '2 | 00:00:02,500 -> 00:00:03,000 | Broken arrow.'; {SRT_FIX}"),
        ("no-timing.srt", f":5: malformed entry '2 | No timing line here.'; {SRT_FIX}"),
        ("blank-in-cue.srt", f":5: malformed entry 'second line after a blank.'; {SRT_FIX}"),
        ("word-number.srt", ": entry at 00:00:01,000 has the number 'one'; number entries 1, 2, 3, ..."),
        ("empty.srt", ": holds no cues; check that it is the right file"),
        ("latin1.srt", ": not UTF-8 text (bad byte at offset 35); save the file as UTF-8"),
        ("no-header.vtt", ":1: not a WebVTT file (the first line must start with 'WEBVTT'); fix the header"),
        ("comma-times.vtt", ":3: malformed cue: Invalid cue block ['00:00:01,000 --> 00:00:03,000', "
                            f"'SRT commas in a WebVTT file.']; {VTT_FIX}"),
        ("no-blank-between.vtt", ":3: malformed cue: Invalid cue block ['00:00:01.000 --> 00:00:03.000', "
                                 f"'First cue.', '00:00:04.000 --> 00:00:06.000']; {VTT_FIX}"),
    ],
)
def test_malformed_files_are_reported_with_exit_2(capsys, name, message):
    code, out, err = lint(capsys, str(FIXTURES / name))
    assert (code, out, err) == (2, [], [f"{FIXTURES / name}{message}"])


def test_missing_file_and_unknown_kind(capsys, tmp_path):
    code, _, err = lint(capsys, str(tmp_path / "gone.srt"))
    assert (code, err) == (2, [f"{tmp_path / 'gone.srt'}: file not found; check the path"])
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    code, _, err = lint(capsys, str(other))
    assert code == 2 and err == [
        f"{other}: not a caption file or script (expected .srt, .vtt, .yaml or .yml); name one of those"
    ]


def test_clean_file_and_worst_exit_over_several(capsys, tmp_path):
    clean = tmp_path / "clean.srt"
    clean.write_text("1\n00:00:01,000 --> 00:00:03,000\nThe claim is false.\n", encoding="utf-8")
    assert lint(capsys, str(clean)) == (0, [f"{clean}: clean (1 cues, profile netflix)"], [])
    code, out, err = lint(capsys, str(clean), str(FIXTURES / "empty.srt"), str(FIXTURES / "rules.vtt"))
    assert code == 2 and len(out) == 8 and len(err) == 1


def test_profiles_narrow_the_line(capsys, tmp_path):
    path = tmp_path / "c.srt"
    line = "The report found it reasonable to conclude"  # 42 characters
    path.write_text(f"1\n00:00:01,000 --> 00:00:04,000\n{line}\n", encoding="utf-8")
    assert lint(capsys, str(path))[0] == 0
    for profile, limit in (("bbc", 37), ("dcmp", 32)):
        code, out, _ = lint(capsys, str(path), "--profile", profile)
        assert code == 1
        assert out == [f"{path}: cue 1 at 00:00:01.000: line_length value 42, limit {limit}: line 1 has 42 "
                       f"characters, at most {limit} allowed; re-break or split the cue | \"{line}\""]
    assert profile_rules("bbc", "9x16").max_chars_per_line == 30
    code, _, err = lint(capsys, str(path), "--profile", "itv")
    assert code == 2 and err == ["claimreel: --profile: unknown caption profile 'itv'; use one of netflix, bbc, dcmp"]


def test_fps_sets_the_frame_rules(capsys, tmp_path):
    path = tmp_path / "c.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\nOne cue.\n\n2\n00:00:03,050 --> 00:00:05,000\nTwo.\n",
                    encoding="utf-8")
    assert "gap value 1, limit 2" in lint(capsys, str(path), "--fps", "25")[1][0]  # 50 ms is one frame at 25
    assert lint(capsys, str(path), "--fps", "60")[0] == 1  # 3 frames at 60: a small gap left open
    assert lint(capsys, str(path), "--fps", "zero")[0] == 2


class _Estimating:
    """The fake engine, but saying its timings were spread rather than measured."""

    name = "estimating"

    def __init__(self, keep=None) -> None:  # a factory of ENGINES is given where it may keep files
        self.keep = keep

    def version(self) -> str:
        return "estimating-1"

    def synthesize(self, text, voice):
        from dataclasses import replace

        from claimreel.narration.engines.fake import FakeEngine

        return replace(FakeEngine().synthesize(text, voice), estimated=True)


def test_a_script_is_linted_before_rendering(capsys, workspace, monkeypatch):
    script = workspace / "scripts" / "small-check.yaml"
    cache = workspace / "cache"
    assert lint(capsys, str(script), "--cache", str(cache)) == (0, [
        f"{script}: note: verdict (verdict): 40 characters on screen need 3.4 s to read; the scene would last "
        "3.0 s, so it holds 0.4 s longer",
        f"{script}: note: body.2 (fact): 48 characters on screen need 3.8 s to read; the scene would last 3.0 s, "
        "so it holds 0.8 s longer",
        f"{script}: clean (5 cues, profile netflix)"], [])
    assert not (workspace / "render").exists()  # nothing rendered
    assert list((cache / "speech").rglob("*.wav"))  # narration cached for the render
    from claimreel.narration import engines

    monkeypatch.setitem(engines.ENGINES, "estimating", _Estimating)
    code, out, err = lint(capsys, str(script), "--cache", str(cache), "--voice", "estimating", "--profile", "dcmp")
    assert out[0] == (f"{script}: note: word timings were estimated for 5 of 5 narration blocks; "
                      "caption alignment is approximate")
    assert code == (1 if len(out) > 1 else 0) and err == []


def test_a_script_with_errors_exits_2(capsys, workspace):
    script = workspace / "scripts" / "small-check.yaml"
    script.write_text(script.read_text().replace("rating: \"False\"", "ratin: \"False\""))
    code, out, err = lint(capsys, str(script), "--cache", str(workspace / "cache"))
    assert code == 2 and out == [] and "ratin" in err[0]


def test_a_fast_voice_gets_the_rate_that_fixes_it_and_that_rate_does(capsys, workspace):
    """A reading-speed finding on a script names the cue's text and a computed voice rate; at
    that rate the script's captions read within the limit."""
    import re

    script = workspace / "scripts" / "small-check.yaml"
    long = ("Photos taken that morning by three residents and a reporter show water running high between "
            "both banks of the river, well above the old stone marker.")
    script.write_text(script.read_text().replace("voice: {engine: fake}", "voice: {engine: fake, rate: 400}")
                      .replace("narration: Photos show water.", f"narration: {long}"))
    code, out, _ = lint(capsys, str(script), "--cache", str(workspace / "cache"))
    speed = [line for line in out if " cps value " in line or " cps_hard value " in line]
    assert code == 1 and speed, out
    assert all(re.search(r' \| ".+"$', line) for line in speed), speed  # the cue's text ends the line
    rates = [int(m.group(1)) for line in speed for m in [re.search(r"slow the voice to rate (\d+) "
                                                                    r"\(voice\.rate, now 400\)", line)] if m]
    assert len(rates) == len(speed), speed
    rules = {line.split(": ")[2].split()[0] for line in speed}
    script.write_text(script.read_text().replace("rate: 400", f"rate: {min(rates)}"))
    _, again, _ = lint(capsys, str(script), "--cache", str(workspace / "cache"))
    assert not [line for line in again if any(f" {rule} value " in line for rule in rules)], again
    # a cue past the hard limit, once fixed, may still be over the preferred one: its rate fixes that too
    later = [int(m.group(1)) for line in again for m in [re.search(r"slow the voice to rate (\d+)", line)] if m]
    if later:
        script.write_text(script.read_text().replace(f"rate: {min(rates)}", f"rate: {min(later)}"))
        _, again, _ = lint(capsys, str(script), "--cache", str(workspace / "cache"))
    assert not [line for line in again if " cps" in line], again
