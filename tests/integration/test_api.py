"""The Python API renders for real: progress and files add up (the manual's examples run in
test_doc_examples.py)."""

from __future__ import annotations

import json
import pytest

import claimreel

pytestmark = pytest.mark.integration


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
