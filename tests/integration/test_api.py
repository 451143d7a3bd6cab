"""The Python API renders for real: the README's examples run as written, and progress and files add up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import claimreel
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe
from tests.conftest import make_workspace

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_examples(heading: str = "## Python API") -> list[str]:
    """The ```python blocks of the README section ``heading`` (its ### subsections included), in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return re.findall(r"```python\n(.*?)```", text[start:end if end > 0 else None], re.S)


def test_the_readme_examples_run_as_written(tmp_path, monkeypatch, capsys):
    """The README's API and moviepy examples, run unchanged in a workspace whose flagship is a short
    script with the fake voice (the real flagship takes a minute to render)."""
    script = make_workspace(tmp_path)
    script.rename(script.with_name("xinjiang-un-report.yaml"))
    monkeypatch.chdir(tmp_path)
    examples = readme_examples()
    assert len(examples) == 2
    for code in examples:
        exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    printed = capsys.readouterr().out
    assert "narration: 0/" in printed and "video 9x16: " in printed and "(100%)" in printed
    out = tmp_path / "render" / "out" / "_previews" / "small-check"  # the README's render is a preview
    assert f"{Path('render/out/_previews/small-check')}: " in printed
    for fmt, size in (("16x9", (960, 540)), ("9x16", (540, 960))):
        info = probe(Ffmpeg(), out / fmt / "video.mp4")
        assert (info.width, info.height) == size
        assert not (out / fmt / "cuts").exists()
    overlay = probe(Ffmpeg(), tmp_path / "render" / "verdict-over-footage.mp4")
    assert (overlay.width, overlay.height) == (960, 540)
    from claimreel import clips

    verdict = clips.story("scripts/xinjiang-un-report.yaml", "16x9", preview=True).scene("verdict")
    assert overlay.duration_s == pytest.approx(verdict.frames / 30, abs=0.1)  # the verdict scene's length


def test_render_reports_progress_and_every_file_it_wrote(workspace):
    events: list[claimreel.ProgressEvent] = []
    result = claimreel.render(workspace / "scripts" / "small-check.yaml", preview=True, out=workspace / "out",
                              cache=workspace / "cache", jobs=1, progress=events.append)
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages == ["narration", "video 16x9"]
    assert {e.stage: e.kind for e in events} == {"narration": "prepare", "video 16x9": "encode"}  # said, not guessed
    for stage in stages:
        mine = [e for e in events if e.stage == stage]
        assert mine[0].done == 0 and mine[-1].done == mine[-1].total > 0 and mine[-1].percent == 100.0
        assert [e.done for e in mine] == sorted(e.done for e in mine)
    on_disk = sorted(p for p in result.folder.rglob("*") if p.is_file())
    assert sorted(result.files) == on_disk
    manifest = json.loads((result.folder / "manifest.json").read_text())
    listed = {result.folder / entry["path"] for entry in manifest["files"]}
    assert listed == set(on_disk) - {result.folder / "manifest.json"}
