"""The plain ASGI pieces the guard's middlewares share: types, a request's headers and query, and
a short plain-text answer for a refused request."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, MutableMapping, Sequence
from urllib.parse import parse_qsl

__all__ = ["SAFE_METHODS", "ASGIApp", "Receive", "Scope", "Send", "headers_of", "plain", "query_of"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Methods that change nothing: no CSRF token needed, and a token in the address may sign in.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def headers_of(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the last of repeated ones)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def query_of(scope: Scope) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


async def plain(send: Send, status: int, text: str, headers: Sequence[tuple[str, str]] = ()) -> None:
    """Answer with ``text`` as plain text (no page: a refused request reaches no route)."""
    body = text.encode("utf-8")
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
