"""The form editor's caption findings: ``claimreel lint``'s findings of the saved script, beside the
cards whose scenes hold the cues (see :mod:`..form.captions`).

They come with the script page's report, made once per version of the script and kept: the form
page shows them at once when the report is made already, and otherwise asks for them (the page's
script, at ``form/captions``; without script, the page's link waits for them).
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..form.captions import place_captions
from .common import studio_of

__all__ = ["NO_CAPTIONS", "caption_context", "form_captions"]

#: What the form says of caption findings while the form is edited (they are not checked as one types).
WHEN = "Captions are checked after each save, not as you type: they need the narration's timings."


#: A form shown unsaved (an item button's answer): the saved script's caption findings would sit by the
#: wrong cards once one moved, so they wait for the save.
NO_CAPTIONS: dict[str, Any] = {"caption_at": {}, "other_captions": [], "caption_pending": False,
                               "caption_status": f"Caption findings are shown after a save. {WHEN}"}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _status(report: Any) -> str:
    if not report.summary.valid:
        return f"Captions are checked once the saved script validates. {WHEN}"
    count = sum(1 for f in report.findings if f.source == "lint")
    if not count:
        return f"No caption findings in the saved script. {WHEN}"
    return (f"{count} caption finding(s) in the saved script (what claimreel lint finds), each shown with "
            f"the card whose scene holds the cue. {WHEN}")


def _shown(report: Any) -> dict[str, Any]:
    placed, other = place_captions(report.findings, report.text)
    return {"caption_at": placed, "other_captions": other, "caption_status": _status(report), "caption_pending": False}


def caption_context(studio: Any, name: str, text: str, *, wait: bool) -> dict[str, Any]:
    """The form page's caption findings for the saved ``text`` when its report is made (or, with
    ``wait``, once it is made here); else a note that they are being checked."""
    report = studio.reports.report(name) if wait else studio.reports.known_report(name)
    if report is not None and report.text == text:
        return _shown(report)
    return {**NO_CAPTIONS, "caption_pending": True,
            "caption_status": f"Checking the saved script's captions… {WHEN}"}


async def form_captions(request: Request) -> Response:
    """The saved script's caption findings by card (JSON) for the page opened on version ``?base=``
    (``stale`` when the file changed since: the cards' numbers would not be the file's)."""
    studio = studio_of(request)
    name = request.path_params["name"]
    studio.ws.script_path(name)
    report = await run_in_threadpool(studio.reports.report, name)
    if _digest(report.text) != request.query_params.get("base"):
        return JSONResponse({"stale": True, "status": "The script was saved elsewhere since this page was opened; "
                                                      "open the form again to see its caption findings."})
    shown = _shown(report)
    return JSONResponse({
        "stale": False,
        "status": shown["caption_status"],
        "fields": {slot: [f.text for f in found] for slot, found in shown["caption_at"].items()},
        "other": [f.where + f.text for f in shown["other_captions"]],
    })
