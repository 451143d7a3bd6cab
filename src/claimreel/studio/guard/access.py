"""The access token: needed when the studio binds anything but loopback, or when one is given.

The first visit carries ``?token=…``; the studio answers with a cookie (HttpOnly,
SameSite=Strict) and a redirect to the same address without the token, so the token does not
stay in the address bar or the history; later requests carry the cookie.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .asgi import SAFE_METHODS, ASGIApp, Receive, Scope, Send, headers_of, plain, query_of
from .settings import COOKIE, same_secret

__all__ = ["AccessToken"]


def _cookie(header: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is the same as none
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else None


class AccessToken:
    """Lets through requests that carry ``token`` in the studio's cookie; ``token`` None lets all through."""

    def __init__(self, app: ASGIApp, token: str | None = None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.token is None:
            await self.app(scope, receive, send)
            return
        query = query_of(scope)
        if same_secret(dict(query).get("token"), self.token) and scope["method"] in SAFE_METHODS:
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            where = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            await plain(send, 303, "Signed in.", [("location", where), ("set-cookie", cookie)])
            return
        if not same_secret(_cookie(headers_of(scope).get("cookie", "")), self.token):
            await plain(send, 401, "This studio needs its access token: open the address with ?token=… that "
                                   "was printed when the studio started, or ask whoever started it.")
            return
        await self.app(scope, receive, send)
