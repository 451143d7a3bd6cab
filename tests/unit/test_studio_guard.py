"""Each of the studio guard's middlewares on its own, in front of a bare app that says "ok": the
host check, the access token, the CSRF check and the security headers. The whole guard in front
of the real studio is tested in test_studio_security.py."""

from __future__ import annotations

import pytest

from ..studio_support import TestClient  # the studio extra, or skip

from starlette.applications import Starlette  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from claimreel.studio.guard import (  # noqa: E402
    AccessToken, CsrfCheck, GuardSettings, HostCheck, SecurityHeaders, guard_middleware)

TOKEN = "a-token-long-enough-for-tests"
CSRF = "the-csrf-token"


def _client(*middleware: Middleware, **options) -> TestClient:
    async def ok(request):
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/", ok, methods=["GET", "POST"])], middleware=list(middleware))
    return TestClient(app, follow_redirects=False, **options)


def test_the_host_check_answers_only_the_hosts_given():
    with _client(Middleware(HostCheck, hosts=frozenset({"127.0.0.1:8555"})), base_url="http://127.0.0.1:8555") as c:
        assert c.get("/").text == "ok"
        refused = c.get("/", headers={"host": "rebound.example:8555"})
        assert refused.status_code == 421 and "its own address" in refused.text
    with _client(Middleware(HostCheck)) as c:  # no hosts given: any
        assert c.get("/", headers={"host": "studio.example"}).text == "ok"


def test_the_access_token_signs_in_once_and_then_needs_the_cookie():
    with _client(Middleware(AccessToken, token=TOKEN)) as c:
        assert c.get("/").status_code == 401
        assert c.post(f"/?token={TOKEN}").status_code == 401  # signing in only by GET
        signed = c.get(f"/?token={TOKEN}&keep=1")
        assert signed.status_code == 303 and signed.headers["location"] == "/?keep=1"
        assert "HttpOnly" in signed.headers["set-cookie"] and "SameSite=Strict" in signed.headers["set-cookie"]
        assert c.get("/").text == "ok"
    with _client(Middleware(AccessToken, token=TOKEN)) as c:
        c.cookies.set("claimreel_studio", "guessed")
        assert c.get("/").status_code == 401
    with _client(Middleware(AccessToken, token=TOKEN), headers={"cookie": "claimreel_studio=\x7f;;="}) as c:
        assert c.get("/").status_code == 401  # a malformed cookie is none
    with _client(Middleware(AccessToken, token=None)) as c:
        assert c.get("/").text == "ok"


@pytest.mark.parametrize("query, headers, status", [
    ("", {}, 403),
    ("?csrf=wrong", {}, 403),
    (f"?csrf={CSRF}", {}, 200),
    ("", {"x-csrf-token": CSRF}, 200),
    (f"?csrf={CSRF}", {"origin": "http://evil.example"}, 403),
    (f"?csrf={CSRF}", {"origin": "http://testserver"}, 200),
    (f"?csrf={CSRF}", {"origin": "null"}, 200),
])
def test_the_csrf_check_needs_the_token_and_this_site_on_changes(query, headers, status):
    with _client(Middleware(CsrfCheck, csrf=CSRF)) as c:
        assert c.post(f"/{query}", headers=headers).status_code == status
        assert c.get("/").status_code == 200  # reading needs no token


def test_security_headers_go_on_every_answer_unless_it_sets_its_own():
    async def own(request):
        return PlainTextResponse("player", headers={"content-security-policy": "default-src 'self'"})

    app = Starlette(routes=[Route("/own", own)], middleware=[Middleware(SecurityHeaders)])
    with TestClient(app) as c:
        missing = c.get("/nowhere")
        assert "frame-ancestors 'none'" in missing.headers["content-security-policy"]
        assert missing.headers["x-frame-options"] == "DENY" and missing.headers["x-content-type-options"] == "nosniff"
        assert c.get("/own").headers["content-security-policy"] == "default-src 'self'"


def test_the_guard_checks_the_host_before_the_token_and_the_token_before_csrf():
    settings = GuardSettings(token=TOKEN, hosts=frozenset({"127.0.0.1:1"}), csrf=CSRF)
    with _client(*guard_middleware(settings), base_url="http://127.0.0.1:1") as c:
        assert c.post("/", headers={"host": "evil.example"}).status_code == 421
        assert c.post("/").status_code == 401
        c.get(f"/?token={TOKEN}")
        assert c.post("/").status_code == 403
        refused = c.post("/")
        assert refused.headers["referrer-policy"] == "no-referrer"  # refusals carry the headers too
        assert c.post(f"/?csrf={CSRF}").text == "ok"
