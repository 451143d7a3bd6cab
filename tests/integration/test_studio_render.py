"""The studio's render path end to end, in-process: a preview submitted from the render page is
rendered by the studio's own runner (real ffmpeg, the fake voice), its progress streams to
``done``, the outputs page plays it, a social pack holds each clip's files and the post copy,
and a final render can be cancelled from the job page."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

from claimreel.encode.ffmpeg import Ffmpeg
from claimreel.encode.probe import probe

from ..conftest import make_workspace
from ..studio_support import NAME, SCRIPT_WITH_CUTS, TestClient, studio_client

pytestmark = pytest.mark.integration



def _events(client: TestClient, job_url: str, timeout: float = 240) -> list[dict]:
    seen = []
    deadline = time.monotonic() + timeout
    with client.stream("GET", f"{job_url}/events") as stream:
        event = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "job":
                seen.append(json.loads(line[6:]))
            elif event == "end":
                break
            assert time.monotonic() < deadline, seen[-1:]
    return seen


@pytest.fixture
def studio(tmp_path: Path):
    make_workspace(tmp_path, SCRIPT_WITH_CUTS)
    with studio_client(tmp_path, runner=True, runner_jobs=2) as client:
        yield tmp_path, client


def test_a_preview_from_the_render_page_reaches_done_and_packs_for_social(studio):
    ws, c = studio
    form = c.get(f"/render?script={NAME}").text
    assert 'value="claim-verdict"' in form
    sent = c.post(f"/render?csrf={c.csrf}", follow_redirects=False, data={
        "script": NAME, "format": ["16x9", "9x16"], "cut": ["claim-verdict"], "kind": "preview", "voice": "fake"})
    assert sent.status_code == 303
    job_url = sent.headers["location"]
    seen = _events(c, job_url)
    assert seen[-1]["state"] == "done" and seen[-1]["finished"], seen[-1]
    task = seen[-1]["tasks"][0]
    job_id = job_url.rsplit("/", 1)[1]
    assert task["percent"] == 100 and task["result"] == f"/outputs/_jobs/{job_id}/_previews/small-check"
    own = c.get(task["result"]).text  # the job's own output: its players and social pack
    assert f'src="/files/_jobs/{job_id}/_previews/small-check/16x9/video.mp4"' in own
    assert f'action="/outputs/_jobs/{job_id}/_previews/small-check/pack.zip"' in own
    assert c.get(f"/outputs/_jobs/{job_id}/_previews/small-check/pack.zip?cut=full&format=16x9").status_code == 200
    assert c.get(f"/outputs/_jobs/..%2F{job_id}/_previews/small-check").status_code == 404
    assert any(s["tasks"][0]["state"] == "running" for s in seen)
    running = [s["tasks"][0]["percent"] for s in seen if s["tasks"][0]["state"] == "running"]
    assert all(0 <= p <= 100 for p in running) and any(0 < p < 100 for p in running), running
    assert "done" in seen[-1]["log"]

    folder = ws / "render" / "out" / "_previews" / "small-check"
    assert (folder / "16x9" / "video.mp4").is_file() and not (ws / "render" / "out" / "small-check").exists()
    listing = c.get("/outputs").text
    assert 'href="/outputs/_previews/small-check"' in listing and "preview" in listing
    page = c.get("/outputs/_previews/small-check").text
    assert 'src="/files/_previews/small-check/16x9/video.mp4"' in page
    assert 'value="claim-verdict"' in page
    ranged = c.get("/files/_previews/small-check/9x16/video.mp4", headers={"range": "bytes=0-1023"})
    assert ranged.status_code == 206 and len(ranged.content) == 1024
    assert "last render" in c.get(f"/scripts/{NAME}").text

    pack = c.get("/outputs/_previews/small-check/pack.zip?cut=full&cut=claim-verdict&format=9x16")
    assert pack.status_code == 200 and pack.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(pack.content))
    names = set(archive.namelist())
    clips = ("small-check-full-9x16", "small-check-claim-verdict-9x16")
    assert names == {"post.txt"} | {f"{c}/{f}" for c in clips
                                    for f in ("video.mp4", "captions.srt", "captions.vtt", "poster.jpg")}
    post = archive.read("post.txt").decode("utf-8")
    assert post.startswith("A short test of the whole pipeline\n")
    assert "False: The river was running on that day." in post
    assert "https://example.org/checks/small" in post
    assert "Poster alt text: Verdict card: Ana Ruiz's claim \u201cThe river is dry.\u201d is rated False." in post
    for clip in clips:
        video = ws / "unpacked" / clip / "video.mp4"
        video.parent.mkdir(parents=True)
        video.write_bytes(archive.read(f"{clip}/video.mp4"))
        info = probe(Ffmpeg(), video)
        assert (info.width, info.height) == (540, 960) and info.duration_s > 1
        assert archive.read(f"{clip}/captions.vtt").startswith(b"WEBVTT")
        assert re.match(rb"1\r?\n00:00:0", archive.read(f"{clip}/captions.srt"))
    refused = c.get("/outputs/_previews/small-check/pack.zip?cut=nonesuch&format=9x16")
    assert refused.status_code == 400


def test_a_final_render_can_be_cancelled_from_its_job_page(studio):
    ws, c = studio
    sent = c.post(f"/render?csrf={c.csrf}", follow_redirects=False, data={
        "script": NAME, "format": ["16x9", "9x16", "1x1", "4x5"], "kind": "final", "voice": "fake"})
    job_url = sent.headers["location"]
    job_id = job_url.rsplit("/", 1)[1]
    queue = c.app.state.studio.queue
    deadline = time.monotonic() + 60
    while queue.snapshot(job_id)["tasks"][0]["state"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    cancelled = c.post(f"{job_url}/cancel?csrf={c.csrf}")
    assert cancelled.status_code == 200 and cancelled.url.path == job_url
    seen = _events(c, job_url, timeout=60)
    assert seen[-1]["state"] == "cancelled" and seen[-1]["tasks"][0]["state"] == "cancelled"
    assert not (ws / "render" / "out" / "small-check").exists()  # nothing half-written
    assert "cancelled" in c.get("/queue").text
    retried = c.post(f"{job_url}/retry?csrf={c.csrf}")
    assert retried.status_code == 200 and queue.snapshot(job_id)["tasks"][0]["state"] in ("queued", "running")
    c.post(f"{job_url}/cancel?csrf={c.csrf}")
