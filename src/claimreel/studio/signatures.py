"""Cheap signatures of what a script's report depends on: the files it names under ``assets/`` and
the folders every script shares (themes, fonts, loudness profiles), by name, size and modification
time, so a listing can tell a changed script from an unchanged one without reading the files."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Iterable

from ..script.load import MAX_SCRIPT_BYTES
from .workspace import Workspace

__all__ = ["SHARED", "referenced_files", "shared_signature", "stat_signature"]

#: Folders every script depends on (themes with their logos, fonts, loudness profiles): a change
#: there may change any script. Photos and other assets count only for the scripts that name them.
SHARED = ("assets/themes", "assets/fonts", "render/profiles")

def stat_signature(paths: Iterable[Path]) -> str:
    """A digest of the files' names, sizes and modification times (a missing file counts too)."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            st = os.stat(path)
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()[:16]


def shared_signature(ws: Workspace) -> str:
    """:func:`stat_signature` of every file in the :data:`SHARED` folders."""
    files = []
    for relative in SHARED:
        for folder, dirs, names in os.walk(ws.root / relative):
            dirs.sort()
            files += [Path(folder) / name for name in sorted(names)]
    return stat_signature(files)


_ASSET_PATH = re.compile(r"""assets/[^\s"'#,\]}){]+""")


def referenced_files(text: str, root: Path) -> tuple[Path, ...]:
    """Files a script's text names under ``assets/`` (photos, logo, audio, music), whatever field
    names them: every ``assets/...`` path written in it (a scan, not a parse: it runs for every
    script on every listing)."""
    found = {root / m.rstrip(".:") for m in _ASSET_PATH.findall(text[:MAX_SCRIPT_BYTES])
             if ".." not in m.split("/") and len(m) < 512}
    return tuple(sorted(found))
