"""The studio's pages driven in-process with Starlette's TestClient: scripts and their findings
at their lines, the editor's atomic save, storyboards from the cache, photo uploads, and every
script of the bad-input corpus shown without breaking a page."""

from __future__ import annotations

import html
import io
import json
import re
import time
from urllib.parse import quote

import pytest

from PIL import Image

from ..conftest import SMALL_SCRIPT
from ..studio_support import NAME, TestClient, client, create_app, ws  # noqa: F401  (client, ws: fixtures)

HOSTILE_TITLE = 'Title <script>alert("x")</script> & </textarea><b>bold</b>'


def _listing(client) -> str:
    """The scripts page once every script is checked: the first answer lists the scripts not yet
    known as being checked, the event stream sends their rows as each is done."""
    first = client.get("/scripts").text
    names = re.findall(r'<tr data-pending="([^"]*)">', first)
    if names:
        query = "&".join(f"name={quote(html.unescape(n))}" for n in names)
        with client.stream("GET", f"/scripts/events?{query}") as stream:
            rows = [json.loads(line[6:]) for line in stream.iter_lines()
                    if line.startswith("data: ") and '"name"' in line]
        assert sorted(r["name"] for r in rows) == sorted(html.unescape(n) for n in names)
    again = client.get("/scripts").text
    assert "data-pending" not in again
    return again


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _row(html: str, line: int) -> str:
    match = re.search(rf'<tr id="L{line}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for line {line}"
    return match.group(1)


def test_scripts_page_lists_each_script_with_its_state(ws, client):
    broken = SMALL_SCRIPT.replace('rating: "False"', "rating: Flase").replace("id: small-check", "id: broken")
    (ws / "scripts" / "broken.yaml").write_text(broken, encoding="utf-8")
    first = client.get("/scripts")
    assert first.status_code == 200 and first.text.count("checking…") == 2 and "being checked" in first.text
    page = _listing(client)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    assert len(rows) == 2
    good = next(r for r in rows if NAME in r)
    bad = next(r for r in rows if "broken.yaml" in r)
    assert "A short test of the whole pipeline" in good and ">en<" in good and "16x9" in good
    assert "validates" in good and "never" in good
    assert "1 problem" in bad and f"line {_line_of(broken, 'rating: Flase')}: unknown rating" in bad


def test_script_page_shows_a_validation_error_at_its_line(ws, client):
    text = SMALL_SCRIPT.replace('rating: "False"', "rating: Flase")
    (ws / "scripts" / NAME).write_text(text, encoding="utf-8")
    page = client.get(f"/scripts/{NAME}")
    assert page.status_code == 200
    line = _line_of(text, "rating: Flase")
    row = _row(page.text, line)
    assert "unknown rating" in row and "did you mean" in row and 'class="flagged"' in page.text
    assert f'href="#L{line}"' in page.text
    assert "Does not validate" in page.text and "Storyboards" not in page.text


def test_script_page_pins_caption_findings_to_the_block_they_come_from(ws, client):
    fast = SMALL_SCRIPT.replace("voice: {engine: fake}", "voice: {engine: fake, rate: 330}").replace(
        "intro: A quick check.", "intro: Internationalization, telecommunications, institutionalization.")
    (ws / "scripts" / NAME).write_text(fast, encoding="utf-8")
    page = client.get(f"/scripts/{NAME}")
    assert "Validates." in page.text
    row = _row(page.text, _line_of(fast, "intro:"))
    assert "Caption:" in row and "cps_hard: value" in row and "hard limit 20" in row
    scenes = re.search(r'id="scenes-h".*?</table>', page.text, re.S).group(0)
    assert scenes.count("<tr>") == 1 + 8  # header, then title, claim, verdict, three blocks, credits, end card


def test_save_writes_the_script_and_checks_it_again(ws, client):
    path = ws / "scripts" / NAME
    broken = SMALL_SCRIPT.replace('rating: "False"', "rating: Flase")
    path.write_text(broken, encoding="utf-8")
    assert "Does not validate" in client.get(f"/scripts/{NAME}").text
    saved = client.post(f"/scripts/{NAME}?csrf={client.csrf}", data={"text": SMALL_SCRIPT.replace("\n", "\r\n")})
    assert saved.status_code == 200 and saved.url.path == f"/scripts/{NAME}"
    assert path.read_text(encoding="utf-8") == SMALL_SCRIPT  # the browser's CRLF made LF again
    assert "Saved and checked again." in saved.text and "Validates." in saved.text
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp file left


def test_save_refuses_an_edit_of_a_file_changed_since_and_oversized_text(ws, client):
    path = ws / "scripts" / NAME
    page = client.get(f"/scripts/{NAME}").text
    base = re.search(r'name="base" value="(\w+)"', page).group(1)
    path.write_text(SMALL_SCRIPT + "# edited elsewhere\n", encoding="utf-8")
    stale = client.post(f"/scripts/{NAME}?csrf={client.csrf}", data={"text": "id: x\n", "base": base})
    assert stale.status_code == 409 and "nothing is lost" in stale.text
    assert "id: x" in stale.text and "# edited elsewhere" in stale.text, "both versions are on the page"
    huge = client.post(f"/scripts/{NAME}?csrf={client.csrf}", data={"text": "# " + "x" * 1_000_100})
    assert huge.status_code in (400, 413)
    assert path.read_text(encoding="utf-8").endswith("# edited elsewhere\n")


def test_storyboards_are_drawn_once_per_content_and_then_read_from_the_cache(ws, client, monkeypatch):
    page = client.get(f"/scripts/{NAME}").text
    src = re.search(r'<img src="([^"]+16x9\.jpg\?d=\w+)"', page).group(1)
    first = client.get(src)
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(first.content))
    assert image.width > 600 and image.height > 200
    cached = list((ws / "render" / "cache" / "studio" / "boards").glob("*-16x9.jpg"))
    assert len(cached) == 1 and cached[0].read_bytes() == first.content

    import claimreel.pipeline.storyboard as boards

    drawn = []
    real = boards.draw_board
    monkeypatch.setattr(boards, "draw_board", lambda *a, **k: drawn.append(a) or real(*a, **k))
    assert client.get(src).content == first.content
    assert drawn == []
    # a changed script is a new digest: a new storyboard
    (ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace("A short test", "A changed test"), encoding="utf-8")
    page = client.get(f"/scripts/{NAME}").text
    changed = re.search(r'<img src="([^"]+16x9\.jpg\?d=\w+)"', page).group(1)
    assert changed != src
    assert client.get(changed).content != first.content and len(drawn) == 1


