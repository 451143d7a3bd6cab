"""What the studio's pages say as things happen: the scripts page names each script at once, the
queue page's stream sends its rows, a job page says what a form just did and keeps both its
buttons (the page's script shows the one that applies), a refused photo says what to do."""

from __future__ import annotations

import json
import re

import pytest

from ..conftest import SMALL_SCRIPT
from ..studio_support import NAME, client, ws  # noqa: F401  (client, ws: fixtures)

from claimreel.studio.report import read_heading  # noqa: E402  (the studio extra: after its check)


def _submit(c):
    return c.post(f"/render?csrf={c.csrf}", data={"script": NAME, "format": ["16x9"], "kind": "preview",
                                                  "voice": "fake"}, follow_redirects=False)


@pytest.mark.parametrize("text, heading", [
    ("id: x\ntitle: Plain words\nlanguage: fr\n", ("Plain words", "fr")),
    ("title: 'It''s quoted: yes'  # a comment\n", ("It's quoted: yes", "")),
    ('title: "Escaped \\u00e9 and \\"quotes\\""\nlanguage: zh-Hans\n', ('Escaped \u00e9 and "quotes"', "zh-Hans")),
    ("claim:\n  title: nested, not the script's\n", ("", "")),
    ("title: >\n  folded over\n  lines\n", ("", "")),
    ("title: [not, a, string]\n", ("", "")),
    ("title: 'never closed\n", ("", "")),
])
def test_a_title_is_read_from_its_own_line_without_checking_the_script(text, heading):
    assert read_heading(text) == heading


def test_the_scripts_page_names_each_script_by_its_title_on_its_first_answer(ws, client):
    second = SMALL_SCRIPT.replace("title: A short test of the whole pipeline", "title: Second <b>look</b>")
    (ws / "scripts" / "second.yaml").write_text(second.replace("language: en", "language: fr"))
    first = client.get("/scripts").text
    pending = re.findall(r'<tr data-pending="[^"]*">.*?</tr>', first, re.S)
    assert len(pending) == 2  # nothing is checked yet
    assert "A short test of the whole pipeline" in pending[1] and NAME in pending[1]
    assert 'lang="fr">Second &lt;b&gt;look&lt;/b&gt;</a>' in pending[0] and "checking…" in pending[0]


def test_a_heavy_listing_names_the_rest_by_file_until_they_are_checked(ws, client):
    client.app.state.studio.reports.HEADING_BUDGET = 0.0
    first = client.get("/scripts").text
    assert f'<a href="/scripts/{NAME}">{NAME}</a>' in first and "A short test" not in first


def test_the_queue_stream_sends_the_rows_of_the_queue_page(client, monkeypatch):
    import claimreel.studio.pages.common as common

    monkeypatch.setattr(common, "STREAM_SECONDS", 0.0)
    job_id = _submit(client).headers["location"].rsplit("/", 1)[1]
    with client.stream("GET", "/queue/events") as stream:
        events = [json.loads(line[6:]) for line in stream.iter_lines() if line.startswith("data: {\"rows")]
    (row,) = events[0]["rows"]
    assert row["id"] == job_id and f'<tr data-job="{job_id}">' in row["html"] and "queued" in row["html"]
    page = client.get("/queue").text
    assert row["html"] in page and 'data-events="/queue/events"' in page


def test_a_job_page_says_once_what_the_form_did_and_keeps_both_buttons(client):
    sent = _submit(client)
    url = sent.headers["location"]
    page = client.get(url).text
    message = re.search(r'<p class="ok" role="status" id="message" tabindex="-1" data-focus>(.*?)</p>', page)
    assert message and "Added to the queue" in message.group(1)
    assert 'id="cancel-form">' in page and 'id="retry-form" hidden>' in page
    assert 'id="message"' not in client.get(url).text  # said once
    cancelled = client.post(f"{url}/cancel?csrf={client.csrf}")
    assert cancelled.url.path == url and "Cancelled." in cancelled.text
    assert 'id="cancel-form" hidden>' in cancelled.text and 'id="retry-form">' in cancelled.text
    retried = client.post(f"{url}/retry?csrf={client.csrf}")
    assert "Queued again" in retried.text


def test_a_refused_photo_says_what_to_do_in_the_editors_words(client):
    sent = client.post(f"/assets/photos?back={NAME}&csrf={client.csrf}",
                       files={"photo": ("C:\\Photos\\Notes.JPG", b"not a photo at all", "image/jpeg")})
    assert sent.status_code == 415
    text = re.sub(r"<[^>]+>", "", sent.text)
    assert "Notes.JPG was not added to the photos: the file is not a photo that can be opened." in text
    assert "What to do: choose a JPEG, PNG or WebP photo" in text and "Pillow" not in text
    assert f'href="/scripts/{NAME}#upload">Back to {NAME}, to choose another photo' in sent.text
    assert 'role="alert" id="message" tabindex="-1" data-focus' in sent.text


@pytest.mark.parametrize("template", ["script.html", "conflict.html", "new.html", "error.html", "refused.html",
                                      "job.html", "scripts.html"])
def test_every_message_after_a_form_takes_the_focus(template):
    from pathlib import Path

    import claimreel.studio as studio

    text = (Path(studio.__file__).parent / "templates" / template).read_text(encoding="utf-8")
    for tag in re.findall(r"<[^>]*data-focus[^>]*>", text):
        assert 'tabindex="-1"' in tag and ('role="status"' in tag or 'role="alert"' in tag), tag
    assert "data-focus" in text
