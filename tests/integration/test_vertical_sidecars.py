"""A 9:16 render burns three-line captions in, but every caption file it writes (the video's, its
translations', its cuts') keeps the file rules, and ``claimreel lint`` finds nothing in any of them."""

from __future__ import annotations

from claimreel.cli import main
from tests.conftest import SMALL_SCRIPT, make_workspace

LONG = ("Gauges upstream of the town recorded a steady flow through the whole of April, and the "
        "water board's own inspectors walked the banks twice that week without finding a dry stretch.")
SCRIPT = SMALL_SCRIPT.replace(
    "narration: Photos show water.",
    f"narration: {LONG}\n    subtitles: {{zh-Hans: 镇上游的水位计显示，整个四月河水一直在流动，水务局的检查员那一周两次沿河巡查，没有发现干涸的河段。}}",
).replace("voice: {engine: fake}", "voice: {engine: fake, rate: 130}") + "cuts:\n  - {name: photo-only, scenes: [claim, 1]}\n"
# a voice slow enough for the reading speed: what is tested here is lines and their lengths


def test_every_caption_file_of_a_vertical_render_lints_clean(tmp_path, capsys):
    script = make_workspace(tmp_path / "ws", SCRIPT)
    out = tmp_path / "out"
    code = main(["render", str(script), "--format", "9x16", "--preview", "--cuts", "all", "--voice", "fake",
                 "--out", str(out), "--cache", str(tmp_path / "cache"), "--jobs", "2"])
    assert code == 0, capsys.readouterr().err
    folder = out / "_previews" / "small-check" / "9x16"
    files = sorted(p for p in folder.rglob("captions*") if p.suffix in (".srt", ".vtt"))
    names = {str(p.relative_to(folder)) for p in files}
    assert {"captions.srt", "captions.vtt", "captions.zh-Hans.srt", "captions.zh-Hans.vtt",
            "cuts/photo-only/captions.srt", "cuts/photo-only/captions.vtt"} <= names, names
    capsys.readouterr()
    for path in files:
        assert main(["lint", str(path)]) == 0, capsys.readouterr().out
    text = (folder / "captions.srt").read_text(encoding="utf-8")
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()[2:]
        assert 1 <= len(lines) <= 2 and max(len(line) for line in lines) <= 42, block