def _jpeg(size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 60, 20)).save(buf, "JPEG")
    return buf.getvalue()


def test_a_photo_upload_lands_in_assets_photos_and_validates_in_a_script(ws, client):
    sent = client.post(f"/assets/photos?back={NAME}&csrf={client.csrf}",
                       files={"photo": ("../../Evil Name!.JPG", _jpeg(), "image/jpeg")})
    assert sent.status_code == 200 and "assets/photos/evil-name.jpg" in sent.text
    stored = ws / "assets" / "photos" / "evil-name.jpg"
    assert stored.read_bytes() == _jpeg()
    (ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace("assets/photos/river.jpg", "assets/photos/evil-name.jpg"))
    assert "Validates." in client.get(f"/scripts/{NAME}").text
    again = client.post(f"/assets/photos?csrf={client.csrf}", files={"photo": ("evil-name.jpg", _jpeg((8, 8)), "image/jpeg")})
    assert again.status_code == 409 and "already there" in again.text
    assert stored.read_bytes() == _jpeg()


@pytest.mark.parametrize("name, data, status, words", [
    ("notes.jpg", b"<html>not a photo</html>", 415, "not a photo that can be opened"),
    ("cut.jpg", _jpeg()[:300], 400, "damaged or truncated"),
    ("empty.png", b"", 400, "empty"),
    ("script.svg", b"<svg/>", 415, "only JPEG, PNG or WebP"),
    ("bomb.png", b"", 413, "too large"),
    ("png-really.jpg", b"", 415, "is PNG, not JPEG"),
])
def test_a_fake_upload_is_refused_and_leaves_nothing(ws, client, name, data, status, words):
    if name == "png-really.jpg":
        buf = io.BytesIO()
        Image.new("RGB", (20, 20)).save(buf, "PNG")
        data = buf.getvalue()
    if name == "bomb.png":
        from ..integration.test_bad_inputs import _zlib_bomb_png

        data = _zlib_bomb_png()
    before = sorted(p.name for p in (ws / "assets" / "photos").iterdir())
    sent = client.post(f"/assets/photos?csrf={client.csrf}", files={"photo": (name, data, "image/jpeg")})
    assert sent.status_code == status and words in sent.text, sent.text[-600:]
    assert sorted(p.name for p in (ws / "assets" / "photos").iterdir()) == before


