"""The workspace the studio serves, and the one place its paths are resolved.

Every file the studio reads or writes is named by a request (a script's file
name, an output's relative path, an uploaded photo's name), so every name goes
through :class:`Workspace`: script names must be files listed in ``scripts/``,
output paths must stay inside ``render/out`` once symlinks are resolved, and
no part of a path may be hidden (``.``), a parent (``..``) or absolute.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ClaimreelError

__all__ = ["OutsideWorkspace", "SCRIPT_SUFFIXES", "Workspace"]

SCRIPT_SUFFIXES = (".yaml", ".yml")
_SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")


class OutsideWorkspace(ClaimreelError):
    """A requested path that is not an allowed file of the workspace (answered with 404)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name!r}: no such file in the workspace; open it from the studio's pages")


def _parts(relative: str) -> tuple[str, ...]:
    """The parts of a relative path written with '/', each a plain name (no '.', '..', '~' or '\\')."""
    if not relative or "\\" in relative or "\x00" in relative or PurePosixPath(relative).is_absolute():
        raise OutsideWorkspace(relative)
    parts = tuple(relative.split("/"))
    if not all(_SAFE_PART.match(part) for part in parts):
        raise OutsideWorkspace(relative)
    return parts


def _script_name(name: str) -> bool:
    """A script's file name: one plain name (any language), not hidden, ending .yaml or .yml."""
    return (name.endswith(SCRIPT_SUFFIXES) and not name.startswith(".") and len(name.encode()) <= 255
            and not any(c in name for c in "/\\\x00") and name.isprintable())


@dataclass(frozen=True)
class Workspace:
    """A producer's checkout: ``scripts/``, ``assets/``, ``render/out``, ``render/cache``."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> "Workspace":
        root = Path(root).resolve()
        if not (root / "scripts").is_dir():
            raise ClaimreelError(f"{root}: no scripts/ folder here; run the studio from a workspace "
                                 "(the folder holding scripts/ and assets/), or make one with claimreel new ID")
        return cls(root)

    @property
    def scripts(self) -> Path:
        return self.root / "scripts"

    @property
    def photos(self) -> Path:
        return self.root / "assets" / "photos"

    @property
    def out(self) -> Path:
        return self.root / "render" / "out"

    @property
    def previews(self) -> Path:
        return self.out / "_previews"

    @property
    def cache(self) -> Path:
        return self.root / "render" / "cache"

    @property
    def queue_path(self) -> Path:
        return Path(os.environ.get("CLAIMREEL_QUEUE") or self.root / "render" / "queue.db")

    def script_names(self) -> list[str]:
        """File names of the scripts in ``scripts/`` (regular files, not symlinks), sorted."""
        names = []
        with os.scandir(self.scripts) as entries:
            for entry in entries:
                if _script_name(entry.name) and entry.is_file(follow_symlinks=False):
                    names.append(entry.name)
        return sorted(names)

    def script_path(self, name: str) -> Path:
        """The script file called ``name``; refused unless it is one of :meth:`script_names`."""
        if not _script_name(name):
            raise OutsideWorkspace(name)
        path = self.scripts / name
        if not path.is_file() or path.is_symlink():
            raise OutsideWorkspace(name)
        return path

    def inside(self, base: Path, relative: str) -> Path:
        """``base/relative`` as an existing file that stays inside ``base`` with symlinks resolved."""
        path = base.joinpath(*_parts(relative))
        resolved = path.resolve()
        if not resolved.is_relative_to(base.resolve()) or not resolved.is_file():
            raise OutsideWorkspace(relative)
        return resolved

    def output_folder(self, script_id: str, preview: bool = False, job: str = "") -> Path:
        """``render/out/<id>`` (or the preview's ``render/out/_previews/<id>``); with ``job``, that job's
        own copy in ``render/out/_jobs/<job>/``; it need not exist."""
        (part,) = _parts(script_id)
        base = self.out
        if job:
            (job_part,) = _parts(job)
            base = self.out / "_jobs" / job_part
        return (base / "_previews" if preview else base) / part
