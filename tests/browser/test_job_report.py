"""A job's report page in headless Chromium with axe-core: no violations, and its links reach
the player pages. The job is queued and run through the Python API, as docs/jobs.md shows it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

from claimreel.jobs import Queue, Runner, TaskSpec, submit
from claimreel.jobs.snapshot import InputStore, store_for

from .serve import serve
from .test_player_page import check, pytestmark  # noqa: F401  (same skips: Chromium, node packages)


def test_job_report_is_accessible_and_links_the_player_pages(tmp_path: Path):
    from ..conftest import SMALL_SCRIPT, make_workspace

    script = make_workspace(tmp_path)
    broken = tmp_path / "scripts" / "broken-check.yaml"
    broken.write_text(SMALL_SCRIPT.replace("id: small-check", "id: broken-check")
                      .replace("assets/photos/river.jpg", "assets/photos/lake.jpg"), encoding="utf-8")
    lake = tmp_path / "assets" / "photos" / "lake.jpg"
    lake.write_bytes((tmp_path / "assets" / "photos" / "river.jpg").read_bytes())
    out = tmp_path / "out"

    queue = Queue(tmp_path / "queue.db")
    job = submit(queue, "report check", [TaskSpec(script, formats=("16x9", "1x1"), preview=True, voice="fake", out=out),
                                         TaskSpec(broken, preview=True, voice="fake", out=out)])
    # After submit the task renders its stored copy of the photo: lose that copy, and the task fails
    # while rendering, with its message in the report.
    stored = queue.status(job).tasks[1].inputs["files"]["assets/photos/lake.jpg"]
    InputStore(store_for(queue.path)).path(stored["sha256"], stored["name"]).unlink()
    Runner(queue, jobs=2, cache=tmp_path / "cache").run(once=True)
    status = queue.status(job)
    assert [t.state for t in status.tasks] == ["done", "failed"]
    assert "assets/photos/lake.jpg" in status.tasks[1].error

    report_dir = out / "_jobs" / job
    data = json.loads((report_dir / "report.json").read_text())
    assert [f["format"] for f in data["tasks"][0]["formats"]] == ["16x9", "1x1"]
    assert data["tasks"][0]["formats"][0]["loudness_lufs"] is not None
    described = data["tasks"][0]["formats"][0]["audio_description"]
    assert described["parts_said"] > 0 and described["loudness_lufs"] is not None
    assert data["tasks"][1]["error"] == status.tasks[1].error
    html = (report_dir / "report.html").read_text()
    links = re.findall(r'href="([^"#]+)"', html)
    assert links == ["_previews/small-check/16x9/index.html", "_previews/small-check/1x1/index.html"]
    assert all((report_dir / link).resolve().is_file() for link in links)

    with serve(out) as base:
        report_url = f"{base}_jobs/{job}/report.html"
        result = check(urljoin(report_url, links[0]), "--axe", report_url)
    assert result["video"]["error"] is None and result["video"]["duration"] > 0
    axe = result["axe"][report_url]
    assert axe["violations"] == [], json.dumps(axe["violations"], indent=1)
    assert axe["passes"] > 5