def test_an_oversized_upload_is_refused_before_it_is_read(ws, client, monkeypatch):
    import claimreel.studio.pages.scripts as routes

    monkeypatch.setattr(routes, "MAX_UPLOAD_BYTES", 1000)
    big = client.post(f"/assets/photos?csrf={client.csrf}", files={"photo": ("big.jpg", b"\xff" * 200_000, "image/jpeg")})
    assert big.status_code == 413 and "limited to" in big.text
    # a request whose length passes (the limit plus room for the form's headers) but whose file
    # runs past the limit is stopped while it is written
    real = _jpeg((400, 300))
    monkeypatch.setattr(routes, "MAX_UPLOAD_BYTES", len(real) - 1)
    over = client.post(f"/assets/photos?csrf={client.csrf}", files={"photo": ("big.jpg", real, "image/jpeg")})
    assert over.status_code == 413 and "larger than" in over.text
    assert not (ws / "assets" / "photos" / "big.jpg").exists()
    assert not [p for p in (ws / "assets" / "photos").iterdir() if p.name.startswith(".")]


def test_script_text_is_escaped_everywhere_it_is_shown(ws, client):
    text = SMALL_SCRIPT.replace("title: A short test of the whole pipeline", f"title: '{HOSTILE_TITLE}'")
    (ws / "scripts" / NAME).write_text(text, encoding="utf-8")
    for url in ("/scripts", f"/scripts/{NAME}", f"/render?script={NAME}"):
        text = _listing(client) if url == "/scripts" else client.get(url).text
        assert "<script>alert" not in text and "<b>bold</b>" not in text, url
        assert "&lt;script&gt;alert(" in text, url
    editor = re.search(r"<textarea[^>]*>(.*?)</textarea>", client.get(f"/scripts/{NAME}").text, re.S).group(1)
    assert "&lt;/textarea&gt;" in editor


def test_every_script_of_the_bad_input_corpus_shows_without_breaking_a_page(tmp_path):
    from ..integration.test_bad_inputs import CASES, _workspace

    for case in CASES:
        ws = _workspace(tmp_path / case.name)
        case.setup(ws)
        with TestClient(create_app(ws)) as c:
            assert "small-check.yaml" in _listing(c), case.name
            page = c.get(f"/scripts/{NAME}")
            assert page.status_code == 200, (case.name, page.text[-500:])
            assert "Does not validate" in page.text, case.name
            assert "<script>" not in page.text.replace('<script src="/static/studio.js" defer></script>', ""), case.name
            assert c.get(f"/render?script={NAME}").status_code == 200, case.name


def test_a_script_with_spaces_and_accents_in_its_name_opens_and_saves(ws, client):
    name = "café & co check.yaml"
    (ws / "scripts" / name).write_text(SMALL_SCRIPT, encoding="utf-8")
    listing = _listing(client)
    assert 'href="/scripts/caf%C3%A9%20%26%20co%20check.yaml"' in listing
    page = client.get("/scripts/caf%C3%A9%20%26%20co%20check.yaml")
    assert page.status_code == 200 and "Validates." in page.text
    saved = client.post(f"/scripts/caf%C3%A9%20%26%20co%20check.yaml?csrf={client.csrf}",
                        data={"text": SMALL_SCRIPT + "# saved\n"})
    assert saved.status_code == 200 and "Saved and checked again." in saved.text
    assert (ws / "scripts" / name).read_text(encoding="utf-8").endswith("# saved\n")


def test_after_an_edit_only_the_changed_scenes_are_drawn_again(ws, client, monkeypatch):
    import claimreel.pipeline.storyboard as boards

    page = client.get(f"/scripts/{NAME}").text
    first = client.get(re.search(r'<img src="([^"]+16x9\.jpg\?d=\w+)"', page).group(1)).content
    drawn = []
    real = boards.scene_still
    monkeypatch.setattr(boards, "scene_still", lambda layout, scene, *a, **k: drawn.append(scene.kind) or real(layout, scene, *a, **k))
    (ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace("text: It was flowing.", "text: It was running."))
    page = client.get(f"/scripts/{NAME}").text
    again = client.get(re.search(r'<img src="([^"]+16x9\.jpg\?d=\w+)"', page).group(1))
    assert again.status_code == 200 and again.content != first
    assert drawn == ["quote"]


