"""The render and queue pages over the job queue, without a runner: what is submitted, what is
refused, and the job's page, stream, cancel and retry."""

from __future__ import annotations

import re

import json
from pathlib import Path

import pytest

from ..conftest import SMALL_SCRIPT, make_workspace
from ..studio_support import NAME, SCRIPT_WITH_CUTS, studio_client


@pytest.fixture
def client(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CLAIMREEL_QUEUE", raising=False)
    make_workspace(tmp_path, SCRIPT_WITH_CUTS)
    with studio_client(tmp_path, follow_redirects=False) as c:
        yield c


def _submit(c, **fields):
    data = {"script": NAME, "format": ["16x9"], "kind": "preview", "voice": "fake", **fields}
    return c.post(f"/render?csrf={c.csrf}", data=data)


def test_a_render_is_queued_with_the_options_chosen(client):
    sent = _submit(client, format=["9x16", "1x1"], cut=["claim-verdict", "nonesuch"], kind="final")
    assert sent.status_code == 303 and sent.headers["location"].startswith("/queue/")
    job_id = sent.headers["location"].rsplit("/", 1)[1]
    (task,) = client.app.state.studio.queue.status(job_id).tasks
    assert Path(task.script) == client.ws / "scripts" / NAME
    assert task.options["formats"] == ["9x16", "1x1"] and task.options["cuts"] == ["claim-verdict"]
    assert task.options["preview"] is False and task.options["voice"] == "fake"
    assert Path(task.out) == client.ws / "render" / "out" / "small-check"
    assert (client.ws / "render" / "queue.db").is_file()
    page = client.get(f"/queue/{job_id}").text
    assert "small-check final 9x16+1x1" in page and 'max="100" value="0' in page and "queued" in page
    assert job_id in client.get("/queue").text


def test_a_preview_goes_to_the_previews_folder(client):
    job_id = _submit(client).headers["location"].rsplit("/", 1)[1]
    (task,) = client.app.state.studio.queue.status(job_id).tasks
    assert Path(task.out) == client.ws / "render" / "out" / "_previews" / "small-check"


@pytest.mark.parametrize("fields, words", [
    ({"format": []}, "choose at least one format"),
    ({"voice": "festival"}, "unknown voice"),
    ({"script": "missing.yaml"}, "no such file"),
])
def test_bad_render_requests_are_refused_and_queue_nothing(client, fields, words):
    refused = _submit(client, **fields)
    assert refused.status_code in (400, 404) and words in refused.text
    assert client.app.state.studio.queue.jobs() == []


def test_a_script_that_does_not_validate_cannot_be_queued(client):
    (client.ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace('rating: "False"', "rating: Flase"))
    refused = _submit(client)
    assert refused.status_code == 400 and "does not validate" in refused.text and "unknown rating" in refused.text
    assert "Fix it on its script page" in client.get(f"/render?script={NAME}").text
    assert client.app.state.studio.queue.jobs() == []


def test_cancel_retry_and_the_stream_of_a_job(client):
    url = _submit(client).headers["location"]
    assert client.post(f"{url}/cancel?csrf={client.csrf}").status_code == 303
    with client.stream("GET", f"{url}/events") as stream:
        lines = [line for line in stream.iter_lines() if line.startswith("data: ")]
    job = json.loads(lines[0][6:])
    assert job["state"] == "cancelled" and job["finished"] and job["tasks"][0]["state"] == "cancelled"
    assert "cancelled" in job["log"] and lines[-1] == "data: {}"
    assert client.post(f"{url}/retry?csrf={client.csrf}").status_code == 303
    assert client.app.state.studio.queue.snapshot(url.rsplit("/", 1)[1])["tasks"][0]["state"] == "queued"


def test_an_unknown_job_is_not_found(client):
    assert client.get("/queue/20990101-000000-abcdef").status_code == 404
    assert client.get("/queue/20990101-000000-abcdef/events").status_code == 404


def test_the_render_form_ticks_every_format_the_script_declares_and_tells_same_titles_apart(client):
    twin = SMALL_SCRIPT.replace("id: small-check", "id: small-check-fr").replace("language: en", "language: fr")
    (client.ws / "scripts" / "small-check-fr.yaml").write_text(twin.replace("voice: {engine: fake}",
                                                                            "voice: {engine: fake}\nformats: [16x9, 9x16, 4x5]"))
    for name in (NAME, "small-check-fr.yaml"):
        client.app.state.studio.reports.summary(name)  # checked, as the list shows them once it has
    page = client.get("/render?script=small-check-fr.yaml").text
    ticked = re.findall(r'name="format" value="(\w+)" checked', page)
    assert ticked == ["16x9", "9x16", "4x5"]
    assert "A short test of the whole pipeline (en, small-check.yaml)" in page
    assert "A short test of the whole pipeline (fr, small-check-fr.yaml)" in page
