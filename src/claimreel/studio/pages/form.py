"""The form editor's routes: the form page, its save (through the YAML editor's three-way merge),
findings per field and the scene's stills for the unsaved form, and photo uploads from a card.

The page works without script: every button posts the form (save, or add, remove and move an
item, shown again unsaved); the page's script does the same in place and asks for findings and
stills as the user types.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from ...errors import ClaimreelError
from ...files import atomic_write_bytes
from ...script.load import MAX_SCRIPT_BYTES
from ..form.checks import FieldFinding, draft_findings, place_findings
from ..form.fields import RATING, Field, build_form
from ..form.items import apply_op, put
from ..form.meter import scale_steps
from ..form.posted import Posted, draft_text, read_posted, write_yaml
from ..form.schema_walk import script_schema
from ..uploads import MAX_UPLOAD_BYTES, UploadRefused, store_photo
from .common import macro, page, studio_of
from .form_captions import NO_CAPTIONS, caption_context

__all__ = ["form_findings", "form_page", "form_photo", "form_scale", "form_still", "form_stills", "save_form"]

#: Inputs of a form (the flagship's has about 600; a script is a few kilobytes).
MAX_FIELDS = 10_000
UPLOAD = ".upload"  # a photo field's file input is named after it, with this


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _loose(text: str) -> dict[str, Any] | None:
    """The script's data as far as its YAML reads (None: it does not parse); a copy of the data read
    once per text (every keystroke's findings post the text the page was opened with)."""
    data = _parsed(text)
    return copy.deepcopy(data) if data is not None else None


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> dict[str, Any] | None:
    from ...script.yamltree import parse

    try:
        data = parse(text, "form").data
    except ClaimreelError:
        return None
    return data if isinstance(data, dict) else None


def _theme(studio: Any, data: dict[str, Any]) -> str:
    from ...script.themes import theme_names

    theme = str(data.get("theme") or "default")
    return theme if theme in theme_names(studio.ws.root) else "default"


def _render(request: Request, name: str, data: dict[str, Any] | None, *, original: str, findings: Any,
            names: dict | None, text: str, status_code: int = 200, **context: Any) -> Response:
    studio = studio_of(request)
    context = {**NO_CAPTIONS, **context}
    if data is None:
        return page(request, "form.html", status_code=status_code, nav="script", name=name, fields=[], steps=[], placed={},
                    other=[FieldFinding(f.message, f.hint or "", line=f.line) for f in findings], broken=True,
                    original=original, base=_digest(original), title=name, **context)
    theme = _theme(studio, data)
    steps = scale_steps(studio.ws.root, theme)
    fields = build_form(script_schema(), data, tuple(s.label for s in steps))
    if names is None:
        names = _positional(fields)
    placed, other = place_findings(findings, names, text)
    return page(request, "form.html", status_code=status_code, nav="script", name=name, fields=fields, steps=steps,
                placed=placed, other=other, broken=False, theme=theme, original=original, base=_digest(original),
                title=str(data.get("title") or name), **context)


def _positional(fields: list) -> dict:
    """Places -> field names for a form rendered from data (its indexes are the positions)."""
    names: dict = {}

    def walk(f: Any) -> None:
        names[tuple(int(p) if p.isdigit() else p for p in f.name.split("."))] = f.name
        for child in f.children:
            walk(child)

    for f in fields:
        walk(f)
    return names


#: Saved scripts' findings kept per studio, by the script's version (see :meth:`Reports.digest`).
KEEP_CHECKED = 32


def _checked(studio: Any, cache: dict, name: str) -> tuple[str, list[Any]]:
    """The script's text and what ``validate`` finds in it, checked once per version of the script
    (its bytes, the files it names, the themes and fonts): the form needs no storyboard, speech or
    caption check, so it does not wait for the script page's."""
    from ...api import validate

    path = studio.ws.script_path(name)
    raw = path.read_bytes()[: MAX_SCRIPT_BYTES + 1]
    text = raw.decode("utf-8", errors="replace")
    key = f"{name}:{studio.reports.digest(raw, text)}"
    if key not in cache:
        cache[key] = [f for f in validate(path) if f.severity == "error"]
        while len(cache) > KEEP_CHECKED:
            cache.pop(next(iter(cache)))
    return text, cache[key]


def _cache(request: Request) -> dict:
    state = request.app.state
    if not hasattr(state, "form_checked"):
        state.form_checked = {}
    return state.form_checked


async def form_page(request: Request) -> Response:
    studio = studio_of(request)
    name = request.path_params["name"]
    text, findings = await run_in_threadpool(_checked, studio, _cache(request), name)
    captions = await run_in_threadpool(caption_context, studio, name, text,
                                       wait=request.query_params.get("captions") == "1")
    return _render(request, name, _loose(text), original=text, findings=findings, names=None, text=text,
                   saved=request.query_params.get("saved"), merged=request.query_params.get("merged"),
                   message=None, **captions)


async def _read(request: Request) -> tuple[FormData, str, dict[str, Any], Posted]:
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 2 * MAX_SCRIPT_BYTES:
        raise HTTPException(413, f"a form carries the script and at most one photo of "
                                 f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB; choose the photos one at a time")
    form = await request.form(max_files=8, max_fields=MAX_FIELDS, max_part_size=MAX_UPLOAD_BYTES)
    original = str(form.get("original", "")).replace("\r\n", "\n")
    if len(original.encode()) > MAX_SCRIPT_BYTES:
        raise HTTPException(413, f"the script is larger than {MAX_SCRIPT_BYTES} bytes; scripts are a few kilobytes")
    data = _loose(original)
    if data is None:
        raise HTTPException(400, "the script's YAML does not read; fix it in the YAML editor first")
    pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str) and k not in ("original", "base", "op",
                                                                                       "focus")]
    posted = await run_in_threadpool(read_posted, script_schema(), pairs, data)
    return form, original, data, posted


