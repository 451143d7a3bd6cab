"""The scripts pages: the list of scripts, a script's findings, storyboards and editor, and
photo upload."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ...files import atomic_write_bytes
from ...script.load import MAX_SCRIPT_BYTES
from ..outputs import Output, list_outputs
from ..report import Pending
from ..state import Studio
from ..uploads import MAX_UPLOAD_BYTES, UploadRefused, store_photo
from .common import Poll, event_stream, macro, page, studio_of

__all__ = ["merge_edits", "save_script", "script_page", "scripts_events", "scripts_page", "storyboard",
           "upload_photo"]

#: How often the scripts page's stream looks for scripts checked meanwhile.
ROWS_EVERY = 0.3


def last_renders(studio: Studio) -> dict[str, Output]:
    """The newest output of each script id."""
    latest: dict[str, Output] = {}
    for output in list_outputs(studio.ws):
        latest.setdefault(output.id, output)  # newest first
    return latest


async def scripts_page(request: Request) -> Response:
    """Every script: known summaries at once, the others checked in the background (see
    :func:`scripts_events`)."""
    studio = studio_of(request)
    rows = await run_in_threadpool(studio.reports.listing)
    latest = await run_in_threadpool(last_renders, studio)
    pending = sum(1 for r in rows if isinstance(r, Pending))
    return page(request, "scripts.html", rows=rows, latest=latest, pending=pending)


async def scripts_events(request: Request) -> Response:
    """Server-sent events: the table row of each script named by ``?name=`` once it is checked."""
    studio = studio_of(request)
    waiting = set(request.query_params.getlist("name")) & set(studio.ws.script_names())
    row = macro(request, "_row.html", "row")

    async def poll() -> Poll:
        rows = await run_in_threadpool(studio.reports.listing)
        checked = [r for r in rows if r.name in waiting and not isinstance(r, Pending)]
        latest = await run_in_threadpool(last_renders, studio) if checked else {}
        events = []
        for r in checked:
            waiting.discard(r.name)
            events.append(("row", {"name": r.name, "html": str(row(r, latest)), "left": len(waiting)}))
        return events, not waiting

    return event_stream(request, poll, ROWS_EVERY)


def _numbered(text: str, findings: Any) -> list[dict[str, Any]]:
    at: dict[int, list[Any]] = {}
    for f in findings:
        if f.line:
            at.setdefault(f.line, []).append(f)
    return [{"number": n, "text": line, "findings": at.get(n, [])}
            for n, line in enumerate(text.split("\n"), start=1)]


def _start_boards(studio: Studio, name: str, digest: str) -> None:
    """The script's storyboards start drawing as its page answers; the page's images wait for them."""
    prepared = studio.reports.prepared(name, digest)
    if prepared is not None:
        studio.boards.start(prepared, digest)


async def script_page(request: Request) -> Response:
    studio = studio_of(request)
    name = request.path_params["name"]
    report = await run_in_threadpool(studio.reports.report, name)
    if report.summary.valid:
        await run_in_threadpool(_start_boards, studio, name, report.summary.digest)
    latest = last_renders(studio).get(report.summary.id)
    query = request.query_params
    return page(request, "script.html", report=report, s=report.summary, lines=_numbered(report.text, report.findings),
                latest=latest, saved=query.get("saved"), uploaded=query.get("uploaded"), created=query.get("created"),
                questions=query.getlist("question")[:8], text_digest=_digest(report.text), merged=query.get("merged"))


async def save_script(request: Request) -> Response:
    """Write the editor's text atomically, then show the script again (checked at once).

    A save over a file that changed since the page was opened loses neither edit: where the two
    edits touch different lines they are merged (three-way, from the text the page was opened
    with); where they overlap, the newer file stays and this edit comes back beside it, unsaved.
    """
    studio = studio_of(request)
    name = request.path_params["name"]
    path = studio.ws.script_path(name)
    form = await request.form(max_files=0, max_fields=5, max_part_size=MAX_SCRIPT_BYTES + 1024)
    text = str(form.get("text", "")).replace("\r\n", "\n")
    data = text.encode("utf-8")
    if len(data) > MAX_SCRIPT_BYTES:
        raise HTTPException(413, f"the script is larger than {MAX_SCRIPT_BYTES} bytes; scripts are a few kilobytes")
    current = path.read_bytes().decode("utf-8", errors="replace")
    merged = False
    if form.get("base") and form.get("base") != _digest(current):
        original = str(form.get("original", "")).replace("\r\n", "\n")
        text = merge_edits(original, text, current) if _digest(original) == form.get("base") else None
        if text is None:
            return page(request, "conflict.html", status_code=409, name=name, mine=form.get("text", ""),
                        theirs=current, text_digest=_digest(current))
        data, merged = text.encode("utf-8"), True
    await run_in_threadpool(atomic_write_bytes, path, data)
    await run_in_threadpool(studio.reports.report, name)  # re-validated now, so the next page is at once
    return RedirectResponse(f"/scripts/{quote(name)}?saved=1{'&merged=1' if merged else ''}#findings",
                            status_code=303)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def merge_edits(original: str, mine: str, theirs: str) -> str | None:
    """``mine`` and ``theirs``, both edits of ``original``, merged line by line; None where they
    change the same or neighbouring lines (a person must choose)."""
    from merge3 import Merge3

    merge = Merge3(original.splitlines(True), mine.splitlines(True), theirs.splitlines(True))
    if any(region[0] == "conflict" for region in merge.merge_regions()):
        return None
    return "".join(merge.merge_lines())


async def storyboard(request: Request) -> Response:
    studio = studio_of(request)
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    summary = await run_in_threadpool(studio.reports.summary, name)
    if not summary.valid:
        raise HTTPException(404, f"{name} does not validate; fix its findings to see the storyboard")
    path = await run_in_threadpool(studio.boards.get, name, summary.digest, fmt)
    return FileResponse(path, media_type="image/jpeg", headers={"cache-control": "private, max-age=3600"})


async def upload_photo(request: Request) -> Response:
    """Store a photo in ``assets/photos/`` if it passes the asset checks."""
    studio = studio_of(request)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        raise HTTPException(413, f"uploads are limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB (and need a length)")
    back = request.query_params.get("back", "")
    form = await request.form(max_files=1, max_fields=2, max_part_size=MAX_UPLOAD_BYTES)
    upload = form.get("photo")
    if upload is None or isinstance(upload, str):
        raise HTTPException(400, "choose a photo to upload")

    async def chunks():
        while chunk := await upload.read(1 << 20):
            yield chunk

    try:
        stored = await store_photo(studio.ws.photos, upload.filename or "", chunks(), limit=MAX_UPLOAD_BYTES)
    except UploadRefused as exc:
        shown = re.split(r"[\\/]", upload.filename or "")[-1] or exc.path.name
        return page(request, "refused.html", status_code=exc.status, file=shown, problem=exc.problem, fix=exc.fix,
                    back=back if back in studio.ws.script_names() else "")
    studio.reports.assets_changed()
    relative = stored.relative_to(studio.ws.root).as_posix()
    if back and back in studio.ws.script_names():
        return RedirectResponse(f"/scripts/{quote(back)}?uploaded={quote(relative)}#upload", status_code=303)
    return RedirectResponse(f"/scripts?uploaded={quote(relative)}", status_code=303)
