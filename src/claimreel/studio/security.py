"""The studio's guard: access token, CSRF token, allowed hosts and response headers.

One ASGI middleware in front of every route, so no route can forget a check:

- **Access token** (required when the studio binds anything but loopback, or
  when one is given): the first visit carries ``?token=…``; the studio answers
  with a cookie (HttpOnly, SameSite=Strict) and a redirect to the same address
  without the token, and later requests carry the cookie.
- **CSRF token**: every request that is not GET/HEAD must carry this server's
  CSRF token, in the ``X-CSRF-Token`` header or the ``csrf`` query parameter
  (forms put it in their action address, which also works for file uploads);
  a cross-site page cannot read it. A browser's ``Origin``, when sent, must be
  this host.
- **Hosts**: on loopback only the loopback names are answered, so a page on
  another site cannot reach the studio by rebinding its own DNS name.
- **Headers**: a content security policy (studio pages run only the studio's own
  script and style files), no framing, no sniffing, no referrer.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Awaitable, Callable, MutableMapping
from urllib.parse import parse_qsl, urlencode

__all__ = ["COOKIE", "Guard", "GuardSettings", "LOOPBACK", "new_token"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "claimreel_studio"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class GuardSettings:
    """``token``: the access token (None: none needed); ``hosts``: Host header values answered
    (empty: any); ``csrf``: this server's CSRF token."""

    token: str | None = None
    hosts: frozenset[str] = frozenset()
    csrf: str = field(default_factory=new_token)


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    def __init__(self, app: ASGIApp, settings: GuardSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        s = self.settings
        host = headers.get("host", "")
        if s.hosts and host not in s.hosts:
            await _plain(send, 421, "This studio answers only at its own address (127.0.0.1 or localhost).")
            return
        if s.token is not None:
            given = dict(query).get("token")
            if _same(given, s.token) and scope["method"] in SAFE_METHODS:
                rest = urlencode([(k, v) for k, v in query if k != "token"])
                where = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
                cookie = f"{COOKIE}={s.token}; Path=/; HttpOnly; SameSite=Strict"
                await _plain(send, 303, "Signed in.", [("location", where), ("set-cookie", cookie)])
                return
            jar = SimpleCookie()
            try:
                jar.load(headers.get("cookie", ""))
            except Exception:  # a malformed Cookie header is the same as none
                jar = SimpleCookie()
            morsel = jar.get(COOKIE)
            if not _same(morsel.value if morsel else None, s.token):
                await _plain(send, 401, "This studio needs its access token: open the address with ?token=… that "
                                        "was printed when the studio started, or ask whoever started it.")
                return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != host:
                await _plain(send, 403, "Refused: this request came from another site.")
                return
            if not (_same(headers.get("x-csrf-token"), s.csrf) or _same(dict(query).get("csrf"), s.csrf)):
                await _plain(send, 403, "Refused: the form is missing its CSRF token or is out of date; "
                                        "reload the page and try again.")
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"DENY"), (b"content-security-policy", PAGE_POLICY.encode())]
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _plain(send: Send, status: int, text: str, headers: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
    body = text.encode("utf-8")
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
           (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