async def _store_uploads(request: Request, form: FormData, posted: Posted) -> list[str]:
    """Photos chosen in a card's file input, stored in ``assets/photos/`` and written into their
    field (what the page's script does as soon as one is chosen); the refusals, in words."""
    studio = studio_of(request)
    refused = []
    for key, value in form.multi_items():
        if not (isinstance(value, UploadFile) and value.filename and key.endswith(UPLOAD)):
            continue
        place = next((p for p, n in posted.names.items() if n == key[:-len(UPLOAD)]), None)
        try:
            stored = await store_photo(studio.ws.photos, value.filename, _chunks(value), limit=MAX_UPLOAD_BYTES)
        except UploadRefused as exc:
            refused.append(str(exc).replace(str(studio.ws.root) + "/", ""))
            continue
        studio.reports.assets_changed()
        if place is not None:
            put(posted.data, place, stored.relative_to(studio.ws.root).as_posix())
    return refused


async def _chunks(upload: UploadFile):
    while chunk := await upload.read(1 << 20):
        yield chunk


async def save_form(request: Request) -> Response:
    """Save the form (or, for an item button, show it again with the item added, removed or moved)."""
    from .scripts import merge_edits  # the YAML editor's own three-way merge

    studio = studio_of(request)
    name = request.path_params["name"]
    path = studio.ws.script_path(name)
    form, original, _, posted = await _read(request)
    refused = await _store_uploads(request, form, posted)
    op = str(form.get("op") or "save")
    if op != "save" or refused:
        message = " ".join(refused) or apply_op(op, posted)
        if refused:
            message = f"Not saved: {message}"
        text = await run_in_threadpool(write_yaml, original, Posted(posted.data, {}, {}))
        findings = await run_in_threadpool(draft_findings, path, text)
        return _render(request, name, posted.data, original=original, findings=findings, names=None, text=text,
                       status_code=400 if refused else 200, message=message, saved=None, merged=None)
    text = await run_in_threadpool(write_yaml, original, posted)
    if len(text.encode()) > MAX_SCRIPT_BYTES:
        raise HTTPException(413, f"the script is larger than {MAX_SCRIPT_BYTES} bytes; scripts are a few kilobytes")
    current = path.read_bytes().decode("utf-8", errors="replace")
    merged = False
    if str(form.get("base", "")) != _digest(current):
        result = merge_edits(original, text, current) if str(form.get("base", "")) == _digest(original) else None
        if result is None:
            return page(request, "conflict.html", status_code=409, name=name, mine=text, theirs=current,
                        text_digest=_digest(current))
        text, merged = result, True
    await run_in_threadpool(atomic_write_bytes, path, text.encode("utf-8"))
    await run_in_threadpool(_checked, studio, _cache(request), name)  # checked now: the page answers at once
    return RedirectResponse(f"/scripts/{quote(name)}/form?saved=1{'&merged=1' if merged else ''}#status",
                            status_code=303)


