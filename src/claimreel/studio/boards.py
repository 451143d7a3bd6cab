"""Storyboards for the script page, drawn once per content digest and kept on disk.

The first request for any format of a script draws every format in one pass
(narration is spoken once, from the speech cache when it can be); the PNGs go to
``render/cache/studio/boards/<digest>-<format>.png`` and later requests read
them. A lock per digest keeps parallel image requests from drawing twice.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import ClaimreelError
from ..files import atomic_write_bytes
from ..layout.formats import FORMATS
from .workspace import OutsideWorkspace, Workspace

__all__ = ["Boards"]


class Boards:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.folder = ws.cache / "studio" / "boards"
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, digest: str, fmt: str) -> Path:
        if fmt not in FORMATS or not digest.isalnum():
            raise OutsideWorkspace(f"{digest}-{fmt}")
        return self.folder / f"{digest}-{fmt}.png"

    def get(self, name: str, digest: str, formats: tuple[str, ...], fmt: str) -> Path:
        """The storyboard PNG of ``fmt`` for script ``name`` at ``digest`` (drawn if missing)."""
        target = self.path(digest, fmt)
        if target.is_file():
            return target
        with self._guard:
            lock = self._locks.setdefault(digest, threading.Lock())
        with lock:
            if not target.is_file():
                self._draw(name, digest, formats)
        if not target.is_file():
            raise ClaimreelError(f"{name}: no storyboard for {fmt}; the script's formats are {', '.join(formats)}")
        return target

    def _draw(self, name: str, digest: str, formats: tuple[str, ...]) -> None:
        from ..pipeline.storyboard import storyboards

        for board in storyboards(self.ws.script_path(name), formats, cache=self.ws.cache, out=self.ws.out):
            atomic_write_bytes(self.path(digest, board.format), board.png)
