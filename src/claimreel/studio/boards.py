"""Storyboards for the script page, drawn once per content digest and kept on disk.

A format's storyboard is drawn from the script's storyboard preparation (the one the
script page's report made: spoken, timed and laid out once for every format), then
written to ``render/cache/studio/boards/<digest>-<format>.jpg``; later requests read
the file. Each scene's still is cached too (``render/cache/studio/stills/``, by a
digest of its layout, format, fonts and length), so after an edit only the scenes
that changed are drawn again. With a worker pool, the browser's parallel image
requests draw a script's formats side by side, one per worker; a lock per board
keeps any board from being drawn twice.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..errors import ClaimreelError
from ..files import atomic_write_bytes
from ..layout.formats import FORMATS
from .report import Reports
from .workspace import OutsideWorkspace, Workspace

__all__ = ["Boards"]


class Boards:
    """Storyboard files of the workspace's scripts; ``pool`` (a :class:`~claimreel.executor.WorkPool`,
    or None to draw in the calling thread) draws the formats of a script side by side."""

    def __init__(self, ws: Workspace, reports: Reports, pool: Any = None) -> None:
        self.ws = ws
        self.reports = reports
        self.pool = pool
        self.folder = ws.cache / "studio" / "boards"
        self.stills = ws.cache / "studio" / "stills"
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, digest: str, fmt: str) -> Path:
        if fmt not in FORMATS or not digest.isalnum():
            raise OutsideWorkspace(f"{digest}-{fmt}")
        return self.folder / f"{digest}-{fmt}.jpg"

    def get(self, name: str, digest: str, fmt: str) -> Path:
        """The storyboard JPEG of ``fmt`` for script ``name`` at ``digest`` (drawn if missing)."""
        from ..pipeline.storyboard import board_args, draw_board

        target = self.path(digest, fmt)
        if target.is_file():
            return target
        with self._guard:
            lock = self._locks.setdefault(target.name, threading.Lock())
        with lock:
            if not target.is_file():
                prepared = self.reports.prepared(name, digest)
                if prepared is None or fmt not in {f.name for f in prepared.formats}:
                    raise ClaimreelError(f"{name}: no storyboard for {fmt}; open the script's page again")
                args = (*board_args(prepared, fmt), self.stills, self.reports.salt(prepared), True)
                png = self.pool.submit(draw_board, *args).result() if self.pool else draw_board(*args)
                atomic_write_bytes(target, png)
        return target
