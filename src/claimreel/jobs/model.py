"""What the queue holds: a job is a named group of tasks; a task is one script rendered with one
set of options. These are the plain values producers submit and status readers get back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .states import MOVES, TERMINAL, State

__all__ = ["MAX_ATTEMPTS", "STATES", "TERMINAL", "Claim", "JobStatus", "NewTask", "TaskSpec", "TaskStatus"]

#: Task states, in the order a task goes through them (see :mod:`.states` for the moves).
STATES = tuple(s.value for s in State)
#: A task is tried at most this many times (a lost lease counts as a try), then it fails.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class TaskSpec:
    """One render to queue: the script and the options ``claimreel render`` would take.

    ``formats``: format names, or () for the script's own formats. ``cuts``: None for all the
    script's social cuts, () for none, else their names. ``loudness``: a loudness profile name
    (None: the script's). ``voice``: a speech engine for every block (None: the script's).
    ``out``: the output root; a preview goes to ``out/_previews/<id>/``, a final to ``out/<id>/``.
    ``sign_cert``, ``sign_key``, ``sign_tsa_url``: the Content Credentials signing identity's files
    (paths only: the key itself is never stored in the queue), or None (the theme's, if any).
    """

    script: Path
    formats: tuple[str, ...] = ()
    cuts: tuple[str, ...] | None = None
    loudness: str | None = None
    voice: str | None = None
    preview: bool = False
    out: Path = Path("render/out")
    sign_cert: Path | None = None
    sign_key: Path | None = None
    sign_tsa_url: str | None = None
    described: str = "track"  # audio description: "track", or "extended" (also video-described.mp4)

    def options(self) -> dict[str, Any]:
        """The options as JSON-ready data (what the queue stores and status shows)."""
        return {
            "formats": list(self.formats),
            "cuts": None if self.cuts is None else list(self.cuts),
            "loudness": self.loudness,
            "voice": self.voice,
            "preview": self.preview,
            "out": str(self.out),
            **({"described": self.described} if self.described != "track" else {}),
            **({"sign_cert": str(self.sign_cert), "sign_key": str(self.sign_key), "sign_tsa_url": self.sign_tsa_url}
               if self.sign_cert is not None else {}),
        }

    @classmethod
    def from_options(cls, script: str | Path, options: dict[str, Any]) -> "TaskSpec":
        cuts = options.get("cuts")
        return cls(Path(script), tuple(options.get("formats") or ()), None if cuts is None else tuple(cuts),
                   options.get("loudness"), options.get("voice"), bool(options.get("preview")),
                   Path(options.get("out") or "render/out"),
                   _path(options.get("sign_cert")), _path(options.get("sign_key")), options.get("sign_tsa_url"),
                   options.get("described") or "track")


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


@dataclass(frozen=True)
class NewTask:
    """A checked task, ready to store: its spec with absolute paths, its script's id, its output
    folder, and what was submitted (the script's text and its files' hashes, see :mod:`.snapshot`)."""

    spec: TaskSpec
    story: str
    out: Path
    inputs: dict[str, Any] | None = None


@dataclass(frozen=True)
class Claim:
    """A runner's hold on one attempt of a task: the task's id and the claim's token."""

    task: int
    token: str


@dataclass(frozen=True)
class TaskStatus:
    """One task as the queue sees it now. Times are Unix seconds (None until they happen);
    ``stage`` and ``percent`` describe the work under way while ``state`` is running; ``out`` is
    the output folder the task writes (``<out>/<id>`` or ``<out>/_previews/<id>``)."""

    id: int
    job: str
    script: str
    story: str  # the script's id
    options: dict[str, Any]
    state: str
    stage: str | None
    percent: float | None
    attempts: int
    created: float
    started: float | None
    finished: float | None
    out: str
    error: str | None
    result: dict[str, Any] | None = None  # what a done task wrote (files, timings), for the report
    lease_until: float | None = None  # while claimed: when the claim runs out unless renewed
    claim: str | None = None  # the token of the attempt holding the task (running, or cancelled and stopping)
    inputs: dict[str, Any] | None = None  # what was submitted (None: queued by a claimreel that kept none)

    def lease_expired(self, now: float) -> bool:
        """Running, but its runner stopped renewing: it goes back to the queue at the next claim."""
        return self.state == State.RUNNING and self.lease_until is not None and self.lease_until < now

    @property
    def spec(self) -> TaskSpec:
        return TaskSpec.from_options(self.script, self.options)

    @property
    def held(self) -> Claim:
        """The claim this status was handed out with (by ``Queue.claim``)."""
        if self.claim is None:
            raise ValueError(f"task {self.id} is not claimed")
        return Claim(self.id, self.claim)


@dataclass(frozen=True)
class JobStatus:
    """A job and its tasks (in submission order). ``state`` sums them up: running while any task
    is queued or running, else failed if any failed, else cancelled if any was cancelled, else done."""

    id: str
    name: str
    created: float
    tasks: list[TaskStatus] = field(default_factory=list)

    @property
    def state(self) -> str:
        states = {t.state for t in self.tasks}
        if not states <= TERMINAL:
            started = State.RUNNING in states or any(t.attempts for t in self.tasks)
            return State.RUNNING.value if started else State.QUEUED.value
        for state in (State.FAILED, State.CANCELLED):
            if state in states:
                return state.value
        return State.DONE.value

    @property
    def cancellable(self) -> bool:
        """Some task can still be cancelled."""
        return any(t.state in MOVES["cancel"].sources for t in self.tasks)

    @property
    def retryable(self) -> bool:
        """Some task can be queued again."""
        return any(t.state in MOVES["retry"].sources for t in self.tasks)

    def counts(self) -> dict[str, int]:
        return {state: sum(1 for t in self.tasks if t.state == state) for state in STATES}
