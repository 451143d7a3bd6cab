"""Render and queue pages: submit a render to the job queue, follow its tasks live, cancel, retry.

Progress reaches the page as server-sent events: the job's state (each task's
state, stage and percent, and the log's tail) is read from the queue twice a
second and sent whenever it changed, until the job has finished.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ...errors import QueueError
from ...layout.formats import FORMATS
from ..queue import QueueMissing
from ..state import Studio
from .common import FLASH, Poll, event_stream, flash_redirect, flashed, macro, page, studio_of

__all__ = ["cancel", "job_events", "job_page", "queue_events", "queue_page", "render_page", "retry", "submit"]

LOG_TAIL = 20_000
POLL_SECONDS = 0.5
#: How often the queue page's stream reads the queue.
QUEUE_EVERY = 1.0
#: What a job page can say a form just did (see :func:`.common.flash_redirect`).
DONE = ("submitted", "cancel", "retry")


async def render_page(request: Request) -> Response:
    studio = studio_of(request)
    rows = await run_in_threadpool(studio.reports.listing)
    chosen = request.query_params.get("script") or (rows[0].name if rows else "")
    current = None
    if chosen in {r.name for r in rows}:
        current = await run_in_threadpool(studio.reports.summary, chosen)  # this one now, if still pending
        rows = [current if r.name == chosen else r for r in rows]  # its row says what was found
    return page(request, "render.html", summaries=rows, current=current, formats=tuple(FORMATS),
                voices=studio.voices)


async def submit(request: Request) -> Response:
    studio = studio_of(request)
    form = await request.form(max_files=0, max_fields=40, max_part_size=4096)
    name = str(form.get("script", ""))
    summary = await run_in_threadpool(studio.reports.summary, name)
    if not summary.valid:
        raise HTTPException(400, f"{name} does not validate ({summary.first_problem}); fix it on its script page first")
    formats = [f for f in form.getlist("format") if f in FORMATS]
    if not formats:
        raise HTTPException(400, "choose at least one format")
    cuts = [str(c) for c in form.getlist("cut") if c in summary.cuts]
    preview = form.get("kind", "preview") == "preview"
    voice = str(form.get("voice", "script"))
    if voice not in studio.voices:
        raise HTTPException(400, f"unknown voice {voice!r}; choose one of {', '.join(studio.voices)}")
    label = f"{summary.id} {'preview' if preview else 'final'} {'+'.join(formats)}"
    job_id = await run_in_threadpool(studio.queue.submit, label, studio.ws.script_path(name), formats, cuts,
                                     preview=preview, voice=None if voice == "script" else voice)
    return flash_redirect(f"/queue/{job_id}", "submitted")


async def queue_page(request: Request) -> Response:
    try:
        jobs = await run_in_threadpool(studio_of(request).queue.jobs)
    except QueueMissing as exc:
        return page(request, "queue.html", jobs=[], missing=str(exc))
    return page(request, "queue.html", jobs=jobs, missing="")


async def queue_events(request: Request) -> Response:
    """Server-sent events: the queue table's rows (newest first) whenever one changed, and what
    changed in words, for as long as the page is open."""
    studio = studio_of(request)
    job_row = macro(request, "_job_row.html", "job_row")
    states: dict[str, str] | None = None  # each job's state at the last look (None: no look yet)
    last: list[list[dict[str, str]]] = []

    def read() -> list[Any]:
        try:
            return studio.queue.jobs()
        except QueueMissing:
            return []

    async def poll() -> Poll:
        nonlocal states
        jobs = await run_in_threadpool(read)
        rows = [{"id": str(job.id), "html": str(job_row(job))} for job in jobs]
        said = [] if states is None else [f"{job.name}: {job.state}" for job in jobs
                                          if states.get(str(job.id)) != job.state]
        states = {str(job.id): job.state for job in jobs}
        if last and rows == last[0]:
            return [], False
        last[:] = [rows]
        return [("jobs", {"rows": rows, "said": "; ".join(said)})], False

    return event_stream(request, poll, QUEUE_EVERY)


async def job_page(request: Request) -> Response:
    snapshot = await run_in_threadpool(_snapshot, studio_of(request), request.path_params["job"])
    done = request.cookies.get(FLASH, "")
    return flashed(request, page(request, "job.html", job=snapshot, done=done if done in DONE else ""))


def _snapshot(studio: Studio, job_id: str) -> dict[str, Any]:
    try:
        snapshot = studio.queue.snapshot(job_id)
    except QueueError as exc:
        raise HTTPException(404, str(exc)) from None
    snapshot["log"] = studio.queue.logs(job_id)[-LOG_TAIL:]
    for task in snapshot["tasks"]:
        task["result"] = _result_link(studio, task)
    return snapshot


def _result_link(studio: Studio, task: dict[str, Any]) -> str:
    """The studio address of a finished task's own output (what this job rendered, even when the
    script's output folder shows a later one), or ''."""
    folder = task.get("folder") or task["out"]
    if task["state"] != "done" or not folder:
        return ""
    try:
        relative = Path(folder).resolve().relative_to(studio.ws.out.resolve()).as_posix()
    except ValueError:
        return ""
    return f"/outputs/{relative}"


async def job_events(request: Request) -> Response:
    """Server-sent events: the job's snapshot whenever it changes, until the job has finished."""
    studio = studio_of(request)
    job_id = request.path_params["job"]
    await run_in_threadpool(_snapshot, studio, job_id)  # 404 before the stream starts
    last: list[str] = []

    async def poll() -> Poll:
        snapshot = await run_in_threadpool(_snapshot, studio, job_id)
        text = json.dumps(snapshot, ensure_ascii=False)
        changed = not last or text != last[0]
        last[:] = [text]
        return ([("job", snapshot)] if changed else []), snapshot["finished"]

    return event_stream(request, poll, POLL_SECONDS)


async def cancel(request: Request) -> Response:
    job_id = request.path_params["job"]
    await run_in_threadpool(studio_of(request).queue.cancel, job_id)
    return flash_redirect(f"/queue/{job_id}", "cancel")


async def retry(request: Request) -> Response:
    job_id = request.path_params["job"]
    await run_in_threadpool(studio_of(request).queue.retry, job_id)
    return flash_redirect(f"/queue/{job_id}", "retry")
