"""The studio as an ASGI application: pages over one workspace and its job queue.

:func:`create_app` builds it with everything passed in (workspace, guard
settings, whether to own a runner), so tests drive the real app in-process
with Starlette's TestClient and the command line serves the same object with
uvicorn. The addresses are in :mod:`.routes`, the pages in :mod:`.pages`, the
guard's middlewares in :mod:`.guard`, the state every page reads in :mod:`.state`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from pathlib import Path
from typing import AsyncIterator

import jinja2
from starlette.applications import Starlette
from starlette.templating import Jinja2Templates

from .guard import GuardSettings, guard_middleware
from .queue import RunnerThread
from .state import Studio
from .workspace import Workspace

__all__ = ["Studio", "create_app"]

HERE = Path(__file__).resolve().parent


def _templates(studio: Studio) -> Jinja2Templates:
    from .pages.common import FILTERS

    # Every template escapes every value: script text is the producer's (or anyone's) input.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(csrf=studio.guard.csrf)
    templates.env.filters.update(FILTERS)
    return templates


def _warm_up_then_signal(studio: Studio) -> None:
    from .findings import warm_up

    try:
        warm_up(studio.ws.root)
    finally:
        studio.warm.set()


def _lifespan(studio: Studio, runner: bool, runner_jobs: int, board_workers: int):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = RunnerThread(studio.queue, runner_jobs) if runner else None
        if owned is not None:
            owned.start()
        threading.Thread(target=_warm_up_then_signal, args=(studio,), name="claimreel-studio-warm-up", daemon=True).start()
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

    return lifespan


def create_app(root: Path, *, guard: GuardSettings | None = None, runner: bool = False, runner_jobs: int = 0,
               board_workers: int = 0) -> Starlette:
    """The studio over the workspace at ``root``; with ``runner``, it starts and stops a queue runner;
    with ``board_workers``, storyboards are drawn and scripts checked in that many worker processes
    (else in the server's threads)."""
    from .routes import EXCEPTION_HANDLERS, routes

    studio = Studio(Workspace.open(root), guard or GuardSettings())
    app = Starlette(routes=routes(), middleware=guard_middleware(studio.guard),
                    lifespan=_lifespan(studio, runner, runner_jobs, board_workers),
                    exception_handlers=EXCEPTION_HANDLERS)
    app.state.studio = studio
    app.state.templates = _templates(studio)
    return app
