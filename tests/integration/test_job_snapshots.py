"""A queued render renders what was submitted, and every job keeps its own output.

Small preview renders with the fake voice, run in-process by one runner: a script edited and
its photo replaced after the submit; two jobs of one script finishing in the other order than
they were submitted.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from claimreel.cli import main
from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.jobs import Queue, Runner, TaskSpec, submit

from ..conftest import REPO, SMALL_SCRIPT, make_workspace

pytestmark = pytest.mark.integration

EDITED = SMALL_SCRIPT.replace("The river is dry.", "The lake is empty.").replace(
    "A short test of the whole pipeline", "An edited title")


def _run(queue: Queue, cache: Path) -> dict[str, int]:
    return Runner(queue, jobs=1, tasks=1, cache=cache, check=0.2, poll=0.2).run(once=True)


def _submit(ws: Path, queue: Queue, name: str) -> str:
    spec = TaskSpec(ws / "scripts" / "small-check.yaml", formats=("16x9",), cuts=(), preview=True,
                    out=ws / "out")
    return submit(queue, name, [spec])


def _photo_frame(folder: Path) -> np.ndarray:
    """The picture in the middle of the photo scene (found by its chapter) as RGB pixels."""
    chapters = (folder / "16x9" / "chapters.vtt").read_text(encoding="utf-8").split("\n\n")
    cue = next(c for c in chapters if "river" in c.lower() or "photo" in c.lower())
    times = next(line for line in cue.splitlines() if "-->" in line).split(" --> ")
    seconds = [sum(float(p) * 60 ** i for i, p in enumerate(reversed(t.strip().split(":")))) for t in times]
    png = folder.parent / "frame.png"
    subprocess.run([Ffmpeg().binary, "-v", "error", "-y", "-ss", f"{sum(seconds) / 2:.3f}", "-i",
                    str(folder / "16x9" / "video.mp4"), "-frames:v", "1", str(png)], check=True)
    with Image.open(png) as image:
        return np.asarray(image.convert("RGB"), dtype=float)


def _until_lease_expired(queue: Queue, job: str, timeout: float = 10) -> None:
    """Return once the job's task is running on a lease nobody renewed (the runner is dead)."""
    deadline = time.monotonic() + timeout
    while not queue.status(job).tasks[0].lease_expired(time.time()):
        assert time.monotonic() < deadline, f"the lease did not run out in {timeout} s"
        time.sleep(0.05)


def test_an_edit_after_the_submit_does_not_reach_the_queued_render(tmp_path):
    script = make_workspace(tmp_path)
    queue = Queue(tmp_path / "queue.db")
    job = _submit(tmp_path, queue, "before the edit")
    script.write_text(EDITED, encoding="utf-8")  # the producer goes on editing while the task waits
    photo = tmp_path / "assets" / "photos" / "river.jpg"
    Image.new("RGB", (960, 540), (255, 0, 0)).save(photo)  # replaced in place, same name
    assert _run(queue, tmp_path / "cache")["done"] == 1

    for folder in (tmp_path / "out" / "_previews" / "small-check",
                   tmp_path / "out" / "_jobs" / job / "_previews" / "small-check"):
        transcript = (folder / "transcript.txt").read_text(encoding="utf-8")
        assert "The river is dry." in transcript and "lake" not in transcript
        assert json.loads((folder / "manifest.json").read_text())["title"] == "A short test of the whole pipeline"
    frame = _photo_frame(tmp_path / "out" / "_previews" / "small-check")
    red, green = frame[..., 0].mean(), frame[..., 1].mean()
    assert green > 60 and red < 200, (red, green)  # the submitted gradient, not the red replacement
    assert "The river is dry." in queue.status(job).tasks[0].inputs["script"]


