"""A job's report: ``<out>/_jobs/<job>/report.json`` and ``report.html``.

Written by the runner each time one of the job's tasks ends, so it always shows the
job as it stands: per task its state, attempts, times and error; for a finished task
its output folder, each format's player page (linked relatively, so the output tree
can be copied anywhere), durations and the loudness measured into its manifest, and
the caption lint of the SRT and WebVTT files it wrote, checked by the same rules as
``claimreel lint``. The page is plain HTML with an inline style sheet and no script.
"""

from __future__ import annotations

import json
import os
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..pipeline.output import atomic_write_text
from ..publish.html import STYLE, esc
from .folders import job_folder
from .model import JobStatus, TaskStatus

__all__ = ["caption_lint", "report_data", "report_folder", "report_html", "write_report"]


def report_folder(job: JobStatus) -> Path:
    """``<out>/_jobs/<job>`` for the output root of the job's first task."""
    out = Path(job.tasks[0].options.get("out") or "render/out") if job.tasks else Path("render/out")
    return job_folder(out, job.id)


def _when(t: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) if t else None


def caption_lint(folder: Path, fmt: str, fps: Fraction) -> dict[str, Any]:
    """The caption rules held against the caption files a format's folder holds (its social cuts'
    too), each by the rules of the format and language it was made for, as ``claimreel lint``
    judges it."""
    from ..captions.lint import lint_cues
    from ..errors import ClaimreelError
    from ..publish.caption_files import caption_file_rules, read_caption_file

    findings: list[str] = []
    checked = []
    for pattern in ("captions*.srt", "captions*.vtt", "cuts/*/captions*.srt", "cuts/*/captions*.vtt"):
        for path in sorted(folder.glob(pattern)):
            name = path.relative_to(folder).as_posix()
            checked.append(name)
            try:
                findings += lint_cues(name, read_caption_file(path), caption_file_rules(path, fmt)[0], fps)
            except ClaimreelError as exc:
                findings.append(f"{name}: unreadable: {exc}")
    return {"files": checked, "findings": findings, "clean": not findings}


def _outputs(task: TaskStatus, here: Path) -> dict[str, Any]:
    folder = Path(task.result["folder"]) if task.result and task.result.get("folder") else Path(task.out)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"folder": os.path.relpath(folder, here), "formats": [], "missing": "no manifest.json"}
    formats = []
    for name, info in sorted(manifest.get("formats", {}).items()):
        if name not in task.spec.formats:
            continue  # a format an earlier render left beside this one
        loudness = info.get("loudness") or {}
        cuts = [{"name": cut, "video": os.path.relpath(folder / name / "cuts" / cut / "video.mp4", here),
                 "duration_s": c.get("duration_s")} for cut, c in sorted((info.get("cuts") or {}).items())]
        formats.append({
            "format": name,
            "player": os.path.relpath(folder / name / "index.html", here),
            "duration_s": info.get("duration_s"),
            "resolution": info.get("resolution"),
            "loudness_lufs": loudness.get("integrated_lufs"),
            "true_peak_dbtp": loudness.get("true_peak_dbtp"),
            "loudness_profile": loudness.get("profile"),
            "captions": caption_lint(folder / name, name, Fraction(str(info.get("fps", "30")))),
            "audio_description": _described(info.get("audio_description")),
            "cuts": cuts,
        })
    return {"folder": os.path.relpath(folder, here), "formats": formats}


