"""What every page module shares: the typed app state, the page helper, the template filters, the
server-sent-events loop and the answers to errors.

Handlers stay thin: names from the address go through the :class:`~..workspace.Workspace`, the
work is in the studio's other modules, and slow work runs in a worker thread so the server keeps
answering.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from ...errors import ClaimreelError
from ..state import Studio
from ..workspace import OutsideWorkspace

__all__ = ["EXCEPTION_HANDLERS", "FILTERS", "FLASH", "Poll", "clock", "event_stream", "flash_redirect", "flashed",
           "macro", "page", "studio_of", "when"]

#: What one look at the studio's state gives a stream: the events to send (name and JSON-able
#: data), and whether the stream is over.
Poll = tuple[Iterable[tuple[str, Any]], bool]

#: A stream ends after this long even when nothing has finished; the browser's EventSource then
#: connects again on its own, so an open tab never holds one connection for ever.
STREAM_SECONDS = 300.0


def studio_of(request: Request) -> Studio:
    """The app's :class:`~..state.Studio`."""
    studio = request.app.state.studio
    assert isinstance(studio, Studio)
    return studio


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """``template`` filled with ``context``; ``nav`` (the template's name) marks the current page."""
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {"nav": template.split(".")[0], **context},
                                      status_code=status_code)


#: The cookie that carries what a form just did to the page it redirects to (a "flash" message), so
#: that page can say so without the action in its address.
FLASH = "claimreel_done"


def flash_redirect(url: str, done: str) -> RedirectResponse:
    """A redirect to ``url`` after a form's POST, telling the next page ``done`` (one short word)."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLASH, done, max_age=60, path=url.split("?")[0], httponly=True, samesite="strict")
    return response


def flashed(request: Request, response: Response) -> Response:
    """``response`` with the flash cookie cleared: each message shows once."""
    if FLASH in request.cookies:
        response.delete_cookie(FLASH, path=request.url.path, httponly=True, samesite="strict")
    return response


def macro(request: Request, template: str, name: str) -> Callable[..., Any]:
    """Macro ``name`` of ``template``: the same markup a page holds, for a stream to send."""
    return getattr(request.app.state.templates.env.get_template(template).module, name)


def event_stream(request: Request, poll: Callable[[], Awaitable[Poll]], every: float,
                 lifetime: float | None = None) -> StreamingResponse:
    """Server-sent events: ``poll()`` every ``every`` seconds, sending the events it returns, until
    it says the stream is over (then an ``end`` event), the browser goes, or ``lifetime`` seconds
    (:data:`STREAM_SECONDS` by default) have passed."""
    deadline = time.monotonic() + (STREAM_SECONDS if lifetime is None else lifetime)

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            events, over = await poll()
            for name, data in events:
                yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
            if over:
                yield "event: end\ndata: {}\n\n"
                return
            if time.monotonic() >= deadline:
                return
            await asyncio.sleep(every)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-cache", "x-accel-buffering": "no"})


def when(value: dt.datetime | float | str | None) -> str:
    """A time as the pages show it (UTC, to the minute); numbers are Unix seconds."""
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def clock(ms: int) -> str:
    """Milliseconds as m:ss.s."""
    return f"{ms // 60000}:{ms % 60000 / 1000:04.1f}"


#: The templates' own filters.
FILTERS = {"when": when, "clock": clock}


async def not_found(request: Request, exc: Exception) -> Response:
    return page(request, "error.html", status_code=404, title="Not found", message=str(exc))


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ClaimreelError)
    return page(request, "error.html", status_code=400, title="Cannot do that", message=str(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return page(request, "error.html", status_code=exc.status_code, title="Cannot do that", message=exc.detail)


#: A name outside the workspace is "not found"; a refused action says why on a page.
EXCEPTION_HANDLERS = {OutsideWorkspace: not_found, ClaimreelError: refused, HTTPException: http_error}
