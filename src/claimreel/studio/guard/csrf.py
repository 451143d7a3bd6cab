"""Cross-site request forgery: a request that changes something must prove it comes from a studio page.

It carries this server's CSRF token, in the ``X-CSRF-Token`` header or the ``csrf`` query
parameter (forms put it in their action address, which also works for file uploads), and a
cross-site page cannot read it. A browser's ``Origin``, when sent, must be this host.
"""

from __future__ import annotations

from .asgi import SAFE_METHODS, ASGIApp, Receive, Scope, Send, headers_of, plain, query_of
from .settings import same_secret

__all__ = ["CsrfCheck"]


class CsrfCheck:
    """Refuses (403) a request that is not GET/HEAD/OPTIONS without ``csrf``, or from another site."""

    def __init__(self, app: ASGIApp, csrf: str) -> None:
        self.app = app
        self.csrf = csrf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = headers_of(scope)
            origin = headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != headers.get("host", ""):
                await plain(send, 403, "Refused: this request came from another site.")
                return
            if not (same_secret(headers.get("x-csrf-token"), self.csrf)
                    or same_secret(dict(query_of(scope)).get("csrf"), self.csrf)):
                await plain(send, 403, "Refused: the form is missing its CSRF token or is out of date; "
                                       "reload the page and try again.")
                return
        await self.app(scope, receive, send)
