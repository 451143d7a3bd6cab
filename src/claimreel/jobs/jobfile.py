"""Job files: ``render/jobs/*.yaml``, a named list of renders to queue together.

A job file is read like a script (the same YAML reader, so every problem names
``file:line:col`` and the field) and expands to one :class:`TaskSpec` per script
and render entry. Script paths and globs, and ``out``, are relative to the
workspace root (the folder holding ``assets/`` or ``pyproject.toml`` at or above
the job file), so a job file works from any current folder.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import Problem, ScriptError
from ..layout.formats import FORMATS
from ..script.explain import dotted, explain
from ..script.fields import ID_PATTERN
from ..script.yamltree import FieldPath, Tree, decode, parse, position
from .model import TaskSpec

__all__ = ["JobFile", "JobRender", "job_schema", "load_job_file"]

FormatOrAll = Literal["16x9", "9x16", "1x1", "4x5", "all"]
_MAX_BYTES = 1_000_000


def _listed(value: Any) -> Any:
    """``all`` or a comma list in one string, as a list."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class JobRender(BaseModel):
    """One render entry: these scripts, rendered with these options."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    scripts: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        min_length=1, description="Script paths or globs (e.g. scripts/*.yaml), relative to the workspace root",
        examples=[["scripts/*.yaml"]])
    formats: tuple[FormatOrAll, ...] | None = Field(
        default=None, description="Formats to render, or all; default: each script's own formats")
    cuts: tuple[Annotated[str, Field(pattern=ID_PATTERN)], ...] | None = Field(
        default=None, description="Social cuts by name, or all, or none; default: all (none for a preview)")
    loudness: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        default=None, description="Loudness profile (render/profiles): web, youtube, ebu-r128, atsc-a85; "
        "default: each script's")
    voice: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        default=None, description="Speech engine for every block (espeak, gtts, recorded, fake); default: the script's")
    preview: bool = Field(default=False, description="Fast half-size drafts, written to OUT/_previews/<id>/")
    described: Literal["track", "extended"] = Field(
        default="track", description="Audio description: a described track in every video (track), or extended: "
        "also video-described.mp4, the picture held while what does not fit is said")
    out: Annotated[str, Field(min_length=1)] = Field(
        default="render/out", description="Output root, relative to the workspace root")

    _split = field_validator("formats", "cuts", "scripts", mode="before")(_listed)


class JobFile(BaseModel):
    """A batch of renders queued as one job (``claimreel jobs submit FILE``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(description="What the job is, for people")
    renders: tuple[JobRender, ...] = Field(min_length=1, description="The renders, each a list of scripts and options")


def job_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a job file."""
    from ..script.schema import SCHEMA_DIALECT

    schema = JobFile.model_json_schema()
    fields = schema["$defs"]["JobRender"]["properties"]
    for name in ("scripts", "formats", "cuts"):  # one string is accepted too: a path, "all", or "a,b"
        field = fields[name]
        choices = field.pop("anyOf", None) or [
            {k: field.pop(k) for k in ("type", "items", "minItems") if k in field}]
        field["anyOf"] = [{"type": "string", "minLength": 1}, *choices]
    return {"$schema": SCHEMA_DIALECT, "title": "claimreel job file", **{k: v for k, v in schema.items() if k != "title"}}


@dataclass(frozen=True)
class LoadedJob:
    """A job file's name and the renders it expands to, in file order."""

    name: str
    tasks: tuple[TaskSpec, ...]
    path: Path


def load_job_file(path: Path) -> LoadedJob:
    """Read and expand the job file at ``path``; raise :class:`ScriptError` listing every problem
    (YAML, fields, globs that match nothing, missing scripts, conflicting entries)."""
    from ..script.load import workspace_root

    file = str(path)
    try:
        raw = path.read_bytes()[: _MAX_BYTES + 1]
    except FileNotFoundError:
        raise ScriptError([Problem(file, 1, 1, "", "job file not found", "check the path")]) from None
    except OSError as exc:
        raise ScriptError([Problem(file, 1, 1, "", f"cannot read the job file: {exc.strerror or exc}",
                                   "check the path and its permissions")]) from None
    if len(raw) > _MAX_BYTES or not raw.strip():
        said = "the job file is empty" if not raw.strip() else "the job file is too large"
        raise ScriptError([Problem(file, 1, 1, "", said, "start from render/jobs/social.yaml")])
    tree = parse(decode(raw, file), file)
    problems = list(tree.problems)
    try:
        job = JobFile.model_validate(tree.data)
    except ValidationError as exc:
        raise ScriptError(problems + explain(exc.errors(), tree, file, JobFile)) from None
    if problems:
        raise ScriptError(problems)
    root = workspace_root(path)
    tasks, problems = _expand(job, tree, file, root)
    if problems:
        raise ScriptError(problems)
    return LoadedJob(job.name, tuple(tasks), path)


def _place(tree: Tree, file: str, where: FieldPath, message: str, hint: str) -> Problem:
    node_path = where
    while node_path not in tree.values and node_path:
        node_path = node_path[:-1]
    line, column = position(tree.values[node_path]) if node_path in tree.values else (1, 1)
    return Problem(file, line, column, dotted(where), message, hint)


def _expand(job: JobFile, tree: Tree, file: str, root: Path) -> tuple[list[TaskSpec], list[Problem]]:
    tasks: list[TaskSpec] = []
    problems: list[Problem] = []
    seen: dict[tuple[Path, Path, bool], FieldPath] = {}
    for i, entry in enumerate(job.renders):
        here: FieldPath = ("renders", i)
        formats: tuple[str, ...] = ()
        if entry.formats:
            if "all" in entry.formats and len(entry.formats) > 1:
                problems.append(_place(tree, file, here + ("formats",), "'all' together with format names",
                                       "give either all or a list of formats"))
            formats = tuple(FORMATS) if "all" in entry.formats else tuple(dict.fromkeys(entry.formats))
        cuts = _cuts(entry, tree, file, here, problems)
        out = root / entry.out
        for j, pattern in enumerate(entry.scripts):
            for script in _scripts(pattern, root, tree, file, here + ("scripts", j), problems):
                key = (script.resolve(), out.resolve(), entry.preview)
                if key in seen:
                    problems.append(_place(
                        tree, file, here + ("scripts", j),
                        f"{script.relative_to(root)} is already rendered into {entry.out} by {dotted(seen[key])}",
                        "render a script once per output folder: merge the two entries' formats, or give one "
                        "another out"))
                    continue
                seen[key] = here + ("scripts", j)
                tasks.append(TaskSpec(script, formats, cuts, entry.loudness, entry.voice, entry.preview, out,
                                      described=entry.described))
    return tasks, problems


def _cuts(entry: JobRender, tree: Tree, file: str, here: FieldPath, problems: list[Problem]
          ) -> tuple[str, ...] | None:
    if entry.cuts is None:
        return () if entry.preview else None  # a draft renders no cuts unless asked, as `render --preview`
    names = tuple(dict.fromkeys(entry.cuts))
    special = [n for n in names if n in ("all", "none")]
    if special and len(names) > 1:
        problems.append(_place(tree, file, here + ("cuts",), f"'{special[0]}' together with other cut names",
                               "give all, none, or a list of cut names"))
        return None
    if special:
        return None if special[0] == "all" else ()
    return names


def _scripts(pattern: str, root: Path, tree: Tree, file: str, where: FieldPath, problems: list[Problem]
             ) -> list[Path]:
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        problems.append(_place(tree, file, where, f"'{pattern}' leaves the workspace",
                               f"write it relative to the workspace root {root}"))
        return []
    if glob.has_magic(pattern):
        found = sorted(root / p for p in glob.glob(pattern, root_dir=root, recursive=True))
        found = [p for p in found if p.is_file()]
        if not found:
            problems.append(_place(tree, file, where, f"'{pattern}' matches no file",
                                   f"check the pattern; it is relative to the workspace root {root}"))
        return found
    if not (root / pattern).is_file():
        problems.append(_place(tree, file, where, f"script '{pattern}' not found",
                               f"check the path; it is relative to the workspace root {root}"))
        return []
    return [root / pattern]
