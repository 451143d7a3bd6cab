"""The studio's guard: paths stay in the workspace, a token is needed off loopback, every
state-changing request needs the CSRF token, other hosts and sites are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimreel.cli import main

from ..conftest import SMALL_SCRIPT, make_workspace
from ..studio_support import NAME, TestClient, create_app

from claimreel.studio.guard import GuardSettings  # noqa: E402  (the studio extra: after its check)

TOKEN = "a-token-long-enough-for-tests"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    make_workspace(root)
    (tmp_path / "secret.txt").write_text("outside the workspace")
    out = root / "render" / "out" / "story" / "16x9"
    out.mkdir(parents=True)
    (out / "captions.vtt").write_text("WEBVTT\n")
    return root


def _client(ws: Path, **guard) -> TestClient:
    return TestClient(create_app(ws, guard=GuardSettings(**guard)), follow_redirects=False)


@pytest.mark.parametrize("url", [
    "/files/../secret.txt", "/files/..%2f..%2fsecret.txt", "/files/story/../../../secret.txt",
    "/files/%2e%2e/%2e%2e/secret.txt", "/files//etc/passwd", "/files/story/16x9/..%5c..%5csecret.txt",
    "/files/.story.lock", "/files/linked/secret.txt", "/files/story/16x9/escape.txt",
    "/scripts/..%2f..%2fsecret.txt", "/scripts/linked.yaml", "/scripts/..%2Fpyproject.toml",
    "/scripts/small-check.yaml/storyboard/..%2f..%2fsecret.jpg", "/outputs/..%2f..", "/outputs/elsewhere/story",
    "/outputs/linked", "/outputs/_previews/..%2fstory",
])
def test_paths_outside_the_workspace_are_refused(ws, url):
    (ws / "render" / "out" / "linked").symlink_to(ws.parent, target_is_directory=True)
    (ws / "render" / "out" / "story" / "16x9" / "escape.txt").symlink_to(ws.parent / "secret.txt")
    (ws / "scripts" / "linked.yaml").symlink_to(ws.parent / "secret.txt")
    (ws / "render" / "out" / ".story.lock").write_text("")
    with _client(ws) as c:
        answer = c.get(url)
    assert answer.status_code == 404, (url, answer.status_code)
    assert "outside the workspace" not in answer.text  # the secret's text never shows


def test_files_inside_the_output_folder_are_served(ws):
    with _client(ws) as c:
        answer = c.get("/files/story/16x9/captions.vtt")
    assert answer.status_code == 200 and answer.text == "WEBVTT\n"
    assert "script-src 'self' 'unsafe-inline'" in answer.headers["content-security-policy"]


def test_symlinked_scripts_are_not_listed(ws):
    (ws / "scripts" / "linked.yaml").symlink_to(ws.parent / "secret.txt")
    with _client(ws) as c:
        assert "linked.yaml" not in c.get("/scripts").text


def test_a_token_is_needed_and_then_kept_in_a_strict_http_only_cookie(ws):
    with _client(ws, token=TOKEN) as c:
        assert c.get("/scripts").status_code == 401
        assert c.get("/scripts?token=wrong").status_code == 401
        assert c.get("/files/story/16x9/captions.vtt").status_code == 401
        signed = c.get("/scripts?token=" + TOKEN + "&x=1")
        assert signed.status_code == 303 and signed.headers["location"] == "/scripts?x=1"
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN in cookie
        assert c.get("/scripts").status_code == 200  # the client kept the cookie
    with _client(ws, token=TOKEN) as other:
        other.cookies.set("claimreel_studio", "guessed")
        assert other.get("/scripts").status_code == 401


def test_the_command_refuses_to_serve_off_loopback_without_a_token(ws, monkeypatch, capsys):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.chdir(ws)
    assert main(["studio", "--host", "0.0.0.0", "--port", "8555", "--no-runner"]) == 0
    printed = capsys.readouterr().out
    token = printed.split("?token=")[1].split()[0]
    assert len(token) >= 24 and served["host"] == "0.0.0.0"
    with TestClient(served["app"], follow_redirects=False) as c:
        assert c.get("/scripts").status_code == 401
        assert c.get(f"/scripts?token={token}").status_code == 303
    assert main(["studio", "--host", "0.0.0.0", "--token", "short", "--no-runner"]) == 2
    # on loopback, no token, but only the loopback names are answered
    assert main(["studio", "--port", "8556", "--no-runner"]) == 0
    assert "?token=" not in capsys.readouterr().out
    with TestClient(served["app"], base_url="http://127.0.0.1:8556", follow_redirects=False) as c:
        assert c.get("/scripts").status_code == 200
        assert c.get("/scripts", headers={"host": "evil.example:8556"}).status_code == 421


@pytest.mark.parametrize("how", ["none", "wrong", "other-site"])
def test_state_changing_requests_need_the_csrf_token(ws, how):
    script = ws / "scripts" / NAME
    with _client(ws) as c:
        csrf = c.app.state.studio.guard.csrf
        query = {"none": "", "wrong": "?csrf=nope", "other-site": f"?csrf={csrf}"}[how]
        headers = {"origin": "http://evil.example"} if how == "other-site" else {}
        saved = c.post(f"/scripts/{NAME}{query}", data={"text": "id: gone\n"}, headers=headers)
        upload = c.post(f"/assets/photos{query}", files={"photo": ("a.jpg", b"x", "image/jpeg")}, headers=headers)
        render = c.post(f"/render{query}", data={"script": NAME, "format": "16x9"}, headers=headers)
        cancel = c.post(f"/queue/x/cancel{query}", headers=headers)
    assert [r.status_code for r in (saved, upload, render, cancel)] == [403] * 4
    assert script.read_text(encoding="utf-8") == SMALL_SCRIPT
    assert not (ws / "assets" / "photos" / "a.jpg").exists()


def test_the_csrf_token_in_a_header_is_accepted(ws):
    with _client(ws) as c:
        csrf = c.app.state.studio.guard.csrf
        saved = c.post(f"/scripts/{NAME}", data={"text": SMALL_SCRIPT + "# kept\n"}, headers={"x-csrf-token": csrf})
    assert saved.status_code == 303
    assert (ws / "scripts" / NAME).read_text(encoding="utf-8").endswith("# kept\n")


def test_pages_carry_a_strict_content_security_policy(ws):
    with _client(ws) as c:
        page = c.get("/scripts")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_the_studio_says_how_to_install_its_extra_when_it_is_missing(monkeypatch, capsys):
    import claimreel.cli.studio as studio

    monkeypatch.setattr(studio, "missing_extra", lambda: ["starlette", "uvicorn"])
    assert main(["studio"]) == 2
    assert "pip install 'claimreel[studio]'" in capsys.readouterr().err
