"""Keeping a runner's claims alive: a thread that does nothing but renew leases.

Renewal has a thread of its own, with its own database connection and a wait for the
database shorter than the lease, so nothing a render does (GIL-bound layout, a slow
worker pool, a task thread waiting on a lock) and no slow write of another thread
stands between two renewals. Every ``check`` seconds it renews the claims it holds and
hands each claim's state back through ``notice`` when it is anything but running (the
task was cancelled, or the claim was lost): that call only sets flags and kills
processes, so it never holds the next renewal up. An error is reported and the next
beat tries again; the thread ends only when told to.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from ..errors import ClaimreelError
from .model import Claim
from .states import State
from .store import Queue

__all__ = ["LeaseKeeper"]


class LeaseKeeper:
    """Renews the leases of the claims :meth:`hold` was given until :meth:`drop` takes them back.

    ``notice(task_id, state)``: called from the keeper's thread for a claim whose task is no
    longer running (``cancelled``, or ``lost`` when another claim holds it now); once per claim.
    ``say``: where problems are reported. ``longest_gap`` is the longest time seen between two
    successful renewals while claims were held, in seconds: a live runner keeps it far below
    the lease.
    """

    def __init__(self, queue: Queue, *, lease: float, check: float, notice: Callable[[int, str], None],
                 say: Callable[[str], None]) -> None:
        # Its own Queue object: its own connection, and a wait for a busy database that leaves
        # time for two more tries before the lease runs out.
        self.queue = Queue(queue.path, busy_timeout=max(0.5, min(queue.busy_timeout, lease / 3)), clock=queue.clock)
        self.lease = lease
        self.check = check
        self.notice = notice
        self.say = say
        self.longest_gap = 0.0
        self._claims: dict[int, Claim] = {}
        self._noticed: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="claimreel-lease", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def hold(self, claim: Claim) -> None:
        with self._lock:
            self._claims[claim.task] = claim
            self._noticed.discard(claim.task)

    def drop(self, claim: Claim) -> None:
        with self._lock:
            if self._claims.get(claim.task) == claim:
                del self._claims[claim.task]

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.check * 4 + self.queue.busy_timeout)

    def _beat(self) -> None:
        last_ok = time.monotonic()
        while not self._stop.is_set():
            with self._lock:
                held = list(self._claims.values())
            try:
                states = self.queue.renew(held, self.lease)
            except ClaimreelError as exc:  # the database was busy for long: the next beat tries again
                self.say(f"runner: could not renew leases: {exc}")
            except Exception as exc:  # noqa: BLE001 - never let renewal die while renders go on
                self.say(f"runner: could not renew leases: {type(exc).__name__}: {exc}")
            else:
                now = time.monotonic()
                if held:
                    self.longest_gap = max(self.longest_gap, now - last_ok)
                last_ok = now
                self._tell(states)
            self._stop.wait(self.check)
        self.queue.close()  # this thread's connection

    def _tell(self, states: dict[int, str]) -> None:
        for task_id, state in states.items():
            if state == State.RUNNING or task_id in self._noticed:
                continue
            self._noticed.add(task_id)
            try:
                self.notice(task_id, state)
            except Exception as exc:  # noqa: BLE001 - one bad notice must not stop renewals
                self.say(f"task {task_id}: could not stop it ({type(exc).__name__}: {exc})")
