"""A render writes each format's caption files for that format's video: in 9:16 every caption file
(the video's, its translations', its cuts') is cut for the vertical rules (3 lines of at most 30
characters), and ``claimreel lint``, the job report and the studio judge them by the same rules:
all three find nothing, while the 16:9 files of the same render keep 2 lines of at most 42."""

from __future__ import annotations

from fractions import Fraction

import pytest

from claimreel.cli import main
from claimreel.jobs.report import caption_lint
from tests.conftest import SMALL_SCRIPT, make_workspace

LONG = ("Gauges upstream of the town recorded a steady flow through the whole of April, and the "
        "water board's own inspectors walked the banks twice that week without finding a dry stretch.")
SCRIPT = SMALL_SCRIPT.replace(
    "narration: Photos show water.",
    f"narration: {LONG}\n    subtitles: {{zh-Hans: 镇上游的水位计显示，整个四月河水一直在流动，水务局的检查员那一周两次沿河巡查，没有发现干涸的河段。}}",
).replace("voice: {engine: fake}", "voice: {engine: fake, rate: 130}") + (
    "cuts:\n  - {name: photo-only, scenes: [claim, 1]}\nformats: [16x9, 9x16]\n")
# a voice slow enough for the reading speed: what is tested here is lines and their lengths


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sidecars")
    script = make_workspace(tmp_path / "ws", SCRIPT)
    out = tmp_path / "out"
    code = main(["render", str(script), "--format", "16x9,9x16", "--preview", "--cuts", "all", "--voice", "fake",
                 "--out", str(out), "--cache", str(tmp_path / "cache"), "--jobs", "2"])
    assert code == 0
    return script, tmp_path / "cache", out / "_previews" / "small-check"


def _cue_lines(path):
    return [block.splitlines()[2:] for block in path.read_text(encoding="utf-8").strip().split("\n\n")]


@pytest.mark.parametrize(("fmt", "chars", "lines"), [("9x16", 30, 3), ("16x9", 42, 2)])
def test_every_caption_file_is_cut_for_its_format_and_lints_clean(rendered, capsys, fmt, chars, lines):
    _, _, story = rendered
    folder = story / fmt
    files = sorted(p for p in folder.rglob("captions*") if p.suffix in (".srt", ".vtt"))
    names = {p.relative_to(folder).as_posix() for p in files}
    assert {"captions.srt", "captions.vtt", "captions.zh-Hans.srt", "captions.zh-Hans.vtt",
            "cuts/photo-only/captions.srt", "cuts/photo-only/captions.vtt"} <= names, names
    capsys.readouterr()
    for path in files:
        assert main(["lint", str(path)]) == 0, capsys.readouterr().out  # the rules of the folder it is in
    blocks = _cue_lines(folder / "captions.srt")
    assert all(1 <= len(b) <= lines and max(map(len, b)) <= chars for b in blocks), blocks
    if fmt == "9x16":
        assert max(map(len, blocks)) == 3 and max(len(line) for b in blocks for line in b) > 25
    report = caption_lint(folder, fmt, Fraction(30))
    assert report["clean"], report["findings"]
    assert set(report["files"]) == names


def test_lint_judges_a_vertical_file_by_the_rules_asked_for(rendered, capsys):
    _, _, story = rendered
    capsys.readouterr()
    assert main(["lint", "--format", "16x9", str(story / "9x16" / "captions.srt")]) == 1
    assert "lines value 3, limit 2" in capsys.readouterr().out


def test_the_studio_finds_what_lint_finds_in_every_format(tmp_path, capsys):
    """A voice too fast for the reading speed: the studio reports each format's findings, the same
    cues and rules ``claimreel lint --format F`` reports for that format."""
    import re

    from claimreel.pipeline.storyboard import prepare_boards
    from claimreel.studio.findings import lint_findings

    script = make_workspace(tmp_path / "ws", SCRIPT.replace("rate: 130", "rate: 230"))
    cache = tmp_path / "cache"
    prepared = prepare_boards(script, ["16x9", "9x16"], cache=cache)
    found, _ = lint_findings(prepared, script.read_text(encoding="utf-8"))
    for fmt in ("16x9", "9x16"):
        capsys.readouterr()
        assert main(["lint", "--format", fmt, "--cache", str(cache), str(script)]) == 1
        linted = re.findall(r": cue (\d+) at [^:]+:[^:]+:[^:]+: (\w+) value", capsys.readouterr().out)
        studio = [(f.field.split()[1], f.message.split(":")[0]) for f in found  # "cue 4 in 16x9"
                  if fmt in f.field.rsplit(" in ", 1)[-1].split("/")]
        assert linted and studio == linted, (fmt, studio, linted)
