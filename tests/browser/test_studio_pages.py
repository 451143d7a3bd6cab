"""The studio's pages in real headless Chromium, beyond the keyboard flow of test_studio.py:
no page scrolls sideways on a 390 px phone, focus moves to the message after every form sent
(and the message is a status or an alert, so it is read out), the queue page and a job page
update live while another tab acts, the refused-upload page says what to do, and a finding's
link scrolls the editor to its line even when long lines before it wrap. The studio runs without
a runner, so submitted jobs wait and are cancelled and retried without rendering."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from .test_player_page import _missing
from .test_studio import _browse, _studio

pytest.importorskip("starlette", reason="the studio needs the studio extra: pip install 'claimreel[studio]'")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]

LONG = ("Photos taken from the bridge that morning show water flowing under every arch of the old bridge, " * 8).strip()
PAGES = ("scripts", "script", "script-broken", "render", "new", "queue-empty", "outputs", "output", "not-found",
         "save", "upload", "refused", "submit", "queue", "retry", "cancel")


@pytest.fixture(scope="module")
def report(small_preview, tmp_path_factory) -> dict:
    from ..conftest import SMALL_SCRIPT, make_workspace

    tmp = tmp_path_factory.mktemp("pages")
    ws = tmp / "ws"
    make_workspace(ws)
    long_lines = SMALL_SCRIPT
    for short in ("narration: Photos show water.", "text: It was flowing.",
                  "description: A wide river under a cloudy sky.", "narration: Flow fell later."):
        long_lines = long_lines.replace(short, f"{short.split(':')[0]}: {LONG}")
    long_lines = long_lines.replace("credits:\n", "colour: blue\ncredits:\n")  # wrong, after the long lines
    (ws / "scripts" / "long-lines.yaml").write_text(long_lines, encoding="utf-8")
    line = long_lines.splitlines().index("colour: blue") + 1
    # The output page shows a preview of small-check.yaml: the session's render of that script.
    previews = small_preview[2].out / "_previews"
    shutil.copytree(previews / "small-check", ws / "render" / "out" / "_previews" / "small-check")
    photo, fake = tmp / "bridge.jpg", tmp / "notes.jpg"
    Image.new("RGB", (64, 48), (90, 120, 160)).save(photo)
    fake.write_text("these are notes, not a photo")
    with _studio(ws, tmp / "studio.log", "--no-runner") as port:
        return _browse("studio_pages.mjs", f"http://127.0.0.1:{port}", "--line", str(line), "--photo", str(photo),
                       "--fake", str(fake), log=tmp / "studio.log")


def test_no_page_scrolls_sideways_on_a_phone(report):
    assert set(report["widths"]) == set(PAGES)
    wide = {name: width for name, width in report["widths"].items() if width > 390}
    assert wide == {}


@pytest.mark.parametrize("action, role, words", [
    ("save", "status", "Saved and checked again"),
    ("upload", "status", "Uploaded assets/photos/bridge.jpg"),
    ("refused", "alert", "What to do"),
    ("submit", "status", "Added to the queue"),
    ("retry", "status", "Queued again"),
    ("cancel", "status", "Cancelled"),
])
def test_focus_moves_to_the_message_after_every_form(report, action, role, words):
    focus = report["focus"][action]
    assert focus["id"] == "message" and focus["role"] == role and words in focus["text"], focus


def test_the_refused_upload_says_what_to_do_in_plain_words(report):
    text = report["focus"]["refused"]["text"]
    assert "notes.jpg was not added" in text and "not a photo" in text and "Pillow" not in text, text
    assert report["axe"]["refused"] == []


def test_the_queue_and_a_job_update_live_while_another_tab_acts(report):
    assert "small-check preview 16x9" in report["queueRow"] and "queued" in report["queueRow"]
    assert report["before"] == {"cancel": True, "retry": False} and report["after"] == {"cancel": False, "retry": True}
    assert "cancelled" in report["queueSaid"]
    assert report["axe"]["queue"] == [] and report["axe"]["job"] == []
    assert report["console"] == [] and report["failed"] == [], (report["console"], report["failed"])


def test_a_finding_link_scrolls_the_editor_to_its_line_past_wrapped_lines(report):
    s = report["scroll"]
    assert s["wraps"] and s["focused"] and s["selected"] == s["line"] == "colour: blue", s
    assert s["scrollTop"] <= s["top"] and s["bottom"] <= s["scrollTop"] + s["clientHeight"], s
