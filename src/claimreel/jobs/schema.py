"""The queue database's schema, as migrations in order, and what an SQLite error means for a user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import QueueError

__all__ = ["MIGRATIONS", "fix_for"]

#: Schema changes in order; ``user_version`` counts how many a database has. Append, never edit.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created REAL NOT NULL
        )""",
        """CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            job TEXT NOT NULL REFERENCES jobs(id),
            script TEXT NOT NULL,
            story TEXT NOT NULL,
            options TEXT NOT NULL,
            out TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued',
            stage TEXT,
            percent REAL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created REAL NOT NULL,
            started REAL,
            finished REAL,
            owner TEXT,
            lease_until REAL,
            error TEXT,
            result TEXT
        )""",
        "CREATE INDEX tasks_by_state ON tasks(state, id)",
        "CREATE INDEX tasks_by_job ON tasks(job, id)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            task INTEGER NOT NULL REFERENCES tasks(id),
            time REAL NOT NULL,
            message TEXT NOT NULL
        )""",
        "CREATE INDEX events_by_task ON events(task, id)",
    ),
    (  # a claim's token: every change a runner makes names it, so a lost claim changes nothing
        "ALTER TABLE tasks ADD COLUMN claim TEXT",
    ),
    (  # what was submitted: the script's text and its files' content hashes (see .snapshot)
        "ALTER TABLE tasks ADD COLUMN inputs TEXT",
    ),
)


def fix_for(path: Path, exc: sqlite3.Error) -> QueueError:
    text = str(exc)
    if "full" in text:
        return QueueError(f"{path}: the disk holding the queue is full ({text}); free some space and try again "
                          "(what the queue held is intact)")
    if "locked" in text or "busy" in text:
        return QueueError(f"{path}: the queue database stayed locked by another process ({text}); "
                          "try again, or look for a stuck claimreel process holding it")
    return QueueError(f"{path}: not a usable queue database ({text}); it is left as it is: move it aside "
                      "(or give the queue option another file) to start a new queue").naming("queue")
