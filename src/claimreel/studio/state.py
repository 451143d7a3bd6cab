"""What every page needs, held once per app: the workspace, its caches, the queue and the guard's
settings. Pages reach it through :func:`claimreel.studio.pages.common.studio_of`, typed."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .boards import Boards
from .guard import GuardSettings
from .queue import StudioQueue
from .report import Reports
from .workspace import Workspace

__all__ = ["VOICES", "Studio"]

#: The voices the render form offers: the script's own, or one of the engines that run offline.
VOICES = ("script", "piper", "espeak", "fake")


@dataclass
class Studio:
    """The app state: one per :func:`~claimreel.studio.app.create_app`."""

    ws: Workspace
    guard: GuardSettings
    reports: Reports = field(init=False)
    boards: Boards = field(init=False)
    queue: StudioQueue = field(init=False)
    voices: tuple[str, ...] = VOICES
    #: Set once the code a script page needs is imported (see :func:`.findings.warm_up`).
    warm: threading.Event = field(default_factory=threading.Event)
    font_css: str | None = None  # the shipped fonts' rules, made at the first page (see :mod:`.fonts`)

    def __post_init__(self) -> None:
        self.reports = Reports(self.ws)
        self.boards = Boards(self.ws, self.reports)
        self.queue = StudioQueue(self.ws)