def test_storyboards_drawn_in_worker_processes_match_those_drawn_in_the_server(ws):
    page = f"/scripts/{NAME}"
    (ws / "scripts" / NAME).write_text(SMALL_SCRIPT.replace("voice: {engine: fake}",
                                                           'voice: {engine: fake}\nformats: ["16x9", "9x16"]'))
    boards = {}
    for workers in (0, 2):
        app = create_app(ws, board_workers=workers)
        with TestClient(app) as c:
            html = c.get(page).text
            urls = re.findall(r'<img src="([^"]+\.jpg\?d=\w+)"', html)
            assert len(urls) == 2
            assert (app.state.studio.boards.pool is not None) == bool(workers)
            if workers:  # with a pool the page starts the drawing: the files come without being asked for
                folder = ws / "render" / "cache" / "studio" / "boards"
                deadline = time.monotonic() + 120
                while len(list(folder.glob("*.jpg"))) < 2 and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert sorted(p.name.split("-")[1] for p in folder.glob("*.jpg")) == ["16x9.jpg", "9x16.jpg"]
            boards[workers] = [c.get(u).content for u in urls]
        assert app.state.studio.boards.pool is None  # closed with the app
        for cached in (ws / "render" / "cache" / "studio").glob("*/*.*g"):
            cached.unlink()  # boards and stills: drawn again by the next app
    assert boards[0] == boards[2]


def test_a_new_photo_checks_again_only_the_scripts_that_name_it(ws, client, monkeypatch):
    import claimreel.studio.report as report

    other = SMALL_SCRIPT.replace("id: small-check", "id: other").replace("assets/photos/river.jpg",
                                                                          "assets/photos/new.jpg")
    (ws / "scripts" / "other.yaml").write_text(other, encoding="utf-8")
    assert "1 problem" in _listing(client)  # other.yaml: its photo is missing
    checked = []
    real = report.validate_file
    monkeypatch.setattr(report, "validate_file", lambda path: checked.append(path.name) or real(path))
    _listing(client)
    assert checked == []
    sent = client.post(f"/assets/photos?csrf={client.csrf}", files={"photo": ("new.jpg", _jpeg(), "image/jpeg")})
    assert sent.status_code == 200
    listing = _listing(client)
    assert checked == ["other.yaml"] and "problem" not in listing
    Image.new("RGB", (50, 50)).save(ws / "assets" / "photos" / "river.jpg")  # a used photo replaced
    _listing(client)
    assert checked == ["other.yaml", "small-check.yaml"]


def test_two_tabs_editing_different_lines_are_merged_and_the_same_line_keeps_both(ws, client):
    path = ws / "scripts" / NAME
    page = client.get(f"/scripts/{NAME}").text
    base = re.search(r'name="base" value="(\w+)"', page).group(1)
    original = html.unescape(re.search(r'<textarea name="original"[^>]*>\n(.*?)</textarea>', page, re.S).group(1))
    assert original == SMALL_SCRIPT
    theirs = SMALL_SCRIPT.replace("title: A short test of the whole pipeline", "title: Their new title")
    path.write_text(theirs, encoding="utf-8")  # the other tab saved first
    mine = SMALL_SCRIPT.replace("summary: The river was running on that day.", "summary: My summary.")
    merged = client.post(f"/scripts/{NAME}?csrf={client.csrf}",
                         data={"text": mine, "base": base, "original": original})
    assert merged.status_code == 200 and "merged with the edit someone saved meanwhile" in merged.text
    assert path.read_text(encoding="utf-8") == theirs.replace("summary: The river was running on that day.",
                                                              "summary: My summary.")
    clash = SMALL_SCRIPT.replace("title: A short test of the whole pipeline", "title: My own title")
    kept = client.post(f"/scripts/{NAME}?csrf={client.csrf}", data={"text": clash, "base": base, "original": original})
    assert kept.status_code == 409 and "My own title" in kept.text and "Their new title" in kept.text
    assert "Their new title" in path.read_text(encoding="utf-8"), "the newer file stays until a person chooses"


def test_a_check_that_ends_while_the_listing_looks_is_not_started_again(ws, monkeypatch):
    """A script whose background check ends between the listing's look-up and its note of what to
    check (a page and its event stream listing at once, under load) is checked once, not twice."""
    import claimreel.studio.report as report
    from claimreel.studio.workspace import Workspace

    reports = report.Reports(Workspace(ws))
    checked = []
    real = report.validate_file
    monkeypatch.setattr(report, "validate_file", lambda path: checked.append(path.name) or real(path))
    name = reports.ws.script_names()[0]
    raw, text = report._read_text(reports.ws.scripts / name)
    known = reports._known

    def looked_up_as_the_check_ends(script: str, digest: str):
        found = known(script, digest)
        if found is None:  # the other check ends now, after this miss
            reports._keep(report.summarize(script, digest, reports.ws.scripts / script))
        return found

    monkeypatch.setattr(reports, "_known", looked_up_as_the_check_ends)
    rows = reports.listing()
    assert checked == [name] and [type(r).__name__ for r in rows] == ["Pending"]
    deadline = time.monotonic() + 10
    while reports._pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert checked == [name], "the listing started a second check of what had just been checked"
