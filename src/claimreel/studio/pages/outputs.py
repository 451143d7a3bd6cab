"""The outputs pages: rendered outputs, one output's players and downloads, its social pack, and
the files of ``render/out`` themselves."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from ..outputs import FULL, Output, credentials_of, list_outputs, pack_copy, read_output, social_pack
from ..report import Pending
from ..workspace import OutsideWorkspace
from .common import page, studio_of

__all__ = ["output_file", "output_page", "outputs_page", "pack"]

#: Content security policy for files served from render/out: the player pages carry their own
#: small inline script and style (written by claimreel, every text escaped).
OUTPUT_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; media-src 'self'; frame-ancestors 'self'; object-src 'none'")


async def outputs_page(request: Request) -> Response:
    outputs = await run_in_threadpool(list_outputs, studio_of(request).ws)
    return page(request, "outputs.html", outputs=outputs)


def _output(request: Request) -> Output:
    """The output the address names (``/outputs/ID`` or ``/outputs/_previews/ID``, or a job's own copy
    under ``/outputs/_jobs/JOB/``)."""
    studio = studio_of(request)
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
    base = output.folder.relative_to(studio_of(request).ws.out).as_posix()
    files = sorted(p.relative_to(output.folder).as_posix() for p in output.folder.rglob("*") if p.is_file())
    credentials = await run_in_threadpool(credentials_of, output)
    return page(request, "output.html", output=output, base=f"/files/{base}", files=files, full=FULL,
                credentials=credentials)


async def pack(request: Request) -> Response:
    """The social pack zip of the cuts and formats the form chose."""
    studio = studio_of(request)
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
    ws = studio_of(request).ws
    path = ws.inside(ws.out, request.path_params["path"])
    return FileResponse(path, headers={"content-security-policy": OUTPUT_POLICY, "cache-control": "no-cache"})