def test_two_jobs_keep_their_own_outputs_and_the_folder_shows_the_newest_submitted(tmp_path, capsys):
    script = make_workspace(tmp_path)
    queue = Queue(tmp_path / "queue.db")
    first = _submit(tmp_path, queue, "first")
    script.write_text(EDITED, encoding="utf-8")
    second = _submit(tmp_path, queue, "second")
    queue.cancel(first)  # so the first submitted finishes last
    assert _run(queue, tmp_path / "cache")["done"] == 1
    queue.retry(first)
    assert _run(queue, tmp_path / "cache")["done"] == 1

    own = {job: tmp_path / "out" / "_jobs" / job / "_previews" / "small-check" for job in (first, second)}
    titles = {job: json.loads((own[job] / "manifest.json").read_text())["title"] for job in own}
    assert titles == {first: "A short test of the whole pipeline", second: "An edited title"}
    shown = json.loads((tmp_path / "out" / "_previews" / "small-check" / "manifest.json").read_text())
    assert shown["title"] == "An edited title" and shown["job"]["job"] == second
    assert (tmp_path / "out" / "_previews" / "small-check" / "16x9" / "video.mp4").samefile(
        own[second] / "16x9" / "video.mp4")  # published by hard link, not copied

    results = {job: queue.status(job).tasks[0].result for job in (first, second)}
    assert results[first]["folder"] == str(own[first]) and results[first]["published"] is None
    assert results[second]["published"] == str(tmp_path / "out" / "_previews" / "small-check")
    capsys.readouterr()
    assert main(["jobs", "status", first, "--queue", str(queue.path)]) == 0
    assert (f"      files: {own[first]} ({tmp_path / 'out' / '_previews' / 'small-check'} shows a render "
            "submitted later)\n") in capsys.readouterr().out
    report = json.loads((tmp_path / "out" / "_jobs" / first / "report.json").read_text())
    assert report["tasks"][0]["formats"][0]["player"] == "_previews/small-check/16x9/index.html"


def test_a_later_render_of_other_formats_keeps_the_published_ones(tmp_path):
    make_workspace(tmp_path)
    queue = Queue(tmp_path / "queue.db")
    _submit(tmp_path, queue, "wide")
    submit(queue, "tall", [TaskSpec(tmp_path / "scripts" / "small-check.yaml", formats=("9x16",), cuts=(),
                                    preview=True, out=tmp_path / "out")])
    assert _run(queue, tmp_path / "cache")["done"] == 2
    folder = tmp_path / "out" / "_previews" / "small-check"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(manifest["formats"]) == ["16x9", "9x16"]
    listed = {f["path"] for f in manifest["files"]}
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == found and "16x9/video.mp4" in listed and "9x16/video.mp4" in listed


def test_a_runner_killed_before_publishing_leaves_the_output_folder_as_it_was_and_the_task_completes(tmp_path):
    make_workspace(tmp_path)
    queue = Queue(tmp_path / "queue.db")
    job = _submit(tmp_path, queue, "killed")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    run = [sys.executable, "-m", "claimreel", "jobs", "run", "--once", "--queue", str(queue.path), "--lease", "2",
           "--jobs", "1", "--cache", str(tmp_path / "cache")]
    killed = subprocess.run(run, env={**env, "CLAIMREEL_TEST_KILL_AT": "job-publish"}, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    own = tmp_path / "out" / "_jobs" / job / "_previews" / "small-check"
    assert (own / "16x9" / "video.mp4").is_file() and not (tmp_path / "out" / "_previews").exists()

    _until_lease_expired(queue, job)  # the dead runner's lease runs out
    again = subprocess.run(run, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    task = queue.status(job).tasks[0]
    assert (task.state, task.attempts) == ("done", 2)
    shown = tmp_path / "out" / "_previews" / "small-check"
    manifest = json.loads((shown / "manifest.json").read_text())
    assert manifest["job"]["job"] == job
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {p.relative_to(shown).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in shown.rglob("*") if p.is_file() and p.name != "manifest.json"}
