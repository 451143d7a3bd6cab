"""A task's states and the moves between them: the one place that says which change is allowed.

The store builds its SQL from :data:`MOVES` (each statement changes only rows in the move's
source states), and everything that asks "has this task ended?" (the command line's ``wait``,
the studio's progress stream) asks :data:`TERMINAL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["ACTIVE", "MOVES", "TERMINAL", "Move", "State", "allowed", "sql_states"]


class State(str, Enum):
    """A task's state, in the order a task goes through them. The value is what the queue
    stores and what status shows."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Move:
    """One allowed change: from any of ``sources`` to ``target``."""

    sources: tuple[State, ...]
    target: State


#: Every change a task can go through, by the queue operation that makes it.
MOVES: dict[str, Move] = {
    "claim": Move((State.QUEUED,), State.RUNNING),
    "finish": Move((State.RUNNING,), State.DONE),
    "fail": Move((State.RUNNING,), State.FAILED),
    "fail again": Move((State.RUNNING,), State.QUEUED),  # a failed attempt with tries left
    "release": Move((State.RUNNING,), State.QUEUED),  # the runner stopped it; the attempt does not count
    "expire": Move((State.RUNNING,), State.QUEUED),  # its runner stopped renewing the lease
    "expire last": Move((State.RUNNING,), State.FAILED),  # ... on the last attempt
    "cancel": Move((State.QUEUED, State.RUNNING), State.CANCELLED),
    "retry": Move((State.FAILED, State.CANCELLED), State.QUEUED),
}

#: States a task leaves only by ``retry`` (or never, once done).
TERMINAL = frozenset({State.DONE, State.FAILED, State.CANCELLED})
#: States in which a task still has work ahead of it.
ACTIVE = frozenset({State.QUEUED, State.RUNNING})


def allowed(source: State | str, target: State | str) -> bool:
    """True if some move takes a task from ``source`` to ``target``."""
    return any(State(source) in move.sources and move.target == State(target) for move in MOVES.values())


def sql_states(states: tuple[State, ...] | frozenset[State]) -> str:
    """``('a', 'b')`` for an SQL ``IN``: the values are this module's own, never user input."""
    return "(" + ", ".join(f"'{s.value}'" for s in sorted(states, key=list(State).index)) + ")"
