"""Where a render's work units run: the seam between a render and its workers.

A render hands its units (segment encodes; on a cluster also speech and soundtrack mixes) to a :class:`WorkPool`. The
shape is that of :mod:`concurrent.futures` (and of Dask's ``Client``):
``submit(fn, *args)`` returns a future, ``as_completed(futures)`` yields them as
they finish, ``close()`` lets the workers go. :class:`LocalPool`, the default,
is a pool of spawned worker processes, one per core.

A pool may outlive one render: a job runner opens one pool and hands it to every
render of a batch (``render(..., pool=pool)``), so the next task's preparation
overlaps the current task's encodes and the workers' imports are paid once.

How to add a backend: write a class with ``submit``, ``as_completed``, ``close``
and ``workers`` (the number of units it runs at once), and return it from
:func:`open_pool` for its address scheme.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any, Callable, Iterable, Iterator, Protocol

__all__ = ["LocalPool", "WorkPool", "die_with_parent", "open_pool"]


def die_with_parent(parent: int | None = None) -> None:
    """Worker initializer: on Linux, get SIGKILLed when the render process ``parent`` dies.

    A pool worker of a render that was killed with SIGKILL would otherwise wait
    forever on its task queue (it holds both ends of the pipe); its ffmpeg then
    sees its stdin close and exits too. If the render died while this worker was
    still starting (before the signal was asked for), the worker exits at once.
    """
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: orphaned workers exit when their parent's pipes close
    if parent is not None and os.getppid() != parent:
        os._exit(1)


class WorkPool(Protocol):
    """A place to run work units; futures have ``result()``, ``cancel()`` and ``done()``."""

    workers: int
    remote: bool  # True: runs elsewhere; files travel by content and outputs come back as bytes

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]: ...

    def close(self, *, wait: bool = True, cancel: bool = False) -> None: ...


class LocalPool:
    """Spawned worker processes on this machine, started at once so their imports overlap
    preparing the script.

    spawn: workers never inherit this process's threads (OpenCV's pool, the audio thread),
    which can leave a forked child waiting on a lock forever; and, as direct children, they
    die with their parent (``die_with_parent``), which a forkserver's children would not.
    """

    remote = False

    def __init__(self, workers: int = 0, warm_up: Callable[[], None] | None = None) -> None:
        from .main_guard import check_main_guard

        check_main_guard()  # before any worker imports the caller's script again
        self.workers = workers or os.cpu_count() or 1
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=die_with_parent, initargs=(os.getpid(),))
        for _ in range(self.workers if warm_up else 0):
            self._pool.submit(warm_up)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def as_completed(self, futures: Iterable[Future]) -> Iterator[Future]:
        return as_completed(list(futures))

    def close(self, *, wait: bool = True, cancel: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel)

    def processes(self) -> list[int]:
        """The worker processes' pids (for a runner that must stop them at once)."""
        return [p.pid for p in (self._pool._processes or {}).values() if p.pid]  # type: ignore[attr-defined]


def open_pool(address: str | None = None, workers: int = 0, warm_up: Callable[[], None] | None = None, *,
              cache_url: str | None = None) -> WorkPool:
    """The pool for ``address``: None for this machine's worker processes (each running
    ``warm_up`` first, while the caller prepares); ``tcp://HOST:PORT`` for a Dask scheduler, or
    ``local:N`` for a Dask cluster of N processes started here (see :mod:`.dask`; ``cache_url``:
    a segment cache the client and the workers share)."""
    if address is None:
        return LocalPool(workers, warm_up)
    if address.startswith(("tcp://", "tls://", "local:")):
        from .dask import DaskPool
        from .main_guard import check_main_guard

        if address.startswith("local:"):
            check_main_guard()  # a LocalCluster's workers are spawned too
        return DaskPool(address, cache_url=cache_url)
    from ..errors import ClaimreelError

    raise ClaimreelError(f"--cluster {address}: give tcp://HOST:PORT of a Dask scheduler, or local:N")