def _described(info: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audio description said, shortened and left out (the manifest's account), and its loudness."""
    if not info:
        return None
    return {"loudness_lufs": (info.get("loudness") or {}).get("integrated_lufs"), "parts_said": info.get("parts_said"),
            "shortened": info.get("shortened", []), "dropped": info.get("dropped", []),
            "extended": bool(info.get("extended"))}


def _described_cell(described: dict[str, Any] | None) -> str:
    if described is None:
        return "—"
    text = (f'{described["parts_said"]} parts said, {len(described["shortened"])} shortened, '
            f'{len(described["dropped"])} left out; {_cell(described["loudness_lufs"])} LUFS')
    left = [f'{d["scene"]}: {d["text"]}' for d in described["dropped"]]
    if not left:
        return esc(text)
    items = "".join(f"<li>{esc(line)}</li>" for line in left)
    return f"<details><summary>{esc(text)}</summary><ul>{items}</ul></details>"


def report_data(job: JobStatus, here: Path) -> dict[str, Any]:
    """The report as JSON-ready data; links are relative to ``here`` (the report's folder)."""
    tasks = []
    for task in job.tasks:
        result = task.result or {}
        entry: dict[str, Any] = {
            "id": task.id, "script": task.script, "story": task.story, "options": task.options,
            "state": task.state, "attempts": task.attempts, "created": _when(task.created),
            "started": _when(task.started), "finished": _when(task.finished),
            "render_s": result.get("wall_s"), "error": task.error,
            "warnings": list(result.get("notes") or ()),
        }
        if task.state == "done":
            entry.update(_outputs(task, here))
            for fmt in entry["formats"]:
                entry["warnings"] += [f"{fmt['format']}: {line}" for line in fmt["captions"]["findings"]]
        tasks.append(entry)
    return {"job": job.id, "name": job.name, "state": job.state, "created": _when(job.created),
            "counts": job.counts(), "tasks": tasks}


REPORT_STYLE = STYLE + """
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
.state-failed{color:#a4000f;font-weight:700}
.state-done{color:#1d6b2b;font-weight:700}
.task{border-top:2px solid #444;margin-top:1.5rem}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;border:1px solid #ddd}
"""


def _cell(value: Any) -> str:
    return "—" if value is None or value == "" else esc(str(value))


def report_html(data: dict[str, Any]) -> str:
    """The report page: a summary table, then one section per task."""
    counts = ", ".join(f"{n} {state}" for state, n in data["counts"].items() if n)
    rows = "".join(
        f'<tr><td><a href="#task-{t["id"]}">{t["id"]}</a></td><td>{esc(t["story"])}</td>'
        f'<td class="state-{esc(t["state"])}">{esc(t["state"])}</td><td>{t["attempts"]}</td>'
        f'<td>{_cell(t["render_s"])}</td></tr>' for t in data["tasks"])
    sections = "".join(_task_html(t) for t in data["tasks"])
    body = (
        f'<main>\n<h1>Job {esc(data["name"])}</h1>\n'
        f'<p class="meta">Job <code>{esc(data["job"])}</code>, submitted {_cell(data["created"])}: '
        f'{esc(data["state"])} ({esc(counts)}).</p>\n'
        '<table>\n<caption>Tasks</caption>\n<thead><tr><th scope="col">Task</th><th scope="col">Script id</th>'
        '<th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Render time (s)</th></tr></thead>\n'
        f"<tbody>{rows}</tbody>\n</table>\n{sections}</main>\n"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>Job {esc(data["name"])}: report</title>\n<style>\n{REPORT_STYLE}\n</style>\n</head>\n<body>\n'
        f"{body}</body>\n</html>\n"
    )


def _task_html(t: dict[str, Any]) -> str:
    options = "; ".join(f"{k}: {', '.join(v) or 'none' if isinstance(v, list) else v}"
                        for k, v in t["options"].items() if v not in (None, False))
    parts = [
        f'<section class="task" id="task-{t["id"]}" aria-labelledby="task-{t["id"]}-title">\n'
        f'<h2 id="task-{t["id"]}-title">Task {t["id"]}: {esc(t["story"])}</h2>\n'
        f'<p>{esc(t["script"])} ({esc(options)})<br>State <span class="state-{esc(t["state"])}">{esc(t["state"])}'
        f'</span> after {t["attempts"]} attempt(s); started {_cell(t["started"])}, finished {_cell(t["finished"])}.</p>\n'
    ]
    if t["error"]:
        parts.append(f'<h3>Error</h3>\n<pre>{esc(t["error"])}</pre>\n')
    if t.get("formats"):
        rows = []
        for f in t["formats"]:
            lint = "clean" if f["captions"]["clean"] else f'{len(f["captions"]["findings"])} finding(s)'
            cuts = ", ".join(f'<a href="{esc(c["video"])}">{esc(c["name"])}</a>' for c in f["cuts"]) or "—"
            rows.append(
                f'<tr><th scope="row"><a href="{esc(f["player"])}">{esc(f["format"])} player page</a></th>'
                f'<td>{_cell(f["duration_s"])}</td><td>{_cell(f["loudness_lufs"])}</td>'
                f'<td>{_cell(f["true_peak_dbtp"])}</td><td>{esc(lint)}</td>'
                f'<td>{_described_cell(f.get("audio_description"))}</td><td>{cuts}</td></tr>')
        parts.append(
            f'<table>\n<caption>Outputs in {esc(t["folder"])}</caption>\n<thead><tr><th scope="col">Format</th>'
            '<th scope="col">Duration (s)</th><th scope="col">Loudness (LUFS)</th><th scope="col">True peak (dBTP)</th>'
            '<th scope="col">Caption lint</th><th scope="col">Audio description</th><th scope="col">Social cuts</th>'
            '</tr></thead>\n'
            f'<tbody>{"".join(rows)}</tbody>\n</table>\n')
    elif t.get("missing"):
        parts.append(f'<p>Outputs in {esc(t["folder"])}: {esc(t["missing"])}</p>\n')
    if t["warnings"]:
        items = "".join(f"<li>{esc(w)}</li>" for w in t["warnings"])
        parts.append(f"<h3>Warnings</h3>\n<ul>{items}</ul>\n")
    parts.append("</section>\n")
    return "".join(parts)


def write_report(job: JobStatus) -> Path:
    """Write (or rewrite) the job's report; returns its folder."""
    folder = report_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    data = report_data(job, folder)
    atomic_write_text(folder / "report.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(folder / "report.html", report_html(data))
    return folder
