"""The studio's "New fact-check" page: a script from the template, or from a published fact-check's
ClaimReview (pasted HTML or JSON-LD, or an uploaded saved page), made as ``claimreel new`` makes it.

The page asks what the command line asks: an id (suggested from the title), a theme, and, when the
page reviews several claims, which one. Nothing is written until the answers are complete; the file
then appears in one step and the editor opens on it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ...errors import ClaimreelError
from ...files import atomic_write_bytes
from ...script.claimreview import ReviewFacts
from ...script.themes import theme_names
from .common import page, studio_of

__all__ = ["create_script", "new_page", "suggest_id"]

#: A saved page with its inline scripts and styles; the JSON-LD sits in its head.
MAX_PAGE_BYTES = 20 * 1024 * 1024

#: How messages name what the user pasted or uploaded.
SOURCE = "the fact-check page"


def suggest_id(title: str) -> str:
    """A script id from a title: ASCII lower-case words joined by dashes, at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > 60:
            break
        text = f"{text}-{word}" if text else word
    return text


def _new_page_with(request: Request, status: int = 200, **context: Any) -> Response:
    studio = studio_of(request)
    values = {"id": "", "title": "", "theme": "default", "page": "", "pick": "", "error": "", "choices": [], **context}
    return page(request, "new.html", status_code=status, themes=theme_names(studio.ws.root), **values)


async def new_page(request: Request) -> Response:
    return _new_page_with(request)


async def _page_text(form: Any) -> str:
    """The pasted text, else the uploaded saved page's."""
    from ...script.claimreview import decode_page

    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_PAGE_BYTES + 1)
        if len(data) > MAX_PAGE_BYTES:
            raise ClaimreelError(f"{upload.filename}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB; "
                                 "save the fact-check page as HTML only (without its pictures)")
        return decode_page(data)
    return str(form.get("page") or "").strip()


def _reviewed(page: str, pick: int | None) -> tuple[ReviewFacts | None, list[str]]:
    """The review the page's chosen one says (None without a page), or the claims to choose from
    when the page reviews several and none is chosen yet."""
    from ...script.claimreview import find_reviews, review_facts
    from ...script.template import pick_review

    if not page:
        return None, []
    reviews = find_reviews(page, SOURCE)
    if len(reviews) > 1 and pick is None:
        return None, [f"{review_facts(r).claim} ({review_facts(r).rating_text})" for r in reviews]
    return review_facts(pick_review(reviews, pick, SOURCE)), []


def _script_text(root: Path, script_id: str, theme: str, facts: ReviewFacts | None, title: str
                 ) -> tuple[str, list[str]]:
    """The new script's text and the questions it leaves: the template, or filled from ``facts``."""
    from ...script.template import new_script_text, script_from_review, theme_scale

    if facts is None:
        return new_script_text(script_id, title=title or None), []
    return script_from_review(script_id, facts, theme_scale(root, theme), theme=theme)


async def create_script(request: Request) -> Response:
    """Create ``scripts/ID.yaml`` and open it in the editor; a problem keeps every answer on the form."""
    from ...script.fields import ID_PATTERN

    studio = studio_of(request)
    form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_PAGE_BYTES)
    title = str(form.get("title") or "").strip()
    theme = str(form.get("theme") or "default")
    pick_text = str(form.get("pick") or "")
    answers = {"title": title, "theme": theme, "pick": pick_text}
    try:
        page_text = await _page_text(form)
        answers["page"] = page_text
        facts, choices = await run_in_threadpool(_reviewed, page_text, int(pick_text) if pick_text.isdigit() else None)
        if choices:
            return _new_page_with(request, 200, choices=choices, **answers)
        script_id = str(form.get("id") or "").strip()
        if not script_id:
            script_id = suggest_id(title or (facts.headline or facts.claim if facts else ""))
        answers["id"] = script_id
        if not re.match(ID_PATTERN, script_id):
            raise ClaimreelError(f"{script_id!r} cannot name a script: use lower-case letters, digits and dashes "
                                 "(e.g. vaccine-claim-2024), or give a title to suggest one")
        if theme not in theme_names(studio.ws.root):
            raise ClaimreelError(f"there is no theme {theme!r}; choose one from the list")
        path = studio.ws.scripts / f"{script_id}.yaml"
        if path.exists():
            raise ClaimreelError(f"scripts/{script_id}.yaml already exists; choose another id, or open that script")
        text, questions = await run_in_threadpool(_script_text, studio.ws.root, script_id, theme, facts, title)
    except ClaimreelError as exc:
        return _new_page_with(request, 400, error=str(exc), **answers)
    await run_in_threadpool(atomic_write_bytes, path, text.encode("utf-8"))
    await run_in_threadpool(studio.reports.report, path.name)
    asked = "".join(f"&question={quote(q)}" for q in questions)
    return RedirectResponse(f"/scripts/{quote(path.name)}?created=1{asked}#findings", status_code=303)

