"""Pages for scripts and outputs: the scripts list, a script's findings, storyboards, editor and
photo upload, rendered outputs, their files and social packs.

Handlers stay thin: names from the address go through :class:`Workspace`, the
work is in :mod:`.report`, :mod:`.boards`, :mod:`.uploads` and :mod:`.outputs`,
and slow work runs in a worker thread so the server keeps answering.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from typing import Any, AsyncIterator
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from ..errors import ClaimreelError
from ..files import atomic_write_bytes
from ..script.load import MAX_SCRIPT_BYTES
from .outputs import FULL, credentials_of, list_outputs, pack_copy, read_output, social_pack
from .report import Pending
from .uploads import MAX_UPLOAD_BYTES, UploadRefused, store_photo
from .workspace import OutsideWorkspace

__all__ = ["EXCEPTION_HANDLERS", "ROUTES", "page"]

#: Content security policy for files served from render/out: the player pages carry their own
#: small inline script and style (written by claimreel, every text escaped).
OUTPUT_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; media-src 'self'; frame-ancestors 'self'; object-src 'none'")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {"nav": template.split(".")[0], **context},
                                      status_code=status_code)


def _studio(request: Request) -> Any:
    return request.app.state.studio


def _last_renders(studio: Any) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for output in list_outputs(studio.ws):
        latest.setdefault(output.id, output)  # newest first
    return latest


async def scripts_page(request: Request) -> Response:
    """Every script: known summaries at once, the others checked in the background (see
    :func:`scripts_events`)."""
    studio = _studio(request)
    rows = await run_in_threadpool(studio.reports.listing)
    latest = await run_in_threadpool(_last_renders, studio)
    pending = sum(1 for r in rows if isinstance(r, Pending))
    return page(request, "scripts.html", rows=rows, latest=latest, pending=pending)


async def scripts_events(request: Request) -> Response:
    """Server-sent events: the table row of each script named by ``?name=`` once it is checked."""
    studio = _studio(request)
    names = set(request.query_params.getlist("name")) & set(studio.ws.script_names())
    row = request.app.state.templates.env.get_template("_row.html").module.row

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        waiting = set(names)
        while waiting and not await request.is_disconnected():
            rows = await run_in_threadpool(studio.reports.listing)
            latest = await run_in_threadpool(_last_renders, studio) if any(
                r.name in waiting and not isinstance(r, Pending) for r in rows) else {}
            for r in rows:
                if r.name in waiting and not isinstance(r, Pending):
                    waiting.discard(r.name)
                    data = json.dumps({"name": r.name, "html": str(row(r, latest)), "left": len(waiting)})
                    yield f"event: row\ndata: {data}\n\n"
            if waiting:
                await asyncio.sleep(0.3)
        yield "event: end\ndata: {}\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"cache-control": "no-cache"})


def _numbered(text: str, findings: Any) -> list[dict[str, Any]]:
    at: dict[int, list[Any]] = {}
    for f in findings:
        if f.line:
            at.setdefault(f.line, []).append(f)
    return [{"number": n, "text": line, "findings": at.get(n, [])}
            for n, line in enumerate(text.split("\n"), start=1)]


def _start_boards(studio: Any, name: str, digest: str) -> None:
    """The script's storyboards start drawing as its page answers; the page's images wait for them."""
    prepared = studio.reports.prepared(name, digest)
    if prepared is not None:
        studio.boards.start(prepared, digest)


async def script_page(request: Request) -> Response:
    studio = _studio(request)
    name = request.path_params["name"]
    report = await run_in_threadpool(studio.reports.report, name)
    if report.summary.valid:
        await run_in_threadpool(_start_boards, studio, name, report.summary.digest)
    latest = _last_renders(studio).get(report.summary.id)
    return page(request, "script.html", report=report, s=report.summary, lines=_numbered(report.text, report.findings),
                latest=latest,
                saved=request.query_params.get("saved"), uploaded=request.query_params.get("uploaded"),
                created=request.query_params.get("created"), questions=request.query_params.getlist("question")[:8],
                text_digest=_digest(report.text), merged=request.query_params.get("merged"))


async def save_script(request: Request) -> Response:
    """Write the editor's text atomically, then show the script again (checked at once).

    A save over a file that changed since the page was opened loses neither edit: where the two
    edits touch different lines they are merged (three-way, from the text the page was opened
    with); where they overlap, the newer file stays and this edit comes back beside it, unsaved.
    """
    studio = _studio(request)
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
    studio = _studio(request)
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    summary = await run_in_threadpool(studio.reports.summary, name)
    if not summary.valid:
        raise HTTPException(404, f"{name} does not validate; fix its findings to see the storyboard")
    path = await run_in_threadpool(studio.boards.get, name, summary.digest, fmt)
    return FileResponse(path, media_type="image/jpeg", headers={"cache-control": "private, max-age=3600"})


async def upload_photo(request: Request) -> Response:
    """Store a photo in ``assets/photos/`` if it passes the asset checks."""
    studio = _studio(request)
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
        return page(request, "error.html", status_code=exc.status,
                    title="Photo refused", message=str(exc).replace(str(studio.ws.root) + "/", ""))
    studio.reports.assets_changed()
    relative = stored.relative_to(studio.ws.root).as_posix()
    if back and back in studio.ws.script_names():
        return RedirectResponse(f"/scripts/{quote(back)}?uploaded={quote(relative)}#upload", status_code=303)
    return RedirectResponse(f"/scripts?uploaded={quote(relative)}", status_code=303)


async def outputs_page(request: Request) -> Response:
    outputs = await run_in_threadpool(list_outputs, _studio(request).ws)
    return page(request, "outputs.html", outputs=outputs)


def _output(request: Request) -> Any:
    studio = _studio(request)
    kind = request.path_params.get("kind")
    if kind not in (None, "_previews"):
        raise OutsideWorkspace(f"{kind}/{request.path_params['id']}")
    preview = kind == "_previews"
    job = request.path_params.get("job", "")  # a job's own copy of what it rendered
    folder = studio.ws.output_folder(request.path_params["id"], preview, job)
    output = read_output(folder, preview, job) if folder.is_dir() and not folder.is_symlink() else None
    if output is None:
        raise OutsideWorkspace(request.path_params["id"])
    return output


async def output_page(request: Request) -> Response:
    output = _output(request)
    base = output.folder.relative_to(_studio(request).ws.out).as_posix()
    files = sorted(p.relative_to(output.folder).as_posix() for p in output.folder.rglob("*") if p.is_file())
    credentials = await run_in_threadpool(credentials_of, output)
    return page(request, "output.html", output=output, base=f"/files/{base}", files=files, full=FULL,
                credentials=credentials)


async def pack(request: Request) -> Response:
    studio = _studio(request)
    output = _output(request)
    formats = request.query_params.getlist("format")
    cuts = request.query_params.getlist("cut")
    script_path = None
    for row in await run_in_threadpool(studio.reports.listing):
        if not isinstance(row, Pending) and row.id == output.id:
            script_path = studio.ws.script_path(row.name)
    copy = await run_in_threadpool(pack_copy, output, script_path)
    fh = await run_in_threadpool(social_pack, output, formats, cuts, copy)

    def stream():
        with fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    name = f"{output.id}-{output.kind}-social-pack.zip"
    return StreamingResponse(stream(), media_type="application/zip",
                             headers={"content-disposition": f'attachment; filename="{name}"'})


async def output_file(request: Request) -> Response:
    """A file of ``render/out`` (player pages, videos, captions), only from inside it."""
    path = _studio(request).ws.inside(_studio(request).ws.out, request.path_params["path"])
    return FileResponse(path, headers={"content-security-policy": OUTPUT_POLICY, "cache-control": "no-cache"})


async def home(request: Request) -> Response:
    return RedirectResponse("/scripts", status_code=303)


async def not_found(request: Request, exc: Exception) -> Response:
    return page(request, "error.html", status_code=404, title="Not found", message=str(exc))


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ClaimreelError)
    return page(request, "error.html", status_code=400, title="Cannot do that", message=str(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return page(request, "error.html", status_code=exc.status_code, title="Cannot do that", message=exc.detail)


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


EXCEPTION_HANDLERS = {OutsideWorkspace: not_found, ClaimreelError: refused, HTTPException: http_error}

ROUTES = [
    Route("/", home),
    Route("/scripts", scripts_page),
    Route("/scripts/events", scripts_events),
    Route("/scripts/{name}", script_page),
    Route("/scripts/{name}", save_script, methods=["POST"]),
    Route("/scripts/{name}/storyboard/{fmt}.jpg", storyboard),
    Route("/assets/photos", upload_photo, methods=["POST"]),
    Route("/outputs", outputs_page),
    Route("/outputs/_jobs/{job}/{kind:str}/{id}/pack.zip", pack),
    Route("/outputs/_jobs/{job}/{id}/pack.zip", pack),
    Route("/outputs/_jobs/{job}/{kind:str}/{id}", output_page),
    Route("/outputs/_jobs/{job}/{id}", output_page),
    Route("/outputs/{kind:str}/{id}/pack.zip", pack),
    Route("/outputs/{id}/pack.zip", pack),
    Route("/outputs/{kind:str}/{id}", output_page),
    Route("/outputs/{id}", output_page),
    Route("/files/{path:path}", output_file),
]
