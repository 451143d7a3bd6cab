"""Where a task's render goes, and how the script's output folder comes to show it.

Every task renders into a folder of its own job, ``OUT/_jobs/<job>/<id>/`` (a preview into
``OUT/_jobs/<job>/_previews/<id>/``), beside the job's report, so two jobs of one script
each keep what they rendered. The script's output folder, ``OUT/<id>/`` (or
``OUT/_previews/<id>/``), then shows the *newest submitted* of them: a task publishes its
files there (hard links: no copy) unless the folder already holds the output of a task
submitted after it. Which one it holds is written in its ``manifest.json`` (``job``: the
job, the task and when it was submitted), so the check and the swap are made together,
under the folder's lock, and the swap is atomic like a render's (:mod:`claimreel.pipeline.output`).

Formats the task did not render are kept from the previous output, as ``claimreel render``
keeps them, with their manifest entries.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

from ..layout.formats import FORMATS
from ..pipeline.output import atomic_write_text, link_or_copy, output_lock, staged_output

__all__ = ["JOBS", "job_folder", "publish"]

#: ``OUT/_jobs/<job>/``: a job's report and its tasks' own outputs (script ids never start with ``_``).
JOBS = "_jobs"


def job_folder(out: Path, job: str) -> Path:
    """``OUT/_jobs/<job>``: the output root a task of ``job`` renders into (its own output is then
    ``<id>/``, or ``_previews/<id>/`` for a preview, inside it)."""
    return out / JOBS / job


def publish(own: Path, out_root: Path, stamp: dict[str, Any], on_wait: Callable[[], None] | None = None) -> bool:
    """Make ``out_root/<id>`` show the task output in ``own`` (named ``<id>``) unless it shows a
    task submitted later; True if it was published. ``stamp``: the job, task and submit time."""
    story = own.name
    with output_lock(out_root, story, on_wait):
        final = out_root / story
        previous = _manifest(final)
        shown = previous.get("job") if previous else None
        if isinstance(shown, dict) and _order(shown) > _order(stamp):
            return False
        mine = _manifest(own)
        if mine is None:
            raise FileNotFoundError(f"{own / 'manifest.json'}: the render wrote no manifest")
        keep = tuple(name for name in FORMATS if name not in mine.get("formats", {}))
        with staged_output(out_root, story, keep) as staging:
            for entry in own.iterdir():
                if entry.is_dir():
                    shutil.copytree(entry, staging / entry.name, copy_function=link_or_copy)
                elif entry.name != "manifest.json":
                    link_or_copy(entry, staging / entry.name)
            kept = [name for name in keep if (staging / name).is_dir()]
            atomic_write_text(staging / "manifest.json", _merged(mine, previous or {}, kept, stamp))
    return True


def _order(stamp: dict[str, Any]) -> tuple[float, int]:
    return float(stamp.get("submitted") or 0), int(stamp.get("task") or 0)


def _manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _merged(mine: dict[str, Any], previous: dict[str, Any], kept: list[str], stamp: dict[str, Any]) -> str:
    """The task's manifest with the kept formats' files and entries from the previous one, and the stamp."""
    files = list(mine.get("files", [])) + [f for f in previous.get("files", [])
                                            if str(f.get("path", "")).split("/")[0] in kept]
    old_formats = previous.get("formats", {})
    formats = {**{name: old_formats[name] for name in kept if name in old_formats}, **mine.get("formats", {})}
    data = {**mine, "files": sorted(files, key=lambda f: f["path"]), "formats": formats, "job": stamp}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
