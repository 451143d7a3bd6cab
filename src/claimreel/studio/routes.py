"""The studio's addresses: every route of the app, in one table.

Each handler lives in the page module of its part of the app (:mod:`.pages`); a new page adds its
module there and its lines here. Methods other than GET pass the guard's CSRF check first
(:mod:`.guard`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from . import fonts
from .pages import form, form_captions, jobs, new, outputs, scripts
from .pages.common import EXCEPTION_HANDLERS

__all__ = ["EXCEPTION_HANDLERS", "routes"]

STATIC = Path(__file__).resolve().parent / "static"


async def home(request: Request) -> Response:
    return RedirectResponse("/scripts", status_code=303)


def routes() -> list[BaseRoute]:
    """Every address the studio answers."""
    return [
        Route("/", home),
        # scripts: the list, a script's findings, editor and storyboards, photos
        Route("/scripts", scripts.scripts_page),
        Route("/scripts/events", scripts.scripts_events),
        Route("/scripts/{name}", scripts.script_page),
        Route("/scripts/{name}", scripts.save_script, methods=["POST"]),
        Route("/scripts/{name}/storyboard/{fmt}.jpg", scripts.storyboard),
        Route("/assets/photos", scripts.upload_photo, methods=["POST"]),
        # a script as a form (generated from the script's JSON Schema) and the scene being edited
        Route("/scripts/{name}/form", form.form_page),
        Route("/scripts/{name}/form", form.save_form, methods=["POST"]),
        Route("/scripts/{name}/form/findings", form.form_findings, methods=["POST"]),
        Route("/scripts/{name}/form/scale", form.form_scale),
        Route("/scripts/{name}/form/captions", form_captions.form_captions),
        Route("/scripts/{name}/form/stills", form.form_stills, methods=["POST"]),
        Route("/scripts/{name}/form/stills/{key}.jpg", form.form_still),
        Route("/scripts/{name}/form/photo", form.form_photo, methods=["POST"]),
        # a new fact-check
        Route("/new", new.new_page),
        Route("/new", new.create_script, methods=["POST"]),
        # render, the queue and its jobs
        Route("/render", jobs.render_page),
        Route("/render", jobs.submit, methods=["POST"]),
        Route("/queue", jobs.queue_page),
        Route("/queue/events", jobs.queue_events),
        Route("/queue/{job}", jobs.job_page),
        Route("/queue/{job}/events", jobs.job_events),
        Route("/queue/{job}/cancel", jobs.cancel, methods=["POST"]),
        Route("/queue/{job}/retry", jobs.retry, methods=["POST"]),
        # outputs and their files
        Route("/outputs", outputs.outputs_page),
        Route("/outputs/_jobs/{job}/{kind:str}/{id}/pack.zip", outputs.pack),
        Route("/outputs/_jobs/{job}/{id}/pack.zip", outputs.pack),
        Route("/outputs/_jobs/{job}/{kind:str}/{id}", outputs.output_page),
        Route("/outputs/_jobs/{job}/{id}", outputs.output_page),
        Route("/outputs/{kind:str}/{id}/pack.zip", outputs.pack),
        Route("/outputs/{id}/pack.zip", outputs.pack),
        Route("/outputs/{kind:str}/{id}", outputs.output_page),
        Route("/outputs/{id}", outputs.output_page),
        Route("/files/{path:path}", outputs.output_file),
        # the studio's own files
        Route("/fonts/fonts.css", fonts.font_css_route),
        Route("/fonts/{name}", fonts.font_file),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