async def form_findings(request: Request) -> Response:
    """The findings of the form as posted, by field name (JSON), for the page's script."""
    studio = studio_of(request)
    path = studio.ws.script_path(request.path_params["name"])
    _, _, _, posted = await _read(request)
    text = draft_text(posted)  # what saving writes, in content: the same findings, without the round trip's cost
    findings = await run_in_threadpool(draft_findings, path, text)
    placed, other = place_findings(findings, posted.names, text)
    return JSONResponse({
        "count": len(findings),
        "fields": {n: [f.text for f in found] for n, found in placed.items()},
        "other": [f.where + f.text for f in other],
    })


async def form_scale(request: Request) -> Response:
    """The rating's choices and meter for the theme typed in the form (``?theme=``, the choice kept:
    ``?rating=``), as the page would show them once saved: the markup of the form's own macro (JSON),
    so the page's script swaps them in without a save."""
    studio = studio_of(request)
    studio.ws.script_path(request.path_params["name"])
    asked = request.query_params.get("theme", "")[:200]
    theme = await run_in_threadpool(_theme, studio, {"theme": asked})
    steps = await run_in_threadpool(scale_steps, studio.ws.root, theme)
    rating = Field(RATING, "rating", "Rating", "rating", options=tuple(s.label for s in steps),
                   value=request.query_params.get("rating", "")[:200])
    html = str(macro(request, "_form_fields.html", "scale")(rating, steps, theme)).strip()
    return JSONResponse({"theme": theme, "known": theme == (asked or "default"),
                         "scale": list(rating.options), "html": html})


async def form_stills(request: Request) -> Response:
    """The still of the scene the focused field (``focus``) is seen in, in 16:9 and 9:16, for the
    form as posted: their addresses (JSON), or why they cannot be drawn yet."""
    from ..form.stills import draw_stills

    studio = studio_of(request)
    name = request.path_params["name"]
    path = studio.ws.script_path(name)
    form, _, _, posted = await _read(request)
    focus = str(form.get("focus") or "")
    place = next((p for p, n in posted.names.items() if n == focus), ())
    text = draft_text(posted)
    folder = studio.ws.cache / "studio" / "form"
    try:
        drawn = await run_in_threadpool(draw_stills, path, text, place, cache=studio.ws.cache, folder=folder,
                                        stills=studio.ws.cache / "studio" / "stills", salt=studio.reports.shared())
    except ClaimreelError as exc:
        first = str(exc).splitlines()[0].replace(str(path.parent) + "/", "")
        return JSONResponse({"message": f"The scene is drawn once the script checks: {first}"})
    base = f"/scripts/{quote(name)}/form/stills"
    return JSONResponse({"scene": drawn.scene, "stills": {fmt: f"{base}/{key}.jpg" for fmt, key in drawn.items()}})


async def form_still(request: Request) -> Response:
    from ..form.stills import still_file

    studio = studio_of(request)
    studio.ws.script_path(request.path_params["name"])
    file = still_file(studio.ws.cache / "studio" / "form", request.path_params["key"])
    if not file.is_file():
        raise HTTPException(404, "that still is no longer kept; change a field to draw it again")
    return FileResponse(file, media_type="image/jpeg", headers={"cache-control": "private, max-age=3600"})


async def form_photo(request: Request) -> Response:
    """A photo chosen in a card, stored at once (JSON: its path, or why it was refused)."""
    studio = studio_of(request)
    studio.ws.script_path(request.path_params["name"])
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        return JSONResponse({"error": f"The photo is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                                      "downscale it and choose it again."}, status_code=413)
    form = await request.form(max_files=1, max_fields=2, max_part_size=MAX_UPLOAD_BYTES)
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return JSONResponse({"error": "Choose a photo to upload."}, status_code=400)
    try:
        stored = await store_photo(studio.ws.photos, upload.filename, _chunks(upload), limit=MAX_UPLOAD_BYTES)
    except UploadRefused as exc:
        return JSONResponse({"error": str(exc).replace(str(studio.ws.root) + "/", "")}, status_code=exc.status)
    studio.reports.assets_changed()
    return JSONResponse({"path": stored.relative_to(studio.ws.root).as_posix()})
