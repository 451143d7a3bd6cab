"""The studio as an ASGI application: pages over one workspace and its job queue.

:func:`create_app` builds it with everything passed in (workspace, guard
settings, whether to own a runner), so tests drive the real app in-process
with Starlette's TestClient and the command line serves the same object with
uvicorn.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .boards import Boards
from .queue import RunnerThread, StudioQueue
from .report import Reports
from .security import Guard, GuardSettings
from .workspace import Workspace

__all__ = ["Studio", "create_app"]

HERE = Path(__file__).resolve().parent


@dataclass
class Studio:
    """What every route needs: the workspace, its caches, the queue and the guard's CSRF token."""

    ws: Workspace
    guard: GuardSettings
    reports: Reports = field(init=False)
    boards: Boards = field(init=False)
    queue: StudioQueue = field(init=False)
    voices: tuple[str, ...] = ("script", "piper", "espeak", "fake")
    #: Set once the code a script page needs is imported (see :func:`.findings.warm_up`).
    warm: threading.Event = field(default_factory=threading.Event)
    font_css: str | None = None  # the shipped fonts' rules, made at the first page (see :mod:`.fonts`)

    def __post_init__(self) -> None:
        self.reports = Reports(self.ws)
        self.boards = Boards(self.ws, self.reports)
        self.queue = StudioQueue(self.ws)


def create_app(root: Path, *, guard: GuardSettings | None = None, runner: bool = False, runner_jobs: int = 0,
               board_workers: int = 0) -> Starlette:
    """The studio over the workspace at ``root``; with ``runner``, it starts and stops a queue runner;
    with ``board_workers``, storyboards are drawn and scripts checked in that many worker processes
    (else in the server's threads)."""
    from . import fonts, jobs_routes, new_script, routes
    from .form import pages as form_pages

    studio = Studio(Workspace.open(root), guard or GuardSettings())
    # Every template escapes every value: script text is the producer's (or anyone's) input.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(csrf=studio.guard.csrf)
    templates.env.filters.update(when=routes.when, clock=routes.clock)

    def warm_up() -> None:
        from .findings import warm_up

        try:
            warm_up(studio.ws.root)
        finally:
            studio.warm.set()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = RunnerThread(studio.queue, runner_jobs) if runner else None
        if owned is not None:
            owned.start()
        threading.Thread(target=warm_up, name="claimreel-studio-warm-up", daemon=True).start()
        if board_workers:
            from ..executor import open_pool
            from .findings import worker_warm_up

            # opened here, in the thread that serves until shutdown: workers die with their opener
            studio.boards.pool = studio.reports.pool = open_pool(None, board_workers,
                                                                 functools.partial(worker_warm_up, studio.ws.root))
        try:
            yield
        finally:
            if studio.boards.pool is not None:
                studio.boards.pool.close(wait=False, cancel=True)
                studio.boards.pool = studio.reports.pool = None
            if owned is not None:
                owned.stop()

    app = Starlette(
        routes=[*routes.ROUTES, *new_script.ROUTES, *form_pages.ROUTES, *jobs_routes.ROUTES, *fonts.ROUTES,
                Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")],
        middleware=[Middleware(Guard, settings=studio.guard)],
        lifespan=lifespan,
        exception_handlers=routes.EXCEPTION_HANDLERS,
    )
    app.state.studio = studio
    app.state.templates = templates
    return app
