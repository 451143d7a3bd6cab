"""Answer only at the studio's own address: a DNS-rebinding page sends its own name as Host."""

from __future__ import annotations

from .asgi import ASGIApp, Receive, Scope, Send, headers_of, plain

__all__ = ["HostCheck"]


class HostCheck:
    """Refuses (421) a request whose Host header is not one of ``hosts``; an empty set allows any
    (off loopback, where the access token guards instead)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hosts and headers_of(scope).get("host", "") not in self.hosts:
            await plain(send, 421, "This studio answers only at its own address (127.0.0.1 or localhost).")
            return
        await self.app(scope, receive, send)
