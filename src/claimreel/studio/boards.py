"""Storyboards for the script page, drawn once per content digest and kept on disk.

A format's storyboard is drawn from the script's storyboard preparation (the one the
script page's report made: spoken, timed and laid out once for every format), then
written to ``render/cache/studio/boards/<digest>-<format>.jpg``; later requests read
the file. Each scene's still is cached too (``render/cache/studio/stills/``, by a
digest of its layout, format, fonts and length), so after an edit only the scenes
that changed are drawn again. With a worker pool, a script's formats are drawn
side by side, one per worker, starting as the script page answers (:meth:`Boards.start`):
the drawing runs while the page travels to the browser and the browser asks for its
images, which then wait for it. A lock per board keeps any board from being drawn twice.
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
        self._drawing: dict[str, Any] = {}  # board file name -> the pool's future drawing it

    def path(self, digest: str, fmt: str) -> Path:
        if fmt not in FORMATS or not digest.isalnum():
            raise OutsideWorkspace(f"{digest}-{fmt}")
        return self.folder / f"{digest}-{fmt}.jpg"

    def start(self, prepared: Any, digest: str) -> None:
        """Start drawing in the pool every storyboard of ``prepared`` (a script at ``digest``) not yet
        on disk, without waiting: the script page calls this once the script is checked."""
        if self.pool is None:
            return
        for fmt in prepared.formats:
            target = self.path(digest, fmt.name)
            if not target.is_file():
                self._submit(prepared, fmt.name, target)

    def _submit(self, prepared: Any, fmt: str, target: Path) -> Any:
        """The future drawing ``target`` in the pool: the one under way, or a new one, which writes
        the file when done (whoever waits for it, if anyone)."""
        from ..pipeline.storyboard import board_args, draw_board

        with self._guard:
            future = self._drawing.get(target.name)
            if future is not None:
                return future
            args = (*board_args(prepared, fmt), self.stills, self.reports.salt(prepared), True)
            future = self._drawing[target.name] = self.pool.submit(draw_board, *args)
        # outside the guard: a future already done runs the callback here, which takes the guard
        future.add_done_callback(lambda done: self._drawn(target, done))
        return future

    def _drawn(self, target: Path, future: Any) -> None:
        try:
            if not future.cancelled() and future.exception() is None and not target.is_file():
                atomic_write_bytes(target, future.result())
        except OSError:
            pass  # an unwritable cache: get() writes the file again and says why
        finally:
            with self._guard:
                if self._drawing.get(target.name) is future:
                    del self._drawing[target.name]

    def get(self, name: str, digest: str, fmt: str) -> Path:
        """The storyboard JPEG of ``fmt`` for script ``name`` at ``digest`` (drawn if missing, or
        waited for if under way)."""
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
                if self.pool is not None:
                    board = self._submit(prepared, fmt, target).result()
                else:
                    board = draw_board(*board_args(prepared, fmt), self.stills, self.reports.salt(prepared), True)
                if not target.is_file():
                    atomic_write_bytes(target, board)
        return target
